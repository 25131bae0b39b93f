/** Frames → WAV: the frame pool reads the frames and writes their data into the WAV; this thread hashes it. */
import { basename, dirname, join } from 'node:path';
import { durationSeconds, type AudioFormat } from '../format/audioFormat';
import { hasErrorCode, ResonanceError, throwIfAborted } from '../format/errors';
import { planFolder, type Assumptions, type FolderPlan } from './folder';
import { framePoolFor } from './framePool';
import { gridOf } from '../format/geometry';
import { runInOrder, type JobOptions } from './job';
import type { LayoutName } from '../format/layout';
import { parseFrameRecord, type MetadataSource } from '../format/manifest';
import { openFileOutput } from './output';
import { defaultReducer, type Reducer } from '../format/reduce';
import { canonicalContainer } from '../wav/wavFile';

export interface DecodeOptions extends JobOptions {
  assume?: Assumptions;
  /** How each block of a frame is read as one data pixel; by default defaultReducer(expansion). */
  reducer?: Reducer;
  /** Measure each frame's off-grid figure (how far its blocks are from uniform); costs a pass per frame. */
  offGrid?: boolean;
}

export interface DecodeResult {
  output: string;
  frameCount: number;
  /** Frames whose data pixels match the checksum recorded when they were written. */
  unchanged: number;
  /** Indices of frames whose data pixels differ from their recorded checksum. */
  modified: number[];
  /** Frames with no checksum to compare against (no manifest and no text chunk). */
  unverified: number;
  dataLength: number;
  audio: AudioFormat;
  layout: LayoutName;
  /** The reducer the blocks were read with: the one asked for, or the default for the expansion. */
  reducer: Reducer;
  durationSeconds: number;
  metadata: MetadataSource;
  /** 'original': the source WAV's own header and trailing chunks; 'canonical': a fresh header. */
  container: 'original' | 'canonical';
  /** Whether the data is the original's, byte for byte (every frame unchanged); undefined without a manifest. */
  bitExact?: boolean;
  /** Each frame's off-grid figure (0 for an unchanged frame, in 0–255 units), when asked for. */
  offGrid?: number[];
}

export function defaultWavPath(folder: string): string {
  return join(dirname(folder), `${basename(folder)}.wav`);
}

export async function decodeFolder(folder: string, options: DecodeOptions = {}): Promise<DecodeResult> {
  throwIfAborted(options.signal);
  const plan = await planFolder(folder, options.assume);
  const { stream } = plan;
  const grid = gridOf(stream.geometry);
  const reducer = options.reducer ?? defaultReducer(stream.geometry.expansion);
  const { header, trailer, container } = containerFor(plan);

  const target = options.output ?? defaultWavPath(folder);
  const output = await openFileOutput({ target, overwrite: options.overwrite ?? false, reads: [folder] });
  const pool = framePoolFor(stream.frameCount, plan.frameSize.width * plan.frameSize.height * 3, options.workers);
  const modified: number[] = [];
  const offGrid: number[] = [];
  let unchanged = 0;
  let unverified = 0;
  let bytesDone = 0;
  try {
    await output.write(async ({ path, handle }) => {
      await handle.write(header);
      // Workers write each frame's data at its place in the WAV.
      const spanOf = (index: number) => {
        const start = index * stream.bytesPerFrame;
        return { path, offset: header.length + start, length: Math.max(0, Math.min(stream.bytesPerFrame, stream.dataLength - start)) };
      };
      await runInOrder(
        stream.frameCount,
        2 * Math.max(1, pool.size),
        async (index) => {
          const file = join(folder, plan.frames[index]);
          const result = await pool.run({ kind: 'decode', task: { file, grid, layout: stream.layout, audio: stream.audio, reducer, offGrid: options.offGrid }, data: spanOf(index) }).catch((error: unknown) => {
            throw hasErrorCode(error, 'FILE_NOT_FOUND') && error.file === file ? new ResonanceError('FRAME_MISSING', file, 'was removed while the folder was being decoded') : error;
          });
          if (result.kind !== 'decode') throw new Error('frame pool answered a decode job with an encode result');
          return { file, ...result.frame };
        },
        async (frame, index) => {
          if (frame.width !== plan.frameSize.width || frame.height !== plan.frameSize.height) {
            throw new ResonanceError('FRAME_SIZE_MISMATCH', frame.file, `is ${frame.width} × ${frame.height} where the first frame is ${plan.frameSize.width} × ${plan.frameSize.height}: frames of mixed sizes`);
          }
          const expected = plan.manifestSha256?.[index] ?? recordedSha256(frame.recordText, frame.file);
          if (expected === undefined) unverified++;
          else if (expected === frame.sha256) unchanged++;
          else modified.push(index);
          if (frame.offGrid) offGrid.push(frame.offGrid.figure);
          bytesDone += spanOf(index).length;
          options.onProgress?.({ framesDone: index + 1, frameCount: stream.frameCount, bytesDone, bytesTotal: stream.dataLength });
        },
        options.signal,
      );
      throwIfAborted(options.signal);
      await handle.write(trailer, 0, trailer.length, header.length + stream.dataLength);
    });
  } finally {
    await pool.close();
  }
  return {
    output: target,
    frameCount: stream.frameCount,
    unchanged,
    modified,
    unverified,
    dataLength: stream.dataLength,
    audio: stream.audio,
    layout: stream.layout,
    reducer,
    durationSeconds: durationSeconds(stream.audio, stream.dataLength),
    metadata: plan.metadata,
    container,
    // Each frame's checksum covers every data byte it holds, so with the manifest's list complete,
    // all frames unchanged means the data is the original's: no second hash of the whole data.
    bitExact: plan.manifest ? modified.length === 0 : undefined,
    ...(options.offGrid ? { offGrid } : {}),
  };
}

/** The original header and trailer when they are known, otherwise a canonical header for the data. */
function containerFor(plan: FolderPlan): { header: Buffer; trailer: Buffer; container: DecodeResult['container'] } {
  if (plan.source) {
    return { header: Buffer.from(plan.source.header, 'base64'), trailer: Buffer.from(plan.source.trailer, 'base64'), container: 'original' };
  }
  return { ...canonicalContainer(plan.stream.audio, plan.stream.dataLength), container: 'canonical' };
}

function recordedSha256(recordText: string | undefined, file: string): string | undefined {
  if (recordText === undefined) return undefined;
  try {
    return parseFrameRecord(recordText, file).sha256;
  } catch {
    return undefined;
  }
}
