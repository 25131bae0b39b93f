/**
 * Writes frames as 8-bit RGB PNG, each data pixel painted as an expansion × expansion block.
 *
 * Not pngjs: it cannot write text chunks, and building the image here lets repeated rows be
 * filtered with Up (all zeros) and raw audio be written as stored deflate blocks without zlib.
 */
import { deflateSync } from 'node:zlib';
import type { Grid } from '../geometry';
import { adler32, crc32 } from './checksums';
import { deflatePlan, RowFilter, type Compression } from './compression';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngWriteOptions {
  expansion: number;
  compression: Compression;
  /** tEXt chunks (Latin-1 keyword and text), written before the image data. */
  texts?: ReadonlyArray<{ keyword: string; text: string }>;
}

/** The PNG file for a frame whose data pixels (3 · columns · rows bytes, row by row) are `pixels`. */
export function encodePng(pixels: Uint8Array, grid: Grid, options: PngWriteOptions): Buffer {
  const { expansion } = options;
  const width = grid.columns * expansion;
  const height = grid.rows * expansion;
  const plan = deflatePlan(options.compression, expansion);
  const scanlines = buildScanlines(pixels, grid, expansion, plan.firstFilter, plan.repeatFilter);
  const zlibStream = plan.level === 0 ? storedZlib(scanlines) : deflateSync(scanlines, { level: plan.level, strategy: plan.strategy });

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const texts = (options.texts ?? []).map(({ keyword, text }) => chunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1')));
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), ...texts, chunk('IDAT', zlibStream), chunk('IEND', Buffer.alloc(0))]);
}

function buildScanlines(pixels: Uint8Array, grid: Grid, expansion: number, firstFilter: RowFilter, repeatFilter: RowFilter): Uint8Array {
  const dataRowBytes = grid.columns * 3;
  const lineBytes = 1 + dataRowBytes * expansion;
  const out = new Uint8Array(lineBytes * grid.rows * expansion);
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
      // Up on a repeated row is all zeros, which the array already holds.
      if (repeatFilter === RowFilter.None) out.copyWithin(start + 1, first + 1, first + lineBytes);
    }
  }
  return out;
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

/** A zlib stream of stored (uncompressed) deflate blocks: raw audio gains ~5 % from level 1 at 3× the cost. */
function storedZlib(data: Uint8Array): Buffer {
  const maxBlock = 65535;
  const blocks = Math.max(1, Math.ceil(data.length / maxBlock));
  const out = Buffer.allocUnsafe(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // check bits for 0x78 0x01: no dictionary, fastest level
  let o = 2;
  for (let start = 0, block = 0; block < blocks; block++, start += maxBlock) {
    const length = Math.min(maxBlock, data.length - start);
    out[o] = block === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(length, o + 1);
    out.writeUInt16LE(~length & 0xffff, o + 3);
    out.set(data.subarray(start, start + length), o + 5);
    o += 5 + length;
  }
  out.writeUInt32BE(adler32(data), o);
  return out;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
