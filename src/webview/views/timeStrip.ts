/**
 * The part the waveform and the spectrogram share: a canvas across the clip's time, a playhead
 * line on it, and seeking by click, drag or keys. Focusable, with the slider role, so screen
 * readers announce it as a position with its time, as they do the transport's seek slider.
 */
import { Disposable } from '../../shared/disposable';
import { h } from '../dom';
import { formatTime } from '../../shared/units';
import { timeAtX, timeForKey, xOfTime } from '../spectrum/mapping';
import { t } from '../l10n';

export class TimeStrip extends Disposable {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly playhead: HTMLElement;
  private duration = 0;
  private time = 0;

  constructor(label: string, seek: (seconds: number) => void, ...overlays: HTMLElement[]) {
    super();
    this.canvas = h('canvas', { class: 'strip-canvas', 'aria-hidden': 'true' });
    this.playhead = h('div', { class: 'strip-playhead', 'aria-hidden': 'true' });
    this.element = h(
      'div',
      { class: 'time-strip', role: 'slider', tabindex: 0, 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 0, 'aria-valuenow': 0 },
      this.canvas,
      ...overlays,
      this.playhead,
    );
    const seekAt = (event: PointerEvent) => {
      const box = this.element.getBoundingClientRect();
      seek(timeAtX(event.clientX - box.left, box.width, this.duration));
    };
    this.element.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || this.duration <= 0) return;
      this.element.setPointerCapture(event.pointerId);
      seekAt(event);
    });
    this.element.addEventListener('pointermove', (event) => {
      if (this.element.hasPointerCapture(event.pointerId)) seekAt(event);
    });
    this.element.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || this.duration <= 0) return;
      const target = timeForKey(event.key, this.time, this.duration);
      if (target === undefined) return;
      // The editor's own keys (← → step frames, Home and End) are the strip's while it has focus.
      event.preventDefault();
      event.stopPropagation();
      seek(target);
    });
  }

  /** The canvas's size in device pixels: the columns worth computing. */
  get pixelSize(): { width: number; height: number } {
    const ratio = window.devicePixelRatio || 1;
    return { width: Math.round(this.canvas.clientWidth * ratio), height: Math.round(this.canvas.clientHeight * ratio) };
  }

  setDuration(duration: number): void {
    this.duration = duration;
    this.element.setAttribute('aria-valuemax', String(duration));
    this.setTime(Math.min(this.time, duration));
  }

  setTime(time: number): void {
    this.time = time;
    this.playhead.hidden = this.duration <= 0;
    // A fraction of the width, so that a resize needs no redraw of the playhead.
    this.playhead.style.left = `${(xOfTime(time, this.duration, 1) * 100).toFixed(4)}%`;
    this.element.setAttribute('aria-valuenow', String(time));
    this.element.setAttribute('aria-valuetext', t('{0} of {1}', formatTime(time), formatTime(this.duration)));
  }
}
