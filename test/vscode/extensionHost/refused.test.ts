/** Settings that cannot work are refused before any work, with the reason. */
import assert from 'node:assert/strict';
import { suite, test, teardown } from 'mocha';
import { encode, fixtureIn, listing, newFolder, resetSettings, setSettings } from './helpers';

suite('invalid settings', () => {
  teardown(resetSettings);

  test('width and height that are not multiples of the pixel expansion are refused and nothing is written', async () => {
    await setSettings({ width: 100, height: 768, pixelExpansion: 3 });
    const folder = await newFolder('not-multiples');
    const wav = await fixtureIn(folder);
    const reports = await encode(wav);
    assert.deepEqual(reports.map((report) => report.outcome), ['refused']);
    assert.match(reports[0].message ?? '', /width 100 and height 768 must both be multiples of the pixel expansion 3/);
    assert.deepEqual(await listing(folder), ['pluck.wav']);
  });

  test('every selected WAV is refused, not only the first', async () => {
    await setSettings({ width: 0 });
    const folder = await newFolder('out-of-range');
    const one = await fixtureIn(folder, 'one.wav');
    const two = await fixtureIn(folder, 'two.wav');
    const reports = await encode(one, [one, two]);
    assert.deepEqual(reports.map((report) => report.outcome), ['refused', 'refused']);
    assert.match(reports[0].message ?? '', /resonance\.width must be a whole number from 1 to 16384, not 0/);
    assert.deepEqual(await listing(folder), ['one.wav', 'two.wav']);
  });
});
