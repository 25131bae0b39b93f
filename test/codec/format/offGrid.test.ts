import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFolder, encodeWav, makeAudioFormat, offGridMap, offGridOf } from '../../../src/codec';
import { decodePng } from '../../../src/codec/png/pngReader';
import { encodePng } from '../../../src/codec/png/pngWriter';
import { reduceToGrid } from '../../../src/codec/format/reduce';
import { canonicalContainer } from '../../../src/codec/wav/wavFile';
import { expandGrid, gaussianNoise } from '../../../bench/robustnessDamage';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';
import { runCli } from '../../../src/cli/cli';

const newFolder = tempFolders('offgrid');

test('an unchanged frame is on the grid everywhere: map of zeros, figure 0', () => {
  const grid = { columns: 12, rows: 7 };
  const image = expandGrid(new Prng(1).bytes(12 * 7 * 3), 12, 7, 4);
  const reduced = reduceToGrid(image.rgb, image.width, image.height, grid, 'center');
  const offGrid = offGridOf(image.rgb, image.width, image.height, grid, reduced);
  assert.deepEqual([offGrid.columns, offGrid.rows, offGrid.map.length], [12, 7, 84]);
  assert.ok(offGrid.map.every((v) => v === 0));
  assert.equal(offGrid.figure, 0);
});

test('the map holds each block\'s mean absolute deviation from its reduced value, and marks only damaged blocks', () => {
  const grid = { columns: 3, rows: 2 };
  const image = expandGrid(new Uint8Array(3 * 2 * 3).fill(100), 3, 2, 2);
  // Block (1, 1), pixel at its top-left: red +40 and blue −20, against a reduced value of 100.
  const corner = (1 * 2 * 6 + 2 * 1) * 3;
  image.rgb[corner] = 140;
  image.rgb[corner + 2] = 80;
  const reduced = new Uint8Array(3 * 2 * 3).fill(100);
  const { map, figure } = offGridOf(image.rgb, image.width, image.height, grid, reduced);
  // 60 over 4 pixels × 3 channels = 5; over the whole frame, 60 / 72.
  assert.deepEqual(Array.from(map), [0, 0, 0, 0, 5, 0]);
  assert.equal(figure, 60 / 72);
});

test('Gaussian noise of σ gives a figure near σ·√(2/π), the mean absolute deviation of a normal value', () => {
  const grid = { columns: 40, rows: 40 };
  const random = new Prng(2);
  const pixels = new Uint8Array(new Prng(3).bytes(40 * 40 * 3)).map((v) => 40 + (v % 176));
  const noisy = gaussianNoise(expandGrid(pixels, 40, 40, 4), 4, () => random.next());
  const reduced = reduceToGrid(noisy.rgb, noisy.width, noisy.height, grid, 'mean');
  const { figure } = offGridOf(noisy.rgb, noisy.width, noisy.height, grid, reduced);
  const expected = 4 * Math.sqrt(2 / Math.PI);
  assert.ok(Math.abs(figure - expected) < 0.25, `figure ${figure}, about ${expected} expected`);
});

test('offGridMap reads a frame from a file or from its bytes', async () => {
  const grid = { columns: 10, rows: 6 };
  const random = new Prng(4);
  const noisy = gaussianNoise(expandGrid(new Prng(5).bytes(10 * 6 * 3), 10, 6, 3), 2, () => random.next());
  const png = encodePng(noisy.rgb, { columns: noisy.width, rows: noisy.height }, { expansion: 1, compression: 'fast' });
  const file = join(await newFolder(), 'frame.png');
  await writeFile(file, png);
  const expected = offGridOf(noisy.rgb, noisy.width, noisy.height, grid, reduceToGrid(noisy.rgb, noisy.width, noisy.height, grid, 'center'));
  assert.deepEqual(await offGridMap(file, grid), expected);
  assert.deepEqual(await offGridMap(png, grid), expected);
  assert.ok(expected.figure > 0);
});

test('decodeFolder reports each frame\'s off-grid figure when asked, and nothing otherwise', async () => {
  const folder = await newFolder();
  const data = new Prng(6).bytes(3000);
  const { header, trailer } = canonicalContainer(makeAudioFormat('s16', 1, 8000), data.length);
  const input = join(folder, 'in.wav');
  await writeFile(input, Buffer.concat([header, data, trailer]));
  const frames = join(folder, 'frames');
  await encodeWav(input, { output: frames, geometry: { width: 64, height: 32, expansion: 4 }, workers: 0 });
  const plain = await decodeFolder(frames, { output: join(folder, 'plain.wav'), workers: 0 });
  assert.equal(plain.offGrid, undefined);
  const measured = await decodeFolder(frames, { output: join(folder, 'measured.wav'), workers: 0, offGrid: true });
  // 3000 bytes at 384 a frame: 8 frames.
  assert.deepEqual(measured.offGrid, new Array(8).fill(0));

  // Frame 4 re-saved with noise: only its figure rises. Through the worker threads this time.
  const random = new Prng(7);
  const frameFile = join(frames, 'frame_00004.png');
  const { rgb } = decodePng(await readFile(frameFile), frameFile);
  const noisy = gaussianNoise({ width: 64, height: 32, rgb }, 3, () => random.next());
  await writeFile(frameFile, encodePng(noisy.rgb, { columns: 64, rows: 32 }, { expansion: 1, compression: 'fast' }));
  const damaged = await decodeFolder(frames, { output: join(folder, 'damaged.wav'), workers: 2, offGrid: true });
  assert.equal(damaged.offGrid?.length, 8);
  damaged.offGrid!.forEach((figure, index) => (index === 4 ? assert.ok(figure > 1.5, `frame 4: ${figure}`) : assert.equal(figure, 0)));
});

test('resonance decode --off-grid prints the frames\' figures on one line', async () => {
  const folder = await newFolder();
  const data = new Prng(8).bytes(1000);
  const { header, trailer } = canonicalContainer(makeAudioFormat('u8', 1, 8000), data.length);
  const input = join(folder, 'in.wav');
  await writeFile(input, Buffer.concat([header, data, trailer]));
  const frames = join(folder, 'frames');
  await encodeWav(input, { output: frames, geometry: { width: 40, height: 40, expansion: 4 }, workers: 0 });
  const frameFile = join(frames, 'frame_00002.png');
  const { rgb } = decodePng(await readFile(frameFile), frameFile);
  const random = new Prng(9);
  const noisy = gaussianNoise({ width: 40, height: 40, rgb }, 4, () => random.next());
  await writeFile(frameFile, encodePng(noisy.rgb, { columns: 40, rows: 40 }, { expansion: 1, compression: 'fast' }));
  let stdout = '';
  const code = await runCli(['decode', frames, '-o', join(folder, 'out.wav'), '--off-grid'], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: () => true },
  });
  assert.equal(code, 0);
  const figure = (await offGridMap(frameFile, { columns: 10, rows: 10 })).figure;
  // 1000 bytes at 300 a frame: 4 frames, one of them noisy: frame_00002.png, which a person reads as frame 3.
  assert.match(stdout, new RegExp(`grid +off-grid ${(figure / 4).toFixed(2)} on average, at most ${figure.toFixed(2)} \\(frame 3\\)`));
});
