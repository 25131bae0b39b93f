/**
 * CRC-32 (PNG chunks) and Adler-32 (zlib streams) for the stored-block writer and reader, which
 * need both at memory speed. node:zlib has a native crc32 from Node 20.15 (3× the speed of the
 * table-driven one here, which older versions fall back to); it has no adler32 at all, so long
 * inputs go to WebAssembly SIMD (adler32Simd.ts) where the runtime has it.
 */
import * as zlib from 'node:zlib';
import { adler32Simd, adler32SimdAvailable } from './adler32Simd';

const CRC_TABLES = buildCrcTables();

function buildCrcTables(): Int32Array {
  // Slicing-by-8: table k maps a byte to its CRC contribution k bytes further on.
  const tables = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff] ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

export const crc32: (data: Uint8Array, previous?: number) => number = nativeCrc32 ?? portableCrc32;

/** Slicing-by-8 CRC-32, for Node versions whose zlib has none. */
function portableCrc32(data: Uint8Array, previous = 0): number {
  const t = CRC_TABLES;
  let crc = ~previous;
  let i = 0;
  const end8 = data.length - 7;
  for (; i < end8; i += 8) {
    const low = crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    crc =
      t[1792 + (low & 0xff)] ^
      t[1536 + ((low >>> 8) & 0xff)] ^
      t[1280 + ((low >>> 16) & 0xff)] ^
      t[1024 + (low >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < data.length; i++) crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const ADLER_BASE = 65521;
/** The most bytes that can be summed before the 32-bit sums must be reduced. */
const ADLER_NMAX = 5552;

/** Below this length copying into WebAssembly memory costs more than it saves. */
const SIMD_MIN_LENGTH = 1024;

export function adler32(data: Uint8Array, previous = 1): number {
  return adler32SimdAvailable && data.length >= SIMD_MIN_LENGTH ? adler32Simd(data, previous) : portableAdler32(data, previous);
}

export function portableAdler32(data: Uint8Array, previous = 1): number {
  let a = previous & 0xffff;
  let b = previous >>> 16;
  let i = 0;
  while (i < data.length) {
    const end = Math.min(i + ADLER_NMAX, data.length);
    // Eight bytes a step: b gains 8·a plus each byte weighted by how many of the eight sums it is
    // in, which halves the chain of dependent additions (twice the speed of a byte at a time).
    for (const end8 = end - ((end - i) & 7); i < end8; i += 8) {
      const d0 = data[i];
      const d1 = data[i + 1];
      const d2 = data[i + 2];
      const d3 = data[i + 3];
      const d4 = data[i + 4];
      const d5 = data[i + 5];
      const d6 = data[i + 6];
      const d7 = data[i + 7];
      b += 8 * a + 8 * d0 + 7 * d1 + 6 * d2 + 5 * d3 + 4 * d4 + 3 * d5 + 2 * d6 + d7;
      a += d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7;
    }
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}
