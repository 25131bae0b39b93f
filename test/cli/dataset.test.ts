/**
 * `resonance dataset` as a user runs it: the built executable on a corpus, its summary and --json,
 * its progress on a terminal, and a build killed outright (SIGKILL) and run again.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { clipOf, filesOf, sineWav } from '../helpers/datasets';
import { CLI, ensureBuilt, finished, lines, runBinary, runInProcess, tempFolder } from './harness';

before(ensureBuilt);

async function corpusIn(folder: string, count: number, seconds: number): Promise<string> {
  const root = join(folder, 'corpus');
  await mkdir(join(root, 'takes'), { recursive: true });
  for (let i = 0; i < count; i++)
    await writeFile(join(root, i % 2 ? 'takes' : '', `take${i}.wav`), sineWav({ rate: 22050, channels: 2, bits: 16, seconds, hz: 200 + 20 * i }));
  return root;
}

test('dataset build: a summary that says what was made, and --json with the same facts', async () => {
  const folder = await tempFolder();
  await corpusIn(folder, 3, 0.5);
  await writeFile(join(folder, 'corpus', 'broken.wav'), 'RIFF');
  const run = await runBinary(['dataset', 'build', 'corpus', '-o', 'ds', '--size', '32', '--sample-rate', '16000'], folder);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  const out = lines(run.stdout);
  assert.equal(out[0], 'corpus → ds');
  assert.match(run.stdout, /sources {2}4 WAV files: 3 made, 1 failed \(listed in errors\.jsonl\)/);
  assert.match(run.stdout, /audio {4}s16, stereo, 16 kHz/);
  assert.match(run.stdout, /images {3}33 images of 32 × 32, expansion 1, layout planes/);
  assert.match(run.stdout, /skipped {2}corpus\/broken\.wav: is not a WAV file/);
  assert.match(run.stdout, /splits {3}train 33 images from 3 sources/);

  const json = await runBinary(['dataset', 'build', 'corpus', '-o', 'ds2', '--size', '32', '--sample-rate', '16000', '--json'], folder);
  const result = JSON.parse(json.stdout);
  assert.equal(result.images, 33);
  assert.equal(result.sources.failed, 1);
  assert.equal(result.finished.description.splits.train.images, 33);
  assert.equal(typeof result.seconds, 'number');

  const info = await runBinary(['info', 'ds'], folder);
  assert.match(info.stdout, /^ds: a Resonance dataset/);
  const described = JSON.parse((await runBinary(['dataset', 'info', 'ds', '--json'], folder)).stdout);
  assert.deepEqual(described, JSON.parse(await readFile(join(folder, 'ds', 'dataset.json'), 'utf8')));
});

test('dataset build refuses a mixed corpus with the formats, as a usage of the data, and a missing -o as usage', async () => {
  const folder = await tempFolder();
  await corpusIn(folder, 2, 0.1);
  await writeFile(join(folder, 'corpus', 'mono.wav'), sineWav({ rate: 22050, channels: 1, bits: 16, seconds: 0.1 }));
  const mixed = await runBinary(['dataset', 'build', 'corpus', '-o', 'ds'], folder);
  assert.equal(mixed.code, 1);
  assert.equal(lines(mixed.stderr).length, 1);
  assert.match(mixed.stderr, /corpus: mixes audio formats: s16, stereo, 22050 Hz \(2 files\); s16, mono, 22050 Hz \(1 file\)\. Give --channels/);
  assert.deepEqual(await readdir(folder), ['corpus']);
  const usage = await runBinary(['dataset', 'build', 'corpus'], folder);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /give the dataset folder with -o DATASET/);
  const help = await runBinary(['dataset', '--help'], folder);
  assert.match(help.stdout, /Commands:\n {2}dataset build/);
  assert.match((await runBinary(['dataset', 'build', '--help'], folder)).stdout, /Usage: resonance dataset build INPUT\.\.\. \[options\]/);
});

test('on a terminal, a progress line with sources, clips and the time left, removed at the end', async () => {
  const folder = await tempFolder();
  await corpusIn(folder, 4, 0.5);
  const run = await runInProcess(['dataset', 'build', join(folder, 'corpus'), '-o', join(folder, 'ds'), '--size', '32', '--workers', '0'], {
    stderrIsTTY: true,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\rdataset 4\/4 sources/);
  assert.match(run.stderr, /\d+\/\d+ frames/);
  assert.ok(run.stderr.endsWith('\r\x1b[K'), 'the bar is removed at the end');
});

test('killed with SIGKILL, a build leaves no half-written image under a final name, and run again ends as a fresh build', async () => {
  const folder = await tempFolder();
  await corpusIn(folder, 24, 1.2);
  const args = (out: string) => ['dataset', 'build', 'corpus', '-o', out, '--size', '16', '--workers', '0'];
  assert.equal((await runBinary(args('fresh'), folder)).code, 0);

  const child = spawn(process.execPath, [CLI, ...args('killed')], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = finished(child);
  const records = join(folder, 'killed', '.resonance', 'sources');
  for (let i = 0; i < 500; i++) {
    const done = await readdir(records).catch(() => []);
    if (done.filter((name) => name.endsWith('.jsonl')).length >= 3) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill('SIGKILL');
  const run = await exited;
  assert.equal(run.signal, 'SIGKILL', 'it was killed mid-build');
  const images = (await readdir(join(folder, 'killed', 'train'))).filter((name) => !name.startsWith('.') && name.endsWith('.png'));
  for (const name of images) await clipOf(join(folder, 'killed', 'train', name));

  const again = await runBinary(args('killed'), folder);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /\d+ done before/);
  assert.deepEqual(await filesOf(join(folder, 'killed')), await filesOf(join(folder, 'fresh')));
});
