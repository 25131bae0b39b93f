/**
 * No hangs: a FIFO (or a device, or a folder) wherever the codec reads a user's file is refused at
 * once with NOT_A_FILE, naming it, instead of waiting forever for a writer that never comes (or
 * reading /dev/zero forever). Every test has a timeout, so that a hang fails rather than hangs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  compareWavs,
  decodeFolder,
  encodeWav,
  MANIFEST_NAME,
  offGridMap,
  planFolder,
  planWavFrames,
  readWavFile,
  ResonanceError,
  writeFloat32Wav,
} from '../../../src/codec';
import { openRegularFile } from '../../../src/codec/files/safeOpen';
import { Prng } from '../../helpers/prng';
import { listTree, tempFolders } from '../../helpers/tempDirs';
import { buildWav, TAG_PCM } from '../../helpers/wavFiles';

const newFolder = tempFolders('safe-open');
const HANG_GUARD = { timeout: 20_000 };
const wav = buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 16 }, data: new Prng(1).bytes(105 * 7) });

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

async function assertNotAFile(job: () => Promise<unknown>, file: string, kind: RegExp): Promise<void> {
  await assert.rejects(job(), (error: unknown) => {
    assert.ok(error instanceof ResonanceError, String(error));
    assert.equal(error.code, 'NOT_A_FILE', error.message);
    assert.equal(error.file, file);
    assert.match(error.problem, kind);
    return true;
  });
}

async function framesFolder(): Promise<{ folder: string; input: string; frames: string }> {
  const folder = await newFolder();
  const input = join(folder, 'in.wav');
  await writeFile(input, wav);
  const frames = join(folder, 'frames');
  await encodeWav(input, { output: frames, geometry: { width: 7, height: 5, expansion: 1 }, workers: 0 });
  return { folder, input, frames };
}

describe('a FIFO, a device or a folder where a file is read', () => {
  test('the WAV given to encode, info (planWavFrames), compare and the playback copy', HANG_GUARD, async () => {
    const folder = await newFolder();
    const fifo = join(folder, 'pipe.wav');
    mkfifo(fifo);
    const good = join(folder, 'good.wav');
    await writeFile(good, wav);
    const kind = /^is a FIFO \(named pipe\), not a WAV file$/;
    await assertNotAFile(() => readWavFile(fifo), fifo, kind);
    await assertNotAFile(() => encodeWav(fifo, { output: join(folder, 'frames'), workers: 0 }), fifo, kind);
    await assertNotAFile(() => planWavFrames(fifo), fifo, kind);
    await assertNotAFile(() => compareWavs(fifo, good), fifo, kind);
    await assertNotAFile(() => compareWavs(good, fifo), fifo, kind);
    await assertNotAFile(() => writeFloat32Wav(fifo, join(folder, 'copy.wav')), fifo, kind);
    assert.deepEqual((await readdir(folder)).sort(), ['good.wav', 'pipe.wav'], 'nothing written');
  });

  test('a symbolic link to /dev/zero, as the WAV and as a frame', HANG_GUARD, async () => {
    const { folder, frames } = await framesFolder();
    const zero = join(folder, 'zero.wav');
    await symlink('/dev/zero', zero);
    await assertNotAFile(() => readWavFile(zero), zero, /^is a device, not a WAV file$/);
    const frame = join(frames, 'frame_00003.png');
    await rm(frame);
    await symlink('/dev/zero', frame);
    await assertNotAFile(() => decodeFolder(frames, { output: join(folder, 'out.wav'), workers: 0 }), frame, /^is a device, not a PNG frame$/);
    await rm(join(frames, MANIFEST_NAME));
    await assertNotAFile(() => decodeFolder(frames, { output: join(folder, 'out.wav'), workers: 0 }), frame, /^is a device, not a PNG frame$/);
    await assertNotAFile(() => offGridMap(frame, { columns: 7, rows: 5 }), frame, /^is a device, not a PNG frame$/);
  });

  test('resonance.json, for decode and for planning (info, the frames editor)', HANG_GUARD, async () => {
    const { folder, frames } = await framesFolder();
    const manifest = join(frames, MANIFEST_NAME);
    await rm(manifest);
    mkfifo(manifest);
    const before = await listTree(folder);
    await assertNotAFile(() => planFolder(frames), manifest, /^is a FIFO \(named pipe\), not a manifest file$/);
    await assertNotAFile(() => decodeFolder(frames, { output: join(folder, 'out.wav'), workers: 0 }), manifest, /FIFO/);
    assert.deepEqual(await listTree(folder), before);
  });

  for (const [which, index] of [['the first frame', 0], ['a later frame', 4]] as const) {
    for (const withManifest of [true, false]) {
      test(`${which} ${withManifest ? 'listed in the manifest' : 'without a manifest'}, inline and over the worker pool`, HANG_GUARD, async () => {
        const { folder, frames } = await framesFolder();
        if (!withManifest) await rm(join(frames, MANIFEST_NAME));
        const frame = join(frames, `frame_0000${index}.png`);
        await rm(frame);
        mkfifo(frame);
        for (const workers of [0, 2]) {
          await assertNotAFile(() => decodeFolder(frames, { output: join(folder, 'out.wav'), workers }), frame, /^is a FIFO \(named pipe\), not a PNG frame$/);
        }
        const folderFrame = join(frames, `frame_0000${index}.png`);
        await rm(folderFrame);
        await mkdir(folderFrame);
        await assertNotAFile(() => decodeFolder(frames, { output: join(folder, 'out.wav'), workers: 0 }), folderFrame, /^is a folder, not a PNG frame$/);
      });
    }
  }

  test('a frame swapped for a FIFO while the decode runs', HANG_GUARD, async () => {
    const { folder, frames } = await framesFolder();
    const frame = join(frames, 'frame_00005.png');
    const before = await listTree(folder);
    for (const workers of [0, 2]) {
      let swapped = false;
      await assertNotAFile(
        () =>
          decodeFolder(frames, {
            output: join(folder, 'out.wav'),
            workers,
            onProgress: ({ framesDone }) => {
              if (framesDone !== 1 || swapped) return;
              swapped = true;
              execFileSync('sh', ['-c', 'rm "$1" && mkfifo "$1"', 'sh', frame]);
            },
          }),
        frame,
        /FIFO/,
      );
      await rm(frame);
      await writeFile(frame, 'placeholder');
    }
    assert.deepEqual(
      (await listTree(folder)).filter((p) => !p.endsWith('frame_00005.png')),
      before.filter((p) => !p.endsWith('frame_00005.png')),
      'nothing left behind',
    );
  });

  test('openRegularFile opens a regular file, with its size', async () => {
    const folder = await newFolder();
    const path = join(folder, 'a.wav');
    await writeFile(path, wav);
    const { handle, size } = await openRegularFile(path, 'a WAV file');
    assert.equal(size, wav.length);
    await handle.close();
  });
});
