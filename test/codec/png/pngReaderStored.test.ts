/**
 * Zlib streams of stored blocks (frames at expansion 1), alone and mixed with compressed blocks:
 * the reader gives their pixels back and refuses each way such a stream can be corrupt.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { ResonanceError } from '../../../src/codec';
import { decodePng } from '../../../src/codec/png/pngReader';
import { encodePng } from '../../../src/codec/png/pngWriter';
import { assemblePng, readChunks, rgbOfPng } from '../../helpers/pngFiles';
import { Prng } from '../../helpers/prng';

const FILE = 'frame.png';
// 300 × 250 data pixels: 225 250 bytes of scanlines, four stored blocks, the last one partial.
const GRID = { columns: 300, rows: 250 };
const pixels = new Prng(31).bytes(GRID.columns * GRID.rows * 3);
const stored = encodePng(pixels, GRID, { expansion: 1, compression: 'fast' });
const chunks = readChunks(stored);
const idat = chunks.find((c) => c.type === 'IDAT')!.data;
const scanlines = Buffer.concat(Array.from({ length: GRID.rows }, (_, y) => [Buffer.from([0]), pixels.subarray(y * 900, (y + 1) * 900)]).flat());

function withIdats(...datas: Buffer[]): Buffer {
  return assemblePng([
    ...chunks.filter((c) => c.type !== 'IDAT' && c.type !== 'IEND'),
    ...datas.map((data) => ({ type: 'IDAT', data })),
    { type: 'IEND', data: Buffer.alloc(0) },
  ]);
}

function adler(bytes: Uint8Array): Buffer {
  const trailer = deflateSync(bytes, { level: 0 });
  return trailer.subarray(trailer.length - 4);
}

/** A zlib stream of stored blocks over `data`, `blockSize` bytes each. */
function storedStream(data: Buffer, blockSize: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
  for (let start = 0; start < data.length || start === 0; start += blockSize) {
    const block = data.subarray(start, start + blockSize);
    const header = Buffer.alloc(5);
    header[0] = start + blockSize >= data.length ? 1 : 0;
    header.writeUInt16LE(block.length, 1);
    header.writeUInt16LE(~block.length & 0xffff, 3);
    parts.push(header, block);
    if (block.length === 0) break;
  }
  return Buffer.concat([...parts, adler(data)]);
}

describe('stored image data', () => {
  test('decodes to the pixels that were written, as pngjs reads them', () => {
    assert.deepEqual(Buffer.from(decodePng(stored, FILE).rgb), Buffer.from(pixels));
    assert.deepEqual(rgbOfPng(stored).rgb, Buffer.from(pixels));
  });

  test('decodes the same when its blocks are split across several IDAT chunks and block sizes', () => {
    for (const cuts of [[1], [7, 70000], [65537]]) {
      const parts: Buffer[] = [];
      let start = 0;
      for (const cut of cuts) {
        parts.push(idat.subarray(start, cut));
        start = cut;
      }
      parts.push(idat.subarray(start));
      assert.deepEqual(Buffer.from(decodePng(withIdats(...parts), FILE).rgb), Buffer.from(pixels), `IDAT cut at ${cuts}`);
    }
    for (const blockSize of [1000, 65535]) {
      assert.deepEqual(Buffer.from(decodePng(withIdats(storedStream(scanlines, blockSize)), FILE).rgb), Buffer.from(pixels), `${blockSize}-byte blocks`);
    }
  });

  test('a stored block followed by compressed ones is handed to inflate', () => {
    // Random rows, then black ones that deflate compresses (random bytes it would store again).
    const split = 60_000;
    const mixedPixels = Buffer.concat([pixels.subarray(0, 50_000), Buffer.alloc(pixels.length - 50_000)]);
    const mixedScanlines = Buffer.concat(Array.from({ length: GRID.rows }, (_, y) => [Buffer.from([0]), mixedPixels.subarray(y * 900, (y + 1) * 900)]).flat());
    // The stored block's header byte (not final, BTYPE 00), LEN and NLEN; the raw deflate stream
    // after it starts byte-aligned and ends the zlib stream.
    const blockHeader = Buffer.from([0, split & 0xff, split >> 8, ~split & 0xff, (~split >> 8) & 0xff]);
    const compressed = deflateRawSync(mixedScanlines.subarray(split));
    assert.notEqual(compressed[0] & 0x06, 0, 'the second block is a compressed one');
    const mixed = Buffer.concat([Buffer.from([0x78, 0x01]), blockHeader, mixedScanlines.subarray(0, split), compressed, adler(mixedScanlines)]);
    assert.deepEqual(Buffer.from(decodePng(withIdats(mixed), FILE).rgb), mixedPixels);
  });

  const corrupt = (name: string, data: Buffer, problem: RegExp) =>
    test(`refuses ${name}`, () => {
      assert.throws(
        () => decodePng(withIdats(data), FILE),
        (error: unknown) => error instanceof ResonanceError && error.file === FILE && problem.test(error.problem),
      );
    });
  const badAdler = Buffer.from(idat);
  badAdler[badAdler.length - 1] ^= 1;
  void corrupt('a wrong Adler-32', badAdler, /is a corrupt PNG: its image data does not inflate \(incorrect data check\)/);
  const badLength = Buffer.from(idat);
  badLength[5] ^= 1; // NLEN of the first block
  void corrupt('a block length that does not match its complement', badLength, /its image data does not inflate \(invalid stored block lengths\)/);
  void corrupt('a stream cut inside a block', idat.subarray(0, 70000), /its image data does not inflate \(unexpected end of file\)/);
  void corrupt('a stream without its Adler-32', idat.subarray(0, idat.length - 4), /its image data does not inflate \(unexpected end of file\)/);
  void corrupt(
    'fewer scanline bytes than the image needs',
    storedStream(scanlines.subarray(0, 1000), 65535),
    /its image data holds 1000 bytes where 225250 were expected/,
  );
  void corrupt(
    'more scanline bytes than the image holds',
    storedStream(Buffer.concat([scanlines, Buffer.alloc(10)]), 65535),
    /its image data holds more than the 225250 bytes expected/,
  );
});
