/**
 * The clips as a virtualised grid: only the rows in view (and one each side) exist as DOM, so a
 * dataset of 100,000 images lays out as fast as ten; the thumbnails are the image files themselves
 * (webview URLs under the gallery's folder). One tab stop: the grid has the focus and names the
 * selected cell by aria-activedescendant; the keys are the actions table's.
 */
import { observeSize } from '../dom';
import { t } from '../l10n';
import { PixelGrid, soundingAt } from '../playhead';
import { Disposable } from '../../shared/disposable';
import { galleryActionForKey, runGalleryAction } from './galleryActions';
import type { GalleryContext, GalleryPanel, GalleryPlayback } from './galleryPanel';

const CELL_WIDTH = 156;
const CELL_HEIGHT = 196;

export class GridPanel extends Disposable implements GalleryPanel {
  readonly element: HTMLElement;
  private readonly sizer: HTMLElement;
  columns = 1;
  private drawn = new Map<number, HTMLElement>();
  private frame = 0;
  private firstImageMarked = false;
  private playback: GalleryPlayback | undefined;

  constructor(private readonly context: GalleryContext) {
    super();
    this.element = document.createElement('div');
    this.element.className = 'gallery-grid';
    this.element.id = 'gallery-grid';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', t('Clips'));
    this.element.setAttribute('aria-multiselectable', 'false');
    this.sizer = document.createElement('div');
    this.sizer.className = 'gallery-sizer';
    this.element.append(this.sizer);
    this.element.addEventListener('scroll', () => this.schedule());
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('click', (event) => this.onClick(event));
    this.register(observeSize(this.element, () => this.layout()));
    this.register({ dispose: () => cancelAnimationFrame(this.frame) });
  }

  modelChanged(): void {
    this.schedule();
  }

  playbackChanged(playback: GalleryPlayback): void {
    this.playback = playback;
    for (const [position, cell] of this.drawn) this.drawPlayhead(position, cell);
  }

  /** Scrolls the selected clip into view and focuses the grid. */
  reveal(position: number): void {
    const row = Math.floor(position / this.columns);
    const top = row * CELL_HEIGHT;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + CELL_HEIGHT > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = top + CELL_HEIGHT - this.element.clientHeight;
    this.schedule();
  }

  private layout(): void {
    this.columns = Math.max(1, Math.floor(this.element.clientWidth / CELL_WIDTH));
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { model } = this.context;
    const rows = Math.ceil(model.total / this.columns);
    this.sizer.style.height = `${rows * CELL_HEIGHT}px`;
    this.element.setAttribute('aria-rowcount', String(rows));
    this.element.setAttribute('aria-colcount', String(this.columns));
    const firstRow = Math.max(0, Math.floor(this.element.scrollTop / CELL_HEIGHT) - 1);
    const lastRow = Math.min(rows - 1, Math.ceil((this.element.scrollTop + this.element.clientHeight) / CELL_HEIGHT) + 1);
    const from = firstRow * this.columns;
    const to = Math.min(model.total - 1, (lastRow + 1) * this.columns - 1);
    void model.ensure(from, to);
    for (const [position, cell] of this.drawn) {
      if (position < from || position > to) {
        cell.remove();
        this.drawn.delete(position);
      }
    }
    for (let position = from; position <= to; position++) this.drawCell(position);
    const selected = this.drawn.get(model.selected);
    if (selected) this.element.setAttribute('aria-activedescendant', selected.id);
    else this.element.removeAttribute('aria-activedescendant');
  }

