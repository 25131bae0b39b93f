/** The real WAV files in test/fixtures (written by ffmpeg and CPython, not by us) round-trip byte-identical. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_GEOMETRY } from '../../../src/codec';
import { assertRoundTrip } from '../../helpers/roundTrip';
import { tempFolders } from '../../helpers/tempDirs';
import { FIXTURES } from '../../helpers/paths';

const newFolder = tempFolders('fixtures');
const NAMES = ['ff_list_s16_stereo.wav', 'ff_f32_stereo.wav', 'pluck-pcm8.wav', 'pluck-pcm16.wav', 'pluck-pcm24.wav', 'pluck-pcm32.wav'];

test('every fixture is here', async () => {
  const names = await readdir(FIXTURES);
  for (const name of NAMES) assert.ok(names.includes(name), name);
});

for (const name of NAMES) {
  // The ffmpeg files, the larger ones, also go through the worker pool.
  const workers = name.startsWith('ff_') ? 2 : 0;
  test(`${name} round-trips byte-identical at the default geometry and at small ones (${workers ? 'worker pool' : 'inline'})`, async () => {
    const wav = await readFile(join(FIXTURES, name));
    const single = await assertRoundTrip(await newFolder(), wav, { ...DEFAULT_GEOMETRY });
    assert.equal(single.encoded.frameCount, 1);
    const many = await assertRoundTrip(await newFolder(), wav, { width: 48, height: 36, expansion: 1 }, { workers });
    assert.ok(many.encoded.frameCount > 1);
    await assertRoundTrip(await newFolder(), wav, { width: 90, height: 72, expansion: 3 }, { workers });
  });
}
