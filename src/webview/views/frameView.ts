/**
 * The current frame, large: an <img> scaled by whole steps with `image-rendering: pixelated`, so
 * every image pixel is a sharp square; the playhead box over the data pixel sounding now; a click
 * on a pixel reports which data pixel it was.
 */
import type { StreamInfo } from '../../codec/format';
import type { OffGridView } from '../../shared/protocol';
import { h } from '../dom';
import { paintOffGrid } from '../offGridOverlay';
import { PixelGrid, type Rect, type Size } from '../playhead';
import { scaleOf, type ZoomLevel } from '../zoom';

/** The playhead box is drawn at least this many CSS pixels wide, centred on its pixel, so that it shows at any scale. */
const MIN_PLAYHEAD_BOX = 9;
/** Space kept around the frame inside the stage. */
const STAGE_PADDING = 16;

export class FrameView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly image: HTMLImageElement;
  private readonly playhead: HTMLElement;
  private readonly rowMarker: HTMLElement;
  private readonly overlay: HTMLCanvasElement;
  private grid: PixelGrid;
  private imageSize: Size;
  private zoom: ZoomLevel = 'fit';
  private scale = 1;
  private playheadRect: Rect | undefined;
  /** Bumped per frame shown, so that a slow image for an earlier frame never replaces a later one. */
  private loadToken = 0;

  constructor(
    private readonly stream: StreamInfo,
    frameSize: Size,
    private readonly frameCount: number,
    onPixelClick: (pixel: number) => void,
  ) {
    this.imageSize = frameSize;
    this.grid = new PixelGrid(stream, frameSize);
    this.image = h('img', { class: 'frame', alt: '', draggable: 'false' });
    this.playhead = h('div', { class: 'playhead', hidden: true, 'aria-hidden': 'true' });
    this.rowMarker = h('div', { class: 'playhead-row', hidden: true, 'aria-hidden': 'true' });
    this.overlay = h('canvas', { class: 'off-grid', hidden: true, 'aria-hidden': 'true' });
    this.canvas = h('div', { class: 'canvas' }, this.image, this.overlay, this.rowMarker, this.playhead);
    this.element = h('section', { class: 'stage', tabindex: 0, 'aria-label': 'Frame. Click a pixel to play from there.' }, this.canvas);
    this.image.addEventListener('click', (event) => {
      const pixel = this.grid.pixelAt(event.offsetX / this.scale, event.offsetY / this.scale);
      if (pixel !== undefined) onPixelClick(pixel);
    });
    new ResizeObserver(() => this.layout()).observe(this.element);
  }

  /** Shows frame `index` from `url` once it has loaded; resolves then (or when it fails). */
  show(index: number, url: string): Promise<void> {
    const token = ++this.loadToken;
    const next = new Image();
    next.decoding = 'async';
    next.src = url;
    return next.decode().then(
      () => {
        if (token !== this.loadToken) return;
        this.image.src = url;
        this.image.alt = `Frame ${index + 1} of ${this.frameCount}`;
        this.image.dataset.frame = String(index);
        this.image.classList.remove('broken');
        const size = { width: next.naturalWidth, height: next.naturalHeight };
        if (size.width !== this.imageSize.width || size.height !== this.imageSize.height) {
          this.imageSize = size;
          this.grid = new PixelGrid(this.stream, size);
        }
        this.layout();
      },
      () => {
        if (token !== this.loadToken) return;
        this.image.removeAttribute('src');
        this.image.alt = `Frame ${index + 1} could not be loaded`;
        this.image.classList.add('broken');
      },
    );
  }

  /** Veils the uniform blocks of the frame on screen so the off-grid ones stand out, or hides the overlay. */
  showOffGrid(offGrid: OffGridView | undefined): void {
    this.overlay.hidden = !offGrid;
    if (!offGrid) return;
    this.overlay.width = this.imageSize.width;
    this.overlay.height = this.imageSize.height;
    const context = this.overlay.getContext('2d');
    this.overlay.dataset.offGridBlocks = String(context ? paintOffGrid(context, offGrid, this.grid) : 0);
  }

  setZoom(level: ZoomLevel): void {
    this.zoom = level;
    this.layout();
  }

  /** The frame image's own size, in image pixels. */
  get imageExtent(): Size {
    return this.imageSize;
  }

  /** The room the stage has for the frame, in CSS pixels. */
  get viewExtent(): Size {
    return { width: this.element.clientWidth - 2 * STAGE_PADDING, height: this.element.clientHeight - 2 * STAGE_PADDING };
  }

  /** Puts the playhead on a data pixel of the frame on screen, or hides it. */
  showPlayhead(pixel: number | undefined, reveal: boolean): void {
    this.playheadRect = pixel === undefined ? undefined : this.grid.rectOf(pixel);
    this.placePlayhead();
    if (reveal && this.playheadRect) this.reveal(this.playheadRect);
  }

  private layout(): void {
    this.scale = scaleOf(this.zoom, this.imageSize, this.viewExtent);
    const width = Math.max(1, Math.round(this.imageSize.width * this.scale));
    const height = Math.max(1, Math.round(this.imageSize.height * this.scale));
    this.image.style.width = `${width}px`;
    this.image.style.height = `${height}px`;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.overlay.style.width = `${width}px`;
    this.overlay.style.height = `${height}px`;
    this.element.dataset.scale = String(this.scale);
    this.placePlayhead();
  }

  private placePlayhead(): void {
    const rect = this.playheadRect;
    this.playhead.hidden = !rect;
    this.rowMarker.hidden = !rect;
    if (!rect) return;
    const s = this.scale;
    const width = Math.max(rect.width * s, MIN_PLAYHEAD_BOX);
    const height = Math.max(rect.height * s, MIN_PLAYHEAD_BOX);
    const left = rect.x * s + (rect.width * s - width) / 2;
    const top = rect.y * s + (rect.height * s - height) / 2;
    Object.assign(this.playhead.style, { left: `${left}px`, top: `${top}px`, width: `${width}px`, height: `${height}px` });
    Object.assign(this.rowMarker.style, { top: `${rect.y * s}px`, height: `${Math.max(1, rect.height * s)}px` });
  }

  /** Scrolls a zoomed frame so that the playhead stays in view while it plays. */
  private reveal(rect: Rect): void {
    const s = this.scale;
    const x = this.canvas.offsetLeft + rect.x * s;
    const y = this.canvas.offsetTop + rect.y * s;
    const { scrollLeft, scrollTop, clientWidth, clientHeight } = this.element;
    const outside = x < scrollLeft || y < scrollTop || x + rect.width * s > scrollLeft + clientWidth || y + rect.height * s > scrollTop + clientHeight;
    if (outside) this.element.scrollTo({ left: x - clientWidth / 2, top: y - clientHeight / 2 });
  }
}
