/**
 * The editor for one loaded document: toolbar, frame, info panel, transport and filmstrip, tied to
 * one PlaybackController. Built from a FramesDocumentView; rebuilt whole when the host says the
 * document changed, its state carried over through the state store.
 */
import type { AudioView, EditorCommand, EditorProblem, FramesDocumentView, ProblemAction } from '../shared/protocol';
import { announce, h } from './dom';
import { fileFrameImages, RenderedFrameImages, withFrameAtHand, type FrameImages, type ObjectUrls } from './frameImages';
import { problemOf, type HostClient } from './hostClient';
import { infoRows } from './infoRows';
import { actionForKey, type KeyAction } from './keyboard';
import { PlaybackController, type PlaybackState } from './playback';
import { durationOf } from './playhead';
import type { StateStore, ViewState } from './viewState';
import { FilmstripView } from './views/filmstripView';
import { FrameView } from './views/frameView';
import { InfoPanel } from './views/infoPanel';
import { problemBanner } from './views/problemView';
import { Toolbar } from './views/toolbar';
import { TransportView } from './views/transportView';
import { zoomIn, zoomOut, type ZoomLevel } from './zoom';

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

export class EditorScreen {
  readonly element: HTMLElement;
  private readonly controller: PlaybackController;
  private readonly images: FrameImages;
  private readonly toolbar: Toolbar;
  private readonly frameView: FrameView;
  private readonly transport: TransportView;
  private readonly info: InfoPanel;
  private readonly filmstrip: FilmstripView;
  private readonly banner: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly audio: HTMLAudioElement;
  private zoom: ZoomLevel;
  private offGrid: boolean;
  private lastSaved = 0;
  private shownPlayhead: number | undefined;
  private disposed = false;
  private readonly onKey = (event: KeyboardEvent) => this.key(event);

  constructor(
    private readonly view: FramesDocumentView,
    restored: Partial<ViewState>,
    private readonly context: ScreenContext,
  ) {
    const { stream } = view;
    this.zoom = restored.zoom ?? 'fit';
    this.offGrid = restored.offGrid ?? false;
    const objectUrls: ObjectUrls = { create: (png) => URL.createObjectURL(new Blob([png], { type: 'image/png' })), revoke: (url) => URL.revokeObjectURL(url) };
    const images = view.files ? fileFrameImages(view.files) : new RenderedFrameImages((index) => context.client.request('renderFrame', { index }).then((r) => r.png), objectUrls, RENDERED_FRAMES_KEPT);
    this.images = view.startImage ? withFrameAtHand(images, view.startFrame, view.startImage, objectUrls) : images;

    this.controller = new PlaybackController(
      stream,
      { request: (callback) => requestAnimationFrame(callback), cancel: (handle) => cancelAnimationFrame(handle) },
      { frameChanged: (frame) => this.frameChanged(frame), stateChanged: (state) => this.stateChanged(state) },
      { frame: restored.frame ?? view.startFrame, time: restored.time, loop: restored.loop, volume: restored.volume },
    );
    this.controller.follow = restored.follow ?? true;

    const subtitle = `${stream.frameCount.toLocaleString('en')} ${stream.frameCount === 1 ? 'frame' : 'frames'} · ${view.source === 'wav' ? 'from the WAV, not written' : 'frames folder'}`;
    this.toolbar = new Toolbar(view.title, subtitle, stream.frameCount, view.commands, {
      goTo: (frame) => this.navigate(() => this.controller.goToFrame(frame)),
      step: (delta) => this.navigate(() => this.controller.step(delta)),
      first: () => this.navigate(() => this.controller.goToFrame(0)),
      last: () => this.navigate(() => this.controller.goToFrame(stream.frameCount - 1)),
      setZoom: (level) => this.setZoom(level),
      zoomIn: () => this.setZoom(zoomIn(this.zoom, this.frameView.imageExtent, this.frameView.viewExtent)),
      zoomOut: () => this.setZoom(zoomOut(this.zoom, this.frameView.imageExtent, this.frameView.viewExtent)),
      setFollow: (follow) => {
        this.controller.follow = follow;
        this.save();
      },
      setOffGrid: (show) => {
        this.offGrid = show;
        void this.showOffGrid(this.controller.frame);
        this.save();
      },
      run: (command) => this.run(command),
    });
    this.frameView = new FrameView(stream, view.frameSize, stream.frameCount, (pixel) => this.controller.seekToPixel(pixel));
    this.transport = new TransportView(durationOf(stream), {
      togglePlay: () => void this.controller.togglePlay(),
      seek: (time) => this.controller.seek(time),
      setLoop: (loop) => this.controller.setLoop(loop),
      setVolume: (volume) => this.controller.setVolume(volume),
    });
    this.info = new InfoPanel();
    this.filmstrip = new FilmstripView(stream.frameCount, this.images, (frame) => this.navigate(() => this.controller.goToFrame(frame)));
    this.banner = h('div', { class: 'banner-slot' });
    this.announcer = h('div', { class: 'sr-only', 'aria-live': 'polite' });
    this.audio = h('audio', { id: 'player', preload: 'auto' });
    this.element = h(
      'div',
      { class: 'editor' },
      this.toolbar.element,
      this.banner,
      h('div', { class: 'body' }, this.frameView.element, this.info.element),
      this.transport.element,
      this.filmstrip.element,
      this.announcer,
      this.audio,
    );

    this.toolbar.showZoom(this.zoom);
    this.toolbar.showFollow(this.controller.follow);
    this.toolbar.showOffGrid(this.offGrid);
    this.frameView.setZoom(this.zoom);
    this.info.render(infoRows(view, undefined, view.source === 'folder'));
    if (view.notice) this.showBanner(view.notice);
    document.addEventListener('keydown', this.onKey);
  }

