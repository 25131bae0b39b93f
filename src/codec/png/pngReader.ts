/**
 * Reads frames back as 8-bit RGB. Resonance's own frames (8-bit RGB, not interlaced) take a lean
 * path on node:zlib, about 2.5× faster than pngjs; every other PNG (palette, grey, alpha, 16-bit,
 * interlaced: frames re-saved by other tools) goes through pngjs and is reduced to RGB.
 */
import { inflateSync } from 'node:zlib';
import { ResonanceError } from '../format/errors';
import { framePixelsProblem, LIMITS, mebibytes } from '../format/limits';
import { crc32 } from './checksums';
import { inflateInto } from './inflate';
import { PNG_SIGNATURE } from './pngWriter';

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** tEXt chunks by keyword. */
  texts: Map<string, string>;
}

export interface DecodedPng {
  header: PngHeader;
  /** width · height · 3 bytes, row by row. */
  rgb: Uint8Array;
}

interface ChunkSpan {
  type: string;
  /** Offset of the chunk's data. */
  start: number;
  length: number;
}

/** What a walk over a PNG's chunks found, without a list of them: a file may hold millions of empty IDAT chunks. */
interface ChunkWalk {
  ihdr?: ChunkSpan;
  /** Chunks other than IDAT, in order (at most MAX_OTHER_CHUNKS of them). */
  others: ChunkSpan[];
  idatCount: number;
  idatBytes: number;
  /** Offset of the first IDAT chunk's header. */
  firstIdat: number;
}

const MAX_SIDE = 1 << 16;
/** Chunks other than IDAT a frame may have: real files have a few dozen at most. */
const MAX_OTHER_CHUNKS = 4096;
const IDAT = 0x49444154;
const IEND = 0x49454e44;

/**
 * The header and text chunks of a PNG. `buffer` may be just the file's first bytes, as long as it
 * reaches the first IDAT chunk (Resonance writes its text chunks before the image data).
 */
export function readPngHeader(buffer: Uint8Array, file: string): PngHeader {
  return parseHeader(walkChunks(buffer, file, true), buffer, file);
}

/** Memory reused from one frame to the next: `rgb` of the result lives in it until the next call. */
export interface PngReadScratch {
  rgb?: Uint8Array;
  /** The scanlines, filter bytes included. */
  scanlines?: Uint8Array;
  /** The image data of a PNG split over several IDAT chunks, joined. */
  compressed?: Uint8Array;
}

/**
 * The most bytes a PNG of this header can reasonably take: its chunks other than the image data
 * up to their limit, and image data up to 9/8 of the raw scanlines and 1 MiB more (deflate at its
 * worst grows data by well under that). Frames are read no further, whatever follows.
 */
export function maxPngFileBytes(header: PngHeader): number {
  return 8 + LIMITS.pngOtherChunkBytes + 12 * MAX_OTHER_CHUNKS + maxImageDataBytes(header);
}

function maxImageDataBytes(header: PngHeader): number {
  const raw = scanlineBytes(header);
  return raw + Math.ceil(raw / 8) + 1024 * 1024;
}

