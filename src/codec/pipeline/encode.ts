/** WAV → frames: the frame pool turns the data chunk into PNGs frame by frame; this thread hashes it. */
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { durationSeconds, type AudioFormat } from '../format/audioFormat';
import { ResonanceError, throwIfAborted } from '../format/errors';
import type { Geometry } from '../format/geometry';
import type { LayoutName } from '../format/layout';
import { formatVersionFor, frameFileName, MANIFEST_NAME, MAX_SOURCE_IN_FRAME, type FrameRecord, type ManifestHead, type StreamInfo } from '../format/manifest';
import { openRegularFile } from '../files/safeOpen';
import { openFolderOutput } from './output';
import { framePoolFor } from './framePool';
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
  // The workers read their frames' data themselves; this thread reads it again (from the page
  // cache) in file order for the hash of the whole data chunk.
  const hashBuffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(bytesPerFrame, wav.dataLength)));
  const spanOf = (index: number) => {
    const offset = wav.dataOffset + index * bytesPerFrame;
    return { path: input, offset, length: Math.min(bytesPerFrame, wav.dataLength - index * bytesPerFrame) };
  };
  try {
    await output.write(async (partial) => {
      manifest = await ManifestWriter.create(join(partial.path, MANIFEST_NAME), manifestHead(input, wav, stream, compression, source));
      await runInOrder(
        frameCount,
        2 * Math.max(1, pool.size),
        async (index) => {
          const record: Omit<FrameRecord, 'sha256'> = { version: formatVersionFor(stream.audio), ...stream, frame: index };
          if (index === 0 && sourceFitsFrame) record.source = source;
          const file = frameFileName(index, frameCount);
          const result = await pool.run({ kind: 'encode', task: { compression, record }, data: spanOf(index), outputPath: join(partial.path, file) });
          if (result.kind !== 'encode') throw new Error('frame pool answered an encode job with a decode result');
          return { file, ...result };
        },
        async (frame, index) => {
          const { offset, length } = spanOf(index);
          const { bytesRead } = await handle.read(hashBuffer, 0, length, offset);
          if (bytesRead !== length) throw new ResonanceError('FILE_CHANGED', input, 'changed while it was being read');
          dataHash.update(hashBuffer.subarray(0, length));
          await manifest!.addFrame({ file: frame.file, sha256: frame.sha256 });
          bytesWritten += frame.size;
          bytesDone += length;
          options.onProgress?.({ framesDone: ++framesDone, frameCount, bytesDone, bytesTotal: wav.dataLength });
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