  /** Shows the first frame, then prepares the audio: the frame never waits for decoding. */
  async start(): Promise<void> {
    const frame = this.controller.frame;
    this.frameChanged(frame);
    this.controller.update();
    await this.showFrame(frame);
    performance.mark('resonance:first-frame');
    if (!this.disposed) await this.loadAudio();
  }

  audioProgress(framesDone: number, frameCount: number): void {
    this.transport.showStatus(`Decoding the audio: ${framesDone.toLocaleString('en')} of ${frameCount.toLocaleString('en')} frame${frameCount === 1 ? '' : 's'}`, true);
  }

  dispose(): void {
    this.disposed = true;
    this.save();
    document.removeEventListener('keydown', this.onKey);
    this.controller.dispose();
    this.audio.removeAttribute('src');
    this.audio.load();
    this.images.clear();
  }

  private async loadAudio(): Promise<void> {
    this.transport.showStatus(this.view.source === 'folder' ? 'Decoding the audio…' : 'Loading the audio…', true);
    let audio;
    try {
      audio = await this.context.client.request('audio', {});
    } catch (error) {
      const problem = problemOf(error);
      // Cancelled by a reload: a new screen takes over.
      if (this.disposed || problem.code === 'CANCELLED') return;
      this.transport.showStatus('The audio cannot be played: see the message above.', false);
      this.showBanner(problem);
      this.info.render(infoRows(this.view, undefined, false));
      return;
    }
    if (this.disposed) return;
    this.attachAudio(audio);
  }

  private attachAudio(audio: AudioView): void {
    this.audio.addEventListener('error', () => {
      const format = this.view.stream.audio.sampleFormat;
      this.transport.showStatus(`This VS Code cannot play ${format} audio, but the frames and the playhead still work by seeking.`, false);
    });
    this.audio.addEventListener('canplay', () => this.transport.showStatus(undefined, false), { once: true });
    this.audio.src = audio.url;
    this.controller.attach(this.audio);
    this.info.render(infoRows(this.view, audio.integrity, false));
    if (audio.integrity) this.filmstrip.setModified(audio.integrity.modified);
  }

