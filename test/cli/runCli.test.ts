/**
 * The CLI in-process, where a test can pretend stderr is a terminal and can abort mid-job exactly
 * when it wants to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { progressLine } from '../../src/cli/progress';
import { fixtureCopy, runInProcess } from './harness';

const SMALL_FRAMES = ['--width', '32', '--height', '32'];

test('on a terminal, stderr shows a progress bar of frames, percent and MB/s, cleared at the end', async () => {
  const wav = await fixtureCopy('ff_list_s16_stereo.wav');
  const run = await runInProcess(['encode', wav, ...SMALL_FRAMES], { stderrIsTTY: true });
  assert.equal(run.code, 0, run.stderr);
  const frameCount = Number(/(\d+) frames of/.exec(run.stdout)?.[1]);
  assert.ok(frameCount > 1);
  const redraws = run.stderr.split('\r').filter(Boolean);
  assert.match(redraws[0], /^encode ▕[█░]+▏ \d+\/\d+ frames {2}\d+% {2}[\d.]+ MB\/s\x1b\[K$/);
  assert.ok(redraws.some((line) => line.includes(`${frameCount}/${frameCount} frames  100%`)), 'the last state is always drawn');
  assert.ok(run.stderr.endsWith('\r\x1b[K'), 'the bar is erased before the summary');
});

test('the same run with stderr not a terminal writes nothing to stderr', async () => {
  const wav = await fixtureCopy('ff_list_s16_stereo.wav');
  const run = await runInProcess(['encode', wav, ...SMALL_FRAMES]);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, '');
});

test('an abort in the middle of a job exits 130, leaving no output and no partial output', async () => {
  for (const command of ['encode', 'decode'] as const) {
    const wav = await fixtureCopy('ff_list_s16_stereo.wav');
    const folder = dirname(wav);
    if (command === 'decode') assert.equal((await runInProcess(['encode', wav, '-o', `${folder}/frames`, ...SMALL_FRAMES])).code, 0);
    const before = (await readdir(folder)).sort();
    const controller = new AbortController();
    // The first progress report means a frame is done and more are to come: abort right there.
    const args = command === 'encode' ? ['encode', wav, ...SMALL_FRAMES] : ['decode', `${folder}/frames`];
    const run = await runInProcess(args, { stderrIsTTY: true, signal: controller.signal, onStderr: () => controller.abort() });
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /resonance (encode|decode): interrupted; the partial output was removed\n$/);
    assert.equal(run.stdout, '');
    assert.deepEqual((await readdir(folder)).sort(), before, `${command}: nothing left behind`);
  }
});

test('the progress line fits the terminal it is drawn on', () => {
  const progress = { framesDone: 7, frameCount: 20, bytesDone: 35_000_000, bytesTotal: 100_000_000 };
  for (const columns of [200, 80, 50, 30, 10]) {
    const line = progressLine('decode', progress, 2, columns);
    assert.ok([...line].length < columns, `${columns} columns: "${line}"`);
    if (columns >= 50) assert.ok(line.includes('7/20 frames  35%  17.5 MB/s'), line);
  }
  assert.equal(progressLine('decode', progress, 2, 80), `decode ▕${'█'.repeat(14)}${'░'.repeat(26)}▏ 7/20 frames  35%  17.5 MB/s`);
});

test('the progress line groups thousands on both sides and says "frame" for one', () => {
  const many = { framesDone: 12_345, frameCount: 20_000, bytesDone: 0, bytesTotal: 0 };
  assert.ok(progressLine('encode', many, 1, 120).includes(' 12,345/20,000 frames  61%'), progressLine('encode', many, 1, 120));
  assert.ok(progressLine('encode', { ...many, framesDone: 20_000 }, 1, 120).includes(' 20,000/20,000 frames  100%'));
  assert.ok(progressLine('encode', { framesDone: 1, frameCount: 1, bytesDone: 5, bytesTotal: 5 }, 1, 120).includes(' 1/1 frame  100%'));
});
