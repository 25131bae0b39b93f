/**
 * Reading a frame's pixels back as its grid of data pixels: each data pixel is the block of image
 * pixels that covers it, reduced to one RGB triple. Blocks are E × E for Resonance's own frames; a
 * frame of another size (a model's output) is read by its own grid, each image pixel belonging to
 * the cell its centre falls in. Every reducer gives a uniform block's value back exactly.
 *
 * - `mean`: the rounded mean of the block; best against independent noise.
 * - `median`: the median (of an even count, the rounded mean of the middle two); best against
 *   sparse outliers.
 * - `center`: the mean of the block less a one-pixel border along each axis where the block is at
 *   least 3 pixels long, so the inner (E − 2) × (E − 2) of an E × E block; a blur smears block
 *   edges, not their inside. A block of another size (2 or 3 pixels across in a resized frame)
 *   is trimmed by the same rule along each axis on its own: a 3-pixel side keeps its middle
 *   pixel, a 1- or 2-pixel side is kept whole.
 */
import type { Grid } from './geometry';

export type Reducer = 'mean' | 'median' | 'center';
export const REDUCERS: readonly Reducer[] = ['mean', 'median', 'center'];

export function isReducer(value: unknown): value is Reducer {
  return typeof value === 'string' && (REDUCERS as readonly string[]).includes(value);
}

/**
 * The reducer for frames of this pixel expansion when none is chosen: `center` where blocks have
 * an inside to keep (E ≥ 3), `mean` below (for E = 1 every reducer is the identity).
 */
export function defaultReducer(expansion: number): Reducer {
  return expansion >= 3 ? 'center' : 'mean';
}

/** The image pixels each cell of one axis covers: [start[i], end[i]). */
export interface Spans {
  start: Int32Array;
  end: Int32Array;
}

/**
 * The spans of `cells` cells over `size` pixels: pixel x belongs to the cell its centre falls in,
 * floor((x + ½) · cells / size), so that E × E blocks come out exact and a resized frame's pixels
 * go to the cell they were resampled from. A cell no pixel centre falls in (a frame smaller than
 * its grid) takes the pixel nearest its own centre.
 */
export function cellSpans(size: number, cells: number): Spans {
  const start = new Int32Array(cells);
  const end = new Int32Array(cells);
  // Cell i starts at the first pixel x with x + ½ ≥ i · size / cells: x = ceil((2·i·size − cells) / (2·cells)).
  const firstPixel = (i: number) => Math.max(0, Math.ceil((2 * i * size - cells) / (2 * cells)));
  for (let i = 0; i < cells; i++) {
    const s = firstPixel(i);
    const e = Math.min(size, firstPixel(i + 1));
    if (e > s) {
      start[i] = s;
      end[i] = e;
    } else {
      const nearest = Math.min(size - 1, Math.floor(((2 * i + 1) * size) / (2 * cells)));
      start[i] = nearest;
      end[i] = nearest + 1;
    }
  }
  return { start, end };
}

/** The spans less a one-pixel border wherever a span is at least 3 pixels long (`center`). */
function innerSpans({ start, end }: Spans): Spans {
  const inner = { start: start.slice(), end: end.slice() };
  for (let i = 0; i < start.length; i++) {
    if (end[i] - start[i] >= 3) {
      inner.start[i]++;
      inner.end[i]--;
    }
  }
  return inner;
}

/**
 * Makes the test of whether two runs of `length` bytes of `bytes` (at offsets a and b) are equal.
 * The default is a loop; Node passes memcmp (pipeline/frameCodec.ts), several times faster.
 */
export type RunComparer = (bytes: Uint8Array, length: number) => (a: number, b: number) => boolean;

const loopComparer: RunComparer = (bytes, length) => (a, b) => {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
};

