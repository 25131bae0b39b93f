/**
 * Decoding frames as a model hands them back: at another size than the manifest's, without any
 * metadata, or changed. They decode by their own grid and are reported, never refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFolder, encodeWav, makeAudioFormat, MANIFEST_NAME, ResonanceError, type Geometry, type LayoutName } from '../../../src/codec';
import { decodePng } from '../../../src/codec/png/pngReader';
import { encodePng } from '../../../src/codec/png/pngWriter';
import { canonicalContainer } from '../../../src/codec/wav/wavFile';
import { gaussianNoise, resizeBilinear, resizeNearest, type RgbImage } from '../../../bench/robustnessDamage';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';

const newFolder = tempFolders('generated');
const GEOMETRY: Geometry = { width: 96, height: 64, expansion: 4 };

interface Encoded {
  wav: Buffer;
  data: Buffer;
  frames: string;
  folder: string;
}

/** 700 sample frames of seeded s16 stereo noise (2800 bytes: three frames of 24 × 16 data pixels). */
async function encodeNoise(layout: LayoutName = 'bytes'): Promise<Encoded> {
  const folder = await newFolder();
  const data = new Prng(5).bytes(2800);
  const { header, trailer } = canonicalContainer(makeAudioFormat('s16', 2, 8000), data.length);
  const wav = Buffer.concat([header, data, trailer]);
  const input = join(folder, 'input.wav');
  await writeFile(input, wav);
  const frames = join(folder, 'frames');
  await encodeWav(input, { output: frames, geometry: GEOMETRY, layout, workers: 0 });
  return { wav, data, frames, folder };
}

/** Rewrites every frame as a plain RGB PNG without text chunks, through `transform`. */
async function rewriteFrames(frames: string, transform: (image: RgbImage, index: number) => RgbImage): Promise<void> {
  const names = (await readdir(frames)).filter((name) => name.endsWith('.png')).sort();
  for (const [index, name] of names.entries()) {
    const file = join(frames, name);
    const { header, rgb } = decodePng(await readFile(file), file);
    const image = transform({ width: header.width, height: header.height, rgb }, index);
    await writeFile(file, encodePng(image.rgb, { columns: image.width, rows: image.height }, { expansion: 1, compression: 'fast' }));
  }
}

async function decodedData(output: string): Promise<Buffer> {
  const wav = await readFile(output);
  // Canonical and original headers here are both 44 bytes: RIFF, fmt (16), data.
  return wav.subarray(44, 44 + wav.readUInt32LE(40));
}

test('frames of another size than the manifest\'s decode by their own grid: resized by nearest neighbour, byte-identical', async () => {
  const { wav, frames, folder } = await encodeNoise();
  // 2.5 and 2.75 image pixels per data pixel: blocks of 2 and 3 pixels.
  await rewriteFrames(frames, (image) => resizeNearest(image, 60, 44));
  const output = join(folder, 'out.wav');
  const result = await decodeFolder(frames, { output, workers: 0 });
  assert.ok((await readFile(output)).equals(wav));
  // The checksums cover the data pixels read, which are the original ones.
  assert.equal(result.unchanged, 3);
  assert.equal(result.bitExact, true);
});

test('frames resized with interpolation (768 × 768 scaled to 512 × 512) decode: reported modified with mean, exact with center', async () => {
  const { wav, data, frames, folder } = await encodeNoise();
  await rewriteFrames(frames, (image) => resizeBilinear(image, 64, 43));
  const output = join(folder, 'mean.wav');
  const result = await decodeFolder(frames, { output, workers: 0, reducer: 'mean' });
  assert.deepEqual(result.modified, [0, 1, 2]);
  assert.equal(result.bitExact, false);
  assert.equal((await decodedData(output)).length, data.length);
  // Scaled by about 2/3, a 4-pixel block becomes 2 or 3 pixels; each pixel center keeps (both of a
  // 2-pixel side, the middle of a 3-pixel side) interpolates between two pixels of the same block.
  const centred = join(folder, 'center.wav');
  const exact = await decodeFolder(frames, { output: centred, workers: 0 });
  assert.equal(exact.bitExact, true);
  assert.ok((await readFile(centred)).equals(wav));
});