/** Bytes of the filtered scanlines (all seven passes for an interlaced image). */
function scanlineBytes(header: PngHeader): number {
  const bitsPerPixel = header.bitDepth * (CHANNELS[header.colorType] ?? 4);
  const rows = (width: number, height: number) => (width > 0 && height > 0 ? height * (1 + Math.ceil((width * bitsPerPixel) / 8)) : 0);
  if (!header.interlaced) return rows(header.width, header.height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((header.width - x0) / dx), Math.ceil((header.height - y0) / dy));
  return total;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

export function decodePng(buffer: Uint8Array, file: string, scratch?: PngReadScratch): DecodedPng {
  const walk = walkChunks(buffer, file, false);
  const header = parseHeader(walk, buffer, file);
  if (walk.idatCount === 0) throw corrupt(file, 'it has no image data');
  if (walk.idatBytes > maxImageDataBytes(header)) {
    throw new ResonanceError(
      'LIMIT_EXCEEDED',
      file,
      `holds ${walk.idatBytes} bytes of image data, more than a ${header.width} × ${header.height} image can need`,
    );
  }
  const compressed = imageData(buffer, walk, scratch);
  if (header.bitDepth === 8 && header.colorType === 2 && !header.interlaced) {
    const length = header.width * header.height * 3;
    let rgb: Uint8Array;
    if (scratch?.rgb && scratch.rgb.length >= length) {
      rgb = scratch.rgb.subarray(0, length);
    } else {
      rgb = new Uint8Array(length);
      if (scratch) scratch.rgb = rgb;
    }
    return { header, rgb: decodePlainRgb(compressed, header, file, rgb, scratch) };
  }
  return { header, rgb: decodeWithPngjs(buffer, walk, compressed, header, file) };
}

function corrupt(file: string, why: string): ResonanceError {
  return new ResonanceError('PNG_CORRUPT', file, `is a corrupt PNG: ${why}`);
}

function isChunkType(buffer: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 4; i++) {
    const c = buffer[i] | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}

function walkChunks(buffer: Uint8Array, file: string, prefixOnly: boolean): ChunkWalk {
  if (buffer.length < 8 || !PNG_SIGNATURE.equals(buffer.subarray(0, 8))) throw new ResonanceError('PNG_INVALID', file, 'is not a PNG file');
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const walk: ChunkWalk = { others: [], idatCount: 0, idatBytes: 0, firstIdat: -1 };
  let otherBytes = 0;
  let offset = 8;
  for (;;) {
    if (offset + 8 > buffer.length) {
      if (prefixOnly) return walk;
      throw corrupt(file, 'it ends before its IEND chunk');
    }
    const length = view.getUint32(offset);
    if (!isChunkType(buffer, offset + 4)) throw corrupt(file, `a chunk at byte ${offset} has an invalid type`);
    const type = view.getUint32(offset + 4);
    const start = offset + 8;
    if (type === IDAT) {
      if (prefixOnly) return walk;
      if (start + length + 4 > buffer.length) throw corrupt(file, `its 'IDAT' chunk runs past the end of the file`);
      if (walk.firstIdat < 0) walk.firstIdat = offset;
      walk.idatCount++;
      walk.idatBytes += length;
    } else {
      if (start + length + 4 > buffer.length)
        throw corrupt(file, `its '${String.fromCharCode(...buffer.subarray(offset + 4, offset + 8))}' chunk runs past the end of the file`);
      otherBytes += 12 + length;
      if (walk.others.length >= MAX_OTHER_CHUNKS || otherBytes > LIMITS.pngOtherChunkBytes) {
        throw new ResonanceError(
          'LIMIT_EXCEEDED',
          file,
          `has more than ${mebibytes(LIMITS.pngOtherChunkBytes)} or ${MAX_OTHER_CHUNKS} chunks besides its image data, more than Resonance reads in a frame`,
        );
      }
      const span = { type: String.fromCharCode(buffer[offset + 4], buffer[offset + 5], buffer[offset + 6], buffer[offset + 7]), start, length };
      if (!walk.ihdr && walk.others.length === 0 && span.type === 'IHDR') walk.ihdr = span;
      walk.others.push(span);
      if (type === IEND) return walk;
    }
    offset = start + length + 4;
  }
}

/** The image data as one stream: the IDAT chunk itself when there is one, else the chunks joined in scratch memory. */
function imageData(buffer: Uint8Array, walk: ChunkWalk, scratch: PngReadScratch | undefined): Uint8Array {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (walk.idatCount === 1) {
    const length = view.getUint32(walk.firstIdat);
    return buffer.subarray(walk.firstIdat + 8, walk.firstIdat + 8 + length);
  }
  let joined = scratch?.compressed;
  if (!joined || joined.length < walk.idatBytes) {
    joined = new Uint8Array(walk.idatBytes);
    if (scratch) scratch.compressed = joined;
  }
  let at = 0;
  for (let offset = walk.firstIdat, seen = 0; seen < walk.idatCount; ) {
    const length = view.getUint32(offset);
    if (view.getUint32(offset + 4) === IDAT) {
      joined.set(buffer.subarray(offset + 8, offset + 8 + length), at);
      at += length;
      seen++;
    }
    offset += 12 + length;
  }
  return joined.subarray(0, at);
}

function parseHeader(walk: ChunkWalk, buffer: Uint8Array, file: string): PngHeader {
  const ihdr = walk.ihdr;
  if (!ihdr || ihdr.length < 13) throw corrupt(file, 'it does not start with an IHDR chunk');
  const view = new DataView(buffer.buffer, buffer.byteOffset + ihdr.start, 13);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  if (width === 0 || height === 0 || width > MAX_SIDE || height > MAX_SIDE) throw corrupt(file, `its size ${width} × ${height} is out of range`);
  const tooLarge = framePixelsProblem(width, height);
  if (tooLarge) throw new ResonanceError('LIMIT_EXCEEDED', file, `is ${width} × ${height} pixels: ${tooLarge}`);
  const texts = new Map<string, string>();
  for (const c of walk.others) {
    if (c.type !== 'tEXt') continue;
    const body = Buffer.from(buffer.buffer, buffer.byteOffset + c.start, c.length);
    const separator = body.indexOf(0);
    if (separator > 0) texts.set(body.toString('latin1', 0, separator), body.toString('latin1', separator + 1));
  }
  return { width, height, bitDepth: view.getUint8(8), colorType: view.getUint8(9), interlaced: view.getUint8(12) === 1, texts };
}

/** Unfilters the image data into `rgb`, every byte of which it writes. */
function decodePlainRgb(compressed: Uint8Array, header: PngHeader, file: string, rgb: Uint8Array, scratch: PngReadScratch | undefined): Uint8Array {
  const rowBytes = header.width * 3;
  const lineBytes = rowBytes + 1;
  const expected = lineBytes * header.height;
  const raw = inflated(compressed, expected, file, scratch);
  if (raw.length > expected) throw corrupt(file, `its image data holds more than the ${expected} bytes expected`);
  if (raw.length < expected) throw corrupt(file, `its image data holds ${raw.length} bytes where ${expected} were expected`);
  unfilterInto(raw, header, rgb, file);
  return rgb;
}

/** Inflates the whole stream into scratch memory reused from frame to frame (./inflate.ts says why). */
function inflated(compressed: Uint8Array, expected: number, file: string, scratch: PngReadScratch | undefined): Uint8Array {
  // One byte more than the image needs: a stream that fills it holds too much.
  const out = scratchScanlines(scratch, expected + 1);
  let written: number;
  try {
    written = inflateInto(compressed, out);
  } catch (error) {
    throw corrupt(file, `its image data does not inflate (${(error as Error).message})`);
  }
  return out.subarray(0, written);
}

function scratchScanlines(scratch: PngReadScratch | undefined, length: number): Uint8Array {
  let out = scratch?.scanlines;
  if (!out || out.length < length) {
    out = new Uint8Array(length);
    if (scratch) scratch.scanlines = out;
  }
  return out;
}

/** Undoes the row filters of `raw` into `rgb`, every byte of which it writes. */
function unfilterInto(raw: Uint8Array, header: PngHeader, rgb: Uint8Array, file: string): void {
  const rowBytes = header.width * 3;
  const lineBytes = rowBytes + 1;
  const rows = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const zeros = zeroRow(rowBytes);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * lineBytes];
    const line = y * lineBytes + 1;
    const out = y * rowBytes;
    if (filter === 0 || (y === 0 && filter === 2)) {
      rows.copy(rgb, out, line, line + rowBytes);
    } else if (filter === 2 && rows.compare(zeros, 0, rowBytes, line, line + rowBytes) === 0) {
      // A row repeated (Resonance's frames above expansion 1): a copy, not a sum per byte.
      rgb.copyWithin(out, out - rowBytes, out);
    } else if (!unfilterRow(filter, raw, line, rgb, out, rowBytes, y > 0)) {
      throw corrupt(file, `row ${y} has an unknown filter type ${filter}`);
    }
  }
}

