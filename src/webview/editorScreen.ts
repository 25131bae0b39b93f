/**
 * The editor for one loaded document: the panels (toolbar, banner, frame, info, transport,
 * filmstrip) composed around one PlaybackController, the actions table bound to it, and the audio
 * it asks the host for. Built from a FramesDocumentView; rebuilt whole when the host says the
 * document changed, its state carried over through the state store. Disposing it disposes every
 * panel.
 */
import { Disposable, toDisposable } from '../shared/disposable';
import type { AudioView, EditorCommand, PaletteAction, EditorProblem, FramesDocumentView, Integrity, ProblemAction } from '../shared/protocol';
import { BoundActions, type ActionTarget } from './actions';
import { announce, decodeAhead, h, listen } from './dom';
import { fileFrameImages, RenderedFrameImages, withFrameAtHand, type FrameImages, type ObjectUrls } from './frameImages';
import { problemOf, type HostClient } from './hostClient';
import { actionForKey } from './keyboard';
import type { EditorContext, EditorSettings, Panel } from './panel';
import { PlaybackController, type PlaybackState } from './playback';
import { fetchWav, samplesOfWav, samplesUnavailable } from './spectrum/fetchClipSamples';
import { FLOOR_RANGE } from './spectrum/mapping';
import { spectrumWorkerChannel } from './spectrum/workerChannel';
import type { StateStore, ViewState } from './viewState';
import { FilmstripPanel } from './views/filmstripPanel';
import { FramePanel } from './views/framePanel';
import { InfoPanel } from './views/infoPanel';
import { BannerPanel } from './views/problemView';
import { SpectrogramPanel } from './views/spectrogramPanel';
import { ToolbarPanel } from './views/toolbarPanel';
import { TransportPanel } from './views/transportPanel';
import { WaveformPanel } from './views/waveformPanel';
import { zoomIn, zoomOut } from './zoom';
import { t } from './l10n';

/** Object URLs of a WAV's rendered frames kept at once: the filmstrip's window and a little more. */
const RENDERED_FRAMES_KEPT = 48;
/** While playing, the position is saved at most this often. */
const SAVE_INTERVAL_MS = 1000;

export interface ScreenContext {
  client: HostClient;
  store: StateStore;
  onProblemAction(action: ProblemAction, problem: EditorProblem): void;
}

export function documentKey(view: FramesDocumentView): string {
  return `${view.source}:${view.title}:${view.stream.frameCount}`;
}

export class EditorScreen extends Disposable {
  readonly element: HTMLElement;
  private readonly controller: PlaybackController;
  private readonly images: FrameImages;
  private readonly actions: BoundActions;
  private readonly panels: Panel[];
  private readonly banner: BannerPanel;
  private readonly frame: FramePanel;
  private readonly transport: TransportPanel;
  private readonly waveform: WaveformPanel;
  private readonly spectrogram: SpectrogramPanel;
  /** Stops fetching the samples when the screen goes. */
  private readonly fetching = new AbortController();
  private readonly filmstrip: FilmstripPanel;
  private readonly announcer: HTMLElement;
  private readonly audio: HTMLAudioElement;
  private settings: EditorSettings;
  private lastSaved = 0;

