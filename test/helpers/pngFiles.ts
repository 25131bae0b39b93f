/**
 * PNG files as other tools write them, for the reader's tests: a chunk-level parser and assembler,
 * re-saving through pngjs (colour types 0/2/4/6 at 8 or 16 bits) and, for what pngjs cannot
 * write, a tiny writer of palette images (1/2/4/8-bit) and Adam7-interlaced images.
 *
 * CRCs are computed here bit by bit, independently of the codec's own crc32.
 */
import { deflateSync } from 'node:zlib';
import { PNG, type ColorType } from 'pngjs';

export const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngChunk {
  type: string;
  data: Buffer;
}

export function bitwiseCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The chunks of a well-formed PNG, in order. */
export function readChunks(png: Buffer): PngChunk[] {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const chunks: PngChunk[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    chunks.push({ type: png.toString('latin1', offset + 4, offset + 8), data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  return chunks;
}

export function assemblePng(chunks: PngChunk[]): Buffer {
  const parts: Uint8Array[] = [SIGNATURE];
  for (const { type, data } of chunks) {
    const chunk = Buffer.alloc(12 + data.length);
    chunk.writeUInt32BE(data.length, 0);
    chunk.write(type, 4, 'latin1');
    data.copy(chunk, 8);
    chunk.writeUInt32BE(bitwiseCrc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** The same PNG without its text chunks, as an image tool that drops metadata saves it. */
export function withoutTextChunks(png: Buffer): Buffer {
  return assemblePng(readChunks(png).filter((c) => !['tEXt', 'zTXt', 'iTXt'].includes(c.type)));
}

/** 8-bit RGB pixels of any PNG, read by pngjs (alpha dropped). */
export function rgbOfPng(png: Buffer): { width: number; height: number; rgb: Buffer } {
  const image = PNG.sync.read(png);
  const rgb = Buffer.alloc(image.width * image.height * 3);
  for (let p = 0; p < image.width * image.height; p++) image.data.copy(rgb, p * 3, p * 4, p * 4 + 3);
  return { width: image.width, height: image.height, rgb };
}

export interface PngjsVariant {
  colorType: ColorType;
  bitDepth: 8 | 16;
  /** 0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth; pngjs picks per row when absent. */
  filterType?: number;
  /** Alpha of pixel `index` (0–255), for colour types 4 and 6; opaque when absent. */
  alpha?: (index: number) => number;
  /** How 16-bit output widens an 8-bit value: 257 (most tools) or 256 (a plain shift). */
  widen?: 256 | 257;
}

/**
 * RGB pixels re-saved by pngjs as another colour type and bit depth. Grey variants keep the image
 * only when R = G = B; 16-bit ones hold value · 257 (or · 256), as image tools widen 8-bit samples.
 */
export function resaveWithPngjs(rgb: Uint8Array, width: number, height: number, variant: PngjsVariant): Buffer {
  const pixels = width * height;
  const wide = variant.bitDepth === 16;
  const widen = wide ? (variant.widen ?? 257) : 1;
  // pngjs blends alpha into the colour when the output has none, so it gets alpha only where it is kept.
  const withAlpha = variant.colorType === 4 || variant.colorType === 6;
  const channels = withAlpha ? 4 : 3;
  const samples = wide ? new Uint16Array(pixels * channels) : new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) samples[p * channels + c] = rgb[p * 3 + c] * widen;
    if (withAlpha) samples[p * channels + 3] = (variant.alpha?.(p) ?? 255) * widen;
  }
  const png = { width, height, data: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength) } as PNG;
  return PNG.sync.write(png, {
    colorType: variant.colorType,
    bitDepth: variant.bitDepth,
    inputColorType: withAlpha ? 6 : 2,
    inputHasAlpha: withAlpha,
    filterType: variant.filterType ?? -1,
  } as Parameters<typeof PNG.sync.write>[1]);
}

/** Colour type 3: the image's colours as a palette, indices at `bitDepth` bits. Fails past 2^bitDepth colours. */
export function palettePng(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: { bitDepth: 1 | 2 | 4 | 8; interlaced?: boolean; transparentIndex?: number },
): Buffer {
  const palette: number[] = [];
  const indexOf = new Map<number, number>();
  const indices = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const colour = (rgb[p * 3] << 16) | (rgb[p * 3 + 1] << 8) | rgb[p * 3 + 2];
    let index = indexOf.get(colour);
    if (index === undefined) {
      index = palette.length;
      if (index >= 2 ** options.bitDepth) throw new Error(`more than ${2 ** options.bitDepth} colours`);
      indexOf.set(colour, index);
      palette.push(colour);
    }
    indices[p] = index;
  }
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((colour, i) => plte.writeUIntBE(colour, i * 3, 3));
  const extra: PngChunk[] = [{ type: 'PLTE', data: plte }];
  if (options.transparentIndex !== undefined) {
    const trns = Buffer.alloc(palette.length, 255);
    trns[options.transparentIndex] = 0;
    extra.push({ type: 'tRNS', data: trns });
  }
  return rawPng(
    { width, height, colorType: 3, bitDepth: options.bitDepth, channels: 1, interlaced: options.interlaced ?? false, sample: (x, y) => indices[y * width + x] },
    extra,
  );
}

/** Colour type 2, 8-bit, Adam7-interlaced. */
export function interlacedRgbPng(rgb: Uint8Array, width: number, height: number): Buffer {
  return rawPng({ width, height, colorType: 2, bitDepth: 8, channels: 3, interlaced: true, sample: (x, y, c) => rgb[(y * width + x) * 3 + c] }, []);
}

interface RawImage {
  width: number;
  height: number;
  colorType: number;
  bitDepth: number;
  channels: number;
  interlaced: boolean;
  sample(x: number, y: number, channel: number): number;
}

/** Adam7 passes: first column and row, then steps between columns and rows. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

function rawPng(image: RawImage, extra: PngChunk[]): Buffer {
  const passes = image.interlaced ? ADAM7 : [[0, 0, 1, 1]];
  const lines: Uint8Array[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const columns = Math.ceil((image.width - x0) / dx);
    const rows = Math.ceil((image.height - y0) / dy);
    if (columns <= 0 || rows <= 0) continue; // an empty pass has no scanlines at all
    for (let r = 0; r < rows; r++) {
      const line = Buffer.alloc(1 + Math.ceil((columns * image.channels * image.bitDepth) / 8)); // filter type 0
      let bit = 0;
      for (let c = 0; c < columns; c++) {
        for (let channel = 0; channel < image.channels; channel++) {
          const value = image.sample(x0 + c * dx, y0 + r * dy, channel);
          if (image.bitDepth === 16) line.writeUInt16BE(value, 1 + bit / 8);
          else if (image.bitDepth === 8) line[1 + bit / 8] = value;
          else line[1 + (bit >> 3)] |= value << (8 - image.bitDepth - (bit & 7));
          bit += image.bitDepth;
        }
      }
      lines.push(line);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(image.width, 0);
  ihdr.writeUInt32BE(image.height, 4);
  ihdr[8] = image.bitDepth;
  ihdr[9] = image.colorType;
  ihdr[12] = image.interlaced ? 1 : 0;
  return assemblePng([
    { type: 'IHDR', data: ihdr },
    ...extra,
    { type: 'IDAT', data: deflateSync(Buffer.concat(lines)) },
    { type: 'IEND', data: Buffer.alloc(0) },
  ]);
}
