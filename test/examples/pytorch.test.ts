/**
 * The training side of examples/pytorch/ run for real with Debian's Python: a dataset built by the
 * CLI, read by resonance_audio.py (the Python decoder) and by train.py's DataLoader to the same
 * samples as the TypeScript decoder, sample for sample, and a tiny DDPM trained for a few steps that
 * writes generated images. Under CI=true a missing torch, torchvision, NumPy or Pillow is a failure
 * (.ci/run installs them); elsewhere the test is skipped with the reason.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { bytesPerSample, type SampleFormat } from '../../src/codec/format/audioFormat';
import { toNumbers } from '../../src/codec/format/sampleValues';
import { readPngHeader } from '../../src/codec/png/pngReader';
import { readWavFile } from '../../src/codec/wav/wavFile';
import { ensureBuilt, ROOT, runBinary, tempFolder } from '../cli/harness';
import { clipOf, jsonLines, sineWav } from '../helpers/datasets';

before(ensureBuilt);

// Debian's interpreter, where apt puts python3-torch; a python3 earlier on PATH (pyenv, a venv) may lack it.
const PYTHON = '/usr/bin/python3';
const SAMPLES_SCRIPT = join(ROOT, 'test', 'examples', 'pytorchSamples.py');
const TRAIN = join(ROOT, 'examples', 'pytorch', 'train.py');

/** Whether PYTHON imports `modules`; if not, a failure under CI and a skip with the reason elsewhere. */
function pythonHas(t: TestContext, modules: string[]): boolean {
  const probe = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  const reason = `${PYTHON} cannot import ${modules.join(', ')} (Debian: apt-get install python3-torch python3-torchvision python3-numpy python3-pil)`;
  if (process.env.CI === 'true') assert.fail(`${reason}: ${probe.error?.message ?? probe.stderr.trim()}`);
  t.skip(reason);
  return false;
}

function python(args: string[]): string {
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `python3 ${args.join(' ')}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

async function corpus(folder: string): Promise<void> {
  await mkdir(join(folder, 'corpus', 'more'), { recursive: true });
  await writeFile(join(folder, 'corpus', 'a.wav'), sineWav({ rate: 22050, channels: 2, bits: 16, seconds: 0.4, hz: 330 }));
  await writeFile(join(folder, 'corpus', 'more', 'b.wav'), sineWav({ rate: 44100, channels: 1, bits: 24, seconds: 0.3, hz: 1000, level: 0.9 }));
  await writeFile(join(folder, 'corpus', 'c.wav'), sineWav({ rate: 16000, channels: 2, bits: 32, float: true, seconds: 0.3, hz: 90 }));
}

/** The train split's samples as the TypeScript decoder reads them, float32 in metadata.jsonl's order. */
async function typeScriptSamples(dataset: string, format: SampleFormat): Promise<Float32Array> {
  const rows = await jsonLines<{ file_name: string }>(join(dataset, 'train', 'metadata.jsonl'));
  const parts: Float32Array[] = [];
  for (const row of rows) {
    const clip = await clipOf(join(dataset, 'train', row.file_name));
    const numbers = new Float64Array(clip.length / bytesPerSample(format));
    toNumbers(clip, format, numbers);
    parts.push(Float32Array.from(numbers));
  }
  const all = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) all.set(part, (at += part.length) - part.length);
  return all;
}

function assertSameSamples(python: Float32Array, typeScript: Float32Array, what: string): void {
  assert.equal(python.length, typeScript.length, `${what}: sample counts`);
  // Compared as bits, so that a NaN or a −0 the decoders disagree on counts too.
  const a = new Uint32Array(python.buffer, python.byteOffset, python.length);
  const b = new Uint32Array(typeScript.buffer, typeScript.byteOffset, typeScript.length);
  const first = a.findIndex((bits, i) => bits !== b[i]);
  assert.equal(first, -1, `${what}: sample ${first} is ${python[first]} in Python, ${typeScript[first]} in TypeScript`);
}

async function float32File(path: string): Promise<Float32Array> {
  const bytes = await readFile(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

const FORMATS: { format: SampleFormat; layout: string; expansion: number }[] = [
  { format: 's16', layout: 'planes', expansion: 1 },
  { format: 'u8', layout: 'planes', expansion: 2 },
  { format: 's24', layout: 'planes', expansion: 1 },
  { format: 's32', layout: 'planes', expansion: 1 },
  { format: 'f32', layout: 'planes', expansion: 1 },
  { format: 'f64', layout: 'planes', expansion: 1 },
  { format: 'alaw', layout: 'planes', expansion: 1 },
  { format: 'mulaw', layout: 'planes', expansion: 2 },
  { format: 's16', layout: 'bytes', expansion: 1 },
];

test('resonance_audio.py decodes a dataset\'s images to the TypeScript decoder\'s samples, in every format', async (t) => {
  if (!pythonHas(t, ['numpy', 'PIL'])) return;
  const folder = await tempFolder();
  await corpus(folder);
  for (const { format, layout, expansion } of FORMATS) {
    const name = `ds-${format}-${layout}-${expansion}`;
    const build = await runBinary(['dataset', 'build', 'corpus', '-o', name, '--size', '32', '--sample-rate', '16000', '--channels', '2',
      '--format', format, '--layout', layout, '--expansion', String(expansion)], folder);
    assert.equal(build.code, 0, build.stderr);
    const dataset = join(folder, name);
    python([SAMPLES_SCRIPT, dataset, 'files', join(folder, `${name}.f32`)]);
    const expected = await typeScriptSamples(dataset, format);
    assert.ok(expected.length > 0);
    assertSameSamples(await float32File(join(folder, `${name}.f32`)), expected, name);
  }
});

test('train.py: its DataLoader gives exactly the dataset\'s pixels, a few DDPM steps train, generated PNGs are written', async (t) => {
  if (!pythonHas(t, ['torch', 'torchvision', 'numpy', 'PIL'])) return;
  const folder = await tempFolder();
  await corpus(folder);
  const build = await runBinary(['dataset', 'build', 'corpus', '-o', 'ds', '--size', '32', '--sample-rate', '16000', '--channels', '1', '--format', 's16',
    '--validation', '0.3'], folder);
  assert.equal(build.code, 0, build.stderr);
  const dataset = join(folder, 'ds');

  // The tensors the loader yields, scaled back to bytes and decoded, are the files' samples: the
  // loader neither reorders, flips, resizes nor rounds a pixel.
  python([SAMPLES_SCRIPT, dataset, 'loader', join(folder, 'loader.f32')]);
  assertSameSamples(await float32File(join(folder, 'loader.f32')), await typeScriptSamples(dataset, 's16'), 'the DataLoader');

  const out = join(folder, 'samples');
  const stdout = python([TRAIN, dataset, '--steps', '6', '--batch', '4', '--timesteps', '8', '--samples', '3', '--out', out]);
  const trainImages = (await jsonLines(join(dataset, 'train', 'metadata.jsonl'))).length;
  assert.match(stdout, new RegExp(`^${trainImages} training images of 32 x 32, the tensors exactly the files' pixels$`, 'm'));
  assert.match(stdout, /^step 6: loss \d+\.\d{4}$/m);
  assert.match(stdout, /^wrote 3 samples to /m);
  const written = (await readdir(out)).sort();
  assert.deepEqual(written, ['sample_000.png', 'sample_001.png', 'sample_002.png']);
  for (const name of written) {
    const header = readPngHeader(await readFile(join(out, name)), name);
    assert.deepEqual([header.width, header.height], [32, 32], name);
  }
});