/** The data pixels (3 · columns · rows bytes) of a width × height RGB image read by `grid`. */
export function reduceToGrid(rgb: Uint8Array, width: number, height: number, grid: Grid, reducer: Reducer, comparer: RunComparer = loopComparer): Uint8Array {
  if (width === grid.columns && height === grid.rows) return rgb;
  const uniform = uniformBlockPixels(rgb, width, height, grid, comparer);
  if (uniform) return uniform;
  let xs = cellSpans(width, grid.columns);
  let ys = cellSpans(height, grid.rows);
  if (reducer === 'center') {
    xs = innerSpans(xs);
    ys = innerSpans(ys);
  }
  return reducer === 'median' ? reduceByMedian(rgb, width, grid, xs, ys) : reduceByMean(rgb, width, grid, xs, ys);
}

/**
 * The data pixels of an image made of whole blocks of one colour each (every frame Resonance
 * writes, unchanged), or undefined. Every reducer gives a uniform block's value back exactly, so
 * this is the same result at a fraction of the cost: the rows of a block are compared with
 * memcmp and only each block's first row is read pixel by pixel. It stops at the first block that
 * is not uniform.
 */
function uniformBlockPixels(rgb: Uint8Array, width: number, height: number, grid: Grid, comparer: RunComparer): Uint8Array | undefined {
  const blockWidth = width / grid.columns;
  const blockHeight = height / grid.rows;
  if (!Number.isInteger(blockWidth) || !Number.isInteger(blockHeight)) return undefined;
  const rowBytes = width * 3;
  const sameRows = comparer(rgb, rowBytes);
  const out = new Uint8Array(grid.columns * grid.rows * 3);
  const words = wordsOf(rgb, blockWidth);
  for (let row = 0, o = 0; row < grid.rows; row++) {
    const first = row * blockHeight * rowBytes;
    for (let k = 1; k < blockHeight; k++) {
      if (!sameRows(first, first + k * rowBytes)) return undefined;
    }
    if (words) {
      if (!uniformRowByWords(words, first >> 2, grid.columns, (3 * blockWidth) >> 2, out, o)) return undefined;
      o += grid.columns * 3;
      continue;
    }
    for (let column = 0, i = first; column < grid.columns; column++, o += 3) {
      const r = rgb[i];
      const g = rgb[i + 1];
      const b = rgb[i + 2];
      for (let k = 0; k < blockWidth; k++, i += 3) {
        if (rgb[i] !== r || rgb[i + 1] !== g || rgb[i + 2] !== b) return undefined;
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  return out;
}

/** The image as 32-bit words, when blocks of this width start and end on word boundaries. */
function wordsOf(rgb: Uint8Array, blockWidth: number): Uint32Array | undefined {
  // 3 · blockWidth bytes a block: whole words when blockWidth is a multiple of 4.
  if (blockWidth % 4 !== 0 || rgb.byteOffset % 4 !== 0 || rgb.length % 4 !== 0) return undefined;
  return new Uint32Array(rgb.buffer, rgb.byteOffset, rgb.length >> 2);
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * One row of blocks `wordsPerBlock` words wide, starting at word `at`, checked uniform a word at a
 * time (4 pixels in 3 words instead of 12 byte comparisons) and each block's pixel written to `out`.
 * A block's first three words are R G B R | G B R G | B R G B, then the same three again.
 */
function uniformRowByWords(words: Uint32Array, at: number, columns: number, wordsPerBlock: number, out: Uint8Array, o: number): boolean {
  for (let column = 0, w = at; column < columns; column++, w += wordsPerBlock, o += 3) {
    const w0 = words[w];
    // Byte order within a word: the pattern is checked on the bytes as they lie in memory.
    const r = IS_LITTLE_ENDIAN ? w0 & 0xff : w0 >>> 24;
    const g = IS_LITTLE_ENDIAN ? (w0 >>> 8) & 0xff : (w0 >>> 16) & 0xff;
    const b = IS_LITTLE_ENDIAN ? (w0 >>> 16) & 0xff : (w0 >>> 8) & 0xff;
    if (w0 !== packWord(r, g, b, r) || words[w + 1] !== packWord(g, b, r, g) || words[w + 2] !== packWord(b, r, g, b)) return false;
    for (let k = 3; k < wordsPerBlock; k++) if (words[w + k] !== words[w + k - 3]) return false;
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
  }
  return true;
}

/** The word whose bytes in memory are a, b, c, d. */
function packWord(a: number, b: number, c: number, d: number): number {
  return (IS_LITTLE_ENDIAN ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function reduceByMean(rgb: Uint8Array, width: number, grid: Grid, xs: Spans, ys: Spans): Uint8Array {
  const out = new Uint8Array(grid.columns * grid.rows * 3);
  let o = 0;
  for (let row = 0; row < grid.rows; row++) {
    const y0 = ys.start[row];
    const y1 = ys.end[row];
    for (let column = 0; column < grid.columns; column++, o += 3) {
      const x0 = xs.start[column];
      const x1 = xs.end[column];
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        for (let i = (y * width + x0) * 3, end = (y * width + x1) * 3; i < end; i += 3) {
          r += rgb[i];
          g += rgb[i + 1];
          b += rgb[i + 2];
        }
      }
      const n = (x1 - x0) * (y1 - y0);
      const half = n >> 1;
      out[o] = Math.floor((r + half) / n);
      out[o + 1] = Math.floor((g + half) / n);
      out[o + 2] = Math.floor((b + half) / n);
    }
  }
  return out;
}

/** Blocks up to this many pixels are sorted; larger ones are counted into a histogram. */
const MAX_SORTED_BLOCK = 48;

function reduceByMedian(rgb: Uint8Array, width: number, grid: Grid, xs: Spans, ys: Spans): Uint8Array {
  const out = new Uint8Array(grid.columns * grid.rows * 3);
  let largest = 0;
  for (let row = 0; row < grid.rows; row++) {
    for (let column = 0; column < grid.columns; column++) {
      largest = Math.max(largest, (xs.end[column] - xs.start[column]) * (ys.end[row] - ys.start[row]));
    }
  }
  // One scratch buffer for the whole frame: no allocation per block.
  const values = largest <= MAX_SORTED_BLOCK ? new Uint8Array(largest) : undefined;
  const counts = values ? undefined : new Uint32Array(256);
  let o = 0;
  for (let row = 0; row < grid.rows; row++) {
    const y0 = ys.start[row];
    const y1 = ys.end[row];
    for (let column = 0; column < grid.columns; column++, o += 3) {
      const x0 = xs.start[column];
      const x1 = xs.end[column];
      const n = (x1 - x0) * (y1 - y0);
      for (let channel = 0; channel < 3; channel++) {
        out[o + channel] = values
          ? sortedMedian(rgb, width, x0, x1, y0, y1, channel, values, n)
          : countedMedian(rgb, width, x0, x1, y0, y1, channel, counts!, n);
      }
    }
  }
  return out;
}

function sortedMedian(rgb: Uint8Array, width: number, x0: number, x1: number, y0: number, y1: number, channel: number, values: Uint8Array, n: number): number {
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let i = (y * width + x0) * 3 + channel, end = (y * width + x1) * 3; i < end; i += 3) {
      // Insertion sort as the values arrive.
      const value = rgb[i];
      let j = count++;
      while (j > 0 && values[j - 1] > value) {
        values[j] = values[j - 1];
        j--;
      }
      values[j] = value;
    }
  }
  const middle = n >> 1;
  return n & 1 ? values[middle] : (values[middle - 1] + values[middle] + 1) >> 1;
}

function countedMedian(
  rgb: Uint8Array,
  width: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  channel: number,
  counts: Uint32Array,
  n: number,
): number {
  counts.fill(0);
  for (let y = y0; y < y1; y++) {
    for (let i = (y * width + x0) * 3 + channel, end = (y * width + x1) * 3; i < end; i += 3) counts[rgb[i]]++;
  }
  // The values of rank ⌊(n−1)/2⌋ and ⌊n/2⌋ (0-based): equal for odd n.
  const lowRank = (n - 1) >> 1;
  const highRank = n >> 1;
  let seen = 0;
  let low = -1;
  for (let value = 0; value < 256; value++) {
    seen += counts[value];
    if (low < 0 && seen > lowRank) low = value;
    if (seen > highRank) return (low + value + 1) >> 1;
  }
  return low;
}
