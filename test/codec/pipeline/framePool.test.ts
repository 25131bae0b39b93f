import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeAudioFormat } from '../../../src/codec/format/audioFormat';
import { encodeFrame } from '../../../src/codec/pipeline/frameCodec';
import type { FrameJob } from '../../../src/codec/pipeline/frameJobs';
import { FramePool, framePoolFor } from '../../../src/codec/pipeline/framePool';
import { tempFolders } from '../../helpers/tempDirs';

const newFolder = tempFolders('frame-pool');

/** A decode job for a one-frame 4 × 2 PNG, which may run any number of times. */
async function decodeJob(): Promise<FrameJob> {
  const folder = await newFolder();
  const geometry = { width: 4, height: 2, expansion: 1 };
  const audio = makeAudioFormat('u8', 1, 8000);
  const data = new Uint8Array(24).map((_, i) => i * 7);
  const record = { version: 1, frame: 0, geometry, layout: 'bytes' as const, audio, dataLength: 24, bytesPerFrame: 24, frameCount: 1 };
  const { png } = encodeFrame({ data, compression: 'default', record });
  const file = join(folder, 'frame.png');
  await writeFile(file, png);
  const output = join(folder, 'out.raw');
  await writeFile(output, Buffer.alloc(24));
  return {
    kind: 'decode',
    task: { file, grid: { columns: 4, rows: 2 }, layout: 'bytes', audio, reducer: 'mean' },
    data: { path: output, offset: 0, length: 24 },
  };
}

test('a pool that runs jobs inline while its worker starts hands them to the worker once it is ready', async () => {
  const job = await decodeJob();
  const pool = new FramePool(1);
  pool.inlineWhileStarting = true;
  try {
    // Jobs chained through promises alone, as runInOrder chains them: the worker's "ready" event
    // must still get in between, or every job would run inline and the worker would idle.
    for (let i = 0; i < 20_000 && pool.jobsRun.onWorkers === 0; i++) await pool.run(job);
    assert.ok(pool.jobsRun.onWorkers > 0, `all ${pool.jobsRun.inline} jobs ran inline`);
    assert.ok(pool.jobsRun.inline > 0, 'the first jobs run inline while the worker starts');
    const result = await pool.run(job);
    assert.equal(result.kind, 'decode');
  } finally {
    await pool.close();
  }
});

test('a pool of no workers runs every job inline', async () => {
  const job = await decodeJob();
  const pool = new FramePool(0);
  for (let i = 0; i < 3; i++) await pool.run(job);
  assert.deepEqual(pool.jobsRun, { inline: 3, onWorkers: 0 });
  await pool.close();
});

test('a job of a fraction of a second of work gets no workers; a longer one gets them; an explicit count wins', async () => {
  const frame = 768 * 768 * 3;
  const pools = [framePoolFor(29, frame), framePoolFor(1, 64 * frame), framePoolFor(453, frame), framePoolFor(29, frame, 2), framePoolFor(453, frame, 0)];
  try {
    assert.deepEqual(
      pools.map((pool) => pool.size),
      // One per core, within eight and the memory budget (six workers of 768 × 768 frames).
      [0, 0, Math.min(6, availableParallelism()), 2, 0],
    );
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
});
