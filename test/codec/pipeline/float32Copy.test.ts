import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { browserPlays, writeFloat32Wav } from '../../../src/codec/pipeline/float32Copy';
import type { ResonanceError } from '../../../src/codec/format/errors';
import { toNumbers } from '../../../src/codec/format/sampleValues';
import type { SampleFormat } from '../../../src/codec/format/audioFormat';
import { readWavFile } from '../../../src/codec/wav/wavFile';
import { tempFolders } from '../../helpers/tempDirs';
import { wavefileWav, type WavefileCode } from '../../helpers/wavFiles';

const newFolder = tempFolders('playback');

test('the formats Chromium plays and seeks in are played as they are; the others get a copy', () => {
  for (const format of ['u8', 's16', 'f32', 'alaw', 'mulaw'] as const) assert.equal(browserPlays(format), true, format);
  for (const format of ['s24', 's32', 'f64'] as const) assert.equal(browserPlays(format), false, format);
});

for (const [code, format] of [['24', 's24'], ['32', 's32'], ['64', 'f64'], ['8a', 'alaw'], ['16', 's16']] as const) {
  test(`a ${format} WAV becomes a 32-bit float WAV of the same samples`, async () => {
    const folder = await newFolder();
    const input = join(folder, 'in.wav');
    const output = join(folder, 'out.wav');
    // More sample frames than one conversion chunk, so the chunking is exercised.
    await writeFile(input, wavefileWav(code as WavefileCode, 2, 22050, 70_000, 7));
    await writeFloat32Wav(input, output);
    const [source, copy] = await Promise.all([readWavFile(input), readWavFile(output)]);
    assert.equal(copy.format.sampleFormat, 'f32');
    assert.equal(copy.format.channels, 2);
    assert.equal(copy.format.sampleRate, 22050);
    assert.equal(copy.dataLength, 70_000 * 2 * 4);
    const expected = new Float64Array(70_000 * 2);
    toNumbers((await readFile(input)).subarray(source.dataOffset, source.dataOffset + source.dataLength), source.format.sampleFormat as SampleFormat, expected);
    const bytes = await readFile(output);
    const actual = new Float32Array(bytes.buffer.slice(bytes.byteOffset + copy.dataOffset, bytes.byteOffset + copy.dataOffset + copy.dataLength));
    for (let i = 0; i < expected.length; i++) assert.equal(actual[i], Math.fround(expected[i]), `sample ${i}`);
    assert.deepEqual((await readdir(folder)).sort(), ['in.wav', 'out.wav'], 'no temporary file left');
  });
}

test('a cancelled conversion leaves nothing behind', async () => {
  const folder = await newFolder();
  const input = join(folder, 'in.wav');
  await writeFile(input, wavefileWav('64', 1, 8000, 200_000, 3));
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(writeFloat32Wav(input, join(folder, 'out.wav'), abort.signal), /cancelled/);
  assert.deepEqual(await readdir(folder), ['in.wav']);
});

test('a copy replaces the previous copy at its place, but never a folder standing there', async () => {
  const folder = await newFolder();
  const input = join(folder, 'in.wav');
  const output = join(folder, 'out.wav');
  await writeFile(input, wavefileWav('24', 1, 8000, 1000, 5));
  await writeFile(output, 'the previous copy');
  await writeFloat32Wav(input, output);
  assert.equal((await readWavFile(output)).format.sampleFormat, 'f32');
  await writeFloat32Wav(input, output);
  assert.deepEqual((await readdir(folder)).sort(), ['in.wav', 'out.wav']);
  await assert.rejects(
    writeFloat32Wav(input, input),
    (error: ResonanceError) => error.code === 'OUTPUT_PROTECTED' && error.message === `${input}: is the input of this job: Resonance never replaces it`,
  );
  const standing = join(folder, 'folder.wav');
  await mkdir(standing);
  await assert.rejects(writeFloat32Wav(input, standing), (error: ResonanceError) => error.code === 'OUTPUT_PROTECTED');
  assert.deepEqual((await readdir(folder)).sort(), ['folder.wav', 'in.wav', 'out.wav']);
});
