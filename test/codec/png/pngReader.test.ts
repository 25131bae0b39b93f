/**
 * The frame reader on PNGs as other tools save them: every colour type, bit depth, filter and
 * interlacing reads back as the same 8-bit RGB; and each way a PNG can be corrupt is a
 * ResonanceError naming the file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { ResonanceError } from '../../../src/codec';
import { inflateInto } from '../../../src/codec/png/inflate';
import { decodePng, readPngHeader } from '../../../src/codec/png/pngReader';
import { encodePng } from '../../../src/codec/png/pngWriter';
import { assemblePng, interlacedRgbPng, palettePng, readChunks, resaveWithPngjs, rgbOfPng, type PngChunk } from '../../helpers/pngFiles';
import { Prng } from '../../helpers/prng';

const FILE = '/frames/frame_00003.png';

function noise(width: number, height: number, seed: number): Buffer {
  return new Prng(seed).bytes(width * height * 3);
}

/** Pixels where R = G = B, which a grey image keeps. */
function greys(width: number, height: number, seed: number): Buffer {
  const prng = new Prng(seed);
  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) rgb.fill(prng.below(256), p * 3, p * 3 + 3);
  return rgb;
}

/** Pixels drawn from `colours` distinct colours, which a palette of that size holds. */
function fewColours(width: number, height: number, colours: number, seed: number): Buffer {
  const prng = new Prng(seed);
  const palette = Array.from({ length: colours }, () => prng.bytes(3));
  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) palette[p % colours].copy(rgb, p * 3);
  return rgb;
}

function assertReadsAs(png: Buffer, rgb: Buffer, width: number, height: number, what: string): void {
  const decoded = decodePng(png, FILE);
  assert.equal(decoded.header.width, width, what);
  assert.equal(decoded.header.height, height, what);
  assert.ok(Buffer.from(decoded.rgb).equals(rgb), `${what}: pixels read back unchanged`);
}

const SIZES: Array<[number, number]> = [
  [1, 1],
  [2, 3],
  [7, 5],
  [16, 16],
  [33, 9],
];

