/**
 * The work done for one frame, on a worker thread or inline: data bytes to PNG, PNG to data bytes.
 */
import * as crypto from 'node:crypto';
import { isInterpreted, type AudioFormat } from '../format/audioFormat';
import { gridOf, type Grid } from '../format/geometry';
import { layoutOf, type LayoutName } from '../format/layout';
import { parseFrameRecord, TEXT_KEYWORD, type FrameRecord } from '../format/manifest';
import { makeFloatsSafe, type SafetyCounts } from '../format/sampleValues';
import { offGridOf, type OffGrid } from '../format/offGrid';
import type { Compression } from '../png/compression';
import { decodePngFileSync, readPngFile, type PngFileScratch } from '../png/pngFile';
import { decodePng } from '../png/pngReader';
import { encodePng, type PngScratch } from '../png/pngWriter';
import { defaultReducer, reduceToGrid, type Reducer, type RunComparer } from '../format/reduce';

export interface EncodeFrameTask {
  /** This frame's share of the data chunk: at most bytesPerFrame bytes. */
  data: Uint8Array;
  compression: Compression;
  /** The frame's text-chunk record, less the checksum that is computed here. */
  record: Omit<FrameRecord, 'sha256'>;
}

export interface EncodedFrame {
  png: Buffer;
  sha256: string;
}

/** crypto.hash, the one-shot digest, where node has it (20.12 on): no Hash object a frame. */
type OneShotHash = (algorithm: string, data: Uint8Array, encoding: 'hex') => string;
const oneShot: OneShotHash | undefined = (crypto as { hash?: OneShotHash }).hash;

export function sha256Hex(bytes: Uint8Array): string {
  return oneShot ? oneShot('sha256', bytes, 'hex') : crypto.createHash('sha256').update(bytes).digest('hex');
}

/** With `scratch`, the PNG lives in the scratch memory until its next use. */
export function encodeFrame(task: EncodeFrameTask, scratch?: PngScratch): EncodedFrame {
  const { geometry, layout, audio } = task.record;
  const grid = gridOf(geometry);
  const pixels = layoutOf(layout).pack(task.data, grid, audio);
  const sha256 = sha256Hex(pixels);
  const text = JSON.stringify({ ...task.record, sha256 });
  const png = encodePng(pixels, grid, { expansion: geometry.expansion, compression: task.compression, texts: [{ keyword: TEXT_KEYWORD, text }] }, scratch);
  return { png, sha256 };
}

export interface DecodeFrameTask {
  /** The frame's PNG file. */
  file: string;
  /** The data grid the frame is read by, whatever its pixel size. */
  grid: Grid;
  layout: LayoutName;
  audio: AudioFormat;
  reducer: Reducer;
  /** Also measure how far each block is from uniform (a second pass over the image). */
  offGrid?: boolean;
  /**
   * Make float samples safe to play (no NaN or ±Inf, within ±1.0) unless the pixels match the
   * checksum they were written with: this one, failing that the frame's own record's.
   */
  safe?: boolean;
  expectedSha256?: string;
}

export interface DecodedFrame {
  /** bytesPerFrame data bytes. */
  data: Uint8Array;
  /** SHA-256 of the data pixels read, to compare with the one recorded at encoding. */
  sha256: string;
  width: number;
  height: number;
  /** The frame's own `resonance` text chunk, when it still has one. */
  recordText?: string;
  /** When the task asked for it. */
  offGrid?: OffGrid;
  /** What making the samples safe changed (nothing when they were not to be made safe). */
  safety: SafetyCounts;
}

/** `data` may live in the scratch memory until its next use. */
export function decodeFrame(task: DecodeFrameTask, scratch: PngFileScratch): DecodedFrame {
  const { header, rgb } = decodePngFileSync(task.file, scratch);
  const pixels = reduceToGrid(rgb, header.width, header.height, task.grid, task.reducer, memcmpComparer);
  const sha256 = sha256Hex(pixels);
  const recordText = header.texts.get(TEXT_KEYWORD);
  const data = layoutOf(task.layout).unpack(pixels, task.grid, task.audio);
  const safety: SafetyCounts = { clipped: 0, replaced: 0 };
  if (task.safe && isInterpreted(task.audio) && sha256 !== (task.expectedSha256 ?? recordedChecksum(recordText, task.file))) {
    makeFloatsSafe(data, task.audio.sampleFormat, safety);
  }
  return {
    data,
    sha256,
    width: header.width,
    height: header.height,
    recordText,
    offGrid: task.offGrid ? offGridOf(rgb, header.width, header.height, task.grid, pixels) : undefined,
    safety,
  };
}

/** The checksum a frame's own record gives, if it has a record that can be read. */
export function recordedChecksum(recordText: string | undefined, file: string): string | undefined {
  if (recordText === undefined) return undefined;
  try {
    return parseFrameRecord(recordText, file).sha256;
  } catch {
    return undefined;
  }
}

/** memcmp through Buffer.compare: the uniform-block check compares whole rows, several times faster than a loop. */
export const memcmpComparer: RunComparer = (bytes, length) => {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (a, b) => view.compare(view, a, a + length, b, b + length) === 0;
};

/**
 * The off-grid map of one frame (a PNG file or its bytes) read by `grid`, against the blocks'
 * values as `reducer` reads them (by default, the default for the frame's block size).
 */
export async function offGridMap(png: string | Uint8Array, grid: Grid, reducer?: Reducer): Promise<OffGrid> {
  const file = typeof png === 'string' ? png : 'frame';
  const { header, rgb } = decodePng(typeof png === 'string' ? await readPngFile(png) : png, file);
  const blockSide = Math.floor(Math.min(header.width / grid.columns, header.height / grid.rows));
  const reduced = reduceToGrid(rgb, header.width, header.height, grid, reducer ?? defaultReducer(blockSide), memcmpComparer);
  return offGridOf(rgb, header.width, header.height, grid, reduced);
}
