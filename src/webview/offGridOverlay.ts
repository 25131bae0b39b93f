/**
 * The off-grid overlay: a dark veil over the blocks that are still uniform, as Resonance wrote them,
 * lifted from the blocks whose pixels are not (an edit, a blur, a model's output), the more the
 * further they are from uniform, so damage stands out whatever the frame's colours. Painted on a
 * 2D context given as a parameter, so it is tested with a fake.
 */
import type { OffGridView } from '../shared/protocol';
import type { PixelGrid } from './playhead';

/** A block this far from uniform (mean absolute difference, 0–255) or further is left clear. */
const OFF_GRID_FULL = 24;
/** The veil over uniform blocks. */
const ON_GRID_VEIL = 0.65;
/** The veil over a block only just off the grid: well below ON_GRID_VEIL, so any damage shows. */
const SLIGHTLY_OFF_VEIL = 0.25;

/** What the overlay uses of a CanvasRenderingContext2D. */
export interface ShadeContext {
  fillStyle: string | CanvasGradient | CanvasPattern;
  clearRect(x: number, y: number, width: number, height: number): void;
  fillRect(x: number, y: number, width: number, height: number): void;
}

/** The veil over a block `value` from uniform. */
function veilOpacity(value: number): number {
  if (!(value > 0)) return ON_GRID_VEIL;
  return Math.round(SLIGHTLY_OFF_VEIL * (1 - Math.min(1, value / OFF_GRID_FULL)) * 100) / 100;
}

/**
 * Paints the map over an image of grid.imageSize pixels: the on-grid veil everywhere, then each
 * off-grid block cleared and veiled by its own value. Returns how many blocks are off the grid.
 */
export function paintOffGrid(context: ShadeContext, offGrid: OffGridView, grid: PixelGrid): number {
  const { width, height } = grid.imageSize;
  context.clearRect(0, 0, width, height);
  context.fillStyle = `rgba(0, 0, 0, ${ON_GRID_VEIL})`;
  context.fillRect(0, 0, width, height);
  let off = 0;
  const cells = Math.min(offGrid.map.length, grid.pixelCount);
  for (let pixel = 0; pixel < cells; pixel++) {
    const value = offGrid.map[pixel];
    if (value === 0) continue;
    const rect = grid.rectOf(pixel);
    context.clearRect(rect.x, rect.y, rect.width, rect.height);
    const veil = veilOpacity(value);
    if (veil > 0) {
      context.fillStyle = `rgba(0, 0, 0, ${veil})`;
      context.fillRect(rect.x, rect.y, rect.width, rect.height);
    }
    off++;
  }
  return off;
}
