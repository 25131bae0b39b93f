/**
 * A frame job as it crosses to a worker thread. The worker does the frame's file I/O too: it reads
 * its share of the WAV and writes the PNG, or reads the PNG and writes its share of the WAV, so
 * that no frame-sized buffer crosses threads and each worker reuses its memory from frame to
 * frame (fresh frame-sized buffers cost about 1 ms each in page faults).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { errorData, ResonanceError, type ErrorData } from '../format/errors';
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

/** Data bytes a batch of small frames holds at most (a batch is one frame when frames are larger). */
const BATCH_DATA_BYTES = 1024 * 1024;

/**
 * Consecutive frames in batches: the first `window` batches one frame each, the next `window` two,
 * then four, and so on up to BATCH_DATA_BYTES of data. Per-frame costs (an open and a read of the
 * WAV, a hand-off between threads, an event-loop turn) are most of a small frame's time; growing
 * from one frame keeps what a job reads ahead of its progress reports within about twice the
 * frames it has reported, so the first reports come as soon as today and a frame changed while
 * the job runs is still read after the change (the tests swap and delete frames at the first).
 */
export function frameBatches(frameCount: number, bytesPerFrame: number, window: number): Array<{ first: number; count: number }> {
  const most = Math.max(1, Math.floor(BATCH_DATA_BYTES / Math.max(1, bytesPerFrame)));
  const batches: Array<{ first: number; count: number }> = [];
  for (let first = 0; first < frameCount; ) {
    const count = Math.min(most, 2 ** Math.floor(batches.length / Math.max(1, window)), frameCount - first);
    batches.push({ first, count });
    first += count;
  }
  return batches;
}

/** A frame of a batch after its first: the batch's task but for its own file and checksum. */
export interface FollowingFrame {
  file: string;
  expectedSha256?: string;
}

export type FrameJob =
  /**
   * Frame `task.record.frame` to `outputPath`, and each of `following` to its path as the frame
   * after: their data is `data`, bytesPerFrame bytes a frame (the last frame's may be cut).
   */
  | { kind: 'encode'; task: Omit<EncodeFrameTask, 'data'>; data: FileSpan; outputPath: string; following?: string[] }
  /**
   * `task`'s frame, then `following`'s; `data` is where their data bytes go, `bytesPerFrame` a
   * frame (at most: the last frame is cut).
   */
  | { kind: 'decode'; task: DecodeFrameTask; data: FileSpan; following?: FollowingFrame[]; bytesPerFrame?: number }
  /** One image to one WAV file of its own (a model's sample). */
  | { kind: 'image'; task: ImageDecodeTask };

/**
 * A batch's frames in order. A frame after the first that fails ends the batch with its `error`,
 * after the frames done before it, so that the caller reports those first, as it would have had
 * each been a job; the first frame's error is thrown, as a single frame's is.
 */
export type FrameJobResult =
  | { kind: 'encode'; frames: EncodedFrameFile[]; error?: ErrorData }
  | { kind: 'decode'; frames: Array<Omit<DecodedFrame, 'data'>>; error?: ErrorData }
  | { kind: 'image'; image: DecodedImageFile };

export interface EncodedFrameFile {
  sha256: string;
  size: number;
}

/** This thread's memory for frame jobs, reused by each job: jobs on one thread run one at a time. */
const scratch: { data?: Buffer; out?: Buffer; png: PngScratch; read: PngFileScratch; image: PngReadScratch } = { png: {}, read: {}, image: {} };

export function runFrameJob(job: FrameJob): FrameJobResult {
  if (job.kind === 'image') return { kind: 'image', image: onFile(job.task.output, () => decodeImageToWav(job.task, scratch.image)) };
  return job.kind === 'encode' ? encodeBatch(job) : decodeBatch(job);
}

function encodeBatch(job: Extract<FrameJob, { kind: 'encode' }>): FrameJobResult {
  const { data, bytesRead } = onFile(job.data.path, () => readSpan(job.data));
  const { bytesPerFrame } = job.task.record;
  // Only frame 0 carries the source's header and trailer, and a batch is consecutive frames.
  const record = { ...job.task.record };
  delete record.source;
  const frames: EncodedFrameFile[] = [];
  const error = eachFrame(1 + (job.following?.length ?? 0), (i) => {
    // A WAV cut short since it was planned fails at the first frame it no longer holds, as that frame's own job would.
    if (Math.min((i + 1) * bytesPerFrame, job.data.length) > bytesRead) {
      throw new ResonanceError('FILE_CHANGED', job.data.path, 'changed while it was being read');
    }
    const outputPath = i === 0 ? job.outputPath : job.following![i - 1];
    const task = { compression: job.task.compression, record: i === 0 ? job.task.record : { ...record, frame: record.frame + i } };
    const { png, sha256 } = encodeFrame({ ...task, data: data.subarray(i * bytesPerFrame, (i + 1) * bytesPerFrame) }, scratch.png);
    onFile(outputPath, () => writeWhole(outputPath, png));
    frames.push({ sha256, size: png.length });
  });
  return { kind: 'encode', frames, error };
}

function decodeBatch(job: Extract<FrameJob, { kind: 'decode' }>): FrameJobResult {
  if (!job.following?.length) {
    const { data, ...frame } = onFile(job.task.file, () => decodeFrame(job.task, scratch.read));
    onFile(job.data.path, () => writeSpan(job.data, data.subarray(0, job.data.length)));
    return { kind: 'decode', frames: [frame] };
  }
  const { following } = job;
  const bytesPerFrame = job.bytesPerFrame ?? job.data.length;
  // The frames' data is gathered here and written in one call: the decoder's data lives in its scratch memory only until the next frame.
  const out = (scratch.out = sized(scratch.out, job.data.length));
  const frames: Array<Omit<DecodedFrame, 'data'>> = [];
  const error = eachFrame(1 + following.length, (i) => {
    const task = i === 0 ? job.task : { ...job.task, ...following[i - 1] };
    const { data, ...frame } = onFile(task.file, () => decodeFrame(task, scratch.read));
    const at = i * bytesPerFrame;
    out.set(data.subarray(0, Math.max(0, Math.min(bytesPerFrame, job.data.length - at))), at);
    frames.push(frame);
  });
  // A batch that failed is not written: the job fails with it, and its output is removed.
  if (!error) onFile(job.data.path, () => writeSpan(job.data, out.subarray(0, job.data.length)));
  return { kind: 'decode', frames, error };
}

/** Runs frames 0 to count - 1 until one fails: the first frame's error is thrown, a later one's returned. */
function eachFrame(count: number, run: (i: number) => void): ErrorData | undefined {
  for (let i = 0; i < count; i++) {
    try {
      run(i);
    } catch (error) {
      if (i === 0) throw error;
      return errorData(toResonanceError(error));
    }
  }
  return undefined;
}

/** Runs file I/O on `path`: reads and writes on a descriptor fail without naming a file, so this names it. */
function onFile<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toResonanceError(error, path);
  }
}

/** The span's bytes, and how many of them the file still holds. */
function readSpan(span: FileSpan): { data: Buffer; bytesRead: number } {
  scratch.data = sized(scratch.data, span.length);
  // Opened again by each job: a WAV swapped for a FIFO since it was planned is refused, not waited on.
  const { fd } = openRegularFileSync(span.path, 'a WAV file');
  try {
    return { data: scratch.data.subarray(0, span.length), bytesRead: readFully(fd, scratch.data, span.length, span.offset) };
  } finally {
    closeSync(fd);
  }
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
