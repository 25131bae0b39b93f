import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MetadataIndex } from '../../src/dataset';
import { isGalleryRequest } from '../../src/shared/protocol';

async function datasetWith(lines: Record<string, string[]>): Promise<{ folder: string; splits: Array<{ name: string; folder: string; file: string }> }> {
  const folder = await mkdtemp(join(tmpdir(), 'resonance-metadata-'));
  const splits = [];
  for (const [name, records] of Object.entries(lines)) {
    const file = join(folder, `${name}.jsonl`);
    await writeFile(file, records.join('\n') + '\n');
    splits.push({ name, folder: name, file });
  }
  return { folder, splits };
}

const line = (i: number, source: string) => JSON.stringify({ file_name: `k${i}.png`, source, clip: i, start_seconds: i * 1.5, duration_seconds: 1.5 });

test('pages through the records of every split by offset, and filters by source, any case', async () => {
  const { splits } = await datasetWith({ train: [line(0, 'Drums/a.wav'), line(1, 'bass.wav'), line(2, 'drums/é.wav')], validation: [line(3, 'bass.wav')] });
  const index = await MetadataIndex.build(splits);
  assert.equal(index.count, 4);
  assert.deepEqual(index.sources, ['Drums/a.wav', 'bass.wav', 'drums/é.wav']);
  const [third, fourth] = await index.read([2, 3]);
  assert.deepEqual(third, { index: 2, split: 'train', path: 'train/k2.png', source: 'drums/é.wav', startSeconds: 3, durationSeconds: 1.5 });
  assert.equal(fourth.path, 'validation/k3.png');
  assert.deepEqual([...index.matching('DRUMS')!], [0, 2]);
  assert.equal(index.matching('  '), undefined, 'an empty filter keeps all');
  await assert.rejects(index.read([4]), /not a record/);
});

test('a record naming a file outside its split, or a line that is not JSON, is refused naming the file', async () => {
  const { splits } = await datasetWith({ train: [JSON.stringify({ file_name: '../x.png', source: 'a' })] });
  const index = await MetadataIndex.build(splits);
  await assert.rejects(index.read([0]), /names no image/);
  const bad = await datasetWith({ train: ['{not json'] });
  await assert.rejects(MetadataIndex.build(bad.splits), /train\.jsonl.*line 1 is not a JSON object/);
});

test('100,000 records index into typed arrays and a page reads back from the middle', async () => {
  const { splits } = await datasetWith({ train: Array.from({ length: 100_000 }, (_, i) => line(i, `s${i % 7}.wav`)) });
  const index = await MetadataIndex.build(splits);
  assert.equal(index.count, 100_000);
  const page = await index.read([54_321, 54_322]);
  assert.equal(page[0].path, 'train/k54321.png');
  assert.equal(index.matching('s3')!.length, Math.floor(100_000 / 7) + (100_000 % 7 > 3 ? 1 : 0));
});

test("the gallery's requests are checked, parameters and all", () => {
  assert.ok(isGalleryRequest({ kind: 'request', id: 1, method: 'galleryPage', params: { offset: 0, count: 10, filter: '' } }));
  assert.ok(!isGalleryRequest({ kind: 'request', id: 1, method: 'galleryPage', params: { offset: -1, count: 10, filter: '' } }));
  assert.ok(!isGalleryRequest({ kind: 'request', id: 1, method: 'clipAudio', params: { index: '../x' } }));
  assert.ok(!isGalleryRequest({ kind: 'request', id: 1, method: 'exportMarked', params: { indices: [1, 2.5] } }));
  assert.ok(!isGalleryRequest({ kind: 'request', id: 1, method: 'readFile', params: {} }));
});

test('sources are read the same by the fast path and by a whole parse: escapes, spacing, keys in any order, a key inside a value', async () => {
  const tricky = [
    line(0, 'say "hi"\\now.wav'),
    `{ "file_name": "k1.png", "source": "spaced.wav" }`,
    JSON.stringify({ source: 'first.wav', file_name: 'k2.png' }),
    JSON.stringify({ file_name: 'k3.png', note: '"source":"decoy.wav"', source: 'real.wav' }),
    JSON.stringify({ file_name: 'k4.png' }),
    `\r`,
    line(5, 'multi/bytes/ünï.wav'),
  ];
  const { splits } = await datasetWith({ train: tricky });
  const index = await MetadataIndex.build(splits);
  assert.equal(index.count, 6, 'the blank line is no record');
  assert.deepEqual(index.sources, ['say "hi"\\now.wav', 'spaced.wav', 'first.wav', 'real.wav', '', 'multi/bytes/ünï.wav']);
  const records = await index.read([0, 1, 2, 3, 4, 5]);
  assert.deepEqual(
    records.map((r) => r.source),
    index.sources,
  );
  assert.equal(records[5].path, 'train/k5.png', 'the offsets are bytes, past the multi-byte characters');
});

test('open indexes as it reads: the first lines are served before the last are read, and a bad line fails only what waits past it', async () => {
  const { splits } = await datasetWith({ train: Array.from({ length: 100_000 }, (_, i) => line(i, `s${i % 7}.wav`)) });
  const index = MetadataIndex.open(splits);
  await index.whenIndexed(200);
  assert.ok(index.count >= 200 && !index.done, `${index.count} lines indexed when the first 200 are asked for, of 100,000`);
  const page = await index.read(Array.from({ length: 200 }, (_, i) => i));
  assert.deepEqual(
    page.map((r) => r.path),
    Array.from({ length: 200 }, (_, i) => `train/k${i}.png`),
  );
  await index.complete;
  assert.equal(index.count, 100_000);
  await index.whenIndexed(1_000_000);

  const bad = await datasetWith({ train: [line(0, 'a.wav'), line(1, 'b.wav'), '{not json'] });
  const failing = MetadataIndex.open(bad.splits);
  await assert.rejects(failing.complete, /line 3 is not a JSON object/);
  await failing.whenIndexed(2);
  assert.equal((await failing.read([1]))[0].source, 'b.wav', 'the lines before the bad one are served');
  await assert.rejects(failing.whenIndexed(3), /line 3/);
});

test('a page of records far apart and out of order reads each back, in the order asked', async () => {
  const { splits } = await datasetWith({ train: Array.from({ length: 30_000 }, (_, i) => line(i, `s${i}.wav`)), validation: [line(30_000, 'v.wav')] });
  const index = await MetadataIndex.build(splits);
  const records = await index.read([29_999, 30_000, 3, 15_000, 4]);
  assert.deepEqual(
    records.map((r) => r.source),
    ['s29999.wav', 'v.wav', 's3.wav', 's15000.wav', 's4.wav'],
  );
});
