/** The page's spectrum service and the worker's logic, joined by a fake channel: no browser, no Worker. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FromSpectrumWorker, ToSpectrumWorker } from '../../../src/webview/spectrum/spectrumProtocol';
import { SpectrumService } from '../../../src/webview/spectrum/spectrumService';
import { SpectrumWorkerCore } from '../../../src/webview/spectrum/spectrumWorkerCore';
import { SpectrogramLanes } from '../../../src/webview/spectrum/stft';

function sine(hz: number, amplitude: number, sampleRate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return out;
}

/** Page and worker with a queue between them; `clock` is what the worker's now() reads. */
function wire() {
  const toWorker: ToSpectrumWorker[] = [];
  const toPage: FromSpectrumWorker[] = [];
  const later: Array<() => void> = [];
  const clock = { now: 0 };
  let listener: (data: unknown) => void = () => undefined;
  let disposed = false;
  const core = new SpectrumWorkerCore({
    post: (message) => toPage.push(message),
    later: (task) => later.push(task),
    now: () => clock.now,
  });
  const pageLater: Array<() => void> = [];
  const channel = {
    post: (message: ToSpectrumWorker) => toWorker.push(message),
    onReply: (l: (data: unknown) => void) => (listener = l),
    dispose: () => (disposed = true),
  };
  const service = new SpectrumService(channel, (task) => pageLater.push(task));
  /** Delivers everything waiting, both ways, in order, until nothing is left. */
  const run = () => {
    for (;;) {
      const message = toWorker.shift();
      if (message) core.receive(message);
      else if (toPage.length > 0) listener(toPage.shift());
      else if (pageLater.length > 0) pageLater.shift()!();
      else if (later.length > 0) {
        clock.now += 5;
        later.shift()!();
      } else return;
    }
  };
  return { service, core, run, toWorker, later, clock, disposed: () => disposed };
}

test('a render arrives as slices of columns that cover the width once, equal to the columns computed at once', async () => {
  const { service, run } = wire();
  const samples = sine(1000, 0.5, 8000, 2);
  service.setClip([samples], 8000);
  const view = { width: 100, height: 32, scale: 'log' as const };
  const grid = new Float32Array(100 * 32);
  const slices: Array<[number, number]> = [];
  const done = service.render(view, (first, count, db) => {
    slices.push([first, count]);
    for (let y = 0; y < 32; y++) grid.set(db.subarray(y * count, (y + 1) * count), y * 100 + first);
  });
  run();
  assert.equal(typeof (await done)?.milliseconds, 'number');
  assert.ok(slices.length > 1, `in slices: ${JSON.stringify(slices)}`);
  let next = 0;
  for (const [first, count] of slices) {
    assert.equal(first, next);
    next += count;
  }
  assert.equal(next, 100);
  assert.deepEqual(grid, new SpectrogramLanes([samples], 8000, view).columns(0, 100));
});

test('a newer render replaces one in flight: the old one resolves undefined and its columns stop', async () => {
  const { service, run, toWorker, core, later } = wire();
  service.setClip([sine(440, 0.5, 8000, 1)], 8000);
  const seen: string[] = [];
  const first = service.render({ width: 200, height: 16, scale: 'log' }, () => seen.push('first'));
  core.receive(toWorker.shift()!); // the clip
  core.receive(toWorker.shift()!); // its samples
  core.receive(toWorker.shift()!); // the worker starts the first render: one slice, more to come
  assert.equal(later.length, 1);
  const second = service.render({ width: 50, height: 16, scale: 'linear' }, () => seen.push('second'));
  assert.equal(await first, undefined);
  run();
  assert.equal(typeof (await second)?.milliseconds, 'number');
  assert.ok(!seen.includes('first'), 'no column of the replaced render reaches the page');
  assert.ok(seen.includes('second'));
});

test('a render for a clip since replaced is not drawn; disposing ends the worker', async () => {
  const { service, run, disposed } = wire();
  service.setClip([sine(440, 0.5, 8000, 1)], 8000);
  const old = service.render({ width: 20, height: 8, scale: 'log' }, () => assert.fail('drawn'));
  service.setClip([sine(880, 0.5, 8000, 1)], 8000);
  assert.equal(await old, undefined);
  run();
  service.dispose();
  assert.equal(disposed(), true);
});

test('a long clip goes to the worker in parts, a task each; a render asked for meanwhile waits for the last part', async () => {
  const { service, run, toWorker } = wire();
  const samples = sine(3000, 0.5, 44100, 100);
  service.setClip([samples], 44100);
  const view = { width: 64, height: 16, scale: 'linear' as const };
  const grid = new Float32Array(64 * 16);
  const done = service.render(view, (first, count, db) => {
    for (let y = 0; y < 16; y++) grid.set(db.subarray(y * count, (y + 1) * count), y * 64 + first);
  });
  const parts = toWorker.filter((message) => message.kind === 'clipPart');
  assert.equal(parts.length, 1, 'one part now, the others later');
  run();
  assert.equal(typeof (await done)?.milliseconds, 'number');
  assert.deepEqual(grid, new SpectrogramLanes([samples], 44100, view).columns(0, 64));
});

test('a stereo clip goes over channel by channel and comes back as two lanes, each its own channel', async () => {
  const { service, run, toWorker } = wire();
  const left = sine(1100, 0.5, 8000, 1);
  const right = sine(2900, 0.5, 8000, 1);
  service.setClip([left, right], 8000);
  const sent = toWorker.filter((message) => message.kind === 'clipPart').map((message) => message.kind === 'clipPart' && message.channel);
  assert.deepEqual(sent, [0], 'the left channel now, the right one a task later');
  const view = { width: 40, height: 66, scale: 'linear' as const };
  const grid = new Float32Array(40 * 66);
  const done = service.render(view, (first, count, db) => {
    for (let y = 0; y < 66; y++) grid.set(db.subarray(y * count, (y + 1) * count), y * 40 + first);
  });
  run();
  assert.equal(typeof (await done)?.fftSize, 'number');
  assert.deepEqual(grid, new SpectrogramLanes([left, right], 8000, view).columns(0, 40));
  // Lanes of 32 rows, 2 rows apart: the loudest row of each lane is its own channel's tone.
  const loudest = (top: number) => {
    let best = top;
    for (let y = top; y < top + 32; y++) if (grid[y * 40 + 20] > grid[best * 40 + 20]) best = y;
    return best - top;
  };
  assert.equal(loudest(0), Math.floor(32 * (1 - 1100 / 4000)));
  assert.equal(loudest(34), Math.floor(32 * (1 - 2900 / 4000)));
  assert.ok(Number.isNaN(grid[32 * 40]) && Number.isNaN(grid[33 * 40 + 39]), 'the rows between the lanes are NaN');
});
