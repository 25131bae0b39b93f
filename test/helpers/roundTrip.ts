/**
 * The round trip every codec test leans on: write a WAV, encode it to frames, decode the frames,
 * and check that the WAV comes back byte for byte and that decoding reports it so.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeFolder,
  encodeWav,
  gridBytes,
  gridOf,
  MANIFEST_NAME,
  readWavFile,
  type DecodeResult,
  type EncodeResult,
  type Geometry,
  type Progress,
} from '../../src/codec';

export interface RoundTripOptions {
  /** Worker threads for both jobs: 0 (the default here) runs inline, undefined uses the codec's default. */
  workers?: number | undefined;
  compression?: 'fast' | 'default' | 'small';
}

export interface RoundTrip {
  input: string;
  frames: string;
  output: string;
  encoded: EncodeResult;
  decoded: DecodeResult;
}

export async function assertRoundTrip(folder: string, wav: Buffer, geometry: Geometry, options: RoundTripOptions = {}): Promise<RoundTrip> {
  const workers = 'workers' in options ? options.workers : 0;
  const input = join(folder, 'input.wav');
  const frames = join(folder, 'frames');
  const output = join(folder, 'output.wav');
  await writeFile(input, wav);
  const layout = await readWavFile(input);
  const bytesPerFrame = gridBytes(gridOf(geometry));
  const frameCount = Math.max(1, Math.ceil(layout.dataLength / bytesPerFrame));

  const encodeProgress: Progress[] = [];
  const encoded = await encodeWav(input, { output: frames, geometry, workers, compression: options.compression, onProgress: (p) => encodeProgress.push(p) });
  assert.equal(encoded.dataLength, layout.dataLength, 'encoded data length');
  assert.equal(encoded.frameCount, frameCount, 'frame count');
  const names = (await readdir(frames)).sort();
  assert.equal(names.length, frameCount + 1, 'the frames folder holds the frames and the manifest');
  assert.ok(names.includes(MANIFEST_NAME));
  assertProgress(encodeProgress, frameCount, layout.dataLength);

  const decodeProgress: Progress[] = [];
  const decoded = await decodeFolder(frames, { output, workers, onProgress: (p) => decodeProgress.push(p) });
  const back = await readFile(output);
  assert.ok(back.equals(wav), `the decoded WAV (${back.length} bytes) is byte-identical to the input (${wav.length} bytes)${firstDifference(back, wav)}`);
  assert.equal(decoded.frameCount, frameCount);
  assert.equal(decoded.unchanged, frameCount, 'every frame reported unchanged');
  assert.deepEqual(decoded.modified, []);
  assert.equal(decoded.unverified, 0);
  assert.equal(decoded.bitExact, true);
  assert.equal(decoded.container, 'original');
  assert.equal(decoded.metadata, 'manifest');
  assert.equal(decoded.dataLength, layout.dataLength);
  const duration = layout.dataLength / layout.format.blockAlign / layout.format.sampleRate;
  assert.equal(encoded.durationSeconds, duration);
  assert.equal(decoded.durationSeconds, duration);
  assert.deepEqual(decoded.audio, layout.format);
  assertProgress(decodeProgress, frameCount, layout.dataLength);
  return { input, frames, output, encoded, decoded };
}

function assertProgress(progress: Progress[], frameCount: number, bytesTotal: number): void {
  assert.equal(progress.length, frameCount, 'one progress report per frame');
  progress.forEach((p, i) => {
    assert.equal(p.framesDone, i + 1);
    assert.equal(p.frameCount, frameCount);
    assert.equal(p.bytesTotal, bytesTotal);
  });
  assert.equal(progress[progress.length - 1].bytesDone, bytesTotal);
}

function firstDifference(a: Buffer, b: Buffer): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `; first difference at byte ${i}`;
  return a.length === b.length ? '' : `; lengths differ`;
}
