/**
 * A frame job as it crosses to a worker thread. The worker does the frame's file I/O too: it reads
 * its share of the WAV and writes the PNG, or reads the PNG and writes its share of the WAV, so
 * that no frame-sized buffer crosses threads and each worker reuses its memory from frame to
 * frame (fresh frame-sized buffers cost about 1 ms each in page faults).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ResonanceError } from '../format/errors';
import { openRegularFileSync } from '../files/safeOpen';
import { toResonanceError } from '../files/systemErrors';
import { decodeFrame, encodeFrame, type DecodeFrameTask, type DecodedFrame, type EncodeFrameTask } from './frameCodec';
import { decodeImageToWav, type DecodedImageFile, type ImageDecodeTask } from './imageDecode';
import type { PngFileScratch } from '../png/pngFile';
import type { PngReadScratch } from '../png/pngReader';
import type { PngScratch } from '../png/pngWriter';

/** A span of a file: where a frame's share of the WAV's data is. */
export interface FileSpan {
  path: string;
  offset: number;
  length: number;
}

export type FrameJob =
  | { kind: 'encode'; task: Omit<EncodeFrameTask, 'data'>; data: FileSpan; outputPath: string }
  /** `data` is where the frame's data bytes go, at most `length` of them (the last frame is cut). */
  | { kind: 'decode'; task: DecodeFrameTask; data: FileSpan }
  /** One image to one WAV file of its own (a model's sample). */
  | { kind: 'image'; task: ImageDecodeTask };

export type FrameJobResult =
  | { kind: 'encode'; sha256: string; size: number }
  | { kind: 'decode'; frame: Omit<DecodedFrame, 'data'> }
  | { kind: 'image'; image: DecodedImageFile };

/** This thread's memory for frame jobs, reused by each job: jobs on one thread run one at a time. */
const scratch: { data?: Buffer; png: PngScratch; read: PngFileScratch; image: PngReadScratch } = { png: {}, read: {}, image: {} };

export function runFrameJob(job: FrameJob): FrameJobResult {
  if (job.kind === 'encode') {
    const data = onFile(job.data.path, () => readSpan(job.data));
    const { png, sha256 } = encodeFrame({ ...job.task, data }, scratch.png);
    onFile(job.outputPath, () => writeWhole(job.outputPath, png));
    return { kind: 'encode', sha256, size: png.length };
  }
  if (job.kind === 'image') return { kind: 'image', image: onFile(job.task.output, () => decodeImageToWav(job.task, scratch.image)) };
  const { data, ...frame } = onFile(job.task.file, () => decodeFrame(job.task, scratch.read));
  onFile(job.data.path, () => writeSpan(job.data, data.subarray(0, job.data.length)));
  return { kind: 'decode', frame };
}

/** Runs file I/O on `path`: reads and writes on a descriptor fail without naming a file, so this names it. */
function onFile<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toResonanceError(error, path);
  }
}

function readSpan(span: FileSpan): Buffer {
  scratch.data = sized(scratch.data, span.length);
  // Opened again by each job: a WAV swapped for a FIFO since it was planned is refused, not waited on.
  const { fd } = openRegularFileSync(span.path, 'a WAV file');
  try {
    if (readFully(fd, scratch.data, span.length, span.offset) !== span.length)
      throw new ResonanceError('FILE_CHANGED', span.path, 'changed while it was being read');
  } finally {
    closeSync(fd);
  }
  return scratch.data.subarray(0, span.length);
}

function writeWhole(path: string, bytes: Uint8Array): void {
  // 'wx': a frame file never exists yet in a fresh output folder; if one does, something is wrong.
  const fd = openSync(path, 'wx');
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    closeSync(fd);
  }
}

function writeSpan(span: FileSpan, bytes: Uint8Array): void {
  const fd = openSync(span.path, 'r+');
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, span.offset + done);
  } finally {
    closeSync(fd);
  }
}

/** Reads until `length` bytes or the end of the file; the number of bytes read. */
function readFully(fd: number, into: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function sized(buffer: Buffer | undefined, length: number): Buffer {
  return buffer && buffer.length >= length ? buffer : Buffer.allocUnsafeSlow(length);
}
