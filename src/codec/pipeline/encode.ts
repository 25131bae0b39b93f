/** WAV → frames: the frame pool turns the data chunk into PNGs frame by frame; this thread hashes it. */
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { durationSeconds, type AudioFormat } from '../format/audioFormat';
import { errorFromData, ResonanceError, throwIfAborted } from '../format/errors';
import type { Geometry } from '../format/geometry';
import type { LayoutName } from '../format/layout';
import { formatVersionFor, frameFileName, MANIFEST_NAME, MAX_SOURCE_IN_FRAME, type FrameRecord, type ManifestHead, type StreamInfo } from '../format/manifest';
import { openRegularFile } from '../files/safeOpen';
import { openFolderOutput } from './output';
import { framePoolFor } from './framePool';
import { frameBatches } from './frameJobs';
import { runInOrder, type JobOptions } from './job';
import { planWavStream } from './streamPlan';
import { ManifestWriter } from '../files/manifestFile';
import type { Compression } from '../png/compression';
import type { WavFile } from '../wav/wavFile';

export interface EncodeOptions extends JobOptions {
  geometry?: Partial<Geometry>;
  layout?: LayoutName;
  compression?: Compression;
  /** Refuse a WAV whose data chunk declares more bytes than follow, instead of encoding what is there with a warning. */
  strict?: boolean;
}

export interface EncodeResult {
  output: string;
  frameCount: number;
  dataLength: number;
  audio: AudioFormat;
  geometry: Geometry;
  layout: LayoutName;
  durationSeconds: number;
  /** Total size of the PNG files. */
  bytesWritten: number;
  /** What the WAV declared that was read otherwise (data cut short, a block align inferred): one line each, naming the file. */
  warnings: string[];
}

export function defaultFramesFolder(input: string): string {
  return join(dirname(input), `${basename(input, extname(input))}_frames`);
}

export async function encodeWav(input: string, options: EncodeOptions = {}): Promise<EncodeResult> {
  const { wav, stream } = await planWavStream(input, options, { cannot: 'cannot be encoded', be: 'be encoded' });
  const { geometry, layout, bytesPerFrame, frameCount } = stream;
  const compression = options.compression ?? 'default';
  const source = { header: wav.header.toString('base64'), trailer: wav.trailer.toString('base64') };
  const sourceFitsFrame = wav.header.length + wav.trailer.length <= MAX_SOURCE_IN_FRAME;

  const target = options.output ?? defaultFramesFolder(input);
  const output = await openFolderOutput({ target, overwrite: options.overwrite ?? false, reads: [input] });
  const pool = framePoolFor(frameCount, geometry.width * geometry.height * 3, options.workers);
  const { handle } = await openRegularFile(input, 'a WAV file');
  const dataHash = createHash('sha256');
  let manifest: ManifestWriter | undefined;
  let framesDone = 0;
  let bytesWritten = 0;
  let bytesDone = 0;
  const window = 2 * Math.max(1, pool.size);
  const batches = frameBatches(frameCount, bytesPerFrame, window);
  // The workers read their frames' data themselves; this thread reads it again (from the page
  // cache) in file order for the hash of the whole data chunk, a batch at a time.
  const hashBuffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(batches.reduce((most, b) => Math.max(most, b.count), 0) * bytesPerFrame, wav.dataLength)));
  const spanOf = ({ first, count }: { first: number; count: number }) => {
    const offset = wav.dataOffset + first * bytesPerFrame;
    return { path: input, offset, length: Math.min(count * bytesPerFrame, wav.dataLength - first * bytesPerFrame) };
  };
  try {
    await output.write(async (partial) => {
      manifest = await ManifestWriter.create(join(partial.path, MANIFEST_NAME), manifestHead(input, wav, stream, compression, source));
      await runInOrder(
        batches.length,
        window,
        async (b) => {
          const { first, count } = batches[b];
          const record: Omit<FrameRecord, 'sha256'> = { version: formatVersionFor(stream.audio), ...stream, frame: first };
          if (first === 0 && sourceFitsFrame) record.source = source;
          const outputPaths = Array.from({ length: count }, (_, i) => join(partial.path, frameFileName(first + i, frameCount)));
          const job = {
            kind: 'encode' as const,
            task: { compression, record },
            data: spanOf(batches[b]),
            outputPath: outputPaths[0],
            following: outputPaths.slice(1),
          };
          const result = await pool.run(job);
          if (result.kind !== 'encode') throw new Error('frame pool answered an encode job with a decode result');
          return result;
        },
        async (result, b) => {
          const { first } = batches[b];
          const { offset, length } = spanOf(batches[b]);
          // A batch one of whose frames failed is not hashed: the frames done before it are reported, then its error thrown.
          if (!result.error) {
            const { bytesRead } = await handle.read(hashBuffer, 0, length, offset);
            if (bytesRead !== length) throw new ResonanceError('FILE_CHANGED', input, 'changed while it was being read');
            dataHash.update(hashBuffer.subarray(0, length));
          }
          for (const [i, frame] of result.frames.entries()) {
            // Cancelled between two frames of a batch stops there, as between two jobs.
            throwIfAborted(options.signal);
            await manifest!.addFrame({ file: frameFileName(first + i, frameCount), sha256: frame.sha256 });
            bytesWritten += frame.size;
            bytesDone += Math.min(bytesPerFrame, wav.dataLength - (first + i) * bytesPerFrame);
            options.onProgress?.({ framesDone: ++framesDone, frameCount, bytesDone, bytesTotal: wav.dataLength });
          }
          if (result.error) throw errorFromData(result.error);
        },
        options.signal,
      );
      throwIfAborted(options.signal);
      await manifest.finish(dataHash.digest('hex'));
    });
  } catch (error) {
    await manifest?.close();
    throw error;
  } finally {
    await handle.close();
    await pool.close();
  }
  return {
    output: target,
    frameCount,
    dataLength: wav.dataLength,
    audio: wav.format,
    geometry,
    layout,
    durationSeconds: durationSeconds(wav.format, wav.dataLength),
    bytesWritten,
    warnings: wav.warnings,
  };
}

function manifestHead(input: string, wav: WavFile, stream: StreamInfo, compression: Compression, source: { header: string; trailer: string }): ManifestHead {
  return {
    format: 'resonance',
    version: formatVersionFor(stream.audio),
    ...stream,
    compression,
    // The data's checksum is known only once every frame is done: the writer fills it in then.
    source: { name: basename(input), size: wav.fileSize, container: wav.container, ...source, dataSha256: '' },
  };
}

