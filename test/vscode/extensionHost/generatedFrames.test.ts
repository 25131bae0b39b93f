/**
 * The settings for frames meant for image models: resonance.layout reaches Encode to images,
 * resonance.reducer reaches Decode folder to WAV, resonance.assume.layout reaches the decoding of
 * frames without metadata. Each is shown by bytes that only the chosen value gives back.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';
import { dataChunk, decode, done, encode, FIXTURE, fixtureIn, manifestOf, newFolder, resetSettings, sameBytes, setSettings, type Report } from './helpers';

suite('layout and reducer settings', () => {
  teardown(resetSettings);

  test('layout "planes" is honoured: the manifest says so, and decoding gives back the same bytes', async () => {
    await setSettings({ width: 64, height: 32, pixelExpansion: 2, layout: 'planes' });
    const folder = await newFolder('layout-planes');
    const frames = await done(encode(await fixtureIn(folder)));
    const manifest = await manifestOf(frames);
    assert.equal(manifest.layout, 'planes');
    // 32 × 16 data pixels, in 4 planes (2 bytes × 2 channels) of 128 pixels, 3 sample frames each.
    assert.equal(manifest.bytesPerFrame, 4 * 128 * 3);
    const firstPixels = await readRgb(join(frames.fsPath, manifest.frames[0].file));
    const data = dataChunk(await readFile(FIXTURE));
    assert.ok(!topLeftDataPixels(firstPixels, 32, 2).equals(data.subarray(0, 32 * 3)), 'the first row of data pixels is not the data bytes in file order');
    await sameBytes((await done(decode(frames))).fsPath, FIXTURE);
  });

  test('the default layout is "bytes": the first data pixels are the data bytes in file order', async () => {
    await setSettings({ width: 64, height: 32, pixelExpansion: 2 });
    const frames = await done(encode(await fixtureIn(await newFolder('layout-bytes'))));
    const manifest = await manifestOf(frames);
    assert.equal(manifest.layout, 'bytes');
    const firstPixels = await readRgb(join(frames.fsPath, manifest.frames[0].file));
    assert.ok(topLeftDataPixels(firstPixels, 32, 2).equals(dataChunk(await readFile(FIXTURE)).subarray(0, 32 * 3)));
  });

  test('the reducer setting reaches the codec: blurred frames at expansion 4 come back bit-exact with center and auto, not with mean', async () => {
    await setSettings({ width: 64, height: 64, pixelExpansion: 4, ifOutputExists: 'overwrite' });
    const folder = await newFolder('reducer');
    const frames = await done(encode(await fixtureIn(folder)));
    const manifest = await manifestOf(frames);
    for (const { file } of manifest.frames) await rewritePng(join(frames.fsPath, file), blur121);

    await setSettings({ reducer: 'mean' });
    const [mean] = await decodeReport(frames);
    assert.match(mean.message ?? '', /modified, the audio differs from the original\.$/);
    const meanData = dataChunk(await readFile(mean.output!.fsPath));
    assert.ok(!meanData.equals(dataChunk(await readFile(FIXTURE))), 'mean does not undo the blur');

    for (const reducer of ['center', 'auto']) {
      await setSettings({ reducer });
      const [report] = await decodeReport(frames);
      // Checksums cover the data pixels as read: center reads the blurred blocks as the originals.
      const { frameCount } = manifest;
      assert.equal(
        report.message,
        `Decoded pluck_frames to pluck_frames.wav: ${frameCount} of ${frameCount} frames unchanged, bit-exact.`,
        `reducer ${reducer}`,
      );
      await sameBytes(report.output!.fsPath, FIXTURE);
    }
  });

  test('frames without metadata decode with the assumed layout', async () => {
    await setSettings({ width: 64, height: 32, pixelExpansion: 2, layout: 'planes', ifOutputExists: 'overwrite' });
    const folder = await newFolder('assume-layout');
    const frames = await done(encode(await fixtureIn(folder)));
    // As a model hands frames back: no resonance.json, no text chunks.
    await rm(join(frames.fsPath, 'resonance.json'));
    for (const name of await readdir(frames.fsPath)) await rewritePng(join(frames.fsPath, name), (image) => image);
    const original = dataChunk(await readFile(FIXTURE));
    await setSettings({ 'assume.sampleRate': 11025, 'assume.channels': 2, 'assume.sampleFormat': 's16' });

    const decodedWith = async (layout: string) => {
      await setSettings({ 'assume.layout': layout });
      const [report] = await decodeReport(frames);
      assert.match(report.message ?? '', /frames with no checksum to compare\.$/);
      const data = dataChunk(await readFile(report.output!.fsPath));
      // Whole frames of data: the audio, then the last frame's padding.
      assert.ok(data.length >= original.length);
      return data.subarray(0, original.length);
    };
    assert.ok((await decodedWith('planes')).equals(original), 'planes assumed: the original samples');
    assert.ok(!(await decodedWith('bytes')).equals(original), 'bytes assumed: other samples');
  });
});

async function decodeReport(frames: vscode.Uri): Promise<Report[]> {
  const reports = await decode(frames);
  assert.deepEqual(reports.map((report) => report.outcome), ['done'], reports[0]?.message);
  return reports;
}

interface RgbImage {
  width: number;
  height: number;
  rgb: Buffer;
}

async function readRgb(file: string): Promise<RgbImage> {
  const png = PNG.sync.read(await readFile(file));
  const rgb = Buffer.alloc(png.width * png.height * 3);
  for (let pixel = 0; pixel < png.width * png.height; pixel++) png.data.copy(rgb, pixel * 3, pixel * 4, pixel * 4 + 3);
  return { width: png.width, height: png.height, rgb };
}

/** The first `columns` data pixels of the top row, reading one image pixel per block. */
function topLeftDataPixels(image: RgbImage, columns: number, expansion: number): Buffer {
  const bytes = Buffer.alloc(columns * 3);
  for (let column = 0; column < columns; column++) image.rgb.copy(bytes, column * 3, column * expansion * 3, column * expansion * 3 + 3);
  return bytes;
}

/** Rewrites a PNG as a plain RGB PNG with no text chunks, through `transform`. */
async function rewritePng(file: string, transform: (image: RgbImage) => RgbImage): Promise<void> {
  const image = transform(await readRgb(file));
  const png = new PNG({ width: image.width, height: image.height, colorType: 2, inputColorType: 2, bitDepth: 8, inputHasAlpha: false });
  png.data = image.rgb;
  await writeFile(file, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

/** The [1,2,1] ⊗ [1,2,1] blur of issue 6, edges clamped, rounded to nearest. */
function blur121({ width, height, rgb }: RgbImage): RgbImage {
  const out = Buffer.alloc(rgb.length);
  const at = (x: number, y: number, channel: number) => rgb[(Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))) * 3 + channel];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let channel = 0; channel < 3; channel++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += (2 - Math.abs(dx)) * (2 - Math.abs(dy)) * at(x + dx, y + dy, channel);
        out[(y * width + x) * 3 + channel] = Math.round(sum / 16);
      }
    }
  }
  return { width, height, rgb: out };
}
