/**
 * Decoding from every source of parameters: the frames' own text chunks when the manifest is gone,
 * the manifest when other tools re-saved the frames (any colour type, bit depth, interlacing,
 * text chunks stripped), and explicit options when there is no metadata at all; and frame order
 * by natural name order without a manifest.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import {
  decodeFolder,
  encodeWav,
  makeAudioFormat,
  MANIFEST_NAME,
  planFolder,
  readWavFile,
  ResonanceError,
  type Geometry,
  type SampleFormat,
} from '../../../src/codec';
import { assemblePng, interlacedRgbPng, palettePng, readChunks, resaveWithPngjs, rgbOfPng, withoutTextChunks } from '../../helpers/pngFiles';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';
import { buildWav, listInfo, TAG_PCM, type FmtSpec } from '../../helpers/wavFiles';
import { FIXTURES } from '../../helpers/paths';

const newFolder = tempFolders('sources');

interface Encoded {
  folder: string;
  frames: string;
  wav: Buffer;
  names: string[];
}

async function encode(wav: Buffer, geometry: Geometry, workers = 0): Promise<Encoded> {
  const folder = await newFolder();
  const input = join(folder, 'in.wav');
  const frames = join(folder, 'frames');
  await writeFile(input, wav);
  await encodeWav(input, { output: frames, geometry, workers });
  const names = (await readdir(frames)).filter((n) => n.endsWith('.png')).sort();
  return { folder, frames, wav, names };
}

async function rewriteFrames(encoded: Encoded, rewrite: (png: Buffer) => Buffer): Promise<void> {
  for (const name of encoded.names) {
    const path = join(encoded.frames, name);
    await writeFile(path, rewrite(await readFile(path)));
  }
}

const u8Mono: FmtSpec = { tag: TAG_PCM, channels: 1, sampleRate: 8000, bitsPerSample: 8 };
const s16Stereo: FmtSpec = { tag: TAG_PCM, channels: 2, sampleRate: 44100, bitsPerSample: 16 };

describe('without the manifest: from the frames’ text chunks', () => {
  const cases: Array<[string, () => Promise<Buffer>, Geometry, number]> = [
    ['ffmpeg file with LIST before the data', () => readFile(join(FIXTURES, 'ff_list_s16_stereo.wav')), { width: 96, height: 64, expansion: 1 }, 2],
    ['EXTENSIBLE float fixture at expansion 2', () => readFile(join(FIXTURES, 'ff_f32_stereo.wav')), { width: 192, height: 128, expansion: 2 }, 2],
    [
      'chunks after odd-length data',
      async () => buildWav({ fmt: s16Stereo, data: new Prng(1).bytes(1001), before: [listInfo({ ISFT: 'x' })], after: [listInfo({ INAM: 'y' })] }),
      { width: 7, height: 5, expansion: 1 },
      0,
    ],
    ['a single frame', async () => buildWav({ fmt: u8Mono, data: new Prng(2).bytes(50) }), { width: 7, height: 5, expansion: 1 }, 0],
  ];
  for (const [name, makeWav, geometry, workers] of cases) {
    test(`${name}: byte-identical, frame 0 carrying the original header`, async () => {
      const encoded = await encode(await makeWav(), geometry, workers);
      await rm(join(encoded.frames, MANIFEST_NAME));
      const output = join(encoded.folder, 'out.wav');
      const result = await decodeFolder(encoded.frames, { output, workers });
      assert.ok((await readFile(output)).equals(encoded.wav));
      assert.equal(result.metadata, 'frames');
      assert.equal(result.container, 'original');
      assert.equal(result.unchanged, encoded.names.length, 'checksums from the text chunks');
      assert.equal(result.unverified, 0);
      assert.deepEqual(result.modified, []);
    });
  }

  test('a header too big to ride in frame 0: a canonical WAV holding exactly the original data', async () => {
    const data = new Prng(3).bytes(3000);
    const wav = buildWav({ fmt: s16Stereo, data, before: [{ id: 'JUNK', body: Buffer.alloc(70 * 1024) }] });
    const encoded = await encode(wav, { width: 10, height: 10, expansion: 1 });
    await rm(join(encoded.frames, MANIFEST_NAME));
    const output = join(encoded.folder, 'out.wav');
    const result = await decodeFolder(encoded.frames, { output, workers: 0 });
    assert.equal(result.container, 'canonical');
    assert.equal(result.metadata, 'frames');
    assert.equal(result.unchanged, encoded.names.length);
    const layout = await readWavFile(output);
    assert.deepEqual(layout.format, makeAudioFormat('s16', 2, 44100));
    assert.equal(layout.dataLength, 3000);
    assert.ok((await readFile(output)).subarray(layout.dataOffset, layout.dataOffset + 3000).equals(data));
  });

  test('a frame whose pixels changed is reported modified by its text-chunk checksum', async () => {
    const encoded = await encode(buildWav({ fmt: u8Mono, data: new Prng(4).bytes(400) }), { width: 7, height: 5, expansion: 1 });
    await rm(join(encoded.frames, MANIFEST_NAME));
    const second = join(encoded.frames, encoded.names[1]);
    const png = await readFile(second);
    const { rgb, width, height } = rgbOfPng(png);
    rgb[10] ^= 1;
    // The changed pixels with the frame's own text chunk kept, as an editor that keeps metadata saves them.
    const resaved = readChunks(resaveWithPngjs(rgb, width, height, { colorType: 2, bitDepth: 8 }));
    const text = readChunks(png).filter((c) => c.type === 'tEXt');
    assert.equal(text.length, 1);
    await writeFile(second, assemblePng([resaved[0], ...text, ...resaved.slice(1)]));
    const result = await decodeFolder(encoded.frames, { output: join(encoded.folder, 'out.wav'), workers: 0 });
    assert.deepEqual(result.modified, [1]);
    assert.equal(result.unchanged, encoded.names.length - 1);
    assert.equal(result.unverified, 0);
  });
});

describe('a single frame on its own', () => {
  // 1000 bytes at 105 a frame: frames 0–8 full, frame 9 holds the last 55 bytes.
  const data = new Prng(6).bytes(1000);

  for (const [index, start, length] of [[0, 0, 105], [4, 420, 105], [9, 945, 55]] as const) {
    test(`frame ${index} alone decodes to a canonical WAV of exactly its own data`, async () => {
      const encoded = await encode(buildWav({ fmt: s16Stereo, data }), { width: 7, height: 5, expansion: 1 });
      assert.equal(encoded.names.length, 10);
      const alone = join(encoded.folder, 'alone');
      await mkdir(alone);
      await writeFile(join(alone, encoded.names[index]), await readFile(join(encoded.frames, encoded.names[index])));
      const output = join(encoded.folder, 'alone.wav');
      const result = await decodeFolder(alone, { output, workers: 0 });
      assert.equal(result.metadata, 'frames');
      assert.equal(result.unchanged, 1);
      assert.equal(result.container, 'canonical', 'the original header belongs to the whole file');
      const layout = await readWavFile(output);
      assert.deepEqual(layout.format, makeAudioFormat('s16', 2, 44100));
      assert.equal(layout.dataLength, length);
      assert.ok((await readFile(output)).subarray(layout.dataOffset, layout.dataOffset + length).equals(data.subarray(start, start + length)));
    });
  }
});

describe('with the manifest, changed frames are reported', () => {
  test('pixels changed and re-saved: the frame is modified, the data not bit-exact, the rest unchanged', async () => {
    const encoded = await encode(buildWav({ fmt: u8Mono, data: new Prng(7).bytes(400) }), { width: 7, height: 5, expansion: 1 });
    const third = join(encoded.frames, encoded.names[2]);
    const { rgb, width, height } = rgbOfPng(await readFile(third));
    rgb[0] ^= 0x80;
    await writeFile(third, resaveWithPngjs(rgb, width, height, { colorType: 2, bitDepth: 8 }));
    const output = join(encoded.folder, 'out.wav');
    const result = await decodeFolder(encoded.frames, { output, workers: 0 });
    assert.deepEqual(result.modified, [2]);
    assert.equal(result.unchanged, encoded.names.length - 1);
    assert.equal(result.bitExact, false);
    const back = await readFile(output);
    const dataOffset = (await readWavFile(output)).dataOffset;
    assert.equal(back.length, encoded.wav.length);
    assert.equal(back[dataOffset + 2 * 105], encoded.wav[dataOffset + 2 * 105] ^ 0x80, 'the changed byte is decoded as changed');
  });
});

/** Data whose pixels (byte triples) are all grey: R = G = B. */
function greyData(pixels: number, seed: number): Buffer {
  const prng = new Prng(seed);
  const data = Buffer.alloc(pixels * 3);
  for (let p = 0; p < pixels; p++) data.fill(prng.below(256), p * 3, p * 3 + 3);
  return data;
}

