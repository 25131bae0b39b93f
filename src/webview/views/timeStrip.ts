/**
 * The part the waveform and the spectrogram share: a canvas across the clip's time, a playhead
 * line on it, and seeking by click, drag or keys. Focusable, with the slider role, so screen
 * readers announce it as a position with its time, as they do the transport's seek slider.
 */
import { Disposable } from '../../shared/disposable';
import { h } from '../dom';
import { formatTime } from '../../shared/units';
import { laneRows, MAX_LANES, timeAtX, timeForKey, xOfTime } from '../spectrum/mapping';
import { t } from '../l10n';

/** What a lane is called on the strip (short) and to a screen reader (long), by the clip's channel count. */
function laneNames(channels: number): Array<{ short: string; long: string }> {
  if (channels === 1) return [{ short: '', long: t('mono') }];
  if (channels === 2) {
    return [
      { short: t('L'), long: t('left') },
      { short: t('R'), long: t('right') },
    ];
  }
  return Array.from({ length: Math.min(channels, MAX_LANES) }, (_, c) => ({ short: String(c + 1), long: t('channel {0}', c + 1) }));
}

let described = 0;

export class TimeStrip extends Disposable {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly playhead: HTMLElement;
  private readonly lanes: HTMLElement;
  private readonly description: HTMLElement;
  private duration = 0;
  private time = 0;

  constructor(label: string, seek: (seconds: number) => void, ...overlays: HTMLElement[]) {
    super();
    this.canvas = h('canvas', { class: 'strip-canvas', 'aria-hidden': 'true' });
    this.playhead = h('div', { class: 'strip-playhead', 'aria-hidden': 'true' });
    this.lanes = h('div', { class: 'strip-lanes', 'aria-hidden': 'true' });
    this.description = h('span', { class: 'sr-only', id: `strip-lanes-${++described}` });
    this.element = h(
      'div',
      {
        class: 'time-strip',
        role: 'slider',
        tabindex: 0,
        'aria-label': label,
        'aria-describedby': this.description.id,
        'aria-valuemin': 0,
        'aria-valuemax': 0,
        'aria-valuenow': 0,
      },
      this.canvas,
      this.lanes,
      ...overlays,
      this.playhead,
      this.description,
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

  /**
   * A lane per channel (spectrum/mapping.ts's laneRows, for the canvas's `height` in device pixels),
   * each named on the strip (L, R) and all of them in the slider's description; the playhead and
   * the seeking cross every lane. The panels call it as they draw, when the height is known.
   */
  setLanes(channels: number, height: number): void {
    const names = laneNames(channels);
    const rows = laneRows(height, names.length);
    const percent = (row: number) => `${((100 * row) / height).toFixed(3)}%`;
    const parts: HTMLElement[] = [];
    rows.forEach(({ top }, lane) => {
      if (lane > 0) {
        const above = rows[lane - 1];
        const gap = h('div', { class: 'strip-lane-gap' });
        Object.assign(gap.style, { top: percent(above.top + above.rows), height: percent(top - above.top - above.rows) });
        parts.push(gap);
      }
      const label = h('span', { class: 'strip-lane-label' }, names[lane].short);
      label.style.top = percent(top);
      parts.push(label);
    });
    this.lanes.replaceChildren(...(rows.length > 1 ? parts : []));
    this.element.dataset.lanes = String(rows.length);
    const shown = channels > rows.length ? t(' (the first {0} of {1} channels)', rows.length, channels) : '';
    const list = names.slice(0, rows.length).map((name) => name.long);
    this.description.textContent = rows.length > 1 ? t('{0} lanes, top to bottom: {1}{2}.', rows.length, list.join(', '), shown) : '';
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
