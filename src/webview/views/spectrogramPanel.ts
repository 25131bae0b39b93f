/**
 * The spectrogram of the clip being played, a lane a channel (left above right), computed in the
 * spectrum worker (spectrum/) and drawn column slice by column slice as the worker sends them: a linear or log frequency axis with its
 * labels, a floor for the dB range (the ceiling is full scale, 0 dB), the playhead, click or keys to
 * seek (views/audioPanel.ts is its whole interface, plus its own settings). The page keeps the dB of
 * every pixel, so a new floor repaints at once, without the worker.
 */
import { Disposable, toDisposable } from '../../shared/disposable';
import { h, observeSize } from '../dom';
import {
  FLOOR_RANGE,
  formatHz,
  frequencyTicks,
  laneRows,
  MAX_LANES,
  paintDb,
  rowOfFrequency,
  spectrogramPalette,
  type FrequencyScale,
} from '../spectrum/mapping';
import { SpectrumService, type SpectrumChannel } from '../spectrum/spectrumService';
import type { AudioPanel, AudioPanelOptions, PlayPosition, ShownAudio } from './audioPanel';
import { TimeStrip } from './timeStrip';
import { t } from '../l10n';

const CEILING_DB = 0;

export interface SpectrogramSettings {
  scale: FrequencyScale;
  floorDb: number;
}

export interface SpectrogramPanelOptions extends AudioPanelOptions {
  /** The worker (spectrum/workerChannel.ts), or undefined where none can start. */
  readonly channel: SpectrumChannel | undefined;
  readonly settings: SpectrogramSettings;
  /** The user changed the axis or the floor: the host keeps them with its other settings. */
  settingsChanged?(settings: SpectrogramSettings): void;
}

export class SpectrogramPanel extends Disposable implements AudioPanel {
  readonly element: HTMLElement;
  private readonly strip: TimeStrip;
  private readonly service: SpectrumService | undefined;
  private readonly logBox: HTMLElement & { checked: boolean };
  private readonly floorSlider: HTMLInputElement;
  private readonly floorText: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly message: HTMLElement;
  private readonly palette = spectrogramPalette();
  private settings: SpectrogramSettings;
  private audio: ShownAudio | undefined;
  /** The dB of every pixel last drawn, and the image made of them. */
  private grid: { width: number; height: number; scale: FrequencyScale; audio: ShownAudio; db: Float32Array; image: ImageData } | undefined;

  constructor(private readonly options: SpectrogramPanelOptions) {
    super();
    this.settings = { ...options.settings };
    this.service = options.channel ? new SpectrumService(options.channel) : undefined;
    if (this.service) this.register(this.service);
    const logTitle = t('Space the frequencies by octaves rather than evenly');
    this.logBox = h('vscode-checkbox', { id: 'spectrogram-log', title: logTitle }, t('Log frequency')) as HTMLElement & { checked: boolean };
    this.logBox.addEventListener('change', () => this.change({ scale: this.logBox.checked ? 'log' : 'linear' }));
    const floorId = 'spectrogram-floor';
    const { min, max, step } = FLOOR_RANGE;
    this.floorSlider = h('input', { id: floorId, type: 'range', min, max, step, 'aria-label': t('Spectrogram floor, the quietest level shown') });
    this.floorSlider.addEventListener('input', () => this.change({ floorDb: Number(this.floorSlider.value) }));
    this.floorText = h('span', { class: 'floor-value', 'aria-hidden': 'true' });
    this.axis = h('div', { class: 'frequency-axis', 'aria-hidden': 'true' });
    const waiting = this.service ? t('Waiting for the audio…') : t('The spectrogram cannot be computed here: this page cannot start its worker.');
    this.message = h('div', { class: 'strip-message' }, waiting);
    const label = t('Spectrogram: position. Click, or use the arrow keys, to play from a time.');
    this.strip = this.register(new TimeStrip(label, options.seek, this.axis, this.message));
    this.strip.element.id = 'spectrogram';
    this.element = h(
      'section',
      { class: 'audio-panel spectrogram-panel', 'aria-label': t('Spectrogram') },
      h(
        'div',
        { class: 'panel-controls', role: 'group', 'aria-label': t('Spectrogram settings') },
        h('span', { class: 'panel-title', 'aria-hidden': 'true' }, t('Spectrogram')),
        this.logBox,
        h('label', { class: 'floor', for: floorId }, h('span', {}, t('Floor')), this.floorSlider, this.floorText),
      ),
      this.strip.element,
    );
    this.showSettings();
    this.register(observeSize(this.strip.canvas, () => this.render()));
    this.register(toDisposable(() => (this.grid = undefined)));
  }

