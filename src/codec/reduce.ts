/**
 * Reading a frame's pixels back as its grid of data pixels: each data pixel is the block of image
 * pixels that covers it. Blocks are E × E for Resonance's own frames; a frame of another size
 * (a model's output) is read by its own grid, the block edges falling where they fall.
 */
import type { Grid } from './geometry';

export type Reducer = 'mean';
export const REDUCERS: readonly Reducer[] = ['mean'];

export function reduceToGrid(rgb: Uint8Array, width: number, height: number, grid: Grid, _reducer: Reducer): Uint8Array {
  if (width === grid.columns && height === grid.rows) return rgb;
  const out = new Uint8Array(grid.columns * grid.rows * 3);
  const xStart = blockEdges(width, grid.columns);
  const yStart = blockEdges(height, grid.rows);
  let o = 0;
  for (let row = 0; row < grid.rows; row++) {
    const y0 = yStart[row];
    const y1 = yStart[row + 1];
    for (let column = 0; column < grid.columns; column++, o += 3) {
      const x0 = xStart[column];
      const x1 = xStart[column + 1];
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        for (let i = (y * width + x0) * 3, end = (y * width + x1) * 3; i < end; i += 3) {
          r += rgb[i];
          g += rgb[i + 1];
          b += rgb[i + 2];
        }
      }
      const n = (x1 - x0) * (y1 - y0);
      const half = n >> 1;
      out[o] = Math.floor((r + half) / n);
      out[o + 1] = Math.floor((g + half) / n);
      out[o + 2] = Math.floor((b + half) / n);
    }
  }
  return out;
}

/** Where each of `cells` blocks starts along a side of `size` pixels, plus the end; every block non-empty. */
function blockEdges(size: number, cells: number): Int32Array {
  const edges = new Int32Array(cells + 1);
  for (let i = 0; i <= cells; i++) edges[i] = Math.floor((i * size) / cells);
  for (let i = 1; i <= cells; i++) {
    if (edges[i] <= edges[i - 1]) edges[i] = Math.min(edges[i - 1] + 1, size);
  }
  // With fewer pixels than cells, the last cells reuse the last pixel.
  for (let i = cells - 1; i >= 0; i--) if (edges[i] >= size) edges[i] = size - 1;
  return edges;
}