test('a model trained on f32 clips: its samples decode --like the dataset to valid WAVs of the clip length, finite and within full scale, as the ' +
  'Python decoder reads them', async (t) => {
  if (!pythonHas(t, ['torch', 'torchvision', 'numpy', 'PIL'])) return;
  const folder = await tempFolder();
  await corpus(folder);
  const build = await runBinary(
    ['dataset', 'build', 'corpus', '-o', 'ds', '--size', '32', '--sample-rate', '16000', '--channels', '2', '--format', 'f32'],
    folder,
  );
  assert.equal(build.code, 0, build.stderr);
  const out = join(folder, 'samples');
  python([TRAIN, join(folder, 'ds'), '--steps', '4', '--batch', '4', '--timesteps', '8', '--samples', '3', '--out', out]);
  const decode = await runBinary(['decode', 'samples', '--like', 'ds', '--json'], folder);
  assert.equal(decode.code, 0, decode.stderr);
  const result = JSON.parse(decode.stdout);
  assert.equal(result.output, 'samples_wav');
  assert.equal(result.decoded.length, 3);
  const description = JSON.parse(await readFile(join(folder, 'ds', 'dataset.json'), 'utf8'));
  const typescript: number[] = [];
  for (const name of ['sample_000.wav', 'sample_001.wav', 'sample_002.wav']) {
    const path = join(folder, 'samples_wav', name);
    const wav = await readWavFile(path);
    assert.deepEqual([wav.format.sampleFormat, wav.format.channels, wav.format.sampleRate], ['f32', 2, 16000], name);
    assert.equal(wav.dataLength, description.clip.bytes, name);
    const bytes = (await readFile(path)).subarray(wav.dataOffset, wav.dataOffset + wav.dataLength);
    const values = new Float64Array(wav.dataLength / 4);
    toNumbers(bytes, 'f32', values);
    for (const value of values) assert.ok(Number.isFinite(value) && Math.abs(value) <= 1, `${name}: ${value}`);
    typescript.push(...values);
  }
  python([SAMPLES_SCRIPT, join(folder, 'ds'), 'generated', join(folder, 'generated.f32'), out]);
  assertSameSamples(await float32File(join(folder, 'generated.f32')), Float32Array.from(typescript), 'the generated samples');
});
