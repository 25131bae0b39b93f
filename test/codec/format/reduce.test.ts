import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellSpans, defaultReducer, reduceToGrid, REDUCERS, type Reducer } from '../../../src/codec/format/reduce';
import { blur121, expandGrid, gaussianNoise, resizeNearest } from '../../../bench/robustnessDamage';
import { Prng } from '../../helpers/prng';

function randomPixels(columns: number, rows: number, seed: number): Uint8Array {
  return new Uint8Array(new Prng(seed).bytes(columns * rows * 3));
}

/** A one-block image whose channel 0 holds `values` row by row (channels 1 and 2 hold 0 and 255). */
function block(side: number, values: number[]): Uint8Array {
  const rgb = new Uint8Array(side * side * 3);
  values.forEach((value, i) => {
    rgb[i * 3] = value;
    rgb[i * 3 + 2] = 255;
  });
  return rgb;
}

test('cellSpans: E × E blocks exactly, and every other size partitioned by pixel centres', () => {
  const exact = cellSpans(768, 192);
  for (let i = 0; i < 192; i++) assert.deepEqual([exact.start[i], exact.end[i]], [4 * i, 4 * i + 4]);
  for (const [size, cells] of [[512, 192], [1000, 192], [7, 3], [640, 192], [192, 192]]) {
    const { start, end } = cellSpans(size, cells);
    assert.equal(start[0], 0);
    assert.equal(end[cells - 1], size);
    for (let i = 0; i < cells; i++) {
      assert.ok(end[i] > start[i], `cell ${i} of ${cells} over ${size} is empty`);
      if (i > 0) assert.equal(start[i], end[i - 1], `cells ${i - 1} and ${i} over ${size} do not meet`);
      // Each pixel's centre lies in its own cell.
      for (let x = start[i]; x < end[i]; x++) assert.equal(Math.floor(((x + 0.5) * cells) / size), i);
    }
  }
});

test('cellSpans: a frame smaller than its grid gives each cell the pixel nearest its centre', () => {
  const { start, end } = cellSpans(3, 8);
  for (let i = 0; i < 8; i++) {
    assert.equal(end[i] - start[i], 1);
    assert.equal(start[i], Math.floor(((i + 0.5) * 3) / 8));
  }
});

test('every reducer gives unchanged frames back exactly, E = 1 to 9, non-square grids (sorted and counted medians)', () => {
  for (let expansion = 1; expansion <= 9; expansion++) {
    const columns = 7 + expansion;
    const rows = 5;
    const pixels = randomPixels(columns, rows, expansion);
    const image = expandGrid(pixels, columns, rows, expansion);
    for (const reducer of REDUCERS) {
      assert.deepEqual(reduceToGrid(image.rgb, image.width, image.height, { columns, rows }, reducer), pixels, `${reducer} at E = ${expansion}`);
    }
  }
});

test('mean, median and center of one block', () => {
  // 4 × 4: a border of 0 around an inside of 10, 20, 30, 40.
  const values = [0, 0, 0, 0, 0, 10, 20, 0, 0, 30, 40, 0, 0, 0, 0, 0];
  const one = { columns: 1, rows: 1 };
  const reduce = (reducer: Reducer, rgb = block(4, values), side = 4) => Array.from(reduceToGrid(rgb, side, side, one, reducer));
  assert.deepEqual(reduce('mean'), [Math.round(100 / 16), 0, 255]);
  assert.deepEqual(reduce('center'), [25, 0, 255]);
  // Sorted: twelve 0s, 10, 20, 30, 40: the middle two are 0 and 0.
  assert.deepEqual(reduce('median'), [0, 0, 255]);
  // Even count: the rounded mean of the two middle values.
  assert.deepEqual(reduce('median', block(2, [1, 2, 9, 9]), 2), [6, 0, 255]);
  // Odd count (3 × 3): the middle value, and center keeps only the middle pixel.
  assert.deepEqual(reduce('median', block(3, [9, 1, 8, 2, 7, 3, 6, 4, 5]), 3), [5, 0, 255]);
  assert.deepEqual(reduce('center', block(3, [9, 1, 8, 2, 7, 3, 6, 4, 5]), 3), [7, 0, 255]);
  // A 2-pixel side is kept whole: center is the mean.
  assert.deepEqual(reduce('center', block(2, [1, 2, 9, 9]), 2), [5, 0, 255]);
});

