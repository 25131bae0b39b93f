/**
 * Layouts: how a frame's share of the WAV's data bytes is arranged in its data pixels, and where a
 * given sample sits. Pure, with no Node imports: the webview uses the same mapping for its playhead.
 * docs/format.md specifies both layouts.
 */
import { bytesPerSample, isInterpreted, type AudioFormat, type InterpretedAudioFormat } from './audioFormat';
import { alawValue, mulawValue } from './g711';
import { gridBytes, type Grid } from './geometry';

export type LayoutName = 'bytes' | 'planes';
export const LAYOUT_NAMES: readonly LayoutName[] = ['bytes', 'planes'];

export interface Layout {
  readonly name: LayoutName;
  /** How many data bytes one frame holds: a whole number of sample frames for `planes`. */
  bytesPerFrame(grid: Grid, format: AudioFormat): number;
  /** The frame's pixel bytes (3 · columns · rows) for `data`, at most bytesPerFrame long; zero beyond it. */
  pack(data: Uint8Array, grid: Grid, format: AudioFormat): Uint8Array;
  /** The data bytes (bytesPerFrame) a frame's pixel bytes hold. */
  unpack(pixels: Uint8Array, grid: Grid, format: AudioFormat): Uint8Array;
  /**
   * Where sample frame `sample` of the whole audio sits: its frame, and a data pixel (row by row)
   * that holds one of its bytes (for `bytes`, its first byte; for `planes`, the most significant
   * byte of its first channel). Needs bytesPerFrame > 0.
   */
  locateSample(sample: number, grid: Grid, format: AudioFormat): PixelLocation;
  /**
   * The first sample frame at or after a data pixel: for `bytes`, the first that begins in or after
   * it; for `planes`, the first whose bytes it holds, or the next frame's first for a pixel past the
   * last plane.
   */
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

/**
 * `planes`: every colour value of every pixel has one role. With B bytes per sample and C channels,
 * the frame holds 3·P sample frames in B·C planes of P = ⌊pixels / (B·C)⌋ pixels each, most
 * significant bytes first: plane q = b·C + c holds byte b (0 = most significant) of channel c. Pixel
 * p of a plane holds that byte for sample frames 3p, 3p+1, 3p+2 in R, G, B, so a pixel is nearly
 * grey where the audio is smooth. Samples are first made order-preserving (offset binary: a larger
 * value has larger bytes, most significant first), so a small change to a pixel is a small change
 * to a sample, and the top planes are a smooth picture of the waveform.
 *
 * The planes follow one another along a path through the grid that keeps audio that is close in
 * time close in the image in both directions: strips of STRIP_ROWS rows, each walked column by
 * column from the left, down even columns and up odd ones. Row by row, a pixel's neighbours above
 * and below would hold audio a whole row (3 · columns samples) away, and a blur mixes them in.
 */
const STRIP_ROWS = 4;

interface PlanesShape {
  sampleBytes: number;
  channels: number;
  /** Pixels in each plane. */
  planePixels: number;
}

/** Planes are made of sample bytes: callers refuse opaque audio (with the file's name) before they get here. */
function interpreted(format: AudioFormat): InterpretedAudioFormat {
  if (!isInterpreted(format)) throw new Error('the planes layout needs audio whose samples Resonance reads');
  return format;
}

function planesShape(grid: Grid, format: AudioFormat): PlanesShape {
  const sampleBytes = bytesPerSample(interpreted(format).sampleFormat);
  return { sampleBytes, channels: format.channels, planePixels: Math.floor((grid.columns * grid.rows) / (sampleBytes * format.channels)) };
}

/** The data pixel at position `position` of the path. */
export function planesPathPixel(position: number, grid: Grid): number {
  const { columns, rows } = grid;
  const fullStrips = Math.floor(rows / STRIP_ROWS);
  let strip = Math.floor(position / (STRIP_ROWS * columns));
  let height = STRIP_ROWS;
  if (strip >= fullStrips) {
    strip = fullStrips;
    height = rows - fullStrips * STRIP_ROWS;
  }
  const inStrip = position - strip * STRIP_ROWS * columns;
  const x = Math.floor(inStrip / height);
  const down = inStrip - x * height;
  return (strip * STRIP_ROWS + (x & 1 ? height - 1 - down : down)) * columns + x;
}

/** The position of a data pixel along the path. */
export function planesPathPosition(pixel: number, grid: Grid): number {
  const { columns, rows } = grid;
  const y = Math.floor(pixel / columns);
  const x = pixel - y * columns;
  const strip = Math.floor(y / STRIP_ROWS);
  const height = Math.min(STRIP_ROWS, rows - strip * STRIP_ROWS);
  const down = y - strip * STRIP_ROWS;
  return strip * STRIP_ROWS * columns + x * height + (x & 1 ? height - 1 - down : down);
}

let cachedPath: { columns: number; rows: number; pixels: Int32Array } | undefined;

/** Every data pixel in path order; kept for the last grid, as every frame of a stream shares it. */
function pathPixels(grid: Grid): Int32Array {
  if (cachedPath?.columns === grid.columns && cachedPath.rows === grid.rows) return cachedPath.pixels;
  const { columns, rows } = grid;
  const pixels = new Int32Array(columns * rows);
  let position = 0;
  for (let top = 0; top < rows; top += STRIP_ROWS) {
    const height = Math.min(STRIP_ROWS, rows - top);
    for (let x = 0; x < columns; x++) {
      for (let down = 0; down < height; down++) pixels[position++] = (top + (x & 1 ? height - 1 - down : down)) * columns + x;
    }
  }
  cachedPath = { columns, rows, pixels };
  return pixels;
}

/**
 * The order-preserving form of each sample (`toward` 'ordered'), or back from it ('wav'): its bytes
 * most significant first; integers in offset binary (two's complement with the sign bit flipped;
 * u8 already is), floats by the standard transform (negatives: every bit flipped; positives: the
 * sign bit flipped), A-law and µ-law codes by the rank of the value they decode to. Both ways
 * reverse each sample's bytes, then flip bits.
 */
function reorder(input: Uint8Array, audio: AudioFormat, toward: 'ordered' | 'wav'): Uint8Array {
  const { sampleFormat } = interpreted(audio);
  const out = new Uint8Array(input.length);
  if (sampleFormat === 'u8') {
    out.set(input);
    return out;
  }
  if (sampleFormat === 'alaw' || sampleFormat === 'mulaw') {
    const ranks = companderRanks(sampleFormat);
    const table = toward === 'ordered' ? ranks.rankOfCode : ranks.codeOfRank;
    for (let i = 0; i < input.length; i++) out[i] = table[input[i]];
    return out;
  }
  const size = bytesPerSample(sampleFormat);
  const float = sampleFormat === 'f32' || sampleFormat === 'f64';
  // The most significant byte stands last in the WAV's little-endian sample, first in the ordered form.
  const [inTop, outTop] = toward === 'ordered' ? [size - 1, 0] : [0, size - 1];
  for (let i = 0; i < input.length; i += size) {
    // A float's set top bit is a negative value in the WAV and a positive one in the ordered form.
    const flipAll = float && ((input[i + inTop] & 0x80) !== 0) === (toward === 'ordered');
    for (let b = 0; b < size; b++) out[i + b] = flipAll ? input[i + size - 1 - b] ^ 0xff : input[i + size - 1 - b];
    if (!flipAll) out[i + outTop] ^= 0x80;
  }
  return out;
}

const companders = new Map<'alaw' | 'mulaw', { rankOfCode: Uint8Array; codeOfRank: Uint8Array }>();

/** The 256 codes ranked by the value they decode to; µ-law's two zeros by code (−0, 0x7F, first). */
function companderRanks(format: 'alaw' | 'mulaw'): { rankOfCode: Uint8Array; codeOfRank: Uint8Array } {
  let ranks = companders.get(format);
  if (!ranks) {
    const value = format === 'alaw' ? alawValue : mulawValue;
    const codes = Array.from({ length: 256 }, (_, code) => code).sort((a, b) => value(a) - value(b) || a - b);
    const rankOfCode = new Uint8Array(256);
    codes.forEach((code, rank) => (rankOfCode[code] = rank));
    ranks = { rankOfCode, codeOfRank: Uint8Array.from(codes) };
    companders.set(format, ranks);
  }
  return ranks;
}

/**
 * PCM integers (u8, s16, s24, s32), whose digits are their bytes reversed with the top one's sign
 * bit flipped (u8 already is offset binary), go straight between the data and the pixels, digit by
 * digit, with no order-preserving copy between: the same bytes as the general path below, at
 * three times its speed, and these are the formats datasets mostly hold.
 */
function isPlainInteger(format: AudioFormat): boolean {
  return format.sampleFormat === 'u8' || format.sampleFormat === 's16' || format.sampleFormat === 's24' || format.sampleFormat === 's32';
}

function packIntegers(data: Uint8Array, grid: Grid, format: AudioFormat): Uint8Array {
  const { sampleBytes, channels, planePixels } = planesShape(grid, format);
  const step = sampleBytes * channels;
  // The data zero-filled to the whole frame, as the format specifies, when it falls short.
  const whole = 3 * planePixels * step;
  const source = data.length >= whole ? data : zeroExtended(data, whole);
  const path = pathPixels(grid);
  const pixels = new Uint8Array(gridBytes(grid));
  const flip = format.sampleFormat === 'u8' ? 0 : 0x80;
  for (let plane = 0; plane < sampleBytes * channels; plane++) {
    const digit = Math.floor(plane / channels);
    const start = plane * planePixels;
    const x = digit === 0 ? flip : 0;
    // Digit d of channel c of sample frame t is the file byte t·step + c·B + (B − 1 − d).
    let i = (plane % channels) * sampleBytes + (sampleBytes - 1 - digit);
    for (let p = 0; p < planePixels; p++, i += 3 * step) {
      const o = path[start + p] * 3;
      pixels[o] = source[i] ^ x;
      pixels[o + 1] = source[i + step] ^ x;
      pixels[o + 2] = source[i + 2 * step] ^ x;
    }
  }
  return pixels;
}

function unpackIntegers(pixels: Uint8Array, grid: Grid, format: AudioFormat): Uint8Array {
  const { sampleBytes, channels, planePixels } = planesShape(grid, format);
  const step = sampleBytes * channels;
  const data = new Uint8Array(3 * planePixels * step);
  const path = pathPixels(grid);
  const flip = format.sampleFormat === 'u8' ? 0 : 0x80;
  for (let plane = 0; plane < sampleBytes * channels; plane++) {
    const digit = Math.floor(plane / channels);
    const start = plane * planePixels;
    const x = digit === 0 ? flip : 0;
    let i = (plane % channels) * sampleBytes + (sampleBytes - 1 - digit);
    for (let p = 0; p < planePixels; p++, i += 3 * step) {
      const o = path[start + p] * 3;
      data[i] = pixels[o] ^ x;
      data[i + step] = pixels[o + 1] ^ x;
      data[i + 2 * step] = pixels[o + 2] ^ x;
    }
  }
  return data;
}

function zeroExtended(data: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(data);
  return out;
}

const planesLayout: Layout = {
  name: 'planes',
  bytesPerFrame(grid, format) {
    const { sampleBytes, channels, planePixels } = planesShape(grid, format);
    return 3 * planePixels * sampleBytes * channels;
  },
  pack(data, grid, format) {
    if (isPlainInteger(format)) return packIntegers(data, grid, format);
    const { sampleBytes, channels, planePixels } = planesShape(grid, format);
    // Zero-filled to the whole frame: a last sample frame cut short is completed with zeros,
    // transformed whole and cut back the same way when decoded, so its bytes come back exact.
    const whole = new Uint8Array(3 * planePixels * sampleBytes * channels);
    whole.set(data);
    const ordered = reorder(whole, format, 'ordered');
    const path = pathPixels(grid);
    const pixels = new Uint8Array(gridBytes(grid));
    const step = sampleBytes * channels;
    for (let plane = 0; plane < sampleBytes * channels; plane++) {
      const start = plane * planePixels;
      // Byte b of channel c of sample frame t sits at t·step + c·B + b in the ordered data.
      let source = (plane % channels) * sampleBytes + Math.floor(plane / channels);
      for (let p = 0; p < planePixels; p++, source += 3 * step) {
        const o = path[start + p] * 3;
        pixels[o] = ordered[source];
        pixels[o + 1] = ordered[source + step];
        pixels[o + 2] = ordered[source + 2 * step];
      }
    }
    return pixels;
  },
  unpack(pixels, grid, format) {
    if (isPlainInteger(format)) return unpackIntegers(pixels, grid, format);
    const { sampleBytes, channels, planePixels } = planesShape(grid, format);
    const ordered = new Uint8Array(3 * planePixels * sampleBytes * channels);
    const path = pathPixels(grid);
    const step = sampleBytes * channels;
    for (let plane = 0; plane < sampleBytes * channels; plane++) {
      const start = plane * planePixels;
      let target = (plane % channels) * sampleBytes + Math.floor(plane / channels);
      for (let p = 0; p < planePixels; p++, target += 3 * step) {
        const o = path[start + p] * 3;
        ordered[target] = pixels[o];
        ordered[target + step] = pixels[o + 1];
        ordered[target + 2 * step] = pixels[o + 2];
      }
    }
    return reorder(ordered, format, 'wav');
  },
  locateSample(sample, grid, format) {
    const samplesPerFrame = 3 * planesShape(grid, format).planePixels;
    const frame = Math.floor(sample / samplesPerFrame);
    return { frame, pixel: planesPathPixel(Math.floor((sample - frame * samplesPerFrame) / 3), grid) };
  },
  sampleAt({ frame, pixel }, grid, format) {
    const { sampleBytes, channels, planePixels } = planesShape(grid, format);
    const position = planesPathPosition(pixel, grid);
    if (position >= planePixels * sampleBytes * channels) return (frame + 1) * 3 * planePixels;
    return frame * 3 * planePixels + 3 * (position % planePixels);
  },
};

const LAYOUTS: Record<LayoutName, Layout> = { bytes: bytesLayout, planes: planesLayout };

export function isLayoutName(value: unknown): value is LayoutName {
  return typeof value === 'string' && (LAYOUT_NAMES as readonly string[]).includes(value);
}

export function layoutOf(name: LayoutName): Layout {
  return LAYOUTS[name];
}
