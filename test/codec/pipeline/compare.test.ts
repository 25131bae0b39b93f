import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesPerSample, compareWavs, makeAudioFormat, ResonanceError, SAMPLE_FORMATS, type SampleFormat } from '../../../src/codec';
import { canonicalContainer } from '../../../src/codec/wav/wavFile';
import { runCli } from '../../../src/cli/cli';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';

const newFolder = tempFolders('compare');

async function writeWav(folder: string, name: string, format: SampleFormat, channels: number, rate: number, data: Uint8Array): Promise<string> {
  const { header, trailer } = canonicalContainer(makeAudioFormat(format, channels, rate), data.length);
  const path = join(folder, name);
  await writeFile(path, Buffer.concat([header, data, trailer]));
  return path;
}

function s16(values: ArrayLike<number>): Uint8Array {
  const bytes = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) bytes.writeInt16LE(values[i], 2 * i);
  return bytes;
}

test('identical files: SNR infinite, every segment at the 35 dB ceiling, every sample exact', async () => {
  const folder = await newFolder();
  const data = new Prng(1).bytes(4000);
  const a = await writeWav(folder, 'a.wav', 's16', 2, 8000, data);
  const b = await writeWav(folder, 'b.wav', 's16', 2, 8000, data);
  const result = await compareWavs(a, b);
  assert.equal(result.snrDb, Infinity);
  assert.equal(result.segmentalSnrDb, 35);
  assert.equal(result.exactShare, 1);
  assert.equal(result.sampleFrames, 1000);
  assert.equal(result.lengthDifference, 0);
});

test('a known error gives the SNR it should: a sine of amplitude A plus a ±d square wave on every other sample, over chunk and segment ' +
  'boundaries', async () => {
  const folder = await newFolder();
  const frames = 100_000;
  const amplitude = 16384;
  const d = 16;
  const clean = new Int16Array(frames * 2);
  const noisy = new Int16Array(frames * 2);
  let signal = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < 2; c++) {
      // A whole number of periods (100 samples each), so the power is exactly A²/2.
      const value = Math.round(amplitude * Math.sin((2 * Math.PI * i) / 100 + c));
      clean[2 * i + c] = value;
      noisy[2 * i + c] = value + (i % 2 === 0 ? 0 : (i >> 1) % 2 === 0 ? d : -d);
      signal += value * value;
    }
  }
  const a = await writeWav(folder, 'a.wav', 's16', 2, 44100, s16(clean));
  const b = await writeWav(folder, 'b.wav', 's16', 2, 44100, s16(noisy));
  const result = await compareWavs(a, b);
  const error = frames * d * d; // half the samples of 2 channels, each off by d
  assert.ok(Math.abs(result.snrDb - 10 * Math.log10(signal / error)) < 1e-9, `${result.snrDb}`);
  // And close to the closed form 10·log10(A²/2 / (d²/2)) = 20·log10(A/d) ≈ 60.2 dB.
  assert.ok(Math.abs(result.snrDb - 20 * Math.log10(amplitude / d)) < 0.01);
  assert.equal(result.exactShare, 0.5);
  assert.equal(result.exactSamples, frames);
  // Every 20 ms segment (882 sample frames) scores about 60 dB, clamped to 35.
  assert.equal(result.segmentalSnrDb, 35);
});