  private showBanner(problem: EditorProblem): void {
    this.banner.replaceChildren(problemBanner(problem, (action) => this.context.onProblemAction(action, problem)));
  }

  private async run(command: EditorCommand): Promise<void> {
    try {
      await this.context.client.request('runCommand', { command });
    } catch (error) {
      this.showBanner({ ...problemOf(error), advice: 'The command could not run from the editor: run it from the Explorer’s context menu.', actions: [] });
    }
  }

  private navigate(move: () => void): void {
    move();
    announce(this.announcer, `Frame ${this.controller.frame + 1} of ${this.view.stream.frameCount}`);
  }

  private frameChanged(frame: number): void {
    this.toolbar.showFrame(frame);
    this.filmstrip.setCurrent(frame, true);
    void this.showFrame(frame);
    this.save();
  }

  private async showFrame(frame: number): Promise<void> {
    const url = await this.images.urlOf(frame);
    await this.frameView.show(frame, url);
    await this.showOffGrid(frame);
    // The next frame is fetched ahead, so that following playback turns pages without a gap.
    if (frame + 1 < this.view.stream.frameCount) {
      void this.images
        .urlOf(frame + 1)
        .then((next) => {
          const image = new Image();
          image.src = next;
          return image.decode();
        })
        .catch(() => undefined);
    }
  }

  /** The overlay for the frame on screen, when it is on; a map that arrives after the frame changed is dropped. */
  private async showOffGrid(frame: number): Promise<void> {
    if (!this.offGrid) {
      this.frameView.showOffGrid(undefined);
      return;
    }
    try {
      const map = await this.context.client.request('offGridMap', { index: frame });
      if (this.offGrid && frame === this.controller.frame && !this.disposed) this.frameView.showOffGrid(map);
    } catch {
      this.frameView.showOffGrid(undefined);
    }
  }

  private stateChanged(state: PlaybackState): void {
    this.transport.render(state);
    const pixel = state.sounding && state.sounding.frame === state.frame ? state.sounding.pixel : undefined;
    if (pixel !== this.shownPlayhead || !state.playing) {
      this.shownPlayhead = pixel;
      this.frameView.showPlayhead(pixel, state.playing);
    }
    const now = Date.now();
    if (!state.playing || now - this.lastSaved > SAVE_INTERVAL_MS) this.save();
  }

  private setZoom(level: ZoomLevel): void {
    this.zoom = level;
    this.toolbar.showZoom(level);
    this.frameView.setZoom(level);
    this.save();
  }

  private save(): void {
    this.lastSaved = Date.now();
    const state = this.controller.state;
    const saved: ViewState = { document: documentKey(this.view), frame: this.controller.frame, zoom: this.zoom, time: state.time, loop: state.loop, volume: state.volume, follow: this.controller.follow, offGrid: this.offGrid };
    this.context.store.setState(saved);
  }

  private key(event: KeyboardEvent): void {
    // Focus inside a toolkit control's shadow root is retargeted to the control itself.
    const targetTag = (event.target as Element | null)?.tagName;
    const action = actionForKey({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, targetTag });
    if (!action) return;
    event.preventDefault();
    this.perform(action);
  }

  private perform(action: KeyAction): void {
    const last = this.view.stream.frameCount - 1;
    switch (action) {
      case 'togglePlay':
        void this.controller.togglePlay();
        break;
      case 'previousFrame':
        this.navigate(() => this.controller.step(-1));
        break;
      case 'nextFrame':
        this.navigate(() => this.controller.step(1));
        break;
      case 'firstFrame':
        this.navigate(() => this.controller.goToFrame(0));
        break;
      case 'lastFrame':
        this.navigate(() => this.controller.goToFrame(last));
        break;
      case 'zoomIn':
        this.setZoom(zoomIn(this.zoom, this.frameView.imageExtent, this.frameView.viewExtent));
        break;
      case 'zoomOut':
        this.setZoom(zoomOut(this.zoom, this.frameView.imageExtent, this.frameView.viewExtent));
        break;
    }
  }
}