/** Data whose pixels take at most `colours` distinct values (the zero padding adds black). */
function fewColourData(pixels: number, colours: number, seed: number): Buffer {
  const prng = new Prng(seed);
  const palette = Array.from({ length: colours }, () => prng.bytes(3));
  const data = Buffer.alloc(pixels * 3);
  for (let p = 0; p < pixels; p++) prng.pick(palette).copy(data, p * 3);
  return data;
}

describe('with the manifest, frames re-saved by other tools (text chunks gone) decode bit-exact', () => {
  const geometries: Geometry[] = [
    { width: 9, height: 7, expansion: 1 },
    { width: 12, height: 8, expansion: 2 },
  ];
  const variants: Array<{ name: string; data: (seed: number) => Buffer; rewrite: (png: Buffer) => Buffer }> = [
    { name: 'text chunks stripped, pixels untouched', data: (s) => new Prng(s).bytes(500), rewrite: withoutTextChunks },
    { name: 'RGB re-saved by pngjs with adaptive filters', data: (s) => new Prng(s).bytes(500), rewrite: (png) => resave(png, { colorType: 2, bitDepth: 8 }) },
    {
      name: 'RGBA with arbitrary alpha',
      data: (s) => new Prng(s).bytes(500),
      rewrite: (png) => resave(png, { colorType: 6, bitDepth: 8, alpha: (p) => (p * 97) % 256 }),
    },
    { name: 'RGBA 16-bit', data: (s) => new Prng(s).bytes(500), rewrite: (png) => resave(png, { colorType: 6, bitDepth: 16 }) },
    { name: 'RGB 16-bit (value · 257)', data: (s) => new Prng(s).bytes(500), rewrite: (png) => resave(png, { colorType: 2, bitDepth: 16 }) },
    { name: 'grey 8-bit', data: (s) => greyData(170, s), rewrite: (png) => resave(png, { colorType: 0, bitDepth: 8 }) },
    { name: 'grey 16-bit', data: (s) => greyData(170, s), rewrite: (png) => resave(png, { colorType: 0, bitDepth: 16 }) },
    { name: 'grey + alpha', data: (s) => greyData(170, s), rewrite: (png) => resave(png, { colorType: 4, bitDepth: 8, alpha: (p) => p % 256 }) },
    { name: 'palette, 255 colours and black', data: (s) => fewColourData(400, 255, s), rewrite: (png) => palette(png, 8, false) },
    { name: 'palette 4-bit, interlaced', data: (s) => fewColourData(400, 15, s), rewrite: (png) => palette(png, 4, true) },
    {
      name: 'Adam7-interlaced RGB',
      data: (s) => new Prng(s).bytes(500),
      rewrite: (png) => {
        const { rgb, width, height } = rgbOfPng(png);
        return interlacedRgbPng(rgb, width, height);
      },
    },
  ];
  let seed = 10;
  for (const variant of variants) {
    const caseSeed = seed++;
    test(variant.name, async () => {
      for (const geometry of geometries) {
        const data = variant.data(caseSeed);
        // u8 mono carries the crafted bytes as they are.
        const encoded = await encode(buildWav({ fmt: u8Mono, data, after: [listInfo({ INAM: 'resaved' })] }), geometry);
        await rewriteFrames(encoded, variant.rewrite);
        const output = join(encoded.folder, 'out.wav');
        const result = await decodeFolder(encoded.frames, { output, workers: geometry.expansion === 2 ? 1 : 0 });
        assert.ok((await readFile(output)).equals(encoded.wav), `${variant.name} at ${geometry.width}×${geometry.height}`);
        assert.equal(result.metadata, 'manifest');
        assert.equal(result.unchanged, encoded.names.length);
        assert.deepEqual(result.modified, []);
        assert.equal(result.bitExact, true);
      }
    });
  }

  function resave(png: Buffer, variant: Parameters<typeof resaveWithPngjs>[3]): Buffer {
    const { rgb, width, height } = rgbOfPng(png);
    return resaveWithPngjs(rgb, width, height, variant);
  }

  function palette(png: Buffer, bitDepth: 4 | 8, interlaced: boolean): Buffer {
    const { rgb, width, height } = rgbOfPng(png);
    return palettePng(rgb, width, height, { bitDepth, interlaced });
  }
});