describe('decodePng reads every PNG variant as 8-bit RGB', () => {
  test('8-bit RGB with each row filter (None, Sub, Up, Average, Paeth) and with filters mixed', () => {
    for (const [w, h] of SIZES) {
      const rgb = noise(w, h, w * h);
      for (const filterType of [0, 1, 2, 3, 4, undefined]) {
        assertReadsAs(resaveWithPngjs(rgb, w, h, { colorType: 2, bitDepth: 8, filterType }), rgb, w, h, `${w}×${h} filter ${filterType ?? 'mixed'}`);
      }
    }
  });

  test('8-bit RGB split over several IDAT chunks, with extra ancillary chunks', () => {
    const rgb = noise(20, 10, 1);
    const chunks = readChunks(resaveWithPngjs(rgb, 20, 10, { colorType: 2, bitDepth: 8 }));
    const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
    const split: PngChunk[] = [];
    for (let i = 0; i < idat.length; i += 37) split.push({ type: 'IDAT', data: idat.subarray(i, i + 37) });
    const gama = { type: 'gAMA', data: Buffer.from([0, 0, 0xb1, 0x8f]) };
    const png = assemblePng([chunks[0], gama, ...split, { type: 'tIME', data: Buffer.alloc(7, 1) }, { type: 'IEND', data: Buffer.alloc(0) }]);
    assertReadsAs(png, rgb, 20, 10, 'split IDAT');
  });

  test('RGBA at 8 and 16 bits: alpha is dropped, even where it is 0', () => {
    for (const [w, h] of SIZES) {
      const rgb = noise(w, h, w + h);
      for (const bitDepth of [8, 16] as const) {
        const png = resaveWithPngjs(rgb, w, h, { colorType: 6, bitDepth, alpha: (p) => (p * 53) % 256 });
        assertReadsAs(png, rgb, w, h, `${w}×${h} RGBA ${bitDepth}-bit`);
      }
    }
  });

  test('16-bit RGB holding value · 257', () => {
    for (const [w, h] of SIZES) {
      const rgb = noise(w, h, w * 3 + h);
      assertReadsAs(resaveWithPngjs(rgb, w, h, { colorType: 2, bitDepth: 16 }), rgb, w, h, `${w}×${h} RGB 16-bit`);
    }
  });

  test('16-bit RGB holding value · 256, as a plain shift widens it', () => {
    for (const [w, h] of SIZES) {
      const rgb = noise(w, h, w * 5 + h);
      assertReadsAs(resaveWithPngjs(rgb, w, h, { colorType: 2, bitDepth: 16, widen: 256 }), rgb, w, h, `${w}×${h} RGB 16-bit · 256`);
    }
  });

  test('grey and grey + alpha at 8 and 16 bits, where R = G = B', () => {
    for (const [w, h] of SIZES) {
      const rgb = greys(w, h, w * 7 + h);
      for (const colorType of [0, 4] as const) {
        for (const bitDepth of [8, 16] as const) {
          const png = resaveWithPngjs(rgb, w, h, { colorType, bitDepth, alpha: (p) => p % 256 });
          assert.equal(png[25], colorType);
          assertReadsAs(png, rgb, w, h, `${w}×${h} colour type ${colorType}, ${bitDepth}-bit`);
        }
      }
    }
  });

  test('palette at 1, 2, 4 and 8 bits, with and without a tRNS chunk, interlaced or not', () => {
    for (const [w, h] of SIZES) {
      for (const bitDepth of [1, 2, 4, 8] as const) {
        const rgb = fewColours(w, h, 2 ** bitDepth, w * h + bitDepth);
        for (const interlaced of [false, true]) {
          for (const transparentIndex of [undefined, 0]) {
            const png = palettePng(rgb, w, h, { bitDepth, interlaced, transparentIndex });
            assertReadsAs(
              png,
              rgb,
              w,
              h,
              `${w}×${h} palette ${bitDepth}-bit${interlaced ? ' interlaced' : ''}${transparentIndex === undefined ? '' : ' tRNS'}`,
            );
          }
        }
      }
    }
  });

  test('Adam7-interlaced RGB, including sizes where some passes are empty', () => {
    for (const [w, h] of [...SIZES, [1, 9], [9, 1], [8, 8]] as Array<[number, number]>) {
      const rgb = noise(w, h, w * 31 + h);
      const png = interlacedRgbPng(rgb, w, h);
      assert.ok(rgbOfPng(png).rgb.equals(rgb), 'the test writer agrees with pngjs');
      assertReadsAs(png, rgb, w, h, `${w}×${h} Adam7`);
    }
  });

  test('RGB with a tRNS colour: pixels of that colour keep their colour', () => {
    const rgb = noise(8, 8, 3);
    rgb.fill(0, 0, 9); // three black pixels, the transparent colour below
    const chunks = readChunks(resaveWithPngjs(rgb, 8, 8, { colorType: 2, bitDepth: 8 }));
    const png = assemblePng([chunks[0], { type: 'tRNS', data: Buffer.alloc(6) }, ...chunks.slice(1)]);
    assertReadsAs(png, rgb, 8, 8, 'RGB with tRNS');
  });
});

describe('readPngHeader', () => {
  const png = encodePng(
    noise(4, 3, 1),
    { columns: 4, rows: 3 },
    {
      expansion: 2,
      compression: 'default',
      texts: [
        { keyword: 'resonance', text: '{"a":1}' },
        { keyword: 'Comment', text: 'hi' },
      ],
    },
  );

  test('reads size and text chunks from the bytes before the image data', () => {
    const header = readPngHeader(png.subarray(0, png.indexOf('IDAT', 0, 'latin1') + 4), FILE);
    assert.equal(header.width, 8);
    assert.equal(header.height, 6);
    assert.equal(header.bitDepth, 8);
    assert.equal(header.colorType, 2);
    assert.equal(header.interlaced, false);
    assert.deepEqual([...header.texts], [['resonance', '{"a":1}'], ['Comment', 'hi']]);
  });

  test('reads the size from the first 33 bytes alone (signature and IHDR)', () => {
    const header = readPngHeader(png.subarray(0, 33), FILE);
    assert.equal(header.width, 8);
    assert.equal(header.height, 6);
    assert.equal(header.texts.size, 0);
  });

  test('reports the interlace flag', () => {
    assert.equal(readPngHeader(interlacedRgbPng(noise(3, 3, 2), 3, 3), FILE).interlaced, true);
  });
});

