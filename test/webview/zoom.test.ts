import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isZoomLevel, scaleOf, zoomIn, zoomLabel, zoomOut, type ZoomLevel } from '../../src/webview/zoom';

const view = { width: 800, height: 600 };

test('fit is the largest whole scale that shows the whole frame, or the exact scale below 1:1', () => {
  assert.equal(scaleOf('fit', { width: 64, height: 64 }, view), 9);
  assert.equal(scaleOf('fit', { width: 256, height: 100 }, view), 3);
  assert.equal(scaleOf('fit', { width: 768, height: 768 }, view), 600 / 768);
  assert.equal(scaleOf('fit', { width: 800, height: 600 }, view), 1);
  assert.equal(scaleOf('fit', { width: 0, height: 0 }, view), 1, 'no image yet');
});

test('fixed levels are their own scale whatever the view', () => {
  for (const level of [1, 2, 4, 8] as const) assert.equal(scaleOf(level, { width: 768, height: 768 }, view), level);
});

test('+ and − walk the levels by scale, fit placed where its scale falls', () => {
  const big = { width: 768, height: 768 }; // fit 0.78: below 1:1
  assert.deepEqual(walk('fit', big, zoomIn), ['fit', 1, 2, 4, 8]);
  assert.deepEqual(walk(8, big, zoomOut), [8, 4, 2, 1, 'fit']);
  const small = { width: 100, height: 100 }; // fit 6: between 4× and 8×
  assert.deepEqual(walk(1, small, zoomIn), [1, 2, 4, 'fit', 8]);
  assert.deepEqual(walk(8, small, zoomOut), [8, 'fit', 4, 2, 1]);
  const exact = { width: 200, height: 150 }; // fit 4: the same as 4×, which stands for it
  assert.deepEqual(walk(1, exact, zoomIn), [1, 2, 4, 8]);
  assert.equal(zoomOut('fit', exact, view), 2);
  assert.equal(zoomIn('fit', exact, view), 8);
});

test('labels and level checks', () => {
  assert.deepEqual((['fit', 1, 2, 4, 8] as ZoomLevel[]).map(zoomLabel), ['Fit', '1:1', '2×', '4×', '8×']);
  assert.equal(isZoomLevel(4), true);
  assert.equal(isZoomLevel(3), false);
  assert.equal(isZoomLevel('4'), false);
});

/** Steps until the level stops changing. */
function walk(start: ZoomLevel, image: { width: number; height: number }, step: typeof zoomIn): ZoomLevel[] {
  const seen = [start];
  for (let level = step(start, image, view); level !== seen[seen.length - 1]; level = step(level, image, view)) seen.push(level);
  return seen;
}