let zeros = new Uint8Array(0);

function zeroRow(length: number): Uint8Array {
  if (zeros.length < length) zeros = new Uint8Array(length);
  return zeros;
}

/**
 * Undoes one row's PNG filter for 3 bytes per pixel: the row at `line` in `raw` into `out` at
 * `at`, the row above being the `n` bytes before it; false for an unknown filter type.
 */
function unfilterRow(filter: number, raw: Uint8Array, line: number, out: Uint8Array, at: number, n: number, hasAbove: boolean): boolean {
  const above = at - n;
  switch (filter) {
    case 0:
      out.set(raw.subarray(line, line + n), at);
      return true;
    case 1:
      for (let i = 0; i < 3 && i < n; i++) out[at + i] = raw[line + i];
      for (let i = 3; i < n; i++) out[at + i] = (raw[line + i] + out[at + i - 3]) & 0xff;
      return true;
    case 2:
      if (!hasAbove) out.set(raw.subarray(line, line + n), at);
      else for (let i = 0; i < n; i++) out[at + i] = (raw[line + i] + out[above + i]) & 0xff;
      return true;
    case 3:
      if (!hasAbove) {
        for (let i = 0; i < 3 && i < n; i++) out[at + i] = raw[line + i];
        for (let i = 3; i < n; i++) out[at + i] = (raw[line + i] + (out[at + i - 3] >> 1)) & 0xff;
      } else {
        for (let i = 0; i < 3 && i < n; i++) out[at + i] = (raw[line + i] + (out[above + i] >> 1)) & 0xff;
        for (let i = 3; i < n; i++) out[at + i] = (raw[line + i] + ((out[at + i - 3] + out[above + i]) >> 1)) & 0xff;
      }
      return true;
    case 4:
      if (!hasAbove) {
        // With no row above, Paeth predicts from the left alone: Sub.
        for (let i = 0; i < 3 && i < n; i++) out[at + i] = raw[line + i];
        for (let i = 3; i < n; i++) out[at + i] = (raw[line + i] + out[at + i - 3]) & 0xff;
        return true;
      }
      for (let i = 0; i < 3 && i < n; i++) out[at + i] = (raw[line + i] + out[above + i]) & 0xff;
      for (let i = 3; i < n; i++) {
        const a = out[at + i - 3];
        const b = out[above + i];
        const c = out[above + i - 3];
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        out[at + i] = (raw[line + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      return true;
    default:
      return false;
  }
}

/**
 * pngjs, loaded on first use: Resonance's own frames never need it, and loading it costs every
 * worker thread (and the CLI) 12 to 25 ms of start-up.
 */
function pngjs(): typeof import('pngjs') {
  return require('pngjs') as typeof import('pngjs');
}

function decodeWithPngjs(buffer: Uint8Array, walk: ChunkWalk, compressed: Uint8Array, header: PngHeader, file: string): Uint8Array {
  // pngjs inflates an interlaced image with no bound on its size: the stream is measured first.
  if (header.interlaced) {
    const expected = scanlineBytes(header);
    let length: number;
    try {
      length = inflateSync(compressed, { maxOutputLength: expected }).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw corrupt(file, `its image data holds more than the ${expected} bytes expected`);
      throw corrupt(file, `its image data does not inflate (${(error as Error).message})`);
    }
    if (length !== expected) throw corrupt(file, `its image data holds ${length} bytes where ${expected} were expected`);
  }
  // pngjs gets the image alone, in one IDAT chunk: it keeps every IDAT chunk it meets in a list
  // (a file of millions of empty ones would fill memory), and it blanks pixels that match a tRNS
  // colour, where alpha is dropped here anyway.
  checkCrcs(buffer, walk, file);
  const source = normalizedPng(buffer, walk, compressed);
  // 16-bit samples are kept and reduced to their high byte here: exact both for tools that widen
  // 8-bit values as v·257 and as v·256, where pngjs's rounding rescale is off by one for the latter.
  const wide = header.bitDepth === 16;
  let rgba: ArrayLike<number>;
  try {
    rgba = pngjs().PNG.sync.read(source, { skipRescale: wide }).data;
  } catch (error) {
    throw corrupt(file, (error as Error).message.split('\n')[0]);
  }
  const shift = wide ? 8 : 0;
  const pixels = header.width * header.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 4, o += 3) {
    rgb[o] = rgba[i] >> shift;
    rgb[o + 1] = rgba[i + 1] >> shift;
    rgb[o + 2] = rgba[i + 2] >> shift;
  }
  return rgb;
}

/** What pngjs checked when it read the file itself: the CRC of every chunk it gets. */
function checkCrcs(buffer: Uint8Array, walk: ChunkWalk, file: string): void {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const check = (offset: number, length: number) => {
    if (crc32(buffer.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) {
      throw corrupt(file, `its '${String.fromCharCode(...buffer.subarray(offset + 4, offset + 8))}' chunk at byte ${offset} fails its CRC check`);
    }
  };
  for (const c of walk.others) if (c.type === 'IHDR' || c.type === 'PLTE') check(c.start - 8, c.length);
  for (let offset = walk.firstIdat, seen = 0; seen < walk.idatCount; offset += 12 + view.getUint32(offset)) {
    if (view.getUint32(offset + 4) !== IDAT) continue;
    check(offset, view.getUint32(offset));
    seen++;
  }
}

/** The PNG as IHDR, PLTE (when there is one), one IDAT holding `compressed`, and IEND. */
function normalizedPng(buffer: Uint8Array, walk: ChunkWalk, compressed: Uint8Array): Buffer {
  const kept = walk.others.filter((c) => c.type === 'IHDR' || c.type === 'PLTE');
  const chunks = [
    ...kept.map((c) => ({ type: c.type, data: buffer.subarray(c.start, c.start + c.length) })),
    { type: 'IDAT', data: compressed },
    { type: 'IEND', data: new Uint8Array(0) },
  ];
  const out = Buffer.allocUnsafe(8 + chunks.reduce((n, c) => n + 12 + c.data.length, 0));
  PNG_SIGNATURE.copy(out, 0);
  let at = 8;
  for (const c of chunks) {
    out.writeUInt32BE(c.data.length, at);
    out.write(c.type, at + 4, 'latin1');
    out.set(c.data, at + 8);
    out.writeUInt32BE(crc32(out.subarray(at + 4, at + 8 + c.data.length)), at + 8 + c.data.length);
    at += 12 + c.data.length;
  }
  return out;
}
