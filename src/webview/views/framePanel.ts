/**
 * The current frame, large: an <img> scaled by whole steps with `image-rendering: pixelated`, so
 * every image pixel is a sharp square; the playhead box over the data pixel sounding now; the
 * off-grid overlay when it is on; a click on a pixel seeks to the time it starts sounding.
 */
import type { StreamInfo } from '../../codec/format';
import { Disposable } from '../../shared/disposable';
import type { OffGridView } from '../../shared/protocol';
import { frameNumber } from '../../shared/units';
import { decodeAhead, h, observeSize } from '../dom';
import type { FrameImages } from '../frameImages';
import { paintOffGrid } from '../offGridOverlay';
import type { EditorContext, EditorSettings, Panel } from '../panel';
import type { PlaybackState } from '../playback';
import { PixelGrid, type Rect, type Size } from '../playhead';
import { scaleOf, type ZoomLevel } from '../zoom';
import { t } from '../l10n';

/** The playhead box is drawn at least this many CSS pixels wide, centred on its pixel, so that it shows at any scale. */
const MIN_PLAYHEAD_BOX = 9;
/** Space kept around the frame inside the stage. */
const STAGE_PADDING = 16;

export class FramePanel extends Disposable implements Panel {
  readonly element: HTMLElement;
  private readonly stream: StreamInfo;
  private readonly frameCount: number;
  private readonly images: FrameImages;
  private readonly offGridMap: (frame: number) => Promise<OffGridView>;
  private readonly canvas: HTMLElement;
  private readonly image: HTMLImageElement;
  private readonly playhead: HTMLElement;
  private readonly rowMarker: HTMLElement;
  private readonly overlay: HTMLCanvasElement;
  private grid: PixelGrid;
  private imageSize: Size;
  private zoom: ZoomLevel = 'fit';
  private offGrid = false;
  private scale = 1;
  private playheadRect: Rect | undefined;
  /** The data pixel the playhead was last put on: while playing, it is put again only when that changes. */
  private shownPlayhead: number | undefined;
  /** The frame on screen, or on its way there. */
  private frame: number | undefined;
  private showing: Promise<void> = Promise.resolve();
  /** Bumped per frame shown, so that a slow image for an earlier frame never replaces a later one. */
  private loadToken = 0;

  constructor(context: EditorContext) {
    super();
    const { view, playback } = context;
    this.stream = view.stream;
    this.frameCount = view.stream.frameCount;
    this.images = context.images;
    this.offGridMap = (frame) => context.offGridMap(frame);
    this.imageSize = view.frameSize;
    this.grid = new PixelGrid(view.stream, view.frameSize);
    this.image = h('img', { class: 'frame', alt: '', draggable: 'false' });
    this.playhead = h('div', { class: 'playhead', hidden: true, 'aria-hidden': 'true' });
    this.rowMarker = h('div', { class: 'playhead-row', hidden: true, 'aria-hidden': 'true' });
    this.overlay = h('canvas', { class: 'off-grid', hidden: true, 'aria-hidden': 'true' });
    this.canvas = h('div', { class: 'canvas' }, this.image, this.overlay, this.rowMarker, this.playhead);
    this.element = h('section', { class: 'stage', tabindex: 0, 'aria-label': t('Frame. Click a pixel to play from there.') }, this.canvas);
    this.image.addEventListener('click', (event) => {
      const pixel = this.grid.pixelAt(event.offsetX / this.scale, event.offsetY / this.scale);
      if (pixel !== undefined) playback.seekToPixel(pixel);
    });
    this.register(observeSize(this.element, () => this.layout()));
  }

  /** The frame image's own size, in image pixels. */
  get imageExtent(): Size {
    return this.imageSize;
  }

  /** The room the stage has for the frame, in CSS pixels. */
  get viewExtent(): Size {
    return { width: this.element.clientWidth - 2 * STAGE_PADDING, height: this.element.clientHeight - 2 * STAGE_PADDING };
  }

  /** Resolves once the frame last asked for is on screen (or failed to load). */
  whenShown(): Promise<void> {
    return this.showing;
  }

  frameChanged(frame: number): void {
    this.frame = frame;
    this.showing = this.showFrame(frame);
  }

  playbackChanged(state: PlaybackState): void {
    const pixel = state.sounding && state.sounding.frame === state.frame ? state.sounding.pixel : undefined;
    if (pixel === this.shownPlayhead && state.playing) return;
    this.shownPlayhead = pixel;
    this.showPlayhead(pixel, state.playing);
  }

  settingsChanged(settings: EditorSettings): void {
    if (settings.zoom !== this.zoom) {
      this.zoom = settings.zoom;
      this.layout();
    }
    if (settings.offGrid !== this.offGrid) {
      this.offGrid = settings.offGrid;
      if (this.frame !== undefined) void this.showOffGridOf(this.frame);
    }
  }

  private async showFrame(frame: number): Promise<void> {
    const url = await this.images.urlOf(frame);
    await this.show(frame, url);
    await this.showOffGridOf(frame);
    // The next frame is fetched ahead, so that following playback turns pages without a gap.
    if (frame + 1 < this.frameCount) {
      this.images.urlOf(frame + 1).then(decodeAhead, () => undefined);
    }
  }

  /** The overlay for the frame on screen, when it is on; a map that arrives after the frame changed is dropped. */
  private async showOffGridOf(frame: number): Promise<void> {
    if (!this.offGrid) {
      this.showOffGrid(undefined);
      return;
    }
    try {
      const map = await this.offGridMap(frame);
      if (this.offGrid && frame === this.frame && !this.isDisposed) this.showOffGrid(map);
    } catch {
      this.showOffGrid(undefined);
    }
  }

  /** Shows frame `index` from `url` once it has loaded; resolves then (or when it fails). */
  private show(index: number, url: string): Promise<void> {
    const token = ++this.loadToken;
    const next = new Image();
    next.decoding = 'async';
    next.src = url;
    return next.decode().then(
      () => {
        if (token !== this.loadToken) return;
        this.image.src = url;
        this.image.alt = t('Frame {0} of {1}', frameNumber(index), this.frameCount);
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
        this.image.alt = t('Frame {0} could not be loaded', frameNumber(index));
        this.image.classList.add('broken');
      },
    );
  }

  /** Veils the uniform blocks of the frame on screen so the off-grid ones stand out, or hides the overlay. */
  private showOffGrid(offGrid: OffGridView | undefined): void {
    this.overlay.hidden = !offGrid;
    if (!offGrid) return;
    this.overlay.width = this.imageSize.width;
    this.overlay.height = this.imageSize.height;
    const context = this.overlay.getContext('2d');
    this.overlay.dataset.offGridBlocks = String(context ? paintOffGrid(context, offGrid, this.grid) : 0);
  }

  /** Puts the playhead on a data pixel of the frame on screen, or hides it. */
  private showPlayhead(pixel: number | undefined, reveal: boolean): void {
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
