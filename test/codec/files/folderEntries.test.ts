/** A folder's entries in buffers: every entry once, a buffer at most 1,024 long, a missing folder refused. */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryBatches } from '../../../src/codec/files/folderEntries';
import { tempFolders } from '../../helpers/tempDirs';

const newFolder = tempFolders('entries');

test('every entry of a folder of 2,500 comes once, with its type, in buffers of at most 1,024', async () => {
  const folder = await newFolder();
  const names = Array.from({ length: 2500 }, (_, i) => `f${i}.png`);
  await Promise.all(names.map((name) => writeFile(join(folder, name), '')));
  await mkdir(join(folder, 'sub'));
  const seen: string[] = [];
  const sizes: number[] = [];
  for await (const batch of entryBatches(folder)) {
    sizes.push(batch.length);
    for (const entry of batch) {
      assert.equal(entry.isDirectory(), entry.name === 'sub');
      seen.push(entry.name);
    }
  }
  assert.deepEqual(seen.sort(), [...names, 'sub'].sort());
  assert.ok(sizes.length >= 3 && sizes.every((size) => size > 0 && size <= 1024), `buffers: ${sizes.join(', ')}`);
});

test('stopping early ends the listing; a missing folder is refused with its error', async () => {
  const folder = await newFolder();
  await Promise.all(Array.from({ length: 1500 }, (_, i) => writeFile(join(folder, `f${i}`), '')));
  let batches = 0;
  for await (const batch of entryBatches(folder)) {
    assert.ok(batch.length > 0);
    batches++;
    break;
  }
  assert.equal(batches, 1);
  await assert.rejects(entryBatches(join(folder, 'missing')).next(), { code: 'ENOENT' });
});
