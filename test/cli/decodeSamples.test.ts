/** `resonance decode` on what a model generates: one image, a folder --each, --like, the words and --json. */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { PNG } from 'pngjs';
import { sineWav } from '../helpers/datasets';
import { withoutTextChunks } from '../helpers/pngFiles';
import { ensureBuilt, runBinary, tempFolder } from './harness';

before(ensureBuilt);

/** A dataset of f32 stereo clips, and `samples/` inside it: its images stripped of metadata, with noise. */
async function trainedOn(): Promise<string> {
  const folder = await tempFolder();
  await mkdir(join(folder, 'corpus'));
  await writeFile(join(folder, 'corpus', 'a.wav'), sineWav({ rate: 8000, channels: 2, bits: 32, float: true, seconds: 0.5 }));
  const build = await runBinary(['dataset', 'build', 'corpus', '-o', 'ds', '--size', '32', '--format', 'f32'], folder);
  assert.equal(build.code, 0, build.stderr);
  const train = join(folder, 'ds', 'train');
  const names = (await readdir(train)).filter((name) => name.endsWith('.png')).sort();
  await mkdir(join(folder, 'ds', 'samples'));
  for (const [i, name] of names.slice(0, 4).entries()) {
    const png = PNG.sync.read(withoutTextChunks(await readFile(join(train, name))));
    for (let p = 0; p < png.data.length; p++) if (p % 4 !== 3) png.data[p] ^= (p * 7 + i) % 5 === 0 ? 0xff : 0;
    await writeFile(join(folder, 'ds', 'samples', `sample_${i}.png`), PNG.sync.write(png, { colorType: 2 }));
  }
  return folder;
}

test('a folder of samples inside a dataset decodes --each by the dataset.json found above, and says so', async () => {
  const folder = await trainedOn();
  const run = await runBinary(['decode', 'ds/samples'], folder);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^ds\/samples → ds\/samples_wav \(4 WAV files\)$/m);
  assert.match(
    run.stdout,
    new RegExp(
      /4 generated images \(no Resonance metadata\), decoded as f32, stereo, 8 kHz, planes, expansion 1, /.source +
        /32 × 32, from ds\/dataset\.json \(found above the images\)/.source,
    ),
  );
  assert.match(run.stdout, /safety  clipped [\d,]+ samples beyond full scale/);
  assert.deepEqual((await readdir(join(folder, 'ds', 'samples_wav'))).sort(), ['sample_0.wav', 'sample_1.wav', 'sample_2.wav', 'sample_3.wav']);
  const again = await runBinary(['decode', 'ds/samples'], folder);
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim().split('\n').length, 1);
  assert.match(again.stderr, /ds\/samples_wav\/sample_0\.wav already exists/);
});

test('--like from elsewhere, one image, --json with the same facts, and --raw', async () => {
  const folder = await trainedOn();
  const json = await runBinary(['decode', 'ds/samples/sample_1.png', '--like', 'ds', '-o', 'one.wav', '--json'], folder);
  assert.equal(json.code, 0, json.stderr);
  const result = JSON.parse(json.stdout);
  assert.equal(result.output, 'one.wav');
  assert.deepEqual(result.parametersFrom, { kind: 'dataset', file: 'ds/dataset.json', how: 'like' });
  assert.equal(result.parameters.audio.sampleFormat, 'f32');
  assert.equal(result.decoded.length, 1);
  assert.equal(result.decoded[0].metadata, 'given');
  assert.ok(result.safety.clipped + result.safety.replaced > 0);
  const description = JSON.parse(await readFile(join(folder, 'ds', 'dataset.json'), 'utf8'));
  assert.equal(result.decoded[0].dataLength, description.clip.bytes);
  const raw = await runBinary(['decode', 'ds/samples/sample_1.png', '--like', 'ds', '-o', 'raw.wav', '--raw', '--json'], folder);
  assert.deepEqual(JSON.parse(raw.stdout).safety, { clipped: 0, replaced: 0 });
  // Flags override --like: the same image as s16 mono.
  const s16 = await runBinary(['decode', 'ds/samples/sample_1.png', '--like', 'ds', '--format', 's16', '--channels', '1', '-o', 's16.wav'], folder);
  assert.equal(s16.code, 0, s16.stderr);
  assert.match(s16.stdout, /decoded as s16, mono, 8 kHz, planes, expansion 1, 32 × 32, from ds\/dataset\.json, with --channels, --format as given/);
});

test("a dataset's own image decodes by its own metadata; --join makes one WAV; mistakes get one line", async () => {
  const folder = await trainedOn();
  const image = (await readdir(join(folder, 'ds', 'train'))).find((name) => name.endsWith('.png'))!;
  const own = await runBinary(['decode', join('ds', 'train', image), '-o', 'own.wav'], folder);
  assert.equal(own.code, 0, own.stderr);
  assert.match(own.stdout, /1 Resonance image, decoded by its own metadata \(unchanged\)/);
  const joined = await runBinary(['decode', 'ds/samples', '--join', '-o', 'all.wav'], folder);
  assert.equal(joined.code, 0, joined.stderr);
  assert.match(joined.stdout, /params  from ds\/dataset\.json \(found above the frames\)/);
  for (const [args, pattern] of [
    [['decode', 'ds/samples', '--each', '--join'], /give --each or --join, not both/],
    [['decode', 'own.wav', '--each'], /--each is for a folder of images/],
    [['decode', 'nowhere.png'], /nowhere\.png/],
  ] as const) {
    const run = await runBinary([...args], folder);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, pattern);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
  await mkdir(join(folder, 'junk'));
  await writeFile(join(folder, 'junk', 'a.png'), 'no');
  const none = await runBinary(['decode', 'junk', '--each', '--like', 'ds'], folder);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /junk\/a\.png: is not a PNG, JPEG or WebP image \(and none of the 1 image decoded\)/);
});
