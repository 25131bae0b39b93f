/**
 * Frames rendered in memory from a WAV are the frames encoding writes: the same pixels, and for
 * every frame but the first (whose text chunk also carries the WAV's header) the same bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav, frameFileName } from '../../../src/codec';
import { decodePng } from '../../../src/codec/png/pngReader';
import { planWavFrames, renderWavFrame } from '../../../src/codec/pipeline/wavFrames';
import { tempFolders } from '../../helpers/tempDirs';
import { FIXTURES } from '../../helpers/paths';

const newFolder = tempFolders('wavframes');
const FIXTURE = join(FIXTURES, 'pluck-pcm16.wav');

for (const geometry of [
  { width: 24, height: 16, expansion: 1 },
  { width: 24, height: 16, expansion: 4 },
]) {
  test(`frames rendered in memory match the encoded frames at ${geometry.width}×${geometry.height} E=${geometry.expansion}`, async () => {
    const folder = join(await newFolder(), 'frames');
    const encoded = await encodeWav(FIXTURE, { geometry, compression: 'fast', output: folder, workers: 0 });
    const frames = await planWavFrames(FIXTURE, { geometry });
    assert.equal(frames.stream.frameCount, encoded.frameCount);
    assert.deepEqual(frames.stream.geometry, geometry);
    for (let index = 0; index < encoded.frameCount; index++) {
      const written = await readFile(join(folder, frameFileName(index, encoded.frameCount)));
      const rendered = await renderWavFrame(frames, index);
      assert.deepEqual(decodePng(rendered, 'rendered').rgb, decodePng(written, 'written').rgb, `frame ${index}: same pixels`);
      if (index > 0) assert.ok(rendered.equals(written), `frame ${index}: same bytes`);
    }
  });
}

test('a frame the WAV does not make is refused with the frame range', async () => {
  const frames = await planWavFrames(FIXTURE, { geometry: { width: 24, height: 16, expansion: 1 } });
  await assert.rejects(renderWavFrame(frames, frames.stream.frameCount), /pluck-pcm16\.wav: has no frame \d+: it makes frames 0 to \d+/);
  await assert.rejects(renderWavFrame(frames, -1), /has no frame -1/);
});

test('a geometry that does not divide by the expansion is refused before reading', async () => {
  await assert.rejects(
    planWavFrames(FIXTURE, { geometry: { width: 10, height: 10, expansion: 3 } }),
    /cannot be shown as frames: width 10 and height 10 must both be multiples/,
  );
});
