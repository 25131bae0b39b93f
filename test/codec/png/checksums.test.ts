/** crc32 and adler32 against published check values, node:zlib, and a bit-by-bit CRC. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { adler32, crc32 } from '../../../src/codec/png/checksums';
import { bitwiseCrc32 } from '../../helpers/pngFiles';
import { Prng } from '../../helpers/prng';

const ascii = (text: string) => Buffer.from(text, 'latin1');
// Lengths around the 8-byte slicing step and adler32's 5552-byte reduction block.
const LENGTHS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 5551, 5552, 5553, 11104, 65536 + 7];

test('crc32 gives the published check values', () => {
  assert.equal(crc32(ascii('')), 0);
  assert.equal(crc32(ascii('123456789')), 0xcbf43926);
  assert.equal(crc32(ascii('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  assert.equal(crc32(ascii('IEND')), 0xae426082, "the CRC every PNG's IEND chunk carries");
});

test('crc32 matches a bit-by-bit CRC and node:zlib at every length', (t) => {
  const prng = new Prng(7);
  const zlibCrc = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  for (const length of LENGTHS) {
    const data = prng.bytes(length);
    assert.equal(crc32(data), bitwiseCrc32(data), `length ${length}`);
    if (zlibCrc) assert.equal(crc32(data), zlibCrc(data), `length ${length}`);
  }
  if (!zlibCrc) t.diagnostic('node:zlib has no crc32 in this Node version: checked against the bit-by-bit CRC only');
});

test('crc32 continues from a previous value, on unaligned subarrays', () => {
  const data = new Prng(8).bytes(10007);
  const whole = crc32(data);
  for (const split of [0, 1, 3, 8, 4096, 10006, 10007]) {
    assert.equal(crc32(data.subarray(split), crc32(data.subarray(0, split))), whole, `split at ${split}`);
  }
  assert.equal(crc32(data.subarray(3, 1003)), bitwiseCrc32(data.subarray(3, 1003)));
});

/** The Adler-32 node:zlib computes: the last four bytes of a zlib stream, big-endian. */
function zlibAdler32(data: Uint8Array): number {
  const stream = zlib.deflateSync(data, { level: 1 });
  return stream.readUInt32BE(stream.length - 4);
}

test('adler32 gives the published check values', () => {
  assert.equal(adler32(ascii('')), 1);
  assert.equal(adler32(ascii('Wikipedia')), 0x11e60398);
  assert.equal(adler32(ascii('123456789')), 0x091e01de);
});

test('adler32 matches node:zlib at every length, and on data that overflows unreduced sums', () => {
  const prng = new Prng(9);
  for (const length of LENGTHS) {
    const data = prng.bytes(length);
    assert.equal(adler32(data), zlibAdler32(data), `length ${length}`);
  }
  const allOnes = Buffer.alloc(1 << 20, 0xff);
  assert.equal(adler32(allOnes), zlibAdler32(allOnes));
});

test('adler32 continues from a previous value', () => {
  const data = new Prng(10).bytes(20000);
  for (const split of [0, 1, 5552, 5553, 19999]) {
    assert.equal(adler32(data.subarray(split), adler32(data.subarray(0, split))), adler32(data), `split at ${split}`);
  }
});