  private drawCell(position: number): void {
    const { model, view, decoded } = this.context;
    const item = model.itemAt(position);
    let cell = this.drawn.get(position);
    const key = item ? String(item.index) : '';
    if (!cell || cell.dataset.index !== key) {
      cell?.remove();
      cell = document.createElement('div');
      cell.className = 'gallery-cell';
      cell.id = `clip-${position}`;
      cell.dataset.position = String(position);
      cell.dataset.index = key;
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-rowindex', String(Math.floor(position / this.columns) + 1));
      cell.setAttribute('aria-colindex', String((position % this.columns) + 1));
      cell.style.transform = `translate(${(position % this.columns) * CELL_WIDTH}px, ${Math.floor(position / this.columns) * CELL_HEIGHT}px)`;
      const thumb = document.createElement('div');
      thumb.className = 'gallery-thumb';
      if (item) {
        const image = document.createElement('img');
        image.alt = '';
        image.decoding = 'async';
        image.draggable = false;
        image.addEventListener('load', () => this.firstImage(), { once: true });
        image.src = view.baseUrl + item.path;
        const playhead = document.createElement('div');
        playhead.className = 'gallery-playhead';
        playhead.hidden = true;
        const frame = document.createElement('div');
        frame.className = 'gallery-image';
        frame.append(image, playhead);
        thumb.append(frame);
      }
      const name = document.createElement('div');
      name.className = 'gallery-name';
      const details = document.createElement('div');
      details.className = 'gallery-details';
      cell.append(thumb, name, details);
      this.sizer.append(cell);
      this.drawn.set(position, cell);
    }
    const name = cell.querySelector<HTMLElement>('.gallery-name')!;
    const details = cell.querySelector<HTMLElement>('.gallery-details')!;
    name.textContent = item ? item.name : t('Loading…');
    name.title = item?.name ?? '';
    const audio = item ? decoded.get(item.index) : undefined;
    const parts: string[] = [];
    if (item?.source !== undefined) parts.push(item.startSeconds !== undefined ? t('{0} at {1}', item.source, seconds(item.startSeconds)) : item.source);
    const duration = audio?.durationSeconds ?? item?.durationSeconds;
    if (duration !== undefined) parts.push(seconds(duration));
    if (audio) parts.push(t('peak {0}, RMS {1} dBFS', db(audio.peakDb), db(audio.rmsDb)));
    details.textContent = parts.join(' · ');
    const marked = model.isMarked(position);
    cell.classList.toggle('selected', position === model.selected);
    cell.classList.toggle('marked', marked);
    cell.classList.toggle('playing', position === this.playback?.position);
    cell.setAttribute('aria-selected', String(position === model.selected));
    cell.setAttribute('aria-label', [item?.name ?? t('Loading…'), marked ? t('marked') : '', ...parts].filter(Boolean).join(', '));
    this.drawPlayhead(position, cell);
  }

  /** The pixels sounding now, on the playing clip's thumbnail: where the codec's layout puts the sample. */
  private drawPlayhead(position: number, cell: HTMLElement): void {
    const line = cell.querySelector<HTMLElement>('.gallery-playhead');
    const image = cell.querySelector<HTMLImageElement>('img');
    const playback = this.playback;
    if (!line || !image) return;
    if (!playback?.audio || playback.position !== position || !image.naturalWidth) {
      line.hidden = true;
      return;
    }
    const sounding = soundingAt(playback.audio.stream, playback.time);
    if (!sounding) return;
    const rect = new PixelGrid(playback.audio.stream, { width: image.naturalWidth, height: image.naturalHeight }).rectOf(sounding.pixel);
    line.hidden = false;
    // The row sounding, across the image: one pixel alone is too small to see at thumbnail size.
    line.style.top = `${(rect.y / image.naturalHeight) * 100}%`;
    line.style.height = `max(2px, ${(rect.height / image.naturalHeight) * 100}%)`;
  }

  private firstImage(): void {
    if (this.firstImageMarked) return;
    this.firstImageMarked = true;
    performance.mark('resonance:first-image');
  }

  private onKey(event: KeyboardEvent): void {
    const id = galleryActionForKey(event.key, event.ctrlKey || event.metaKey || event.altKey);
    if (!id) return;
    event.preventDefault();
    runGalleryAction(id, this.context.target);
  }

  private onClick(event: MouseEvent): void {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('.gallery-cell');
    if (!cell) return;
    const position = Number(cell.dataset.position);
    this.element.focus();
    if (event.shiftKey || event.ctrlKey || event.metaKey) {
      this.context.model.select(position);
      runGalleryAction('toggleMark', this.context.target);
      return;
    }
    this.context.target.selectAndPlay(position);
  }
}

export function seconds(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} s`;
}

function db(value: number | null): string {
  return value === null ? '−∞' : value.toFixed(1);
}