  constructor(
    private readonly view: FramesDocumentView,
    restored: Partial<ViewState>,
    private readonly context: ScreenContext,
  ) {
    super();
    const { stream } = view;
    this.settings = {
      zoom: restored.zoom ?? 'fit',
      follow: restored.follow ?? true,
      offGrid: restored.offGrid ?? false,
      waveform: restored.waveform ?? true,
      spectrogram: restored.spectrogram ?? true,
      frequencyScale: restored.frequencyScale ?? 'log',
      floorDb: restored.floorDb ?? FLOOR_RANGE.initial,
    };
    const objectUrls: ObjectUrls = { create: (png) => URL.createObjectURL(new Blob([png], { type: 'image/png' })), revoke: (url) => URL.revokeObjectURL(url) };
    const images = view.files
      ? fileFrameImages(view.files)
      : new RenderedFrameImages((index) => context.client.request('renderFrame', { index }).then((r) => r.png), objectUrls, RENDERED_FRAMES_KEPT);
    this.images = view.startImage ? withFrameAtHand(images, view.startFrame, view.startImage, objectUrls, decodeAhead) : images;
    this.register(toDisposable(() => this.images.clear()));

    this.audio = h('audio', { id: 'player', preload: 'auto' });
    this.register(
      toDisposable(() => {
        this.audio.removeAttribute('src');
        this.audio.load();
      }),
    );
    this.controller = new PlaybackController(
      stream,
      { request: (callback) => requestAnimationFrame(callback), cancel: (handle) => cancelAnimationFrame(handle) },
      { frameChanged: (frame) => this.frameChanged(frame), stateChanged: (state) => this.stateChanged(state) },
      { frame: restored.frame ?? view.startFrame, time: restored.time, loop: restored.loop, volume: restored.volume },
    );
    this.controller.follow = this.settings.follow;
    this.register(this.controller);
    this.actions = new BoundActions(this.actionTarget());

    const editor: EditorContext = {
      view,
      images: this.images,
      playback: this.controller,
      actions: this.actions,
      goToFrame: (frame) => this.goToFrame(frame),
      changeSettings: (change) => this.changeSettings(change),
      offGridMap: (frame) => context.client.request('offGridMap', { index: frame }),
      problemAction: (action, problem) => context.onProblemAction(action, problem),
    };
    const toolbar = new ToolbarPanel(editor);
    this.banner = new BannerPanel(editor);
    this.frame = new FramePanel(editor);
    const info = new InfoPanel(editor);
    this.transport = new TransportPanel(editor);
    const filmstrip = (this.filmstrip = new FilmstripPanel(editor));
    const seek = (seconds: number) => this.controller.seek(seconds);
    this.waveform = new WaveformPanel({ seek });
    this.spectrogram = new SpectrogramPanel({
      seek,
      channel: spectrumWorkerChannel(),
      settings: { scale: this.settings.frequencyScale, floorDb: this.settings.floorDb },
      settingsChanged: ({ scale, floorDb }) => this.changeSettings({ frequencyScale: scale, floorDb }),
    });
    this.register(toDisposable(() => this.fetching.abort()));
    this.panels = [toolbar, this.banner, this.frame, info, this.transport, this.waveform, this.spectrogram, filmstrip].map((panel) => this.register(panel));
    this.announcer = h('div', { class: 'sr-only', 'aria-live': 'polite' });
    this.element = h(
      'div',
      { class: 'editor' },
      toolbar.element,
      this.banner.element,
      h('div', { class: 'body' }, this.frame.element, info.element),
      h('div', { class: 'audio-panels' }, this.waveform.element, this.spectrogram.element),
      this.transport.element,
      filmstrip.element,
      this.announcer,
      this.audio,
    );

    this.showSettings();
    this.integrityChanged(undefined, view.source === 'folder');
    if (view.notice) this.banner.show(view.notice);
    this.register(listen<KeyboardEvent>(document, 'keydown', (event) => this.key(event)));
  }

  /** Shows the first frame, then prepares the audio: the frame never waits for decoding. */
  async start(): Promise<void> {
    this.frameChanged(this.controller.frame);
    this.controller.update();
    try {
      await this.frame.whenShown();
      performance.mark('resonance:first-frame');
    } finally {
      // The thumbnails' loads after the frame, so as not to compete with it.
      this.filmstrip.start();
    }
    if (!this.isDisposed) await this.loadAudio();
  }

  audioProgress(framesDone: number, frameCount: number): void {
    this.transport.showStatus(
      frameCount === 1
        ? t('Decoding the audio: {0} of 1 frame', framesDone.toLocaleString('en'))
        : t('Decoding the audio: {0} of {1} frames', framesDone.toLocaleString('en'), frameCount.toLocaleString('en')),
      true,
    );
  }

  /** An action the host asks for (a Command Palette command). */
  runAction(action: PaletteAction): void {
    this.actions.run(action);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.save();
    super.dispose();
  }

  /** The editor as the actions table sees it. */
  private actionTarget(): ActionTarget {
    const { controller, view } = this;
    const settings = () => this.settings;
    return {
      get frame() {
        return controller.frame;
      },
      frameCount: view.stream.frameCount,
      commands: view.commands,
      get audio() {
        return { ready: controller.ready, playing: controller.playing };
      },
      get panels() {
        return { waveform: settings().waveform, spectrogram: settings().spectrogram };
      },
      togglePanel: (panel) => this.changeSettings({ [panel]: !this.settings[panel] }),
      togglePlay: () => void controller.togglePlay(),
      goToFrame: (frame) => this.goToFrame(frame),
      zoom: (direction) =>
        this.changeSettings({ zoom: (direction === 'in' ? zoomIn : zoomOut)(this.settings.zoom, this.frame.imageExtent, this.frame.viewExtent) }),
      runCommand: (command) => void this.runCommand(command),
    };
  }