describe('corrupt PNGs are ResonanceErrors naming the file and the problem', () => {
  const rgb = noise(12, 10, 4);
  const good = resaveWithPngjs(rgb, 12, 10, { colorType: 2, bitDepth: 8 });
  const goodPalette = palettePng(fewColours(12, 10, 16, 5), 12, 10, { bitDepth: 4 });
  const chunks = readChunks(good);
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  const ihdr = chunks[0];
  const iend = { type: 'IEND', data: Buffer.alloc(0) };
  const withIdat = (data: Buffer, header = ihdr) => assemblePng([header, { type: 'IDAT', data }, iend]);
  const rawRows = (filter: number) => {
    const lines = Buffer.alloc((1 + 12 * 3) * 10);
    for (let y = 0; y < 10; y++) lines[y * 37] = y === 4 ? filter : 0;
    return deflateSync(lines);
  };
  const withIhdr = (patch: (data: Buffer) => void) => {
    const data = Buffer.from(ihdr.data);
    patch(data);
    return { type: 'IHDR', data };
  };

  const cases: Array<[string, Buffer, RegExp]> = [
    ['an empty file', Buffer.alloc(0), /is not a PNG file/],
    ['a text file', Buffer.from('this is not a picture at all', 'latin1'), /is not a PNG file/],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]), /is not a PNG file/],
    ['only the signature', good.subarray(0, 8), /is a corrupt PNG: it ends before its IEND chunk/],
    ['cut in the middle of the image data', good.subarray(0, good.length - 30), /is a corrupt PNG: its 'IDAT' chunk runs past the end of the file/],
    ['cut before IEND', good.subarray(0, good.length - 12), /is a corrupt PNG: it ends before its IEND chunk/],
    ['image data that is not zlib', withIdat(Buffer.from([0x78, 0x01, 0xff, 0xff, 0xff, 0xff, 0x00])), /is a corrupt PNG: its image data does not inflate/],
    [
      'image data with a bad Adler-32',
      withIdat(Buffer.concat([chunks[1].data.subarray(0, -4), Buffer.from([1, 2, 3, 4])])),
      /is a corrupt PNG: its image data does not inflate/,
    ],
    ['image data too short for the size', withIdat(deflateSync(Buffer.alloc(100))), /is a corrupt PNG: its image data holds 100 bytes where 370 were expected/],
    [
      'image data too long for the size',
      withIdat(deflateSync(Buffer.alloc(371 + 50))),
      /is a corrupt PNG: its image data holds more than the 370 bytes expected/,
    ],
    ['an unknown row filter', withIdat(rawRows(9)), /is a corrupt PNG: row 4 has an unknown filter type 9/],
    ['no image data', assemblePng([ihdr, iend]), /is a corrupt PNG: it has no image data/],
    [
      'no IHDR first',
      assemblePng([{ type: 'tEXt', data: Buffer.from('a\0b') }, ihdr, chunks[1], iend]),
      /is a corrupt PNG: it does not start with an IHDR chunk/,
    ],
    [
      'a short IHDR',
      assemblePng([{ type: 'IHDR', data: ihdr.data.subarray(0, 12) }, chunks[1], iend]),
      /is a corrupt PNG: it does not start with an IHDR chunk/,
    ],
    [
      'a width of 0',
      withIdat(
        chunks[1].data,
        withIhdr((d) => d.writeUInt32BE(0, 0)),
      ),
      /is a corrupt PNG: its size 0 × 10 is out of range/,
    ],
    [
      'a height of 2^31',
      withIdat(
        chunks[1].data,
        withIhdr((d) => d.writeUInt32BE(2 ** 31, 4)),
      ),
      /is a corrupt PNG: its size 12 × 2147483648 is out of range/,
    ],
    [
      'a chunk type that is not letters',
      Buffer.concat([good.subarray(0, 33), Buffer.from([0, 0, 0, 0, 0x49, 0x44, 0x31, 0x54])]),
      /is a corrupt PNG: a chunk at byte 33 has an invalid type/,
    ],
    [
      'a chunk length of 0xFFFFFFFF',
      Buffer.concat([good.subarray(0, 33), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from('IDAT', 'latin1'), Buffer.alloc(20)]),
      /is a corrupt PNG: its 'IDAT' chunk runs past the end of the file/,
    ],
    ['a palette image without its palette', assemblePng(readChunks(goodPalette).filter((c) => c.type !== 'PLTE')), /is a corrupt PNG/],
    [
      'an interlaced image with bad zlib data',
      assemblePng(
        readChunks(interlacedRgbPng(rgb, 12, 10)).map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: Buffer.from([0x78, 0x01, 0xff, 0xee]) } : c)),
      ),
      /is a corrupt PNG/,
    ],
    [
      'a bit depth of 7',
      withIdat(
        chunks[1].data,
        withIhdr((d) => (d[8] = 7)),
      ),
      /is a corrupt PNG/,
    ],
    [
      'a colour type of 5',
      withIdat(
        chunks[1].data,
        withIhdr((d) => (d[9] = 5)),
      ),
      /is a corrupt PNG/,
    ],
  ];

  for (const [name, png, problem] of cases) {
    test(name, () => {
      assert.throws(
        () => decodePng(png, FILE),
        (error: unknown) => {
          assert.ok(error instanceof ResonanceError, `a ResonanceError, not ${String(error)}`);
          assert.equal(error.file, FILE);
          assert.match(error.message, new RegExp(`^${FILE}: `));
          assert.match(error.problem, problem);
          assert.doesNotMatch(error.message, /\n/, 'one line');
          return true;
        },
      );
    });
  }
});

