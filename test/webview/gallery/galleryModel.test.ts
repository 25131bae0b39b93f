import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GALLERY_PAGE_SIZE as PAGE_SIZE, type GalleryItem } from '../../../src/shared/protocol';
import { GALLERY_ACTIONS, galleryActionForKey } from '../../../src/webview/gallery/galleryActions';
import { GalleryModel } from '../../../src/webview/gallery/galleryModel';

/** A host with `count` clips named clip_N from source sN%3, filtering by source like the real one. */
function fakeHost(count: number) {
  const asked: Array<{ offset: number; count: number; filter: string }> = [];
  const all: GalleryItem[] = Array.from({ length: count }, (_, i) => ({ index: i, name: `clip_${i}.png`, path: `clip_${i}.png`, source: `s${i % 3}.wav` }));
  const fetch = (offset: number, n: number, filter: string) => {
    asked.push({ offset, count: n, filter });
    const kept = all.filter((item) => item.source!.includes(filter));
    return Promise.resolve({ total: kept.length, items: kept.slice(offset, offset + n) });
  };
  return { asked, fetch };
}

test('pages: only the pages in view are fetched, once each, and items come from them', async () => {
  const host = fakeHost(100_000);
  const model = new GalleryModel(host.fetch, 100_000, () => undefined);
  await model.ensure(0, 50);
  await model.ensure(10, 60);
  assert.deepEqual(host.asked, [{ offset: 0, count: PAGE_SIZE, filter: '' }]);
  assert.equal(model.itemAt(42)?.name, 'clip_42.png');
  assert.equal(model.itemAt(PAGE_SIZE), undefined, 'a page not asked for is not there');
  await model.ensure(50_000, 50_010);
  assert.equal(host.asked.length, 2);
  assert.equal(model.itemAt(50_005)?.index, 50_005);
});

test('selection stays within the clips; marks follow the clip, not the position, across a filter', async () => {
  const host = fakeHost(10);
  const model = new GalleryModel(host.fetch, 10, () => undefined);
  await model.ensure(0, 9);
  assert.equal(model.select(-3), 0);
  assert.equal(model.select(99), 9);
  model.select(4);
  model.toggleMark();
  assert.ok(model.isMarked(4));
  assert.deepEqual([...model.marked], [4]);
  await model.setFilter('s1');
  assert.equal(model.total, 3, 'clips 1, 4 and 7 are from s1');
  assert.equal(model.selected, 0);
  await model.ensure(0, 2);
  assert.equal(model.itemAt(1)?.index, 4);
  assert.ok(model.isMarked(1), 'clip 4 is still marked at its new position');
  model.toggleMark(1);
  assert.equal(model.marked.size, 0);
});

test('auto-advance: the clip after the one that ended, only when on, and none after the last', () => {
  const model = new GalleryModel(fakeHost(3).fetch, 3, () => undefined);
  model.playing = 0;
  assert.equal(model.nextAfterEnd(), undefined);
  model.autoAdvance = true;
  assert.equal(model.nextAfterEnd(), 1);
  model.playing = 2;
  assert.equal(model.nextAfterEnd(), undefined);
});

test('actions: Enter and Space play, arrows move and play (up and down by a row), M marks, A toggles auto-advance; export needs marks', () => {
  assert.equal(galleryActionForKey('Enter'), 'play');
  assert.equal(galleryActionForKey(' '), 'play');
  assert.equal(galleryActionForKey('ArrowRight'), 'next');
  assert.equal(galleryActionForKey('m'), 'mark');
  assert.equal(galleryActionForKey('a'), 'autoAdvance');
  assert.equal(galleryActionForKey('x'), undefined);
  const moves: number[] = [];
  const target = {
    playing: false,
    autoAdvance: false,
    markedCount: 0,
    columns: 4,
    togglePlay() {},
    moveAndPlay: (d: number) => moves.push(d),
    toggleMark() {},
    toggleAutoAdvance() {},
    exportMarked() {},
  };
  GALLERY_ACTIONS.down.run(target);
  GALLERY_ACTIONS.up.run(target);
  GALLERY_ACTIONS.previous.run(target);
  assert.deepEqual(moves, [4, -4, -1]);
  assert.equal(GALLERY_ACTIONS.exportMarked.enabled(target), false);
  assert.equal(GALLERY_ACTIONS.exportMarked.enabled({ ...target, markedCount: 2 }), true);
});
