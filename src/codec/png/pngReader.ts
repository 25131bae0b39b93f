/**
 * Reads frames back as 8-bit RGB. Resonance's own frames (8-bit RGB, not interlaced) take a lean
 * path on node:zlib, about 2.5× faster than pngjs; every other PNG (palette, grey, alpha, 16-bit,
 * interlaced: frames re-saved by other tools) goes through pngjs and is reduced to RGB.
 */
import { constants, createInflate, inflateSync, type Inflate } from 'node:zlib';
import { ResonanceError } from '../format/errors';
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

const MAX_SIDE = 1 << 16;

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
}

export function decodePng(buffer: Uint8Array, file: string, scratch?: PngReadScratch): DecodedPng {
  const chunks = walkChunks(buffer, file, false);
  const header = parseHeader(chunks, buffer, file);
  const idat = chunks.filter((c) => c.type === 'IDAT');
  if (idat.length === 0) throw corrupt(file, 'it has no image data');
  if (header.bitDepth === 8 && header.colorType === 2 && !header.interlaced) {
    const length = header.width * header.height * 3;
    let rgb: Uint8Array;
    if (scratch?.rgb && scratch.rgb.length >= length) {
      rgb = scratch.rgb.subarray(0, length);
    } else {
      rgb = new Uint8Array(length);
      if (scratch) scratch.rgb = rgb;
    }
    return { header, rgb: decodePlainRgb(buffer, idat, header, file, rgb, scratch) };
  }
  return { header, rgb: decodeWithPngjs(buffer, chunks, header, file) };
}

function corrupt(file: string, why: string): ResonanceError {
  return new ResonanceError('PNG_CORRUPT', file, `is a corrupt PNG: ${why}`);
}

function walkChunks(buffer: Uint8Array, file: string, prefixOnly: boolean): ChunkSpan[] {
  if (buffer.length < 8 || !PNG_SIGNATURE.equals(buffer.subarray(0, 8))) throw new ResonanceError('PNG_INVALID', file, 'is not a PNG file');
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const chunks: ChunkSpan[] = [];
  let offset = 8;
  for (;;) {
    if (offset + 8 > buffer.length) {
      if (prefixOnly) return chunks;
      throw corrupt(file, 'it ends before its IEND chunk');
    }
    const length = view.getUint32(offset);
    const type = String.fromCharCode(buffer[offset + 4], buffer[offset + 5], buffer[offset + 6], buffer[offset + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw corrupt(file, `a chunk at byte ${offset} has an invalid type`);
    const start = offset + 8;
    if (prefixOnly && type === 'IDAT') return chunks;
    if (start + length + 4 > buffer.length) throw corrupt(file, `its '${type}' chunk runs past the end of the file`);
    chunks.push({ type, start, length });
    if (type === 'IEND') return chunks;
    offset = start + length + 4;
  }
}

function parseHeader(chunks: ChunkSpan[], buffer: Uint8Array, file: string): PngHeader {
  const ihdr = chunks[0];
  if (!ihdr || ihdr.type !== 'IHDR' || ihdr.length < 13) throw corrupt(file, 'it does not start with an IHDR chunk');
  const view = new DataView(buffer.buffer, buffer.byteOffset + ihdr.start, 13);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  if (width === 0 || height === 0 || width > MAX_SIDE || height > MAX_SIDE) throw corrupt(file, `its size ${width} × ${height} is out of range`);
  const texts = new Map<string, string>();
  for (const c of chunks) {
    if (c.type !== 'tEXt') continue;
    const body = Buffer.from(buffer.buffer, buffer.byteOffset + c.start, c.length);
    const separator = body.indexOf(0);
    if (separator > 0) texts.set(body.toString('latin1', 0, separator), body.toString('latin1', separator + 1));
  }
  return { width, height, bitDepth: view.getUint8(8), colorType: view.getUint8(9), interlaced: view.getUint8(12) === 1, texts };
}

/** Unfilters the image data into `rgb`, every byte of which it writes. */
function decodePlainRgb(buffer: Uint8Array, idat: ChunkSpan[], header: PngHeader, file: string, rgb: Uint8Array, scratch: PngReadScratch | undefined): Uint8Array {
  const compressed = idat.length === 1 ? buffer.subarray(idat[0].start, idat[0].start + idat[0].length) : Buffer.concat(idat.map((c) => buffer.subarray(c.start, c.start + c.length)));
  const rowBytes = header.width * 3;
  const lineBytes = rowBytes + 1;
  const expected = lineBytes * header.height;
  const raw = inflated(compressed, expected, file, scratch);
  if (raw.length > expected) throw corrupt(file, `its image data holds more than the ${expected} bytes expected`);
  if (raw.length < expected) throw corrupt(file, `its image data holds ${raw.length} bytes where ${expected} were expected`);
  unfilterInto(raw, header, rgb, file);
  return rgb;
}

/**
 * Inflates the whole stream into scratch memory reused from frame to frame. inflateSync would hand
 * the image back in pieces joined into a fresh frame-sized buffer: 0.4 ms of copying per frame,
 * and fresh pages whose faults, and whose unmapping after garbage collection, stall the other
 * worker threads of the process (TLB shootdowns). At expansion 4 that made two workers 25-45 %
 * slower per frame than one (docs/decisions.md).
 */
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

interface InflateInternals {
  _handle?: { writeSync?(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void };
  _writeState?: Uint32Array;
}

/** This thread's inflate stream, reset for each frame; replaced after an error, which ends a stream. */
let inflater: Inflate | undefined;

/**
 * Inflates `compressed` into `out` in one call; the number of bytes written. This drives the zlib
 * handle under node's Inflate directly, as node's own inflateSync does, because no public API
 * inflates into a caller's buffer; where a node version lacks that handle, inflateSync and a copy.
 */
export function inflateInto(compressed: Uint8Array, out: Uint8Array): number {
  if (!inflater || inflater.destroyed) {
    inflater = createInflate();
    // An error destroys the stream and is also emitted later, which unhandled would end the process.
    inflater.on('error', () => undefined);
  }
  const internals = inflater as unknown as InflateInternals;
  const handle = internals._handle;
  const state = internals._writeState;
  if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array)) return inflateByCopy(compressed, out);
  inflater.reset();
  handle.writeSync(constants.Z_FINISH, compressed, 0, compressed.length, out, 0, out.length);
  if (inflater.destroyed) throw inflater.errored ?? new Error('inflate failed');
  return out.length - state[0];
}

export function inflateByCopy(compressed: Uint8Array, out: Uint8Array): number {
  const inflatedBytes = inflateSync(compressed, { maxOutputLength: out.length });
  out.set(inflatedBytes);
  return inflatedBytes.length;
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

function decodeWithPngjs(buffer: Uint8Array, chunks: ChunkSpan[], header: PngHeader, file: string): Uint8Array {
  // pngjs blanks pixels that match a tRNS colour; alpha is dropped anyway, so hand it the file without.
  const source = chunks.some((c) => c.type === 'tRNS') ? withoutChunk(buffer, chunks, 'tRNS') : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
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

function withoutChunk(buffer: Uint8Array, chunks: ChunkSpan[], type: string): Buffer {
  const parts: Uint8Array[] = [buffer.subarray(0, 8)];
  for (const c of chunks) if (c.type !== type) parts.push(buffer.subarray(c.start - 8, c.start + c.length + 4));
  return Buffer.concat(parts);
}
