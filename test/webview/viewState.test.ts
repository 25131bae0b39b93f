import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoreState, type StateStore } from '../../src/webview/viewState';

const store = (value: unknown): StateStore => ({ getState: () => value, setState: () => undefined });

test("a document's own state comes back whole", () => {
  const settings = { follow: false, offGrid: true, waveform: false, spectrogram: true, frequencyScale: 'linear', floorDb: -60 };
  const saved = { document: 'song_frames/42', frame: 7, zoom: 4, time: 1.25, loop: true, volume: 0.5, ...settings };
  assert.deepEqual(restoreState(store(saved), 'song_frames/42'), { frame: 7, zoom: 4, time: 1.25, loop: true, volume: 0.5, ...settings });
});

test("another document's state, or none, restores nothing", () => {
  assert.deepEqual(restoreState(store({ document: 'other/3', frame: 2 }), 'song_frames/42'), {});
  assert.deepEqual(restoreState(store(undefined), 'song_frames/42'), {});
  assert.deepEqual(restoreState(store('junk'), 'song_frames/42'), {});
});

test('fields of the wrong kind are dropped one by one', () => {
  const saved = { document: 'd', frame: -1, zoom: 3, time: Number.NaN, loop: 'yes', volume: 2, follow: true };
  Object.assign(saved, { waveform: 1, frequencyScale: 'mel', floorDb: -200 });
  assert.deepEqual(restoreState(store(saved), 'd'), { follow: true });
});