describe('with no metadata at all: from explicit options', () => {
  const formats: Array<[SampleFormat, number]> = [
    ['u8', 1],
    ['s16', 2],
    ['s24', 6],
    ['s32', 2],
    ['f32', 2],
    ['f64', 8],
    ['alaw', 1],
    ['mulaw', 2],
  ];
  for (const [sampleFormat, channels] of formats) {
    test(`${sampleFormat}, ${channels} channels: a valid canonical WAV of the data`, async () => {
      const audio = makeAudioFormat(sampleFormat, channels, 22050);
      const data = new Prng(channels * 17).bytes(audio.blockAlign * 40);
      // Encoded as u8 mono; the metadata is then removed, and the caller says what the bytes are.
      const encoded = await encode(buildWav({ fmt: u8Mono, data }), { width: 8, height: 6, expansion: 2 });
      await rm(join(encoded.frames, MANIFEST_NAME));
      await rewriteFrames(encoded, withoutTextChunks);
      const output = join(encoded.folder, 'out.wav');

      await assert.rejects(
        decodeFolder(encoded.frames, { output, workers: 0 }),
        (e: unknown) => e instanceof ResonanceError && e.file === encoded.frames && /give the sample rate, channels, sample format/.test(e.problem),
      );
      // raw: the pixels' bytes as they are; without it, floats that are not checked exact are made safe.
      const result = await decodeFolder(encoded.frames, { output, workers: 0, raw: true, assume: { sampleRate: 22050, channels, sampleFormat, expansion: 2 } });
      assert.equal(result.metadata, 'assumed');
      assert.deepEqual(result.safety, { clipped: 0, replaced: 0 });
      assert.equal(result.container, 'canonical');
      assert.equal(result.unverified, encoded.names.length);
      assert.equal(result.bitExact, undefined);

      // The data comes back with the last frame's zero padding: nothing says where the audio ended.
      const bytesPerFrame = 4 * 3 * 3;
      const expectedData = Buffer.concat([data, Buffer.alloc(encoded.names.length * bytesPerFrame - data.length)]);
      const bytes = await readFile(output);
      const layout = await readWavFile(output);
      assert.deepEqual(layout.format, audio);
      assert.equal(layout.dataLength, expectedData.length);
      assert.ok(bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataLength).equals(expectedData));
      assert.equal(bytes.length, layout.dataOffset + layout.dataLength + (layout.dataLength & 1));

      const wavefile = new WaveFile(bytes);
      const wf = wavefile.fmt as { numChannels: number; sampleRate: number; blockAlign: number };
      assert.equal(wf.numChannels, channels);
      assert.equal(wf.sampleRate, 22050);
      assert.equal(wf.blockAlign, audio.blockAlign);
      assert.equal((wavefile.data as { chunkSize: number }).chunkSize, expectedData.length);
    });
  }

  test('an expansion that does not divide the frames is refused', async () => {
    const encoded = await encode(buildWav({ fmt: u8Mono, data: Buffer.alloc(30) }), { width: 8, height: 6, expansion: 2 });
    await rm(join(encoded.frames, MANIFEST_NAME));
    await rewriteFrames(encoded, withoutTextChunks);
    await assert.rejects(
      decodeFolder(encoded.frames, {
        output: join(encoded.folder, 'out.wav'),
        workers: 0,
        assume: { sampleRate: 8000, channels: 1, sampleFormat: 'u8', expansion: 4 },
      }),
      (e: unknown) => e instanceof ResonanceError && e.file === encoded.frames && /multiples of the pixel expansion 4/.test(e.problem),
    );
    assert.deepEqual((await readdir(encoded.folder)).sort(), ['frames', 'in.wav']);
  });
});

