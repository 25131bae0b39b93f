/**
 * Time ↔ pixel: which data pixel of which frame is sounding at a time, where that pixel is drawn in
 * the frame image, and the time a clicked image point stands for. The sample ↔ data-pixel step is
 * the codec's own Layout, so the playhead follows whatever layout wrote the frames.
 */
import { gridOf, type Grid } from '../codec/geometry';
import { layoutOf, type PixelLocation } from '../codec/layout';
import type { StreamInfo } from '../codec/manifest';

export interface Size {
  width: number;
  height: number;
}

/** A rectangle in image pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Sounding extends PixelLocation {
  sample: number;
}

/** Sample frames in the audio: every channel's sample once each. */
export function sampleCount(stream: StreamInfo): number {
  return Math.floor(stream.dataLength / stream.audio.blockAlign);
}

export function durationOf(stream: StreamInfo): number {
  return sampleCount(stream) / stream.audio.sampleRate;
}

/** Times read back from a media element can sit a hair below the sample they were set to. */
const TIME_EPSILON_SAMPLES = 1e-6;

export function sampleAtTime(stream: StreamInfo, time: number): number {
  const last = sampleCount(stream) - 1;
  const sample = Math.floor(time * stream.audio.sampleRate + TIME_EPSILON_SAMPLES);
  return Math.max(0, Math.min(last, sample));
}

/** The data pixel sounding at `time`, or undefined when there is no audio at all. */
export function soundingAt(stream: StreamInfo, time: number): Sounding | undefined {
  if (sampleCount(stream) === 0 || !Number.isFinite(time)) return undefined;
  const sample = sampleAtTime(stream, time);
  return { sample, ...layoutOf(stream.layout).locateSample(sample, gridOf(stream.geometry), stream.audio) };
}

/**
 * The time at which a data pixel starts sounding; a pixel past the end of the audio (the padding of
 * the last frame) gives the time of the last sample.
 */
export function timeOfPixel(stream: StreamInfo, location: PixelLocation): number {
  const sample = layoutOf(stream.layout).sampleAt(location, gridOf(stream.geometry), stream.audio);
  return Math.max(0, Math.min(sample, sampleCount(stream) - 1)) / stream.audio.sampleRate;
}

export function frameStartTime(stream: StreamInfo, frame: number): number {
  return timeOfPixel(stream, { frame, pixel: 0 });
}

/**
 * Where each of `cells` data pixels starts along an image side of `size` pixels, plus the end. At
 * the geometry's own size that is every `expansion` pixels; frames of another size (resized by a
 * model) are read block by block the same way the codec reduces them.
 */
export function blockEdges(size: number, cells: number): number[] {
  const edges: number[] = [];
  for (let i = 0; i <= cells; i++) edges.push(Math.floor((i * size) / cells));
  for (let i = 1; i <= cells; i++) if (edges[i] <= edges[i - 1]) edges[i] = Math.min(edges[i - 1] + 1, size);
  for (let i = cells - 1; i >= 0; i--) if (edges[i] >= size) edges[i] = size - 1;
  return edges;
}

/** Maps data pixels to image rectangles and image points back, for one frame size. */
export class PixelGrid {
  readonly grid: Grid;
  private readonly xEdges: number[];
  private readonly yEdges: number[];

  constructor(stream: StreamInfo, readonly imageSize: Size) {
    this.grid = gridOf(stream.geometry);
    this.xEdges = blockEdges(imageSize.width, this.grid.columns);
    this.yEdges = blockEdges(imageSize.height, this.grid.rows);
  }

  get pixelCount(): number {
    return this.grid.columns * this.grid.rows;
  }

  /** The image pixels a data pixel is painted on: one E × E block at the geometry's size. */
  rectOf(pixel: number): Rect {
    const column = pixel % this.grid.columns;
    const row = Math.floor(pixel / this.grid.columns);
    const x = this.xEdges[column];
    const y = this.yEdges[row];
    return { x, y, width: this.xEdges[column + 1] - x, height: this.yEdges[row + 1] - y };
  }

  /** The data pixel under an image point (in image pixels, fractions allowed), or undefined off the image. */
  pixelAt(x: number, y: number): number | undefined {
    if (!(x >= 0 && y >= 0 && x < this.imageSize.width && y < this.imageSize.height)) return undefined;
    const column = lastEdgeAtOrBelow(this.xEdges, Math.floor(x), this.grid.columns);
    const row = lastEdgeAtOrBelow(this.yEdges, Math.floor(y), this.grid.rows);
    return row * this.grid.columns + column;
  }
}

/** The cell whose block holds image coordinate `p`: the last start at or below it. */
function lastEdgeAtOrBelow(edges: number[], p: number, cells: number): number {
  let low = 0;
  let high = cells - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (edges[mid] <= p) low = mid;
    else high = mid - 1;
  }
  return low;
}
