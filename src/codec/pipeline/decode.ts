/** Frames → WAV: the frame pool reads the frames and writes their data into the WAV; this thread hashes it. */
import { basename, dirname, join } from 'node:path';
import { durationSeconds, isInterpreted, opaqueAdvice, type AudioFormat } from '../format/audioFormat';
import { errorFromData, hasErrorCode, ResonanceError, throwIfAborted } from '../format/errors';
import { planFolder, type Assumptions, type FolderPlan } from './folder';
import { framePoolFor } from './framePool';
import { frameBatches } from './frameJobs';
import { dataHashFor, type DataHash } from './dataHash';
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
  const cached = plan.manifestReading?.entries;
  const window = 2 * Math.max(1, pool.size);
  const batches = frameBatches(stream.frameCount, stream.bytesPerFrame, window);
  const mostBytes = batches.reduce((most, batch) => Math.max(most, batch.count), 0) * stream.bytesPerFrame;
  let dataHash: DataHash | undefined;
  let digest: string | undefined;
  try {
    await output.write(async ({ path, handle }) => {
      // With the manifest, the data written is read back (from the page cache) in order and hashed.
      if (plan.source?.dataSha256) dataHash = dataHashFor(handle, path, target, stream.dataLength, mostBytes, pool.size === 0);
      await handle.write(header);
      // Workers write each batch's data at its place in the WAV.
      const spanOf = ({ first, count }: { first: number; count: number }) => {
        const start = first * stream.bytesPerFrame;
        return { path, offset: header.length + start, length: Math.max(0, Math.min(count * stream.bytesPerFrame, stream.dataLength - start)) };
      };
      await runInOrder(
        batches.length,
        window,
        async (b) => {
          const { first } = batches[b];
          let files = Array.from({ length: batches[b].count }, (_, i) => join(folder, plan.frames.nameOf(first + i)));
          // Batches start in frame order and ask for all their entries at once, so the manifest's entries are read in order here too.
          // A manifest read whole has its entries in memory: the first batch's entry, through the generator, checks the file is
          // the one read; later batches take theirs from memory.
          const read =
            entries &&
            (cached && b > 0
              ? files.map((_, i) => cachedEntry(cached, first + i, plan.frames.nameOf(first + i), manifestPath))
              : await Promise.allSettled(files.map((_, i) => nextEntry(entries, first + i, plan.frames.nameOf(first + i), manifestPath))));
          // An entry that fails ends the batch before its frame, as it would have failed that frame's own job.
          const bad = read ? read.findIndex((r) => r.status === 'rejected') : -1;
          const entryFailure = bad >= 0 ? (read![bad] as PromiseRejectedResult).reason : undefined;
          if (bad === 0) throw entryFailure;
          if (bad > 0) files = files.slice(0, bad);
          const batchEntries = read?.slice(0, files.length).map((r) => (r as PromiseFulfilledResult<FrameEntry>).value);
          const task = {
            file: files[0],
            grid,
            layout: stream.layout,
            audio: stream.audio,
            reducer,
            offGrid: options.offGrid,
            safe: !options.raw,
            expectedSha256: batchEntries?.[0].sha256,
          };
          const following = files.slice(1).map((file, i) => ({ file, expectedSha256: batchEntries?.[i + 1].sha256 }));
          const data = spanOf({ first, count: files.length });
          const result = await pool.run({ kind: 'decode', task, data, following, bytesPerFrame: stream.bytesPerFrame }).catch((error: unknown) => {
            throw missingFrame(error, files);
          });
          if (result.kind !== 'decode') throw new Error('frame pool answered a decode job with another result');
          const failure = result.error ? missingFrame(errorFromData(result.error), files) : entryFailure;
          return { files, entries: batchEntries, frames: result.frames, data, failure };
        },
        async (result, b) => {
          const { first } = batches[b];
          for (const [i, frame] of result.frames.entries()) {
            // Cancelled between two frames of a batch stops there, as between two jobs.
            throwIfAborted(options.signal);
            const index = first + i;
            const file = result.files[i];
            if (frame.width !== plan.frameSize.width || frame.height !== plan.frameSize.height) {
              throw new ResonanceError(
                'FRAME_SIZE_MISMATCH',
                file,
                `is ${frame.width} × ${frame.height} where the first frame is ${plan.frameSize.width} × ${plan.frameSize.height}: frames of mixed sizes`,
              );
            }
            safety.clipped += frame.safety.clipped;
            safety.replaced += frame.safety.replaced;
            const entry = result.entries?.[i];
            const expected = entry ? entry.sha256 : recordedChecksum(frame.recordText, file);
            if (expected === undefined) unverified++;
            else if (expected === frame.sha256) unchanged++;
            else modified.push(index);
            if (frame.offGrid) offGrid.push(frame.offGrid.figure);
            if (i === result.frames.length - 1 && !result.failure) {
              // The batch's data is written whole by its worker: hashed once, after its last frame's checks.
              const span = result.data;
              await dataHash?.add(span.offset, span.length);
            }
            bytesDone += Math.max(0, Math.min(stream.bytesPerFrame, stream.dataLength - index * stream.bytesPerFrame));
            options.onProgress?.({ framesDone: index + 1, frameCount: stream.frameCount, bytesDone, bytesTotal: stream.dataLength });
          }
          if (result.failure) throw result.failure;
        },
        options.signal,
      );
      throwIfAborted(options.signal);
      await handle.write(trailer, 0, trailer.length, header.length + stream.dataLength);
      // Before the partial output is renamed: a hashing thread reads it by its name.
      digest = await dataHash?.digest();
    });
  } finally {
    await entries?.return(undefined);
    await pool.close();
    await dataHash?.close();
  }
  const dataSha256 = digest !== undefined ? (digest === plan.source!.dataSha256 ? 'match' : 'mismatch') : 'unavailable';
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

/** A frame of `files` gone since the folder was planned is said to have been removed, not merely not found. */
function missingFrame(error: unknown, files: string[]): unknown {
  return hasErrorCode(error, 'FILE_NOT_FOUND') && files.includes(error.file)
    ? new ResonanceError('FRAME_MISSING', error.file, 'was removed while the folder was being decoded')
    : error;
}

/** Entry `index` of a manifest's list held in memory, as nextEntry would give it. */
function cachedEntry(cached: readonly FrameEntry[], index: number, name: string, manifestPath: string): PromiseSettledResult<FrameEntry> {
  const entry = cached[index];
  if (entry?.file === name) return { status: 'fulfilled', value: entry };
  return { status: 'rejected', reason: new ResonanceError('FILE_CHANGED', manifestPath, `changed while the frames were being decoded (frame ${index})`) };
}

/** Entry `index` of the manifest's list, which must still name the frame planned. */
async function nextEntry(entries: AsyncGenerator<FrameEntry>, index: number, name: string, manifestPath: string): Promise<FrameEntry> {
  const next = await entries.next();
  if (next.done || next.value.file !== name)
    throw new ResonanceError('FILE_CHANGED', manifestPath, `changed while the frames were being decoded (frame ${index})`);
  return next.value;
}
