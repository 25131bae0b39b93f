/**
 * Images to WAVs one each, as a model's samples are decoded: by their own records or the
 * parameters given, from every image format trainers write, with float output made safe, failures
 * listed, and outputs that never replace what they may not.
 */
import assert from 'node:assert/strict';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { decodeImages, imagesIn, makeAudioFormat, makeFloatsSafe, readWavFile, ResonanceError, wavNamesFor, type ImageParameters } from '../../../src/codec';
import { buildDataset } from '../../../src/dataset';
import { clipOf, sineWav, smallBuild } from '../../helpers/datasets';
import { FIXTURES } from '../../helpers/paths';
import { assemblePng, rgbOfPng } from '../../helpers/pngFiles';
import { tempFolders } from '../../helpers/tempDirs';

const newFolder = tempFolders('images');

async function dataset(sampleFormat: 'f32' | 's16'): Promise<{ folder: string; images: string[] }> {
  const root = await newFolder();
  await writeFile(join(root, 'a.wav'), sineWav({ rate: 8000, channels: 2, bits: 32, float: true, seconds: 0.4, level: 0.9 }));
  const folder = join(root, 'ds');
  await buildDataset(smallBuild([join(root, 'a.wav')], folder, { audio: { sampleFormat }, layout: 'planes' }));
  const names = (await readdir(join(folder, 'train'))).filter((name) => name.endsWith('.png')).sort();
  return { folder, images: names.map((name) => join(folder, 'train', name)) };
}

function pngOf(rgb: Uint8Array, width: number, height: number, colorType: 0 | 2 | 6 = 2): Buffer {
  const png = new PNG({ width, height, colorType, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb);
  return PNG.sync.write(png, { colorType, inputColorType: 2, inputHasAlpha: false });
}

/** A 16-bit RGB PNG of 8-bit values v as v · 257, as tools that keep precision save them. */
function sixteenBitPng(rgb: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 16;
  ihdr[9] = 2;
  const raw = Buffer.alloc(height * (1 + width * 6));
  for (let y = 0; y < height; y++) for (let i = 0; i < width * 3; i++) raw.writeUInt16BE(rgb[y * width * 3 + i] * 257, y * (1 + width * 6) + 1 + 2 * i);
  return assemblePng([{ type: 'IHDR', data: ihdr }, { type: 'IDAT', data: deflateSync(raw) }, { type: 'IEND', data: Buffer.alloc(0) }]);
}

const f32Parameters: ImageParameters = { audio: makeAudioFormat('f32', 2, 8000), layout: 'planes', geometry: { width: 32, height: 32, expansion: 1 } };

async function samplesOf(wav: string): Promise<Float32Array> {
  const bytes = await readFile(wav);
  const { dataOffset, dataLength } = await readWavFile(wav);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset + dataOffset, bytes.byteOffset + dataOffset + dataLength));
}

describe('float samples made safe', () => {
  test('NaN becomes 0, ±Inf ±1 (replaced), beyond ±1 clipped; values within and integers untouched', () => {
    const f32 = new Float32Array([0.5, NaN, Infinity, -Infinity, 1.5, -3e38, -1, 1, 0]);
    const counts = { clipped: 0, replaced: 0 };
    makeFloatsSafe(new Uint8Array(f32.buffer), 'f32', counts);
    assert.deepEqual([...f32], [0.5, 0, 1, -1, 1, -1, -1, 1, 0]);
    assert.deepEqual(counts, { clipped: 2, replaced: 3 });
    const f64 = new Float64Array([NaN, 2, -0.25]);
    makeFloatsSafe(new Uint8Array(f64.buffer), 'f64', counts);
    assert.deepEqual([...f64], [0, 1, -0.25]);
    assert.deepEqual(counts, { clipped: 3, replaced: 4 });
    const s16 = new Uint8Array([0xff, 0x7f, 0x00, 0x80]);
    makeFloatsSafe(s16, 's16', counts);
    assert.deepEqual([...s16], [0xff, 0x7f, 0x00, 0x80]);
  });
});

