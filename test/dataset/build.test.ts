/**
 * Building datasets from fixture corpora: what each image holds, the metadata that traces it back,
 * mixed formats, bad files, splits, WebDataset shards, options that differ, and builds that are
 * cut into shards or stopped, each checked against a whole uninterrupted build.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ResonanceError } from '../../src/codec';
import { buildDataset, finishDataset, type BuildOptions } from '../../src/dataset';
import { SPEAKER_BITS as SPEAKERS } from '../helpers/wavFiles';
import { clipOf, filesOf, jsonLines, sineWav, smallBuild } from '../helpers/datasets';
import { tempFolders } from '../helpers/tempDirs';

const newFolder = tempFolders('dataset');

async function corpus(files: Record<string, Buffer | string>): Promise<string> {
  const root = join(await newFolder(), 'corpus');
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), bytes);
  }
  return root;
}

async function failure(promise: Promise<unknown>): Promise<ResonanceError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ResonanceError, `expected a ResonanceError, got ${String(error)}`);
  return error;
}

describe('one image, one clip', () => {
  test('a uniform corpus keeps its own format, and each image holds the next clip of its source, the last padded with silence', async () => {
    const a = sineWav({ rate: 8000, channels: 2, bits: 16, seconds: 0.5 });
    const root = await corpus({ 'a.wav': a, 'deep/er/b.WAV': sineWav({ rate: 8000, channels: 2, bits: 16, seconds: 0.3, hz: 300 }) });
    const out = join(await newFolder(), 'ds');
    const result = await buildDataset(smallBuild([root], out));
    assert.deepEqual(result.settings.audio, { sampleFormat: 's16', channels: 2, sampleRate: 8000 });
    const description = JSON.parse(await readFile(join(out, 'dataset.json'), 'utf8'));
    // 32 × 32 pixels of 3 bytes hold 768 sample frames of 4 bytes.
    assert.deepEqual(description.clip, { sampleFrames: 768, seconds: 0.096, bytes: 3072, hopSampleFrames: 768, hopSeconds: 0.096, tail: 'pad' });
    const lines = await jsonLines<{ file_name: string; source: string; clip: number; start_seconds: number; duration_seconds: number }>(
      join(out, 'train', 'metadata.jsonl'),
    );
    assert.deepEqual([...new Set(lines.map((l) => l.source))], ['a.wav', 'deep/er/b.WAV']);
    const ofA = lines.filter((l) => l.source === 'a.wav');
    assert.equal(ofA.length, Math.ceil(4000 / 768));
    const data = a.subarray(44);
    for (const line of ofA) {
      const clip = await clipOf(join(out, 'train', line.file_name));
      assert.equal(clip.length, 3072);
      const expected = Buffer.alloc(3072);
      data.copy(expected, 0, line.clip * 3072, (line.clip + 1) * 3072);
      assert.deepEqual(clip, expected, `clip ${line.clip}`);
      assert.equal(line.start_seconds, (line.clip * 768) / 8000);
    }
    assert.equal(ofA[ofA.length - 1].duration_seconds, (4000 - 5 * 768) / 8000);
    assert.deepEqual(await readFile(join(out, 'errors.jsonl'), 'utf8'), '');
    assert.deepEqual((await readdir(out)).sort(), ['dataset.json', 'errors.jsonl', 'train'], 'the build state is gone once finished');
  });

  test('the planes layout and every clip decodes on its own to the target format', async () => {
    const root = await corpus({ 'm.wav': sineWav({ rate: 16000, channels: 1, bits: 24, seconds: 0.2 }) });
    const out = join(await newFolder(), 'ds');
    await buildDataset(smallBuild([root], out, { layout: 'planes', audio: { sampleFormat: 's16' } }));
    const lines = await jsonLines<{ file_name: string }>(join(out, 'train', 'metadata.jsonl'));
    const source = sineWav({ rate: 16000, channels: 1, bits: 24, seconds: 0.2 }).subarray(44);
    const first = await clipOf(join(out, 'train', lines[0].file_name));
    // 24 to 16 bits: the top two bytes of each sample, rounded.
    for (let i = 0; i < 50; i++) assert.ok(Math.abs(first.readInt16LE(2 * i) - source.readIntLE(3 * i, 3) / 256) <= 0.5);
  });
});

describe('the corpus', () => {
  test('a mixed corpus with a format missing is refused before anything is written, listing the formats found', async () => {
    const root = await corpus({
      'a.wav': sineWav({ rate: 44100, channels: 2, bits: 16, seconds: 0.05 }),
      'b.wav': sineWav({ rate: 44100, channels: 2, bits: 16, seconds: 0.05 }),
      'c.wav': sineWav({ rate: 48000, channels: 1, bits: 24, seconds: 0.05 }),
    });
    const parent = await newFolder();
    const error = await failure(buildDataset(smallBuild([root], join(parent, 'ds'), { audio: { channels: 1 } })));
    assert.equal(error.code, 'CORPUS_MIXED');
    assert.match(error.message, /mixes audio formats: s16, stereo, 44100 Hz \(2 files\); s24, mono, 48 kHz \(1 file\)\. Give --format and --sample-rate/);
    assert.deepEqual(await readdir(parent), []);
  });

  test('files and folders, .wav in any case, hidden ones left out, one file reached twice taken once', async () => {
    const wav = sineWav({ rate: 8000, channels: 1, bits: 16, seconds: 0.1 });
    const root = await corpus({ 'x.wav': wav, 'sub/Y.WAV': wav, '.hidden/z.wav': wav, 'sub/.w.wav': wav, 'notes.txt': 'text' });
    await symlink(join(root, 'x.wav'), join(root, 'sub', 'link.wav'));
    const extra = join(await newFolder(), 'extra.wav');
    await writeFile(extra, wav);
    const out = join(await newFolder(), 'ds');
    const result = await buildDataset(smallBuild([root, extra], out));
    assert.equal(result.sources.found, 3);
    assert.equal(result.sources.duplicates, 1);
    const lines = await jsonLines<{ source: string }>(join(out, 'train', 'metadata.jsonl'));
    // The first path in name order is the one kept.
    assert.deepEqual([...new Set(lines.map((l) => l.source))], ['extra.wav', 'sub/Y.WAV', 'sub/link.wav']);
  });

  test('a bad file is left out with its reason in errors.jsonl; --strict stops the build at it', async () => {
    const root = await corpus({
      'good.wav': sineWav({ rate: 8000, channels: 1, bits: 16, seconds: 0.1 }),
      'bad.wav': 'not audio at all',
      'six.wav': sineWav({ rate: 8000, channels: 6, bits: 16, seconds: 0.1 }),
    });
    const out = join(await newFolder(), 'ds');
    const result = await buildDataset(smallBuild([root], out, { audio: { channels: 2 } }));
    assert.equal(result.sources.failed, 2);
    const errors = await jsonLines<{ source: string; code: string; message: string }>(join(out, 'errors.jsonl'));
    assert.deepEqual(errors.map((e) => [e.source, e.code]), [['bad.wav', 'WAV_INVALID'], ['six.wav', 'CONVERSION_REFUSED']]);
    assert.match(errors[1].message, /six\.wav: has 6 channels without a speaker mask that names them/);
    assert.equal(JSON.parse(await readFile(join(out, 'dataset.json'), 'utf8')).sources.failed, 2);

    const strictOut = join(await newFolder(), 'ds');
    const error = await failure(buildDataset(smallBuild([root], strictOut, { audio: { channels: 2 }, strict: true })));
    assert.equal(error.code, 'WAV_INVALID');
    assert.deepEqual(await readdir(join(strictOut, 'train')).catch(() => []), [], 'no image of any source');
  });
});

describe('conversion in a build', () => {
  test('5.1 named by its mask goes to stereo, other rates and formats to the target', async () => {
    const mask = SPEAKERS.FL | SPEAKERS.FR | SPEAKERS.FC | SPEAKERS.LFE | SPEAKERS.BL | SPEAKERS.BR;
    const root = await corpus({
      'surround.wav': sineWav({ rate: 48000, channels: 6, bits: 24, seconds: 0.2, mask }),
      'float.wav': sineWav({ rate: 22050, channels: 1, bits: 32, float: true, seconds: 0.2, level: 1.2 }),
    });
    const out = join(await newFolder(), 'ds');
    const result = await buildDataset(smallBuild([root], out, { audio: { sampleFormat: 's16', channels: 2, sampleRate: 16000 } }));
    assert.equal(result.sources.failed, 0);
    assert.ok(result.clippedSamples > 0, 'a sine at 1.2 of full scale clips, and is counted');
    const description = JSON.parse(await readFile(join(out, 'dataset.json'), 'utf8'));
    assert.equal(description.clippedSamples, result.clippedSamples);
    // 0.2 s at 16 kHz: 3,200 frames, 5 clips of 768 each.
    assert.equal(description.images, 10);
  });
});

describe('splits, tails, hops and silence', () => {
  test('--validation holds out whole source files, the same ones for the same seed', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 10; i++) files[`s${i}.wav`] = sineWav({ rate: 8000, channels: 1, bits: 16, seconds: 0.2, hz: 200 + 50 * i });
    const root = await corpus(files);
    const build = async (seed: number) => {
      const out = join(await newFolder(), 'ds');
      await buildDataset(smallBuild([root], out, { validation: 0.3, seed }));
      const sourcesOf = async (split: string) => new Set((await jsonLines<{ source: string }>(join(out, split, 'metadata.jsonl'))).map((l) => l.source));
      return { train: await sourcesOf('train'), validation: await sourcesOf('validation') };
    };
    const one = await build(1);
    assert.equal(one.validation.size, 3);
    assert.equal(one.train.size, 7);
    for (const source of one.validation) assert.ok(!one.train.has(source));
    assert.deepEqual(await build(1), one);
    assert.notDeepEqual((await build(2)).validation, one.validation);
  });

  test('--tail drop keeps whole clips only, --hop overlaps them, --skip-silent leaves out quiet clips', async () => {
    const tone = sineWav({ rate: 8000, channels: 1, bits: 16, seconds: 0.5 });
    const silence = buildWavOfSilence(8000, 0.3);
    const root = await corpus({ 'tone.wav': tone, 'quiet.wav': silence });
    const count = async (more: Partial<BuildOptions>) => {
      const out = join(await newFolder(), 'ds');
      const result = await buildDataset(smallBuild([root], out, more));
      return {
        images: result.images,
        silent: result.silentClips,
        lines: await jsonLines<{ source: string; clip: number; start_seconds: number }>(join(out, 'train', 'metadata.jsonl')),
      };
    };
    // Mono s16 in 32 × 32: clips of 1,536 frames; 4,000 frames of tone, 2,400 of silence.
    assert.equal((await count({})).images, 3 + 2);
    assert.equal((await count({ tail: 'drop' })).images, 2 + 1);
    const hopped = await count({ hopSeconds: 0.096 });
    assert.deepEqual(hopped.lines.filter((l) => l.source === 'tone.wav').map((l) => l.start_seconds), [0, 0.096, 0.192, 0.288, 0.384]);
    const skipped = await count({ skipSilentDb: 60 });
    assert.equal(skipped.silent, 2);
    assert.deepEqual([...new Set(skipped.lines.map((l) => l.source))], ['tone.wav']);
  });

  test('--dither changes the narrowed samples by at most one step, the same way every time', async () => {
    const root = await corpus({ 'hi.wav': sineWav({ rate: 8000, channels: 1, bits: 24, seconds: 0.2 }) });
    const make = async (dither: boolean) => {
      const out = join(await newFolder(), 'ds');
      await buildDataset(smallBuild([root], out, { audio: { sampleFormat: 's16' }, dither }));
      return filesOf(join(out, 'train'));
    };
    const plain = await make(false);
    const dithered = await make(true);
    assert.deepEqual(await make(true), dithered);
    assert.notDeepEqual(dithered, plain);
  });
});

describe('WebDataset shards', () => {
  test('KEY.png and KEY.json per sample in metadata order, a new tar past the cap', async () => {
    const root = await corpus({ 'a.wav': sineWav({ rate: 8000, channels: 1, bits: 16, seconds: 1 }) });
    const out = join(await newFolder(), 'ds');
    await buildDataset(smallBuild([root], out, { webdataset: { maxSamples: 2, maxBytes: 1e9 } }));
    const lines = await jsonLines<{ key: string; file_name: string }>(join(out, 'train', 'metadata.jsonl'));
    const tars = (await readdir(join(out, 'shards'))).sort();
    assert.deepEqual(tars, ['train-000000.tar', 'train-000001.tar', 'train-000002.tar']);
    const entries = [];
    for (const tar of tars) entries.push(...tarEntries(await readFile(join(out, 'shards', tar))));
    assert.deepEqual(entries.map((e) => e.name), lines.flatMap((l) => [`${l.key}.png`, `${l.key}.json`]));
    assert.deepEqual(entries[0].body, await readFile(join(out, 'train', lines[0].file_name)));
    assert.deepEqual(JSON.parse(entries[1].body.toString()), lines[0]);
    assert.ok(lines.every((l) => !l.key.includes('.')), 'keys hold no dots');
  });

  test('a shard is closed before it would pass the byte cap, headers and padding counted', async () => {
    const root = await corpus({ 'a.wav': sineWav({ rate: 8000, channels: 1, bits: 16, seconds: 1 }) });
    const out = join(await newFolder(), 'ds');
    await buildDataset(smallBuild([root], out, {}));
    // What each sample costs in a tar (header and padding of KEY.png and of KEY.json), from the files.
    const texts = (await readFile(join(out, 'train', 'metadata.jsonl'), 'utf8')).split('\n').filter((t) => t !== '');
    const block = (bytes: number) => 512 + Math.ceil(bytes / 512) * 512;
    const pngBytes = async (t: string) => (await readFile(join(out, 'train', `${JSON.parse(t).key}.png`))).length;
    const costs = await Promise.all(texts.map(async (t) => block(await pngBytes(t)) + block(t.length + 1)));
    const maxBytes = 1024 + Math.max(...costs.slice(1).map((c, k) => c + costs[k]));
    const capped = join(await newFolder(), 'ds');
    await buildDataset(smallBuild([root], capped, { webdataset: { maxSamples: 1000, maxBytes } }));
    const tars = (await readdir(join(capped, 'shards'))).sort();
    let next = 0;
    for (const tar of tars) {
      const bytes = await readFile(join(capped, 'shards', tar));
      const samples = tarEntries(bytes).length / 2;
      assert.ok(bytes.length <= maxBytes, `${tar}: ${bytes.length} bytes, the cap ${maxBytes}`);
      next += samples;
      if (next < costs.length) assert.ok(bytes.length + costs[next] > maxBytes, `${tar} was closed with room for the next sample`);
    }
    assert.equal(next, costs.length);
    assert.ok(tars.length > 2, `${costs.length} samples in ${tars.length} shards`);
  });
});

describe('stopping, resuming, sharding', () => {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 5; i++) files[`part${i}.wav`] = sineWav({ rate: 8000, channels: 2, bits: 16, seconds: 0.4, hz: 300 + 30 * i });

  test('a build cut into shards, finished, equals a one-machine build byte for byte; finish names what is missing', async () => {
    const root = await corpus(files);
    const whole = join(await newFolder(), 'ds');
    await buildDataset(smallBuild([root], whole, { validation: 0.2, webdataset: { maxSamples: 4, maxBytes: 1e9 } }));
    const sharded = join(await newFolder(), 'ds');
    for (const index of [2, 0])
      await buildDataset(smallBuild([root], sharded, { validation: 0.2, webdataset: { maxSamples: 4, maxBytes: 1e9 }, shard: { index, count: 3 } }));
    const unfinished = await failure(finishDataset(sharded));
    assert.equal(unfinished.code, 'DATASET_UNFINISHED');
    assert.match(
      unfinished.message,
      /shard 1 of 3 has not completed; run it again with the same options \(resonance dataset build \S+ -o \S+ --shard 1\/3\), then finish/,
    );
    await buildDataset(smallBuild([root], sharded, { validation: 0.2, webdataset: { maxSamples: 4, maxBytes: 1e9 }, shard: { index: 1, count: 3 } }));
    await finishDataset(sharded);
    assert.deepEqual(await filesOf(sharded), await filesOf(whole));
  });

  test('a shard with other options than the others is refused, naming the difference', async () => {
    const root = await corpus(files);
    const out = join(await newFolder(), 'ds');
    await buildDataset(smallBuild([root], out, { shard: { index: 0, count: 2 } }));
    const error = await failure(buildDataset(smallBuild([root], out, { layout: 'planes', shard: { index: 1, count: 2 } })));
    assert.equal(error.code, 'DATASET_OPTIONS_DIFFER');
    assert.match(error.message, /--layout bytes \(asked: planes\)/);
    const other = await failure(buildDataset(smallBuild([root], out, { shard: { index: 1, count: 3 } })));
    assert.match(other.message, /is being built in 2 shards; this run asks for 3/);
  });

  test('run again after it stopped, a build goes on without redoing finished sources, and ends as a fresh one', async () => {
    const root = await corpus(files);
    const fresh = join(await newFolder(), 'ds');
    await buildDataset(smallBuild([root], fresh));
    const resumed = join(await newFolder(), 'ds');
    const abort = new AbortController();
    let seen = 0;
    await failure(
      buildDataset(smallBuild([root], resumed, { signal: abort.signal, onProgress: (p) => (p.sourcesDone >= 2 && seen++ === 0 ? abort.abort() : undefined) })),
    );
    const second = await buildDataset(smallBuild([root], resumed));
    assert.ok(second.sources.alreadyDone >= 2, `done before: ${second.sources.alreadyDone}`);
    assert.deepEqual(await filesOf(resumed), await filesOf(fresh));
    const again = await buildDataset(smallBuild([root], resumed));
    assert.equal(again.alreadyComplete, true);
    const differ = await failure(buildDataset(smallBuild([root], resumed, { tail: 'drop' })));
    assert.match(differ.message, /was built with other options: --tail pad \(asked: drop\)/);
  });

  test('a folder that holds something else is not built into', async () => {
    const root = await corpus(files);
    const out = await newFolder();
    await writeFile(join(out, 'thesis.tex'), 'precious');
    const error = await failure(buildDataset(smallBuild([root], out)));
    assert.equal(error.code, 'OUTPUT_EXISTS');
    assert.deepEqual(await readdir(out), ['thesis.tex']);
    await rm(join(out, 'thesis.tex'));
  });
});

function buildWavOfSilence(rate: number, seconds: number): Buffer {
  return sineWav({ rate, channels: 1, bits: 16, seconds, level: 0 });
}

/** The entries of a tar archive (ustar headers of 512 bytes, bodies padded to 512). */
function tarEntries(tar: Buffer): Array<{ name: string; body: Buffer }> {
  const entries = [];
  for (let o = 0; o + 512 <= tar.length; ) {
    const name = tar.toString('utf8', o, o + 100).replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(tar.toString('latin1', o + 124, o + 136).trim(), 8);
    entries.push({ name, body: tar.subarray(o + 512, o + 512 + size) });
    o += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}