test('segmental SNR: each segment clamped to [−10, 35] dB, then averaged, quiet segments weighing as much as loud ones', async () => {
  const folder = await newFolder();
  // 8000 Hz, 20 ms segments of 160 sample frames, mono. Four segments:
  //  1. a square wave of amplitude 1000 with an error of 100: exactly 20 dB;
  //  2. silence, no error: +∞, clamped to 35;
  //  3. silence with an error: −∞, clamped to −10;
  //  4. amplitude 1000 with an error of 1: 60 dB, clamped to 35.
  const clean: number[] = [];
  const noisy: number[] = [];
  for (const [amplitude, error] of [[1000, 100], [0, 0], [0, 7], [1000, 1]]) {
    for (let i = 0; i < 160; i++) {
      const value = i % 2 ? amplitude : -amplitude;
      clean.push(value);
      noisy.push(value + (i % 3 === 0 ? error : -error));
    }
  }
  const a = await writeWav(folder, 'a.wav', 's16', 1, 8000, s16(clean));
  const b = await writeWav(folder, 'b.wav', 's16', 1, 8000, s16(noisy));
  const result = await compareWavs(a, b);
  assert.ok(Math.abs(result.segmentalSnrDb - (20 + 35 - 10 + 35) / 4) < 1e-9, `${result.segmentalSnrDb}`);
  // The whole-file SNR is dominated by the loud segments' errors.
  const signal = 320 * 1000 ** 2;
  const errors = 160 * 100 ** 2 + 160 * 7 ** 2 + 160 * 1;
  assert.ok(Math.abs(result.snrDb - 10 * Math.log10(signal / errors)) < 1e-9);
  // A longer segment: one of 640 frames.
  const whole = await compareWavs(a, b, { segmentMs: 80 });
  assert.ok(Math.abs(whole.segmentalSnrDb - result.snrDb) < 1e-9);
});

test('every sample format is read: one changed sample in each is the one inexact sample, with a finite SNR', async () => {
  const folder = await newFolder();
  for (const format of SAMPLE_FORMATS) {
    const size = bytesPerSample(format);
    const count = 600;
    const data = new Uint8Array(count * size);
    const view = new DataView(data.buffer);
    const prng = new Prng(3);
    for (let i = 0; i < count; i++) {
      if (format === 'f32') view.setFloat32(4 * i, prng.next() - 0.5, true);
      else if (format === 'f64') view.setFloat64(8 * i, prng.next() - 0.5, true);
      else for (let k = 0; k < size; k++) data[i * size + k] = prng.below(256);
    }
    const changed = data.slice();
    changed[7 * size + size - 1] ^= 0x01; // the most significant byte of sample 7
    const a = await writeWav(folder, `${format}-a.wav`, format, 3, 8000, data);
    const b = await writeWav(folder, `${format}-b.wav`, format, 3, 8000, changed);
    const result = await compareWavs(a, b);
    assert.equal(result.exactSamples, count - 1, format);
    assert.equal(result.sampleFrames, 200);
    assert.ok(Number.isFinite(result.snrDb) && result.snrDb > 0, `${format}: ${result.snrDb}`);
  }
});

test('files in different formats compare by value; a longer file is compared over the common length', async () => {
  const folder = await newFolder();
  const values = [0, 1, -1, 16384, -32768, 32767, 100, -100];
  const floats = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => floats.writeFloatLE(v / 32768, 4 * i));
  const a = await writeWav(folder, 'a.wav', 's16', 2, 8000, s16(values));
  const b = await writeWav(folder, 'b.wav', 'f32', 2, 8000, Buffer.concat([floats, Buffer.alloc(8)]));
  const result = await compareWavs(a, b);
  assert.equal(result.snrDb, Infinity);
  assert.equal(result.exactShare, 1);
  assert.equal(result.sampleFrames, 4);
  assert.equal(result.lengthDifference, 1);
});

test('files that cannot be compared are refused with one line naming the file', async () => {
  const folder = await newFolder();
  const a = await writeWav(folder, 'a.wav', 's16', 2, 8000, new Uint8Array(40));
  const mono = await writeWav(folder, 'mono.wav', 's16', 1, 8000, new Uint8Array(40));
  const faster = await writeWav(folder, 'faster.wav', 's16', 2, 16000, new Uint8Array(40));
  await assert.rejects(
    compareWavs(a, mono),
    (e: Error) => e instanceof ResonanceError && e.message === `${mono}: has 1 channel where the original has 2: they cannot be compared`,
  );
  await assert.rejects(compareWavs(a, faster), (e: Error) => e instanceof ResonanceError && /at 16000 Hz where the original is at 8000 Hz/.test(e.message));
  await assert.rejects(compareWavs(a, join(folder, 'missing.wav')), /ENOENT|no such file/);
});