test('median of large blocks (counted) matches a plain sort, odd and even counts', () => {
  const prng = new Prng(7);
  for (const side of [7, 8, 16]) {
    const values = Array.from({ length: side * side }, () => prng.below(256));
    const sorted = [...values].sort((a, b) => a - b);
    const n = values.length;
    const expected = n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2] + 1) >> 1;
    assert.equal(reduceToGrid(block(side, values), side, side, { columns: 1, rows: 1 }, 'median')[0], expected, `side ${side}`);
  }
});

test('center recovers a [1,2,1] ⊗ [1,2,1] blur exactly for E ≥ 3; mean does not', () => {
  for (const expansion of [3, 4, 6]) {
    const grid = { columns: 24, rows: 10 };
    const pixels = randomPixels(grid.columns, grid.rows, 100 + expansion);
    const blurred = blur121(expandGrid(pixels, grid.columns, grid.rows, expansion));
    assert.deepEqual(reduceToGrid(blurred.rgb, blurred.width, blurred.height, grid, 'center'), pixels, `E = ${expansion}`);
    assert.notDeepEqual(reduceToGrid(blurred.rgb, blurred.width, blurred.height, grid, 'mean'), pixels);
  }
});

test('mean averages noise down: at E = 4 and σ = 2 most bytes come back exact, many more than with center', () => {
  const grid = { columns: 48, rows: 48 };
  const pixels = randomPixels(grid.columns, grid.rows, 3).map((v) => 20 + (v % 216));
  const random = new Prng(4);
  const noisy = gaussianNoise(expandGrid(pixels, grid.columns, grid.rows, 4), 2, () => random.next());
  const exactShare = (reducer: Reducer) => {
    const out = reduceToGrid(noisy.rgb, noisy.width, noisy.height, grid, reducer);
    return out.filter((v, i) => v === pixels[i]).length / out.length;
  };
  // The mean of 16 values has σ = 0.5: it rounds back to the value about 68 % of the time; 4 values, about 38 %.
  assert.ok(exactShare('mean') > 0.6, `mean: ${exactShare('mean')}`);
  assert.ok(exactShare('center') < 0.5, `center: ${exactShare('center')}`);
});

test('a frame resized by nearest neighbour to any size at least its grid decodes exactly by its own grid', () => {
  const grid = { columns: 48, rows: 30 };
  const pixels = randomPixels(grid.columns, grid.rows, 11);
  const frame = expandGrid(pixels, grid.columns, grid.rows, 4);
  for (const [width, height] of [[128, 80], [100, 60], [250, 170], [48, 30], [67, 31]]) {
    const resized = resizeNearest(frame, width, height);
    for (const reducer of REDUCERS) {
      assert.deepEqual(reduceToGrid(resized.rgb, width, height, grid, reducer), pixels, `${reducer} at ${width} × ${height}`);
    }
  }
});

test('defaultReducer: center from E = 3, mean below', () => {
  assert.equal(defaultReducer(1), 'mean');
  assert.equal(defaultReducer(2), 'mean');
  assert.equal(defaultReducer(3), 'center');
  assert.equal(defaultReducer(8), 'center');
});

test('a change anywhere in a block is seen, one byte or a whole column of it: the block is averaged, not read from its first pixel (E = 2, 3, 4, 8)', () => {
  for (const expansion of [2, 3, 4, 8]) {
    const columns = 3;
    const rows = 2;
    const pixels = randomPixels(columns, rows, 40 + expansion);
    const clean = expandGrid(pixels, columns, rows, expansion);
    const rowBytes = clean.width * 3;
    const n = expansion * expansion;
    const block = (columns + 1) * 3;
    // The middle block of the second row: each byte in turn, and each byte column over all its rows
    // (which leaves the block's rows equal to one another).
    const changes: number[][] = [];
    for (let x = expansion * 3; x < 2 * expansion * 3; x++) {
      const column = Array.from({ length: expansion }, (_, k) => (expansion + k) * rowBytes + x);
      changes.push(column);
      for (const at of column) changes.push([at]);
    }
    for (const change of changes) {
      const rgb = Uint8Array.from(clean.rgb);
      for (const at of change) rgb[at] ^= 0x80;
      const channel = (change[0] % rowBytes) % 3;
      const sum = change.reduce((total, at) => total - clean.rgb[at] + rgb[at], n * pixels[block + channel]);
      const expected = Uint8Array.from(pixels);
      expected[block + channel] = Math.floor((sum + (n >> 1)) / n);
      assert.deepEqual(reduceToGrid(rgb, clean.width, clean.height, { columns, rows }, 'mean'), expected, `E = ${expansion}, bytes ${change.join(', ')}`);
    }
  }
});
