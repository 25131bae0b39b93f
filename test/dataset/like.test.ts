/** Decode parameters taken from what a model was trained on: a dataset, a frames folder, one PNG. */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { encodeWav, ResonanceError } from '../../src/codec';
import { buildDataset, datasetAbove, parametersLike } from '../../src/dataset';
import { sineWav, smallBuild } from '../helpers/datasets';
import { tempFolders } from '../helpers/tempDirs';

const newFolder = tempFolders('like');

async function smallDataset(): Promise<string> {
  const root = await newFolder();
  await writeFile(join(root, 'a.wav'), sineWav({ rate: 8000, channels: 1, bits: 16, seconds: 0.3 }));
  const folder = join(root, 'ds');
  await buildDataset(smallBuild([join(root, 'a.wav')], folder, { geometry: { width: 16, height: 16, expansion: 1 }, layout: 'planes' }));
  return folder;
}

describe('parametersLike', () => {
  test('a dataset folder, its dataset.json and one of its images give the same audio, layout and geometry', async () => {
    const ds = await smallDataset();
    const image = join(ds, 'train', (await readdir(join(ds, 'train'))).find((name) => name.endsWith('.png'))!);
    const fromFolder = await parametersLike(ds);
    assert.equal(fromFolder.kind, 'dataset');
    assert.equal(fromFolder.file, join(ds, 'dataset.json'));
    assert.deepEqual((await parametersLike(join(ds, 'dataset.json'))).parameters, fromFolder.parameters);
    const fromImage = await parametersLike(image);
    assert.equal(fromImage.kind, 'image');
    assert.deepEqual(fromImage.parameters.audio, fromFolder.parameters.audio);
    assert.equal(fromFolder.parameters.layout, 'planes');
    assert.deepEqual(fromFolder.parameters.geometry, { width: 16, height: 16, expansion: 1 });
    const description = JSON.parse(await readFile(join(ds, 'dataset.json'), 'utf8'));
    assert.equal(fromFolder.parameters.clipBytes, description.clip.bytes);
  });

  test('a frames folder gives its stream', async () => {
    const root = await newFolder();
    await writeFile(join(root, 'a.wav'), sineWav({ rate: 11025, channels: 2, bits: 24, seconds: 0.1 }));
    await encodeWav(join(root, 'a.wav'), { output: join(root, 'frames'), geometry: { width: 8, height: 8, expansion: 2 }, layout: 'planes', workers: 0 });
    const like = await parametersLike(join(root, 'frames'));
    assert.equal(like.kind, 'frames');
    assert.deepEqual([like.parameters.audio.sampleFormat, like.parameters.audio.channels, like.parameters.audio.sampleRate], ['s24', 2, 11025]);
    assert.deepEqual(like.parameters.geometry, { width: 8, height: 8, expansion: 2 });
  });

  test('a damaged dataset.json is refused naming the field; a missing source names itself', async () => {
    const ds = await smallDataset();
    const description = JSON.parse(await readFile(join(ds, 'dataset.json'), 'utf8'));
    for (const [change, pattern] of [
      [{ layout: 'spiral' }, /"layout"/],
      [{ audio: { ...description.audio, channels: 0 } }, /"audio.channels"/],
      [{ geometry: { width: 15, height: 16, expansion: 2 } }, /"geometry"/],
      [{ clip: { ...description.clip, bytes: 10 ** 9 } }, /"clip.bytes"/],
    ] as const) {
      await writeFile(join(ds, 'dataset.json'), JSON.stringify({ ...description, ...change }));
      await assert.rejects(
        parametersLike(ds),
        (e: unknown) => e instanceof ResonanceError && e.code === 'MANIFEST_INVALID' && e.file === join(ds, 'dataset.json') && pattern.test(e.message),
      );
    }
    await assert.rejects(parametersLike(join(ds, 'nothing')), (e: unknown) => e instanceof ResonanceError && e.code === 'FILE_NOT_FOUND');
  });
});

describe('datasetAbove', () => {
  test("finds the dataset.json of the images' folder or a parent, and nothing where there is none", async () => {
    const ds = await smallDataset();
    await mkdir(join(ds, 'samples', 'run1'), { recursive: true });
    assert.equal((await datasetAbove(join(ds, 'samples', 'run1')))?.file, join(ds, 'dataset.json'));
    assert.equal((await datasetAbove(join(ds, 'samples', 'run1', 'x.png')))?.file, join(ds, 'dataset.json'));
    assert.equal(await datasetAbove(await newFolder()), undefined);
  });
});
