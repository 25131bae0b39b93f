/**
 * How far each block of a frame is from uniform ("off-grid"): Resonance paints every data pixel
 * as a uniform block, so any spread inside a block is damage (noise, blur, resampling) that the
 * reducer had to average away. The frames editor shows the map as an overlay; decoding reports
 * the figure per frame. Computed only when asked for: it is a second pass over the image.
 */
import type { Grid } from './geometry';
import { cellSpans } from './reduce';

export interface OffGrid {
  columns: number;
  rows: number;
  /**
   * For each data pixel, row by row: the mean absolute difference between its block's pixel values
   * (every pixel, every channel) and the block's reduced value, in 0–255 units, rounded.
   */
  map: Uint8Array;
  /** The same over the whole frame: 0 for an unchanged frame. */
  figure: number;
}

/** The off-grid map of a width × height RGB image read by `grid`, whose data pixels `reduced` holds. */
export function offGridOf(rgb: Uint8Array, width: number, height: number, grid: Grid, reduced: Uint8Array): OffGrid {
  const map = new Uint8Array(grid.columns * grid.rows);
  const xs = cellSpans(width, grid.columns);
  const ys = cellSpans(height, grid.rows);
  let total = 0;
  let values = 0;
  for (let row = 0, cell = 0; row < grid.rows; row++) {
    const y0 = ys.start[row];
    const y1 = ys.end[row];
    for (let column = 0; column < grid.columns; column++, cell++) {
      const x0 = xs.start[column];
      const x1 = xs.end[column];
      const r = reduced[cell * 3];
      const g = reduced[cell * 3 + 1];
      const b = reduced[cell * 3 + 2];
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let i = (y * width + x0) * 3, end = (y * width + x1) * 3; i < end; i += 3) {
          sum += Math.abs(rgb[i] - r) + Math.abs(rgb[i + 1] - g) + Math.abs(rgb[i + 2] - b);
        }
      }
      const count = 3 * (x1 - x0) * (y1 - y0);
      map[cell] = Math.round(sum / count);
      total += sum;
      values += count;
    }
  }
  return { columns: grid.columns, rows: grid.rows, map, figure: total / values };
}