test('resonance compare prints SNR, segmental SNR and the exact share; --json for scripts; one line on failure', async () => {
  const folder = await newFolder();
  const clean = Array.from({ length: 8000 }, (_, i) => Math.round(10000 * Math.sin(i / 7)));
  const a = await writeWav(folder, 'a.wav', 's16', 1, 8000, s16(clean));
  const b = await writeWav(folder, 'b.wav', 's16', 1, 8000, s16(clean.map((v, i) => v + (i % 4 === 0 ? 10 : 0))));
  const run = async (args: string[]) => {
    const out = { stdout: '', stderr: '' };
    const code = await runCli(args, { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } });
    return { code, ...out };
  };
  const expected = await compareWavs(a, b);
  const shown = await run(['compare', a, b]);
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, new RegExp(`SNR +${expected.snrDb.toFixed(2)} dB`));
  assert.match(shown.stdout, new RegExp(`seg\\. SNR +${expected.segmentalSnrDb.toFixed(2)} dB \\(20 ms segments\\)`));
  assert.match(shown.stdout, /exact +75\.00 % of samples \(6,000 of 8,000\)/);
  const json = await run(['compare', a, a, '--json', '--segment', '50']);
  const facts = JSON.parse(json.stdout);
  assert.deepEqual([facts.snrDb, facts.identical, facts.segmentMs, facts.exactShare], [null, true, 50, 1]);
  const missing = await run(['compare', a, join(folder, 'none.wav')]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `resonance compare: ${join(folder, 'none.wav')}: no such file or folder\n`);
  assert.equal((await run(['compare', a])).code, 2);
});

test('NaN, length and format differences are not identical: what differs is said', async () => {
  const folder = await newFolder();
  const values = Array.from({ length: 800 }, (_, i) => Math.sin(i / 9) / 2);
  const f32 = (list: number[]) => {
    const bytes = Buffer.alloc(list.length * 4);
    list.forEach((v, i) => bytes.writeFloatLE(v, 4 * i));
    return bytes;
  };
  const original = await writeWav(folder, 'a.wav', 'f32', 1, 8000, f32(values));

  const nan = await compareWavs(original, await writeWav(folder, 'nan.wav', 'f32', 1, 8000, f32(values.map(() => NaN))));
  assert.equal(nan.identical, false);
  assert.deepEqual(nan.differences, ['samples', 'nonFinite']);
  assert.ok(Number.isNaN(nan.snrDb), 'no SNR over no finite pair, not an infinite one');
  assert.ok(Number.isNaN(nan.segmentalSnrDb));
  assert.deepEqual(nan.nonFiniteSamples, { original: 0, decoded: 800 });
  assert.equal(nan.exactShare, 0);

  const empty = await compareWavs(original, await writeWav(folder, 'empty.wav', 'f32', 1, 8000, Buffer.alloc(0)));
  assert.equal(empty.identical, false);
  assert.deepEqual(empty.differences, ['length']);
  assert.equal(empty.lengthDifference, 800);
  assert.equal(empty.longer, 'original');
  assert.ok(Number.isNaN(empty.snrDb));

  const asS16 = await compareWavs(original, await writeWav(folder, 's16.wav', 's16', 1, 8000, s16(values.map((v) => Math.round(v * 32768)))));
  assert.equal(asS16.identical, false);
  assert.ok(asS16.differences.includes('sampleFormat'));

  const same = await compareWavs(original, original);
  assert.equal(same.identical, true);
  assert.deepEqual(same.differences, []);

  let stdout = '';
  await runCli(['compare', original, join(folder, 'nan.wav')], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => undefined } });
  assert.match(stdout, /SNR +none: no samples both files hold as numbers/);
  assert.match(
    stdout,
    /identical no: they differ in 800 samples; NaN or ∞ where the other file has a number \(0 such samples in the original, 800 in the decoded file\)/,
  );
  stdout = '';
  await runCli(['compare', original, join(folder, 'empty.wav'), '--json'], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: () => undefined },
  });
  const facts = JSON.parse(stdout);
  assert.deepEqual([facts.identical, facts.differences, facts.snrDb, facts.longer], [false, ['length'], null, 'original']);
});