describe('decodeImages', () => {
  test("a dataset's own images decode by their records, exactly: each WAV holds the image's clip", async () => {
    const { images } = await dataset('f32');
    const out = await newFolder();
    const result = await decodeImages(images.map((input, i) => ({ input, output: join(out, `${i}.wav`) })), { workers: 0 });
    assert.equal(result.decoded.length, images.length);
    for (const [i, image] of images.entries()) {
      assert.equal(result.decoded[i].metadata, 'image');
      assert.equal(result.decoded[i].unchanged, true);
      const wav = await readFile(join(out, `${i}.wav`));
      const { dataOffset, dataLength } = await readWavFile(join(out, `${i}.wav`));
      assert.ok(wav.subarray(dataOffset, dataOffset + dataLength).equals(await clipOf(image)));
    }
    assert.deepEqual(result.safety, { clipped: 0, replaced: 0 });
  });

  test('noisy images without metadata: the float WAVs hold no NaN or Inf and nothing beyond ±1.0, and the counts say what changed; raw keeps it', async () => {
    const { images } = await dataset('f32');
    const generated = await newFolder();
    let seed = 3;
    const inputs: string[] = [];
    for (const [i, image] of images.entries()) {
      const { rgb, width, height } = rgbOfPng(await readFile(image));
      // Every byte random in its high bits too: what an untrained model makes.
      for (let p = 0; p < rgb.length; p++) rgb[p] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      inputs.push(join(generated, `sample_${i}.png`));
      await writeFile(inputs[i], pngOf(rgb, width, height));
    }
    const safe = await newFolder();
    const result = await decodeImages(inputs.map((input, i) => ({ input, output: join(safe, `${i}.wav`) })), { parameters: f32Parameters, workers: 0 });
    assert.ok(result.safety.replaced > 0 && result.safety.clipped > 0, JSON.stringify(result.safety));
    let beyond = 0;
    for (let i = 0; i < inputs.length; i++) for (const x of await samplesOf(join(safe, `${i}.wav`))) if (!(x >= -1 && x <= 1)) beyond++;
    assert.equal(beyond, 0);
    const raw = await newFolder();
    const rawResult = await decodeImages(
      inputs.map((input, i) => ({ input, output: join(raw, `${i}.wav`) })),
      { parameters: f32Parameters, raw: true, workers: 0 },
    );
    assert.deepEqual(rawResult.safety, { clipped: 0, replaced: 0 });
    let nan = 0;
    let rawBeyond = 0;
    for (let i = 0; i < inputs.length; i++) {
      for (const x of await samplesOf(join(raw, `${i}.wav`))) {
        if (Number.isNaN(x)) nan++;
        if (!(x >= -1 && x <= 1)) rawBeyond++;
      }
    }
    assert.ok(nan > 0);
    assert.equal(rawBeyond, result.safety.clipped + result.safety.replaced);
  });

  test('RGB, RGBA, grey, 16-bit PNG, lossless WebP and 2× upscaled images of the same pixels decode to the same WAV; JPEG decodes; another shape is ' +
    'refused', async () => {
    const folder = await newFolder();
    const source = await readFile(join(FIXTURES, 'noise16.png'));
    const { rgb } = rgbOfPng(source);
    const grey = Buffer.from(rgb);
    for (let p = 0; p < grey.length; p += 3) grey[p + 1] = grey[p + 2] = grey[p];
    const big = Buffer.alloc(32 * 32 * 3);
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) rgb.copy(big, (y * 32 + x) * 3, ((y >> 1) * 16 + (x >> 1)) * 3, ((y >> 1) * 16 + (x >> 1)) * 3 + 3);
    const files: Record<string, Buffer> = {
      'rgb.png': source,
      'rgba.png': pngOf(rgb, 16, 16, 6),
      'wide.png': sixteenBitPng(rgb, 16, 16),
      'grey.png': pngOf(grey, 16, 16, 0),
      'greyrgb.png': pngOf(grey, 16, 16, 2),
      'big.png': pngOf(big, 32, 32),
      'wrongshape.png': pngOf(big.subarray(0, 32 * 16 * 3), 32, 16),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(folder, name), bytes);
    await copyFile(join(FIXTURES, 'noise16.webp'), join(folder, 'lossless.webp'));
    const { encode } = await import('jpeg-js');
    const rgba = Buffer.alloc(16 * 16 * 4, 255);
    for (let p = 0; p < 256; p++) rgb.copy(rgba, p * 4, p * 3, p * 3 + 3);
    await writeFile(join(folder, 'q95.jpg'), encode({ data: rgba, width: 16, height: 16 }, 95).data);
    const parameters: ImageParameters = { audio: makeAudioFormat('s16', 1, 16000), layout: 'bytes', geometry: { width: 16, height: 16, expansion: 1 } };
    const names = await imagesIn(folder);
    const out = await newFolder();
    const result = await decodeImages(names.map((name) => ({ input: join(folder, name), output: join(out, `${name}.wav`) })), { parameters, workers: 0 });
    const wav = async (name: string) => readFile(join(out, `${name}.wav`));
    for (const same of ['rgba.png', 'wide.png', 'lossless.webp', 'big.png']) assert.ok((await wav(same)).equals(await wav('rgb.png')), same);
    assert.ok((await wav('grey.png')).equals(await wav('greyrgb.png')));
    assert.equal((await wav('q95.jpg')).length, (await wav('rgb.png')).length);
    assert.deepEqual(result.decoded.map((image) => image.kind).sort(), ['jpeg', 'png', 'png', 'png', 'png', 'png', 'png', 'webp']);
    assert.deepEqual(result.failed.map(({ file, code }) => [file, code]), [[join(folder, 'wrongshape.png'), 'IMAGE_SIZE_MISMATCH']]);
  });

  test('an image that cannot be decoded is listed and the others written; strict stops at it', async () => {
    const { images } = await dataset('s16');
    const folder = await newFolder();
    await copyFile(images[0], join(folder, 'good.png'));
    await writeFile(join(folder, 'bad.png'), 'not an image');
    const out = await newFolder();
    const pairs = ['bad.png', 'good.png'].map((name) => ({ input: join(folder, name), output: join(out, name.replace('.png', '.wav')) }));
    const result = await decodeImages(pairs, { workers: 0 });
    assert.deepEqual(result.failed.map((failure) => failure.code), ['PNG_INVALID']);
    assert.match(result.failed[0].message, /bad\.png: is not a PNG, JPEG or WebP image/);
    assert.deepEqual(await readdir(out), ['good.wav']);
    const strictOut = await newFolder();
    const strict = pairs.map((pair) => ({ ...pair, output: join(strictOut, 'x' + pair.output.slice(out.length + 1)) }));
    await assert.rejects(decodeImages(strict, { workers: 0, strict: true }), (e: unknown) => e instanceof ResonanceError && e.code === 'PNG_INVALID');
  });

  test('outputs: an existing one fails the job before any work; with overwrite a WAV is replaced but never the input; the folder must exist', async () => {
    const { images } = await dataset('s16');
    const out = await newFolder();
    await writeFile(join(out, '1.wav'), 'mine');
    const pairs = images.slice(0, 2).map((input, i) => ({ input, output: join(out, `${i}.wav`) }));
    await assert.rejects(
      decodeImages(pairs, { workers: 0 }),
      (e: unknown) => e instanceof ResonanceError && e.code === 'OUTPUT_EXISTS' && e.file === join(out, '1.wav'),
    );
    assert.deepEqual(await readdir(out), ['1.wav']);
    await decodeImages(pairs, { workers: 0, overwrite: true });
    assert.notEqual(await readFile(join(out, '1.wav'), 'utf8'), 'mine');
    await assert.rejects(
      decodeImages([{ input: images[0], output: images[0] }], { workers: 0, overwrite: true }),
      (e: unknown) => e instanceof ResonanceError && e.code === 'OUTPUT_PROTECTED',
    );
    await assert.rejects(
      decodeImages([{ input: images[0], output: join(out, 'no', 'x.wav') }], { workers: 0 }),
      (e: unknown) => e instanceof ResonanceError && e.code === 'OUTPUT_FOLDER_MISSING',
    );
  });

  test('on worker threads the results are the same as inline', async () => {
    const { images } = await dataset('f32');
    const [inline, threads] = [await newFolder(), await newFolder()];
    await decodeImages(images.map((input, i) => ({ input, output: join(inline, `${i}.wav`) })), { workers: 0 });
    await decodeImages(images.map((input, i) => ({ input, output: join(threads, `${i}.wav`) })), { workers: 2 });
    for (let i = 0; i < images.length; i++) assert.ok((await readFile(join(inline, `${i}.wav`))).equals(await readFile(join(threads, `${i}.wav`))));
  });
});

describe('naming', () => {
  test('images in natural order, hidden files and others left out; names shared by two images keep their extension', async () => {
    const folder = await newFolder();
    for (const name of ['s_10.png', 's_2.png', 's_1.JPG', '.hidden.png', 'notes.txt', 'a.png', 'a.webp']) await writeFile(join(folder, name), '');
    const names = await imagesIn(folder);
    assert.deepEqual(names, ['a.png', 'a.webp', 's_1.JPG', 's_2.png', 's_10.png']);
    assert.deepEqual(wavNamesFor(names), ['a.png.wav', 'a.webp.wav', 's_1.wav', 's_2.wav', 's_10.wav']);
  });
});
