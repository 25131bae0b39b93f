/** Frames → WAV: the frame pool reads the frames and writes their data into the WAV; this thread hashes it. */
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { durationSeconds, isInterpreted, opaqueAdvice, type AudioFormat } from '../format/audioFormat';
import { hasErrorCode, ResonanceError, throwIfAborted } from '../format/errors';
import { planFolder, type Assumptions, type FolderPlan } from './folder';
import { framePoolFor } from './framePool';
import { gridOf } from '../format/geometry';
import { runInOrder, type JobOptions } from './job';
import type { LayoutName } from '../format/layout';
import { MANIFEST_NAME, type FrameEntry, type MetadataSource } from '../format/manifest';
import { manifestEntries } from '../files/manifestFile';
import { openFileOutput } from './output';
import { defaultReducer, type Reducer } from '../format/reduce';
import type { SafetyCounts } from '../format/sampleValues';
import { recordedChecksum } from './frameCodec';
import { canonicalContainer } from '../wav/wavFile';

export interface DecodeOptions extends JobOptions {
  assume?: Assumptions;
  /** How each block of a frame is read as one data pixel; by default defaultReducer(expansion). */
  reducer?: Reducer;
  /** Measure each frame's off-grid figure (how far its blocks are from uniform); costs a pass per frame. */
  offGrid?: boolean;
  /** Write exactly what the pixels say: float samples of changed frames are otherwise made safe to play. */
  raw?: boolean;
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
  /**
   * Whether the data is the original's, byte for byte: every frame unchanged and the data's SHA-256
   * the manifest's; undefined without a manifest, which alone has the whole data's checksum.
   */
  bitExact?: boolean;
  /** What was checked, and what it found: what `bitExact` rests on. */
  checks: DecodeChecks;
  /** Each frame's off-grid figure (0 for an unchanged frame, in 0–255 units), when asked for. */
  offGrid?: number[];
  /** Float samples of changed or unverified frames clipped to ±1.0, and NaN or ±Inf replaced (none with `raw`). */
  safety: SafetyCounts;
}

export interface DecodeChecks {
  /** Frames whose pixels were compared with a recorded checksum (the unchanged and the modified). */
  frameChecksums: number;
  /** The decoded data's SHA-256 against the manifest's `source.dataSha256`; 'unavailable' without a manifest. */
  dataSha256: 'match' | 'mismatch' | 'unavailable';
  /**
   * The header written: 'original' when the source's own header was read as the WAV the metadata
   * describes (its data size, format and length agree); 'canonical' when a fresh one was made.
   */
  header: 'original' | 'canonical';
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
  const safety: SafetyCounts = { clipped: 0, replaced: 0 };
  // The manifest's checksums, read from it again in frame order: its list is never held.
  const manifestPath = join(folder, MANIFEST_NAME);
  const entries = plan.manifestReading ? manifestEntries(manifestPath, plan.manifestReading) : undefined;
  // With the manifest, the data written is read back (from the page cache) in order and hashed.
  const dataHash = plan.source?.dataSha256 ? createHash('sha256') : undefined;
  const hashBuffer = dataHash ? Buffer.allocUnsafeSlow(Math.max(1, Math.min(stream.bytesPerFrame, stream.dataLength))) : undefined;
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
          const file = join(folder, plan.frames.nameOf(index));
          // Jobs start in frame order, so the manifest's entries are read in order here too.
          const entry = entries ? await nextEntry(entries, index, plan.frames.nameOf(index), manifestPath) : undefined;
          const task = {
            file,
            grid,
            layout: stream.layout,
            audio: stream.audio,
            reducer,
            offGrid: options.offGrid,
            safe: !options.raw,
            expectedSha256: entry?.sha256,
          };
          const result = await pool.run({ kind: 'decode', task, data: spanOf(index) }).catch((error: unknown) => {
            throw hasErrorCode(error, 'FILE_NOT_FOUND') && error.file === file
              ? new ResonanceError('FRAME_MISSING', file, 'was removed while the folder was being decoded')
              : error;
          });
          if (result.kind !== 'decode') throw new Error('frame pool answered a decode job with another result');
          return { file, entry, ...result.frame };
        },
        async (frame, index) => {
          if (frame.width !== plan.frameSize.width || frame.height !== plan.frameSize.height) {
            throw new ResonanceError(
              'FRAME_SIZE_MISMATCH',
              frame.file,
              `is ${frame.width} × ${frame.height} where the first frame is ${plan.frameSize.width} × ${plan.frameSize.height}: frames of mixed sizes`,
            );
          }
          safety.clipped += frame.safety.clipped;
          safety.replaced += frame.safety.replaced;
          const expected = frame.entry ? frame.entry.sha256 : recordedChecksum(frame.recordText, frame.file);
          if (expected === undefined) unverified++;
          else if (expected === frame.sha256) unchanged++;
          else modified.push(index);
          if (frame.offGrid) offGrid.push(frame.offGrid.figure);
          const span = spanOf(index);
          if (dataHash && hashBuffer) {
            const { bytesRead } = await handle.read(hashBuffer, 0, span.length, span.offset);
            if (bytesRead !== span.length) throw new ResonanceError('FILE_CHANGED', target, 'changed while it was being written');
            dataHash.update(hashBuffer.subarray(0, span.length));
          }
          bytesDone += span.length;
          options.onProgress?.({ framesDone: index + 1, frameCount: stream.frameCount, bytesDone, bytesTotal: stream.dataLength });
        },
        options.signal,
      );
      throwIfAborted(options.signal);
      await handle.write(trailer, 0, trailer.length, header.length + stream.dataLength);
    });
  } finally {
    await entries?.return(undefined);
    await pool.close();
  }
  const dataSha256 = dataHash ? (dataHash.digest('hex') === plan.source!.dataSha256 ? 'match' : 'mismatch') : 'unavailable';
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
    // Frame checksums alone would trust the manifest to be the one written with the frames: the
    // whole data's SHA-256 is what says it is the original's.
    bitExact: plan.manifest ? modified.length === 0 && dataSha256 === 'match' : undefined,
    checks: { frameChecksums: unchanged + modified.length, dataSha256, header: container },
    ...(options.offGrid ? { offGrid } : {}),
    safety,
  };
}

/** The original header and trailer when they are known, otherwise a canonical header for the data. */
function containerFor(plan: FolderPlan): { header: Buffer; trailer: Buffer; container: DecodeResult['container'] } {
  if (plan.source) {
    return { header: Buffer.from(plan.source.header, 'base64'), trailer: Buffer.from(plan.source.trailer, 'base64'), container: 'original' };
  }
  if (!isInterpreted(plan.stream.audio)) {
    throw new ResonanceError(
      'WAV_UNSUPPORTED',
      plan.folder,
      `${opaqueAdvice(plan.stream.audio, 'have a WAV header made up for it')}; its original header is in ${MANIFEST_NAME}, or in frame 0 when every ` +
        `frame is there`,
    );
  }
  return { ...canonicalContainer(plan.stream.audio, plan.stream.dataLength), container: 'canonical' };
}

/** Entry `index` of the manifest's list, which must still name the frame planned. */
async function nextEntry(entries: AsyncGenerator<FrameEntry>, index: number, name: string, manifestPath: string): Promise<FrameEntry> {
  const next = await entries.next();
  if (next.done || next.value.file !== name)
    throw new ResonanceError('FILE_CHANGED', manifestPath, `changed while the frames were being decoded (frame ${index})`);
  return next.value;
}
