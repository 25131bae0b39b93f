/**
 * The waveform of the clip being played, a lane a channel (left above right): each pixel column a
 * bar from the lowest to the highest sample under it, the playhead across the lanes, click or keys
 * to seek (views/audioPanel.ts is its whole interface). The peaks are computed on the page's thread in slices of at most SLICE_SAMPLES, one
 * task each, so a 10-minute clip's 26 million samples never hold the page for long.
 */
import { Disposable, toDisposable } from '../../shared/disposable';
import { h, observeSize } from '../dom';
import { barRows, laneRows, waveformPeaks } from '../spectrum/mapping';
import type { AudioPanel, AudioPanelOptions, PlayPosition, ShownAudio } from './audioPanel';
import { TimeStrip } from './timeStrip';
import { t } from '../l10n';

const SLICE_SAMPLES = 1 << 20;

export class WaveformPanel extends Disposable implements AudioPanel {
  readonly element: HTMLElement;
  private readonly strip: TimeStrip;
  private readonly message: HTMLElement;
  private audio: ShownAudio | undefined;
  private drawn = { width: 0, height: 0, audio: undefined as ShownAudio | undefined };
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AudioPanelOptions) {
    super();
    this.message = h('div', { class: 'strip-message' }, t('Waiting for the audio…'));
    this.strip = this.register(new TimeStrip(t('Waveform: position. Click, or use the arrow keys, to play from a time.'), options.seek, this.message));
    this.strip.element.id = 'waveform';
    this.element = h('section', { class: 'audio-panel waveform-panel', 'aria-label': t('Waveform') }, this.strip.element);
    this.register(observeSize(this.strip.canvas, () => this.draw()));
    // VS Code marks the theme on the body's class: the bars' colour is the theme's.
    const themes = new MutationObserver(() => this.draw(true));
    themes.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.register(toDisposable(() => themes.disconnect()));
    this.register(toDisposable(() => this.stop()));
  }

  showAudio(audio: ShownAudio): void {
    this.audio = audio;
    this.message.hidden = true;
    this.strip.setDuration(audio.duration);
    this.draw();
  }

  showUnavailable(reason: string): void {
    this.stop();
    this.audio = undefined;
    this.message.hidden = false;
    this.message.textContent = reason;
  }

  playbackChanged(position: PlayPosition): void {
    this.strip.setTime(position.time);
  }

  private stop(): void {
    if (this.pending !== undefined) clearTimeout(this.pending);
    this.pending = undefined;
  }

  /** Draws again when the size or the clip changed (or always, for a new theme). */
  private draw(always = false): void {
    const audio = this.audio;
    const { width, height } = this.strip.pixelSize;
    if (!audio || width === 0 || height === 0) return;
    if (!always && this.drawn.audio === audio && this.drawn.width === width && this.drawn.height === height) return;
    this.stop();
    this.drawn = { width, height, audio };
    const canvas = this.strip.canvas;
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return;
    context.fillStyle = getComputedStyle(canvas).color;
    const lanes = laneRows(height, audio.channels.length).map((lane, channel) => ({
      ...lane,
      samples: audio.channels[channel],
      min: new Float32Array(width),
      max: new Float32Array(width),
    }));
    this.strip.setLanes(audio.channels.length, height);
    const total = lanes.reduce((sum, lane) => sum + lane.samples.length, 0);
    const columnsPerSlice = Math.max(1, Math.floor((SLICE_SAMPLES * width) / Math.max(1, total)));
    let x = 0;
    const slice = () => {
      this.pending = undefined;
      const first = x;
      x = Math.min(width, x + columnsPerSlice);
      for (const lane of lanes) {
        waveformPeaks(lane.samples, width, lane.min, lane.max, first, x);
        for (let column = first; column < x; column++) {
          const bar = barRows(lane.min[column], lane.max[column], lane);
          context.fillRect(column, bar.y, 1, bar.rows);
        }
      }
      if (x < width) this.pending = setTimeout(slice, 0);
      else {
        canvas.dataset.drawn = String(width);
        performance.mark('resonance:waveform-drawn');
      }
    };
    slice();
  }
}
