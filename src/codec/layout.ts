/**
 * Layouts: how a frame's share of the WAV's data bytes is arranged in its data pixels, and where a
 * given sample sits. Pure, with no Node imports: the webview uses the same mapping for its playhead.
 */
import type { AudioFormat } from './audioFormat';
import { gridBytes, type Grid } from './geometry';

export type LayoutName = 'bytes';
export const LAYOUT_NAMES: readonly LayoutName[] = ['bytes'];

export interface Layout {
  readonly name: LayoutName;
  /** How many data bytes one frame holds. */
  bytesPerFrame(grid: Grid, format: AudioFormat): number;
  /** The frame's pixel bytes (3 · columns · rows) for `data`, at most bytesPerFrame long; zero beyond it. */
  pack(data: Uint8Array, grid: Grid, format: AudioFormat): Uint8Array;
  /** The data bytes (bytesPerFrame) a frame's pixel bytes hold. */
  unpack(pixels: Uint8Array, grid: Grid, format: AudioFormat): Uint8Array;
  /** Where sample frame `sample` of the whole audio begins: its frame, and its data pixel (row by row). */
  locateSample(sample: number, grid: Grid, format: AudioFormat): PixelLocation;
  /** The first sample frame that begins in or after a data pixel. */
  sampleAt(location: PixelLocation, grid: Grid, format: AudioFormat): number;
}

export interface PixelLocation {
  frame: number;
  /** Index of the data pixel in its frame's grid, row by row. */
  pixel: number;
}

/** `bytes`: the data chunk's bytes in file order, filling data pixels row by row, R then G then B. */
const bytesLayout: Layout = {
  name: 'bytes',
  bytesPerFrame: (grid) => gridBytes(grid),
  pack(data, grid) {
    const size = gridBytes(grid);
    if (data.length === size) return data;
    const pixels = new Uint8Array(size);
    pixels.set(data);
    return pixels;
  },
  unpack: (pixels) => pixels,
  locateSample(sample, grid, format) {
    const offset = sample * format.blockAlign;
    const perFrame = gridBytes(grid);
    return { frame: Math.floor(offset / perFrame), pixel: Math.floor((offset % perFrame) / 3) };
  },
  sampleAt: ({ frame, pixel }, grid, format) => Math.ceil((frame * gridBytes(grid) + pixel * 3) / format.blockAlign),
};

const LAYOUTS: Record<LayoutName, Layout> = { bytes: bytesLayout };

export function isLayoutName(value: unknown): value is LayoutName {
  return typeof value === 'string' && (LAYOUT_NAMES as readonly string[]).includes(value);
}

export function layoutOf(name: LayoutName): Layout {
  return LAYOUTS[name];
}
