import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gridOf, layoutOf, makeAudioFormat, type StreamInfo } from '../../src/codec';
import { paintOffGrid, type ShadeContext } from '../../src/webview/offGridOverlay';
import { PixelGrid } from '../../src/webview/playhead';

function stream(): StreamInfo {
  const geometry = { width: 12, height: 8, expansion: 2 };
  const audio = makeAudioFormat('u8', 1, 8000);
  return { geometry, layout: 'bytes', audio, dataLength: 100, bytesPerFrame: layoutOf('bytes').bytesPerFrame(gridOf(geometry), audio), frameCount: 2 };
}

class FakeContext implements ShadeContext {
  fillStyle: string | CanvasGradient | CanvasPattern = '';
  readonly ops: string[] = [];
  clearRect(x: number, y: number, width: number, height: number): void {
    this.ops.push(`clear ${x},${y} ${width}×${height}`);
  }
  fillRect(x: number, y: number, width: number, height: number): void {
    this.ops.push(`fill ${x},${y} ${width}×${height} ${String(this.fillStyle)}`);
  }
}

/** A block this far from uniform or further is left clear (OFF_GRID_FULL in offGridOverlay.ts). */
const OFF_GRID_FULL = 24;

/** The veil the overlay leaves over the first block when it is `value` from uniform: painted, then read off the ops. */
function veilOpacity(value: number): number {
  const map = new Uint8Array(24);
  map[0] = value;
  const context = new FakeContext();
  paintOffGrid(context, { columns: 6, rows: 4, map, figure: map[0] }, new PixelGrid(stream(), { width: 12, height: 8 }));
  const veils = context.ops.map((op) => /^fill 0,0 (?:12×8|2×2) rgba\(0, 0, 0, ([\d.]+)\)$/.exec(op)?.[1]).filter((veil) => veil !== undefined);
  // The frame's veil, then the block's own if it was cleared and veiled again; cleared and not veiled is clear.
  const cleared = context.ops.includes('clear 0,0 2×2');
  return cleared ? Number(veils[1] ?? 0) : Number(veils[0]);
}

test('uniform blocks are veiled; a block off the grid much less, and the further off, the clearer', () => {
  assert.equal(veilOpacity(0), 0.65);
  assert.equal(veilOpacity(Number.NaN), 0.65);
  assert.ok(veilOpacity(1) <= 0.25, 'even a little damage stands out');
  assert.ok(veilOpacity(OFF_GRID_FULL / 2) > veilOpacity(OFF_GRID_FULL));
  assert.equal(veilOpacity(OFF_GRID_FULL), 0);
  assert.equal(veilOpacity(255), 0);
});

test('the veil covers the frame, and each off-grid block is cleared over its own E × E block', () => {
  const grid = new PixelGrid(stream(), { width: 12, height: 8 });
  const map = new Uint8Array(24);
  map[0] = 12;
  map[7] = 200; // column 1, row 1
  const context = new FakeContext();
  assert.equal(paintOffGrid(context, { columns: 6, rows: 4, map, figure: 1 }, grid), 2);
  assert.deepEqual(context.ops, [
    'clear 0,0 12×8',
    'fill 0,0 12×8 rgba(0, 0, 0, 0.65)',
    'clear 0,0 2×2',
    'fill 0,0 2×2 rgba(0, 0, 0, 0.13)',
    'clear 2,2 2×2',
  ]);
});

test('a frame resized by a model is cleared by the cells the codec reads it with', () => {
  const grid = new PixelGrid(stream(), { width: 9, height: 6 });
  const context = new FakeContext();
  assert.equal(paintOffGrid(context, { columns: 6, rows: 4, map: new Uint8Array(24).fill(30), figure: 30 }, grid), 24);
  const cleared = context.ops.slice(2).map((op) => op.match(/(\d+)×(\d+)/)!).reduce((sum, [, w, h]) => sum + Number(w) * Number(h), 0);
  assert.equal(cleared, 9 * 6, 'the cells tile the whole image');
});
