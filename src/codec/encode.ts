/** WAV → frames: reads the data chunk frame by frame and has the frame pool write the PNGs. */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { durationSeconds, type AudioFormat } from './audioFormat';
import { ResonanceError, throwIfAborted } from './errors';
import { DEFAULT_GEOMETRY, geometryProblem, gridOf, type Geometry } from './geometry';
import { layoutOf, type LayoutName } from './layout';
import { FORMAT_VERSION, frameFileName, MANIFEST_NAME, MAX_SOURCE_IN_FRAME, type FrameRecord, type Manifest, type StreamInfo } from './manifest';
import { beginOutput } from './output';
import { FramePool, defaultWorkerCount } from './framePool';
import { runInOrder, type JobOptions } from './job';
import type { Compression } from './png/compression';
import { readWavLayout } from './wav';

export interface EncodeOptions extends JobOptions {
  geometry?: Partial<Geometry>;
  layout?: LayoutName;
  compression?: Compression;
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
}

export function defaultFramesFolder(input: string): string {
  return join(dirname(input), `${basename(input, extname(input))}_frames`);
}

export async function encodeWav(input: string, options: EncodeOptions = {}): Promise<EncodeResult> {
  const geometry: Geometry = { ...DEFAULT_GEOMETRY, ...definedOnly(options.geometry ?? {}) };
  const problem = geometryProblem(geometry);
  if (problem) throw new ResonanceError(input, `cannot be encoded: ${problem}`);
  const layout = options.layout ?? 'bytes';
  const compression = options.compression ?? 'default';
  throwIfAborted(options.signal);

  const wav = await readWavLayout(input);
  const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), wav.format);
  if (bytesPerFrame === 0) throw new ResonanceError(input, `cannot be encoded: a ${geometry.width} × ${geometry.height} frame is too small for one sample frame of this audio in the ${layout} layout`);
  const frameCount = Math.max(1, Math.ceil(wav.dataLength / bytesPerFrame));
  const stream: StreamInfo = { geometry, layout, audio: wav.format, dataLength: wav.dataLength, bytesPerFrame, frameCount };
  const source = { header: wav.header.toString('base64'), trailer: wav.trailer.toString('base64') };
  const sourceFitsFrame = wav.header.length + wav.trailer.length <= MAX_SOURCE_IN_FRAME;

  const target = options.output ?? defaultFramesFolder(input);
  const output = await beginOutput(target, options.overwrite ?? false);
  const pool = new FramePool(options.workers ?? (frameCount > 1 ? defaultWorkerCount() : 0));
  const handle = await open(input, 'r');
  const dataHash = createHash('sha256');
  const frames: Manifest['frames'] = [];
  let bytesWritten = 0;
  let bytesDone = 0;
  let reading: Promise<void> = Promise.resolve();
  const readFrameData = async (index: number): Promise<Uint8Array> => {
    const length = Math.min(bytesPerFrame, wav.dataLength - index * bytesPerFrame);
    const data = new Uint8Array(length);
    const { bytesRead } = await handle.read(data, 0, length, wav.dataOffset + index * bytesPerFrame);
    if (bytesRead !== length) throw new ResonanceError(input, 'changed while it was being read');
    dataHash.update(data);
    return data;
  };
  try {
    await mkdir(output.tempPath);
    await runInOrder(
      frameCount,
      2 * Math.max(1, pool.size),
      async (index) => {
        // Reads are chained so that the data hash sees the bytes in file order.
        const read = reading.then(() => readFrameData(index));
        reading = read.then(() => undefined);
        const data = await read;
        const length = data.length;
        const record: Omit<FrameRecord, 'sha256'> = { version: FORMAT_VERSION, ...stream, frame: index };
        if (index === 0 && sourceFitsFrame) record.source = source;
        const file = frameFileName(index, frameCount);
        const result = await pool.run({ kind: 'encode', task: { data, compression, record }, outputPath: join(output.tempPath, file) });
        if (result.kind !== 'encode') throw new Error('frame pool answered an encode job with a decode result');
        return { file, length, ...result };
      },
      (frame) => {
        frames.push({ file: frame.file, sha256: frame.sha256 });
        bytesWritten += frame.size;
        bytesDone += frame.length;
        options.onProgress?.({ framesDone: frames.length, frameCount, bytesDone, bytesTotal: wav.dataLength });
      },
      options.signal,
    );
    throwIfAborted(options.signal);
    const manifest: Manifest = {
      format: 'resonance',
      version: FORMAT_VERSION,
      ...stream,
      compression,
      source: { name: basename(input), size: wav.fileSize, container: wav.container, ...source, dataSha256: dataHash.digest('hex') },
      frames,
    };
    await writeFile(join(output.tempPath, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
    await output.commit();
  } catch (error) {
    await output.discard();
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
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
