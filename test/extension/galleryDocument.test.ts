/**
 * The gallery's host model with the real codec: a dataset's first page is served while its
 * metadata.jsonl is still being indexed, a filter waits for the whole index, and the decode
 * parameters are named by where they really come from (the images' own metadata first).
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { encodeWav, makeAudioFormat } from '../../src/codec';
import { GalleryDocumentModel, type ChosenParameters } from '../../src/extension/galleryDocument';
import { sineWav } from '../helpers/datasets';
import { tempFolders } from '../helpers/tempDirs';

const newFolder = tempFolders('gallery-model');
const settings: ChosenParameters = {
  parameters: { audio: makeAudioFormat('s16', 1, 8000), layout: 'planes', expansion: 1 },
  from: 'resonance.assume',
  origin: 'settings',
};

/** Three Resonance frames of a tone (each with its frame record) in `folder`/`name`_N.png. */
async function resonanceImages(folder: string, name: string): Promise<string[]> {
  const wav = join(folder, 'tone.wav');
  await writeFile(wav, sineWav({ rate: 8000, channels: 2, bits: 16, seconds: 0.3 }));
  const frames = join(folder, '.frames');
  await encodeWav(wav, { output: frames, geometry: { width: 32, height: 32, expansion: 1 }, layout: 'bytes', workers: 0 });
  await rm(wav);
  const pngs = (await readdir(frames)).filter((n) => n.endsWith('.png')).sort();
  const names = pngs.slice(0, 3).map((_, i) => `${name}_${i}.png`);
  for (const [i, png] of pngs.slice(0, 3).entries()) await rename(join(frames, png), join(folder, names[i]));
  await rm(frames, { recursive: true });
  return names;
}

/** A plain 32 × 32 RGB PNG, without any Resonance text chunk (a model's output). */
function plainPng(): Buffer {
  const png = new PNG({ width: 32, height: 32 });
  png.data.fill(128);
  return PNG.sync.write(png, { colorType: 2 });
}

async function dataset(records: number, { statedImages = true } = {}): Promise<string> {
  const folder = await newFolder();
  await mkdir(join(folder, 'train'));
  await writeFile(join(folder, 'train', 'k0.png'), plainPng());
  const sources = ['drums/kick.wav', 'bass/line.wav', 'keys/pad.wav'];
  const lines = Array.from({ length: records }, (_, i) =>
    JSON.stringify({ file_name: 'k0.png', source: sources[i % 3], clip: i, start_seconds: i * 0.5, duration_seconds: 0.5 }),
  );
  await writeFile(join(folder, 'train', 'metadata.jsonl'), lines.join('\n') + '\n');
  const split = { folder: 'train', metadata: 'train/metadata.jsonl', ...(statedImages ? { images: records } : {}), sources: 3, seconds: records / 2 };
  await writeFile(
    join(folder, 'dataset.json'),
    JSON.stringify({
      format: 'resonance-dataset',
      version: 1,
      audio: { sampleFormat: 's16', channels: 1, sampleRate: 8000, bitsPerSample: 16, blockAlign: 2 },
      geometry: { width: 32, height: 32, expansion: 1 },
      layout: 'planes',
      clip: { bytes: 32 * 32 * 3, seconds: 0.192 },
      splits: { train: split },
      sources: { total: 3, used: 3, failed: 0 },
      images: records,
    }),
  );
  return join(folder, 'dataset.json');
}

test("a dataset's first page and count come before its index is complete; a filter early waits for the whole index", async () => {
  const file = await dataset(100_000);
  const model = await GalleryDocumentModel.open({ kind: 'dataset', file }, await newFolder(), () => undefined);
  assert.equal(model.indexing, true, '100,000 lines are not indexed by the time the gallery opens');
  assert.equal(model.clipCount, 100_000, "the count is dataset.json's");
  const first = await model.page(0, 200, '');
  assert.equal(first.total, 100_000);
  assert.equal(first.items.length, 200);
  assert.deepEqual(first.items[4], { index: 4, name: 'k0.png', path: 'train/k0.png', source: 'bass/line.wav', startSeconds: 2, durationSeconds: 0.5 });
  assert.equal(model.indexing, true, 'the first page did not wait for the rest');
  const filtered = await model.page(0, 3, 'BASS');
  assert.equal(model.indexing, false);
  assert.equal(filtered.total, 33_333, 'every bass record of the whole file, not of the lines indexed when asked');
  assert.deepEqual(
    filtered.items.map((item) => item.index),
    [1, 4, 7],
  );
  const last = await model.page(99_990, 200, '');
  assert.equal(last.items.length, 10);
  assert.equal(last.items[9].index, 99_999);
  assert.deepEqual([...model.sources], ['drums/kick.wav', 'bass/line.wav', 'keys/pad.wav']);
});

