import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrollToReveal, visibleCells } from '../../src/webview/filmstripWindow';

const strip = { viewportLength: 500, itemLength: 100, overscan: 2 };

test('at the start: the visible cells and the overscan after them', () => {
  assert.deepEqual(visibleCells({ ...strip, scrollOffset: 0, count: 2000 }), { first: 0, end: 7 });
});

test('scrolled into the middle: a partly visible cell at each edge counts, plus overscan either side', () => {
  assert.deepEqual(visibleCells({ ...strip, scrollOffset: 1050, count: 2000 }), { first: 8, end: 18 });
});

test('at the end of 2,000 frames: no cell past the last', () => {
  const range = visibleCells({ ...strip, scrollOffset: 2000 * 100 - 500, count: 2000 });
  assert.deepEqual(range, { first: 1993, end: 2000 });
});

test('the window stays the same size however many frames there are', () => {
  for (const count of [10, 2000, 1_000_000]) {
    const range = visibleCells({ ...strip, scrollOffset: 300, count });
    assert.ok(range.end - range.first <= 5 + 1 + 2 * strip.overscan, `${count} frames: ${range.end - range.first} cells`);
  }
});

test('fewer frames than fit, nothing at all, and a scroll offset past the end', () => {
  assert.deepEqual(visibleCells({ ...strip, scrollOffset: 0, count: 3 }), { first: 0, end: 3 });
  assert.deepEqual(visibleCells({ ...strip, scrollOffset: 0, count: 0 }), { first: 0, end: 0 });
  assert.deepEqual(visibleCells({ ...strip, scrollOffset: 99999, count: 3 }), { first: 0, end: 3 });
  assert.deepEqual(visibleCells({ ...strip, scrollOffset: -40, count: 50 }), { first: 0, end: 7 });
});

test('revealing a cell scrolls only when it is not fully visible', () => {
  const at = { viewportLength: 500, itemLength: 100, scrollOffset: 1000 };
  assert.equal(scrollToReveal(at, 12), undefined);
  assert.equal(scrollToReveal(at, 9), 900, 'before the view: align its start');
  assert.equal(scrollToReveal(at, 15), 1100, 'after the view: align its end');
  assert.equal(scrollToReveal({ ...at, scrollOffset: 1050 }, 10), 1000, 'partly hidden at the start');
});