  showAudio(audio: ShownAudio): void {
    this.audio = audio;
    this.strip.setDuration(audio.duration);
    if (!this.service) return;
    this.message.hidden = true;
    this.service.setClip(audio.channels.slice(0, MAX_LANES), audio.sampleRate);
    this.render();
  }

  showUnavailable(reason: string): void {
    this.audio = undefined;
    this.message.hidden = false;
    this.message.textContent = reason;
  }

  playbackChanged(position: PlayPosition): void {
    this.strip.setTime(position.time);
  }

  private change(change: Partial<SpectrogramSettings>): void {
    const before = this.settings;
    this.settings = { ...before, ...change };
    this.showSettings();
    this.options.settingsChanged?.(this.settings);
    if (this.settings.scale !== before.scale) this.render();
    else if (this.settings.floorDb !== before.floorDb) this.repaint();
  }

  private showSettings(): void {
    const { scale, floorDb } = this.settings;
    this.logBox.checked = scale === 'log';
    this.floorSlider.value = String(floorDb);
    const text = t('{0} dB', String(floorDb).replace('-', '−'));
    this.floorText.textContent = text;
    this.floorSlider.setAttribute('aria-valuetext', text);
    this.strip.element.dataset.scale = scale;
    this.strip.element.dataset.floor = String(floorDb);
  }

  /** Asks the worker for the picture at the canvas's size; draws the columns as they come. */
  private render(): void {
    const audio = this.audio;
    const service = this.service;
    const { width, height } = this.strip.pixelSize;
    if (!audio || !service || width === 0 || height === 0) return;
    const { scale } = this.settings;
    if (this.grid && this.grid.audio === audio && this.grid.width === width && this.grid.height === height && this.grid.scale === scale) return;
    const canvas = this.strip.canvas;
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return;
    const grid = { width, height, scale, audio, db: new Float32Array(width * height).fill(-Infinity), image: new ImageData(width, height) };
    this.grid = grid;
    this.strip.setLanes(audio.channels.length, height);
    this.showAxis(audio.sampleRate / 2, scale, laneRows(height, audio.channels.length), height);
    delete this.strip.element.dataset.drawn;
    performance.mark('resonance:spectrogram-asked');
    const asked = performance.now();
    void service
      .render({ width, height, scale }, (first, count, db) => {
        for (let y = 0; y < height; y++) grid.db.set(db.subarray(y * count, (y + 1) * count), y * width + first);
        const part = new ImageData(count, height);
        paintDb(db, this.settings.floorDb, CEILING_DB, this.palette, part.data);
        context.putImageData(part, first, 0);
      })
      .then((done) => {
        if (done === undefined || this.grid !== grid) return;
        performance.mark('resonance:spectrogram-drawn');
        performance.measure('resonance:spectrogram', 'resonance:spectrogram-asked', 'resonance:spectrogram-drawn');
        this.strip.element.dataset.drawn = `${width}x${height}`;
        this.strip.element.dataset.drawMs = (performance.now() - asked).toFixed(1);
        this.strip.element.dataset.workerMs = done.milliseconds.toFixed(1);
        this.strip.element.dataset.fftSize = String(done.fftSize);
      });
  }

  /** The same dB, painted over the new range. */
  private repaint(): void {
    const grid = this.grid;
    const context = this.strip.canvas.getContext('2d');
    if (!grid || !context) return;
    paintDb(grid.db, this.settings.floorDb, CEILING_DB, this.palette, grid.image.data);
    context.putImageData(grid.image, 0, 0);
  }

  /** The frequency labels of every lane, where the lane is tall enough for them. */
  private showAxis(nyquist: number, scale: FrequencyScale, lanes: Array<{ top: number; rows: number }>, height: number): void {
    const cssHeight = this.strip.canvas.clientHeight;
    const labels = lanes.flatMap(({ top, rows }) => {
      if ((cssHeight * rows) / height <= 40) return [];
      return frequencyTicks(nyquist, scale).map((hz) => {
        const label = h('span', {}, formatHz(hz));
        label.style.top = `${((100 * (top + (rowOfFrequency(hz, 1000, nyquist, scale) / 1000) * rows)) / height).toFixed(2)}%`;
        return label;
      });
    });
    this.axis.replaceChildren(...labels);
  }
}