test("a dataset whose splits do not state their images is counted by its whole index; one whose file is shorter ends at its last record", async () => {
  const unstatedFile = await dataset(20_000, { statedImages: false });
  const unstated = await GalleryDocumentModel.open({ kind: 'dataset', file: unstatedFile }, await newFolder(), () => undefined);
  assert.equal(unstated.indexing, false);
  assert.equal(unstated.clipCount, 20_000);
  const file = await dataset(10);
  const description = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8'))) as { splits: { train: { images: number } } };
  description.splits.train.images = 12;
  await writeFile(file, JSON.stringify(description));
  const short = await GalleryDocumentModel.open({ kind: 'dataset', file }, await newFolder(), () => undefined);
  const page = await short.page(0, 200, '');
  assert.equal(page.items.length, 10);
  await short.indexed();
  assert.equal(short.clipCount, 10, 'the records there once the index is complete');
  await assert.rejects(short.imageOf(10), /not a clip/);
});

test('a bad line past the first page: the first page is served, the index and a filter report the file and line', async () => {
  const file = await dataset(30_000);
  const metadata = join(file, '..', 'train', 'metadata.jsonl');
  await writeFile(metadata, (await import('node:fs/promises').then((fs) => fs.readFile(metadata, 'utf8'))) + '{not json\n');
  const model = await GalleryDocumentModel.open({ kind: 'dataset', file }, await newFolder(), () => undefined);
  assert.equal((await model.page(0, 200, '')).items.length, 200);
  await assert.rejects(model.indexed(), /metadata\.jsonl.*line 30001 is not a JSON object/);
  await assert.rejects(model.page(0, 10, 'bass'), /line 30001/);
});

test("parameters: the images' own Resonance metadata first, then a dataset.json above, then the settings; each clip says which it decoded by", async () => {
  const own = await newFolder();
  const names = await resonanceImages(own, 'sample');
  const byRecord = await GalleryDocumentModel.open({ kind: 'samples', folder: own }, await newFolder(), () => settings);
  assert.deepEqual(byRecord.parametersOrigin, { origin: 'images', from: names[0], fallback: { origin: 'settings', from: 'resonance.assume' } });
  const recordParameters = { sampleFormat: 's16', channels: 2, sampleRate: 8000, layout: 'bytes', expansion: 1 };
  assert.deepEqual(byRecord.parameters, recordParameters, "the record's, not the settings' mono");
  const clip = await byRecord.decode(0);
  assert.equal(clip.audio.ownMetadata, true);
  assert.equal(clip.audio.stream.audio.channels, 2);

  const plain = await newFolder();
  await writeFile(join(plain, 'out_0.png'), plainPng());
  const bySettings = await GalleryDocumentModel.open({ kind: 'samples', folder: plain }, await newFolder(), () => settings);
  assert.deepEqual(bySettings.parametersOrigin, { origin: 'settings', from: 'resonance.assume' });
  assert.equal((await bySettings.decode(0)).audio.ownMetadata, false);
  await bySettings.setParameters({ sampleFormat: 'u8', channels: 1, sampleRate: 8000, layout: 'planes', expansion: 1 });
  assert.equal(bySettings.parametersOrigin.origin, 'page');
  const none = await GalleryDocumentModel.open({ kind: 'samples', folder: plain }, await newFolder(), () => undefined);
  assert.deepEqual(none.parametersOrigin, { origin: 'none' });

  const file = await dataset(3);
  const byDataset = await GalleryDocumentModel.open({ kind: 'dataset', file }, await newFolder(), () => settings);
  assert.deepEqual(byDataset.parametersOrigin, { origin: 'dataset', from: file });
  assert.equal((await byDataset.decode(1)).audio.ownMetadata, false);
  const trainOwn = await resonanceImages(join(file, '..', 'train'), 'k');
  await rename(join(file, '..', 'train', trainOwn[0]), join(file, '..', 'train', 'k0.png'));
  const datasetOfRecords = await GalleryDocumentModel.open({ kind: 'dataset', file }, await newFolder(), () => settings);
  assert.deepEqual(datasetOfRecords.parametersOrigin, { origin: 'images', from: 'k0.png', fallback: { origin: 'dataset', from: file } });
});