describe('inflating into reused memory', () => {
  const streams = [
    ['level 1, RLE', deflateSync(noise(300, 40, 1), { level: 1, strategy: constants.Z_RLE })],
    ['level 9', deflateSync(Buffer.concat([noise(50, 50, 2), Buffer.alloc(20000, 3)]), { level: 9 })],
    ['stored', deflateSync(noise(100, 100, 3), { level: 0 })],
    ['empty', deflateSync(Buffer.alloc(0))],
  ] as const;

  test('gives what inflateSync gives, through one stream reused from call to call', () => {
    const out = Buffer.alloc(40000);
    for (const [name, stream] of [...streams, ...streams]) {
      const length = inflateInto(stream, out);
      const expected = inflateSync(stream);
      assert.equal(length, expected.length, name);
      assert.ok(out.subarray(0, length).equals(expected), name);
    }
  });

  test('a bad stream throws, and the next good one still inflates', () => {
    const out = Buffer.alloc(40000);
    const [, good] = streams[1];
    const badCheck = Buffer.from(good);
    badCheck[badCheck.length - 1] ^= 1;
    assert.throws(() => inflateInto(badCheck, out), /incorrect data check/);
    assert.throws(() => inflateInto(good.subarray(0, 100), out), /unexpected end of file/);
    assert.throws(() => inflateInto(Buffer.from([0x78, 0x01, 0xff, 0xff]), out), /invalid/);
    assert.equal(inflateInto(good, out), 27500);
  });

  test('stops at the end of the memory it is given', () => {
    const [, stream] = streams[1];
    assert.equal(inflateInto(stream, Buffer.alloc(1000)), 1000);
  });
});
