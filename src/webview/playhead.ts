/**
 * Time ↔ pixel: which data pixel of which frame is sounding at a time, where that pixel is drawn in
 * the frame image, and the time a clicked image point stands for. The sample ↔ data-pixel step is
 * the codec's own Layout, so the playhead follows whatever layout wrote the frames.
 */
import { cellSpans, gridOf, layoutOf, type Grid, type PixelLocation, type Spans, type StreamInfo } from '../codec/format';

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
function sampleCount(stream: StreamInfo): number {
  return Math.floor(stream.dataLength / stream.audio.blockAlign);
}

export function durationOf(stream: StreamInfo): number {
  return sampleCount(stream) / stream.audio.sampleRate;
}

/** Times read back from a media element can sit a hair below the sample they were set to. */
const TIME_EPSILON_SAMPLES = 1e-6;

function sampleAtTime(stream: StreamInfo, time: number): number {
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
 * Maps data pixels to image rectangles and image points back, for one frame size: one E × E block
 * per data pixel at the geometry's size; frames of another size (resized by a model) by the cells
 * the codec reads them with, so the playhead covers the pixels that decode to the sounding bytes.
 */
export class PixelGrid {
  readonly grid: Grid;
  private readonly xs: Spans;
  private readonly ys: Spans;

  constructor(stream: StreamInfo, readonly imageSize: Size) {
    this.grid = gridOf(stream.geometry);
    this.xs = cellSpans(imageSize.width, this.grid.columns);
    this.ys = cellSpans(imageSize.height, this.grid.rows);
  }

  get pixelCount(): number {
    return this.grid.columns * this.grid.rows;
  }

  /** The image pixels a data pixel is painted on: one E × E block at the geometry's size. */
  rectOf(pixel: number): Rect {
    const column = pixel % this.grid.columns;
    const row = Math.floor(pixel / this.grid.columns);
    const x = this.xs.start[column];
    const y = this.ys.start[row];
    return { x, y, width: this.xs.end[column] - x, height: this.ys.end[row] - y };
  }

  /** The data pixel under an image point (in image pixels, fractions allowed), or undefined off the image. */
  pixelAt(x: number, y: number): number | undefined {
    if (!(x >= 0 && y >= 0 && x < this.imageSize.width && y < this.imageSize.height)) return undefined;
    return cellOf(Math.floor(y), this.imageSize.height, this.grid.rows) * this.grid.columns + cellOf(Math.floor(x), this.imageSize.width, this.grid.columns);
  }
}

/** The cell an image pixel belongs to: the one its centre falls in, as the codec reads frames. */
function cellOf(pixel: number, size: number, cells: number): number {
  return Math.min(cells - 1, Math.floor(((pixel + 0.5) * cells) / size));
}
