/** Encoding a WAV through the command writes frames; decoding them gives back the same bytes. */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';
import {
  dataChunkLength,
  decode,
  done,
  encode,
  FIXTURE,
  fixtureIn,
  listing,
  manifestOf,
  newFolder,
  pngSize,
  resetSettings,
  sameBytes,
  setSettings,
} from './helpers';

suite('encode and decode', () => {
  teardown(resetSettings);

  test('Encode to images writes the frames folder beside the WAV, with the default 768 × 768 frames', async () => {
    const folder = await newFolder('defaults');
    const wav = await fixtureIn(folder);
    const frames = await done(encode(wav, [wav]));
    assert.equal(frames.fsPath, join(folder, 'pluck_frames'));
    const manifest = await manifestOf(frames);
    const dataLength = dataChunkLength(await readFile(FIXTURE));
    assert.equal(manifest.dataLength, dataLength);
    assert.equal(manifest.frameCount, Math.ceil(dataLength / (768 * 768 * 3)));
    const pngs = (await readdir(frames.fsPath)).filter((name) => name.endsWith('.png'));
    assert.equal(pngs.length, manifest.frameCount);
    assert.deepEqual(pngSize(await readFile(join(frames.fsPath, pngs[0]))), { width: 768, height: 768 });
  });

  test('Decode folder to WAV gives back the original bytes', async () => {
    const folder = await newFolder('round-trip');
    const wav = await fixtureIn(folder);
    const frames = await done(encode(wav));
    const decoded = await done(decode(frames, [frames]));
    assert.equal(decoded.fsPath, join(folder, 'pluck_frames.wav'));
    await sameBytes(decoded.fsPath, FIXTURE);
  });

  test('width, height, pixel expansion and compression settings are honoured', async () => {
    await setSettings({ width: 64, height: 32, pixelExpansion: 2, compression: 'small' });
    const folder = await newFolder('settings');
    const frames = await done(encode(await fixtureIn(folder)));
    const manifest = await manifestOf(frames);
    assert.deepEqual(manifest.geometry, { width: 64, height: 32, expansion: 2 });
    assert.equal(manifest.compression, 'small');
    assert.equal(manifest.bytesPerFrame, (64 / 2) * (32 / 2) * 3);
    assert.equal(manifest.frameCount, Math.ceil(dataChunkLength(await readFile(FIXTURE)) / manifest.bytesPerFrame));
    assert.ok(manifest.frameCount > 1, 'small frames: several of them');
    for (const { file } of manifest.frames) assert.deepEqual(pngSize(await readFile(join(frames.fsPath, file))), { width: 64, height: 32 });
    await sameBytes((await done(decode(frames))).fsPath, FIXTURE);
  });

  test('the output folder setting puts outputs in a folder of the workspace, created when missing', async () => {
    const folder = await newFolder('output-folder');
    await setSettings({ outputFolder: `${folder.split('/').pop()}/datasets/frames` });
    const frames = await done(encode(await fixtureIn(folder)));
    assert.equal(frames.fsPath, join(folder, 'datasets', 'frames', 'pluck_frames'));
    assert.deepEqual(await listing(folder), ['datasets', 'pluck.wav']);
  });

  test('a multi-selection encodes every WAV (any case of .wav) and leaves out the rest', async () => {
    const folder = await newFolder('selection');
    const lower = await fixtureIn(folder, 'one.wav');
    const upper = await fixtureIn(folder, 'TWO.WAV');
    const text = vscode.Uri.file(join(folder, 'notes.txt'));
    await writeFile(text.fsPath, 'not audio');
    const reports = await encode(lower, [lower, text, upper]);
    assert.deepEqual(reports.map((report) => report.outcome), ['done', 'done']);
    assert.deepEqual(await listing(folder), ['TWO.WAV', 'TWO_frames', 'notes.txt', 'one.wav', 'one_frames']);
  });

  test('frames with no metadata decode with the assumed sample rate, channels and sample format', async () => {
    await setSettings({ 'assume.sampleRate': 8000, 'assume.channels': 1, 'assume.sampleFormat': 'u8' });
    const folder = await newFolder('no-metadata');
    const frames = join(folder, 'plain');
    await mkdirAndWritePngs(frames, [
      [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120],
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    ]);
    const decoded = await done(decode(vscode.Uri.file(frames)));
    const wav = await readFile(decoded.fsPath);
    assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
    assert.equal(wav.readUInt16LE(22), 1, 'channels');
    assert.equal(wav.readUInt32LE(24), 8000, 'sample rate');
    assert.equal(wav.readUInt16LE(34), 8, 'bits per sample');
    assert.deepEqual([...wav.subarray(wav.length - 24)], [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('a failure shows the codec\'s one-line message naming the folder', async () => {
    const empty = await newFolder('empty');
    const [report] = await decode(vscode.Uri.file(empty));
    assert.equal(report.outcome, 'failed');
    assert.equal(report.message, `${empty}: holds no PNG frames (it is empty)`);
    assert.deepEqual(await listing(empty), []);
  });
});

/** 2 × 2 RGB PNGs with no text chunks, as another tool would write them: 12 data bytes each. */
async function mkdirAndWritePngs(folder: string, frames: number[][]): Promise<void> {
  await mkdir(folder);
  for (const [index, bytes] of frames.entries()) {
    const png = new PNG({ width: 2, height: 2, colorType: 2, inputColorType: 2, bitDepth: 8, inputHasAlpha: false });
    png.data = Buffer.from(bytes);
    await writeFile(join(folder, `frame_${index}.png`), PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
  }
}
