/**
 * The filmstrip: one thumbnail cell per frame along a scrolling strip, but only the cells in view
 * (and a few either side) exist as elements; scrolling moves the window. A 2,000-frame folder costs
 * a spacer element and about twenty thumbnails.
 */
import { Disposable, toDisposable } from '../../shared/disposable';
import type { Integrity } from '../../shared/protocol';
import { frameNumber } from '../../shared/units';
import { h, observeSize } from '../dom';
import { scrollToReveal, visibleCells, type CellRange } from '../filmstripWindow';
import type { FrameImages } from '../frameImages';
import type { EditorContext, Panel } from '../panel';
import { t } from '../l10n';

/** Cell width, gap included; matches `.thumb` in framesEditor.css. */
const CELL_LENGTH = 104;
const OVERSCAN = 4;

export class FilmstripPanel extends Disposable implements Panel {
  readonly element: HTMLElement;
  private readonly count: number;
  private readonly images: FrameImages;
  private readonly onSelect: (frame: number) => void;
  private readonly spacer: HTMLElement;
  private readonly cells = new Map<number, HTMLElement>();
  private current = 0;
  private modified = new Set<number>();
  private range: CellRange = { first: 0, end: 0 };
  /** The animation frame that moves the window, while one is due. */
  private pending: number | undefined;
  /** Thumbnails wait for the editor's first frame: their loads would compete with it. */
  private started = false;
  /** The current frame's thumbnail is to be scrolled into view at the next window move. */
  private revealPending = true;

  constructor(context: EditorContext) {
    super();
    this.count = context.view.stream.frameCount;
    this.images = context.images;
    this.onSelect = (frame) => context.goToFrame(frame);
    this.spacer = h('div', { class: 'strip-spacer', role: 'list', 'aria-label': t('Frames, {0} in all', this.count) });
    this.spacer.style.width = `${this.count * CELL_LENGTH}px`;
    this.element = h('nav', { class: 'filmstrip', 'aria-label': t('Filmstrip') }, this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.register(observeSize(this.element, () => this.schedule()));
    this.register(
      toDisposable(() => {
        if (this.pending !== undefined) cancelAnimationFrame(this.pending);
      }),
    );
  }

  /** Shows thumbnails from now on: the editor calls it once its first frame is on screen. */
  start(): void {
    this.started = true;
    this.schedule();
  }

  /** Marks the frame on screen; its thumbnail is scrolled into view at the next animation frame, without forcing a layout now. */
  frameChanged(frame: number): void {
    this.cells.get(this.current)?.classList.remove('current');
    this.cells.get(this.current)?.removeAttribute('aria-current');
    this.current = frame;
    const cell = this.cells.get(frame);
    cell?.classList.add('current');
    cell?.setAttribute('aria-current', 'true');
    this.revealPending = true;
    this.schedule();
  }

  /** Marks the frames whose checksums differ. */
  integrityChanged(integrity: Integrity | undefined): void {
    if (!integrity) return;
    this.modified = new Set(integrity.modified);
    for (const [index, cell] of this.cells) this.decorate(cell, index);
  }

  private schedule(): void {
    if (this.pending !== undefined) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = undefined;
      this.update();
    });
  }

  private update(): void {
    if (!this.started) return;
    if (this.revealPending) {
      this.revealPending = false;
      const target = scrollToReveal({ scrollOffset: this.element.scrollLeft, viewportLength: this.element.clientWidth, itemLength: CELL_LENGTH }, this.current);
      if (target !== undefined) this.element.scrollLeft = target;
    }
    const range = visibleCells({
      scrollOffset: this.element.scrollLeft,
      viewportLength: this.element.clientWidth,
      itemLength: CELL_LENGTH,
      count: this.count,
      overscan: OVERSCAN,
    });
    if (range.first === this.range.first && range.end === this.range.end) return;
    this.range = range;
    for (const [index, cell] of this.cells) {
      if (index < range.first || index >= range.end) {
        cell.remove();
        this.cells.delete(index);
      }
    }
    for (let index = range.first; index < range.end; index++) if (!this.cells.has(index)) this.addCell(index);
  }

  private addCell(index: number): void {
    const image = h('img', { alt: '', loading: 'lazy', decoding: 'async', draggable: 'false' });
    const cell = h(
      'button',
      { class: 'thumb', type: 'button', role: 'listitem', 'data-frame': index },
      h('span', { class: 'thumb-frame' }, image),
      h('span', { class: 'thumb-label' }, String(frameNumber(index))),
    );
    cell.style.left = `${index * CELL_LENGTH}px`;
    cell.addEventListener('click', () => this.onSelect(index));
    this.decorate(cell, index);
    if (index === this.current) {
      cell.classList.add('current');
      cell.setAttribute('aria-current', 'true');
    }
    this.cells.set(index, cell);
    this.spacer.append(cell);
    this.images.urlOf(index).then(
      (url) => {
        if (this.cells.get(index) === cell) image.src = url;
      },
      () => cell.classList.add('broken'),
    );
  }

  private decorate(cell: HTMLElement, index: number): void {
    const modified = this.modified.has(index);
    cell.classList.toggle('modified', modified);
    cell.setAttribute('aria-label', modified ? t('Frame {0}, modified since it was written', frameNumber(index)) : t('Frame {0}', frameNumber(index)));
    cell.title = modified ? t('Frame {0}: modified since it was written', frameNumber(index)) : t('Frame {0}', frameNumber(index));
  }
}