describe('frame order without a manifest is natural name order', () => {
  async function renamed(strip: boolean): Promise<Encoded> {
    // 12 frames: in plain string order f10–f12 would come before f2.
    const encoded = await encode(buildWav({ fmt: u8Mono, data: new Prng(99).bytes(12 * 21 - 5) }), { width: 7, height: 1, expansion: 1 });
    assert.equal(encoded.names.length, 12);
    await rm(join(encoded.frames, MANIFEST_NAME));
    if (strip) await rewriteFrames(encoded, withoutTextChunks);
    for (const [i, name] of encoded.names.entries()) await rename(join(encoded.frames, name), join(encoded.frames, `f${i + 1}.png`));
    await writeFile(join(encoded.frames, 'notes.txt'), 'not a frame');
    await writeFile(join(encoded.frames, '.f0.png'), 'a hidden file, not a frame');
    return encoded;
  }

  test('planFolder orders f2.png before f10.png and ignores other files', async () => {
    const encoded = await renamed(false);
    const plan = await planFolder(encoded.frames);
    assert.deepEqual([...plan.frames], Array.from({ length: 12 }, (_, i) => `f${i + 1}.png`));
  });

  test('frames with their text chunks decode byte-identical in that order', async () => {
    const encoded = await renamed(false);
    const output = join(encoded.folder, 'out.wav');
    const result = await decodeFolder(encoded.frames, { output, workers: 0 });
    assert.equal(result.metadata, 'frames');
    assert.ok((await readFile(output)).equals(encoded.wav));
  });

  test('frames without metadata decode in that order from explicit options', async () => {
    const encoded = await renamed(true);
    const output = join(encoded.folder, 'out.wav');
    await decodeFolder(encoded.frames, { output, workers: 0, assume: { sampleRate: 8000, channels: 1, sampleFormat: 'u8' } });
    const layout = await readWavFile(output);
    const original = await readWavFile(join(encoded.folder, 'in.wav'));
    const data = (await readFile(output)).subarray(layout.dataOffset, layout.dataOffset + original.dataLength);
    assert.ok(data.equals(encoded.wav.subarray(original.dataOffset, original.dataOffset + original.dataLength)));
  });
});
