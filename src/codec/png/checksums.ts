/**
 * CRC-32 (PNG chunks) and Adler-32 (zlib streams) in plain TypeScript: Node 20's zlib exposes
 * neither, and the stored-block writer needs both at memory speed.
 */
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

export function crc32(data: Uint8Array, previous = 0): number {
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

export function adler32(data: Uint8Array, previous = 1): number {
  let a = previous & 0xffff;
  let b = previous >>> 16;
  let i = 0;
  while (i < data.length) {
    const end = Math.min(i + ADLER_NMAX, data.length);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}