  private async loadAudio(): Promise<void> {
    this.transport.showStatus(this.view.source === 'folder' ? t('Decoding the audio…') : t('Loading the audio…'), true);
    let audio;
    try {
      audio = await this.context.client.request('audio', {});
    } catch (error) {
      const problem = problemOf(error);
      // Cancelled by a reload: a new screen takes over.
      if (this.isDisposed || problem.code === 'CANCELLED') return;
      this.transport.showStatus(t('The audio cannot be played: see the message above.'), false);
      this.banner.show(problem);
      this.integrityChanged(undefined, false);
      return;
    }
    if (this.isDisposed) return;
    this.attachAudio(audio);
  }

  private attachAudio(audio: AudioView): void {
    this.audio.addEventListener('error', () => {
      const format = this.view.stream.audio.sampleFormat;
      this.transport.showStatus(t('This VS Code cannot play {0} audio, but the frames and the playhead still work by seeking.', format), false);
    });
    this.audio.addEventListener('canplay', () => this.transport.showStatus(undefined, false), { once: true });
    this.controller.attach(this.audio);
    this.integrityChanged(audio.integrity, false);
    void this.loadSamples(audio.url);
  }

  /**
   * The WAV fetched once, for the <audio> (from memory) and for the waveform and the spectrogram.
   * VS Code's service worker answers every request with the whole file read through the workbench
   * (its range requests included: they all start at byte 0), so an <audio> playing the URL while
   * the page fetches it had a long file carried over twice or more.
   */
  private async loadSamples(url: string): Promise<void> {
    const panels = [this.waveform, this.spectrogram];
    try {
      let wav: Blob;
      try {
        wav = await fetchWav(url, this.fetching.signal);
      } catch (error) {
        if (!this.isDisposed) this.audio.src = url;
        throw error;
      }
      if (this.isDisposed) return;
      const playing = URL.createObjectURL(wav);
      this.register(toDisposable(() => URL.revokeObjectURL(playing)));
      this.audio.src = playing;
      const clip = await samplesOfWav(wav, this.view.title, this.fetching.signal);
      if (this.isDisposed) return;
      performance.mark('resonance:samples-ready');
      for (const panel of panels) panel.showAudio(clip);
    } catch (error) {
      if (this.isDisposed) return;
      for (const panel of panels) panel.showUnavailable(samplesUnavailable(error));
    }
  }

  private async runCommand(command: EditorCommand): Promise<void> {
    try {
      await this.context.client.request('runCommand', { command });
    } catch (error) {
      this.banner.show({ ...problemOf(error), advice: t('The command could not run from the editor: run it from the Explorer’s context menu.'), actions: [] });
    }
  }

  private goToFrame(frame: number): void {
    this.controller.goToFrame(frame);
    announce(this.announcer, t('Frame {0} of {1}', this.controller.frame + 1, this.view.stream.frameCount));
  }

  private changeSettings(change: Partial<EditorSettings>): void {
    this.settings = { ...this.settings, ...change };
    this.showSettings();
    this.save();
  }

  private showSettings(): void {
    this.controller.follow = this.settings.follow;
    this.waveform.element.hidden = !this.settings.waveform;
    this.spectrogram.element.hidden = !this.settings.spectrogram;
    for (const panel of this.panels) panel.settingsChanged?.(this.settings);
  }

  private frameChanged(frame: number): void {
    for (const panel of this.panels) panel.frameChanged?.(frame);
    this.save();
  }

  private stateChanged(state: PlaybackState): void {
    for (const panel of this.panels) panel.playbackChanged?.(state);
    const now = Date.now();
    if (!state.playing || now - this.lastSaved > SAVE_INTERVAL_MS) this.save();
  }

  private integrityChanged(integrity: Integrity | undefined, checking: boolean): void {
    for (const panel of this.panels) panel.integrityChanged?.(integrity, checking);
  }

  private save(): void {
    this.lastSaved = Date.now();
    const state = this.controller.state;
    const saved: ViewState = {
      document: documentKey(this.view),
      frame: this.controller.frame,
      time: state.time,
      loop: state.loop,
      volume: state.volume,
      ...this.settings,
    };
    this.context.store.setState(saved);
  }

  private key(event: KeyboardEvent): void {
    // Focus inside a toolkit control's shadow root is retargeted to the control itself.
    const targetTag = (event.target as Element | null)?.tagName;
    const action = actionForKey({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, targetTag });
    if (!action) return;
    event.preventDefault();
    this.actions.run(action);
  }
}
