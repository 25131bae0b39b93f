/** The WebAssembly SIMD Adler-32 against node:zlib's and the plain JavaScript one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { adler32Simd, adler32SimdAvailable } from '../../../src/codec/png/adler32Simd';
import { adler32, portableAdler32 } from '../../../src/codec/png/checksums';
import { Prng } from '../../helpers/prng';

/** The Adler-32 node:zlib computes: the last four bytes of a zlib stream, big-endian. */
function zlibAdler32(data: Uint8Array): number {
  const stream = deflateSync(data, { level: 0 });
  return stream.readUInt32BE(stream.length - 4);
}

// Around the 32-byte block, the 32 KiB piece and zlib's 5552-byte reduction.
const LENGTHS = [0, 1, 31, 32, 33, 1023, 1024, 1025, 5552, 32767, 32768, 32769, 65536 + 31, 1_769_472 + 768];

test('adler32Simd matches node:zlib at every length, aligned or not, and continues from a previous value', (t) => {
  if (!adler32SimdAvailable) {
    t.skip('no WebAssembly SIMD in this runtime: adler32 uses the JavaScript loop');
    return;
  }
  const prng = new Prng(11);
  for (const length of LENGTHS) {
    for (const offset of [0, 1, 3]) {
      const data = prng.bytes(length + offset).subarray(offset);
      assert.equal(adler32Simd(data, 1), zlibAdler32(data), `length ${length}, offset ${offset}`);
    }
  }
  const data = prng.bytes(100_000);
  for (const split of [1, 32, 4097, 32768, 99_999]) {
    assert.equal(adler32Simd(data.subarray(split), adler32Simd(data.subarray(0, split), 1)), zlibAdler32(data), `split at ${split}`);
  }
});

test('adler32Simd does not overflow on bytes of 0xFF', (t) => {
  if (!adler32SimdAvailable) {
    t.skip('no WebAssembly SIMD in this runtime');
    return;
  }
  const ones = Buffer.alloc(4 << 20, 0xff);
  assert.equal(adler32Simd(ones, 1), zlibAdler32(ones));
});

test('adler32 gives the same as the JavaScript loop whichever path it takes', () => {
  const prng = new Prng(12);
  for (const length of LENGTHS) {
    const data = prng.bytes(length);
    assert.equal(adler32(data), portableAdler32(data), `length ${length}`);
  }
});
