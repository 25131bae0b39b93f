import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GalleryItem } from '../../../src/shared/protocol';
import { parametersLabel } from '../../../src/webview/gallery/galleryModel';
import { cellState, planRows, rowKey } from '../../../src/webview/gallery/gridRows';

const item = (i: number): GalleryItem => ({ index: i, name: `k${i}.png`, path: `train/k${i}.png`, source: 'bass.wav', startSeconds: i, durationSeconds: 1 });
const plain = { selected: false, playing: false, marked: false };
const row = (from: number, flags: (p: number) => typeof plain = () => plain, loaded = true) =>
  rowKey([0, 1, 2].map((c) => cellState(from + c, c, loaded ? item(from + c) : undefined, undefined, flags(from + c))));

test('a scroll builds only the rows come into view, and removes those gone out of it', () => {
  const drawn = new Map([10, 11, 12, 13].map((r) => [r, row(r * 3)]));
  const wanted = new Map([11, 12, 13, 14, 15].map((r) => [r, row(r * 3)]));
  assert.deepEqual(planRows(drawn, wanted), { remove: [10], build: [14, 15] });
  assert.deepEqual(planRows(wanted, wanted), { remove: [], build: [] }, 'a redraw with nothing changed builds nothing');
});

test('a row is built again when its record comes in, its selection, playing or mark changes, or its level is known; not for a neighbour', () => {
  const drawn = new Map([
    [0, row(0, () => plain, false)],
    [1, row(3)],
    [2, row(6)],
  ]);
  const wanted = new Map([
    [0, row(0)],
    [1, row(3, (p) => ({ ...plain, selected: p === 4 }))],
    [2, row(6)],
  ]);
  assert.deepEqual(planRows(drawn, wanted).build, [0, 1]);
  for (const flag of ['selected', 'playing', 'marked'] as const) assert.notEqual(row(3, (p) => ({ ...plain, [flag]: p === 5 })), row(3), flag);
  const levelled = rowKey([cellState(0, 0, item(0), { durationSeconds: 1, rmsDb: -12, peakDb: -3 }, plain)]);
  assert.notEqual(levelled, rowKey([cellState(0, 0, item(0), undefined, plain)]));
  assert.match(levelled, /-12\.0 dBFS RMS, -3\.0 peak/);
  assert.notEqual(rowKey([cellState(4, 1, item(4), undefined, plain)]), rowKey([cellState(4, 0, item(4), undefined, plain)]), 'another column count moves it');
});

test("a cell's label says what a screen reader hears: name, source and time, length, marked, playing", () => {
  const all = { selected: true, playing: true, marked: true };
  assert.equal(cellState(2, 0, item(2), undefined, all).label, 'k2.png, bass.wav at 2.00 s, 1.00 s, marked, playing');
  assert.equal(cellState(2, 0, undefined, undefined, plain).label, 'Loading');
});

test('the parameters are labelled by where they come from', () => {
  assert.equal(
    parametersLabel({ origin: 'images', from: 'sample_0.png', fallback: { origin: 'settings', from: 'resonance.assume' } }),
    "the images' own Resonance metadata, as sample_0.png carries; images without it: the resonance.assume settings",
  );
  assert.equal(parametersLabel({ origin: 'dataset', from: 'data/dataset.json' }), 'data/dataset.json');
  assert.equal(parametersLabel({ origin: 'settings', from: 'resonance.assume' }), 'the resonance.assume settings');
  assert.equal(parametersLabel({ origin: 'page' }), 'set in the page');
  assert.equal(parametersLabel({ origin: 'none' }), 'nowhere yet: set them below');
});
