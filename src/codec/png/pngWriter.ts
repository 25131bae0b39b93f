/**
 * Writes frames as 8-bit RGB PNG, each data pixel painted as an expansion × expansion block.
 *
 * Not pngjs: it cannot write text chunks, and building the image here lets repeated rows be
 * filtered with Up (all zeros) and raw audio be written as stored deflate blocks without zlib.
 * A worker writing frame after frame passes a PngScratch, so that the scanlines and the file are
 * built in the same memory each time: fresh buffers of a frame's size cost about 1 ms each in page
 * faults, as much as the copies themselves.
 */
import { deflateSync } from 'node:zlib';
import type { Grid } from '../format/geometry';
import { adler32, crc32 } from './checksums';
import { deflatePlan, RowFilter, type Compression } from './compression';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngWriteOptions {
  expansion: number;
  compression: Compression;
  /** tEXt chunks (Latin-1 keyword and text), written before the image data. */
  texts?: ReadonlyArray<{ keyword: string; text: string }>;
}

/** Memory reused from one frame to the next; what encodePng returns lives in it until the next call. */
export interface PngScratch {
  scanlines?: Uint8Array;
  file?: Buffer;
}

/** Stored deflate blocks hold at most this many bytes each. */
const MAX_STORED_BLOCK = 65535;
const IEND_CHUNK = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/**
 * The PNG file for a frame whose data pixels (3 · columns · rows bytes, row by row) are `pixels`.
 * With `scratch`, the result is a view of the scratch memory, valid until it is used again.
 */
export function encodePng(pixels: Uint8Array, grid: Grid, options: PngWriteOptions, scratch?: PngScratch): Buffer {
  const { expansion } = options;
  const width = grid.columns * expansion;
  const height = grid.rows * expansion;
  const plan = deflatePlan(options.compression, expansion);
  const scanlines = reusable(scratch?.scanlines, (1 + width * 3) * height, (b) => scratch && (scratch.scanlines = b));
  buildScanlines(pixels, grid, expansion, plan.firstFilter, plan.repeatFilter, scanlines);

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const head = [
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    ...(options.texts ?? []).map(({ keyword, text }) => chunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'))),
  ];
  const headLength = head.reduce((sum, part) => sum + part.length, 0);
  const deflated = plan.level === 0 ? undefined : deflateSync(scanlines, { level: plan.level, strategy: plan.strategy });
  const idatLength = deflated ? deflated.length : storedZlibLength(scanlines.length);
  const fileLength = headLength + 12 + idatLength + IEND_CHUNK.length;
  const file = reusable(scratch?.file, fileLength, (b) => scratch && (scratch.file = b));

  let o = 0;
  for (const part of head) o += part.copy(file, o);
  file.writeUInt32BE(idatLength, o);
  file.write('IDAT', o + 4, 'latin1');
  const idatData = o + 8;
  if (deflated) deflated.copy(file, idatData);
  else writeStoredZlib(scanlines, file, idatData);
  o = idatData + idatLength;
  file.writeUInt32BE(crc32(file.subarray(idatData - 4, o)), o);
  IEND_CHUNK.copy(file, o + 4);
  return file.subarray(0, fileLength);
}

/** `previous` when it is large enough, else a new buffer handed to `keep` for next time. */
function reusable(previous: Uint8Array | undefined, length: number, keep: (buffer: Buffer) => unknown): Buffer {
  if (previous && previous.length >= length) return Buffer.from(previous.buffer, previous.byteOffset, length);
  // Room to spare: frames differ a little in length (frame numbers, frame 0's copy of the header).
  const buffer = Buffer.allocUnsafeSlow(length + (length >> 6));
  keep(buffer);
  return buffer.subarray(0, length);
}

/** Every byte of `out` is written: it may be reused memory. */
function buildScanlines(pixels: Uint8Array, grid: Grid, expansion: number, firstFilter: RowFilter, repeatFilter: RowFilter, out: Uint8Array): void {
  const dataRowBytes = grid.columns * 3;
  const lineBytes = 1 + dataRowBytes * expansion;
  let line = 0;
  for (let row = 0; row < grid.rows; row++) {
    const first = line * lineBytes;
    expandRow(pixels.subarray(row * dataRowBytes, (row + 1) * dataRowBytes), out, first + 1, expansion);
    if (firstFilter === RowFilter.Sub) subFilterInPlace(out, first + 1, lineBytes - 1);
    out[first] = firstFilter;
    line++;
    for (let repeat = 1; repeat < expansion; repeat++, line++) {
      const start = line * lineBytes;
      out[start] = repeatFilter;
      // Up on a repeated row is all zeros; None repeats the row.
      if (repeatFilter === RowFilter.Up) out.fill(0, start + 1, start + lineBytes);
      else out.copyWithin(start + 1, first + 1, first + lineBytes);
    }
  }
}

function expandRow(row: Uint8Array, out: Uint8Array, offset: number, expansion: number): void {
  if (expansion === 1) {
    out.set(row, offset);
    return;
  }
  let o = offset;
  for (let i = 0; i < row.length; i += 3) {
    const r = row[i];
    const g = row[i + 1];
    const b = row[i + 2];
    for (let k = 0; k < expansion; k++) {
      out[o++] = r;
      out[o++] = g;
      out[o++] = b;
    }
  }
}

function subFilterInPlace(line: Uint8Array, start: number, length: number): void {
  for (let i = start + length - 1; i >= start + 3; i--) line[i] = (line[i] - line[i - 3]) & 0xff;
}

function storedZlibLength(dataLength: number): number {
  return 2 + Math.max(1, Math.ceil(dataLength / MAX_STORED_BLOCK)) * 5 + dataLength + 4;
}

/** A zlib stream of stored (uncompressed) deflate blocks: raw audio gains ~5 % from level 1 at 3× the cost. */
function writeStoredZlib(data: Uint8Array, out: Buffer, offset: number): void {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED_BLOCK));
  out[offset] = 0x78; // deflate, 32 KiB window
  out[offset + 1] = 0x01; // check bits for 0x78 0x01: no dictionary, fastest level
  let o = offset + 2;
  for (let start = 0, block = 0; block < blocks; block++, start += MAX_STORED_BLOCK) {
    const length = Math.min(MAX_STORED_BLOCK, data.length - start);
    out[o] = block === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(length, o + 1);
    out.writeUInt16LE(~length & 0xffff, o + 3);
    out.set(data.subarray(start, start + length), o + 5);
    o += 5 + length;
  }
  out.writeUInt32BE(adler32(data), o);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