test('frames that differ in size from each other are still refused', async () => {
  const { frames, folder } = await encodeNoise();
  await rewriteFrames(frames, (image, index) => (index === 1 ? resizeNearest(image, 60, 44) : image));
  await assert.rejects(
    decodeFolder(frames, { output: join(folder, 'out.wav'), workers: 0 }),
    (error: Error) => error instanceof ResonanceError && /mixed sizes/.test(error.message),
  );
});

test('changed frames are reported modified and still decoded', async () => {
  const { data, frames, folder } = await encodeNoise();
  const random = new Prng(9);
  await rewriteFrames(frames, (image, index) => (index === 2 ? gaussianNoise(image, 8, () => random.next()) : image));
  // The manifest still holds the checksums; the frames lost their text chunks in the rewrite.
  const output = join(folder, 'out.wav');
  const result = await decodeFolder(frames, { output, workers: 0 });
  assert.deepEqual(result.modified, [2]);
  assert.equal(result.unchanged, 2);
  assert.equal(result.bitExact, false);
  assert.equal(result.container, 'original');
  const back = await decodedData(output);
  assert.ok(back.subarray(0, 2304).equals(data.subarray(0, 2304)), 'the unchanged frames decode exactly');
  assert.ok(!back.subarray(2304).equals(data.subarray(2304)));
});

test('frames with no manifest and no text chunks decode from the options given, at their own size or another', async () => {
  const { data, frames, folder } = await encodeNoise();
  await rm(join(frames, MANIFEST_NAME));
  await rewriteFrames(frames, (image) => image);
  await assert.rejects(
    decodeFolder(frames, { output: join(folder, 'none.wav'), workers: 0, assume: { expansion: 4 } }),
    /give the sample rate, channels, sample format/,
  );

  const assume = { sampleRate: 8000, channels: 2, sampleFormat: 's16' as const, expansion: 4 };
  const output = join(folder, 'out.wav');
  const result = await decodeFolder(frames, { output, workers: 0, assume });
  assert.equal(result.metadata, 'assumed');
  assert.equal(result.container, 'canonical');
  assert.equal(result.unverified, 3);
  const back = await decodedData(output);
  // Without a manifest the data runs to the end of the last frame: the original, then its zero padding.
  assert.equal(back.length, 3 * 1152);
  assert.ok(back.subarray(0, data.length).equals(data));
  assert.ok(back.subarray(data.length).every((byte) => byte === 0));

  // A model's output at another size: the options name the size the frames were made at.
  await rewriteFrames(frames, (image) => resizeNearest(image, 70, 50));
  const resized = join(folder, 'resized.wav');
  await decodeFolder(frames, { output: resized, workers: 0, assume: { ...assume, width: 96, height: 64 } });
  assert.ok((await decodedData(resized)).subarray(0, data.length).equals(data));
});

test('frames that lost only the manifest decode by their text chunks, at another size too', async () => {
  const { wav, frames, folder } = await encodeNoise();
  await rm(join(frames, MANIFEST_NAME));
  const names = (await readdir(frames)).sort();
  for (const name of names) {
    // Resize keeping the text chunk: rebuild the PNG with the frame's own record.
    const file = join(frames, name);
    const { header, rgb } = decodePng(await readFile(file), file);
    const image = resizeNearest({ width: header.width, height: header.height, rgb }, 48, 32);
    const texts = [...header.texts].map(([keyword, text]) => ({ keyword, text }));
    await writeFile(file, encodePng(image.rgb, { columns: 48, rows: 32 }, { expansion: 1, compression: 'fast', texts }));
  }
  const output = join(folder, 'out.wav');
  const result = await decodeFolder(frames, { output, workers: 0 });
  assert.equal(result.metadata, 'frames');
  assert.ok((await readFile(output)).equals(wav));
});
