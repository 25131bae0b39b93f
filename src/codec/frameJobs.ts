/**
 * A frame job as it crosses to a worker thread: the task, plus the file it reads or writes, so
 * that file I/O runs on the worker too and only sample bytes cross threads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ResonanceError } from './errors';
import { decodeFrame, encodeFrame, type DecodeFrameTask, type DecodedFrame, type EncodeFrameTask } from './frameCodec';

export type FrameJob = { kind: 'encode'; task: EncodeFrameTask; outputPath: string } | { kind: 'decode'; task: Omit<DecodeFrameTask, 'png'> };

export type FrameJobResult = { kind: 'encode'; sha256: string; size: number } | { kind: 'decode'; frame: DecodedFrame };

export function runFrameJob(job: FrameJob): FrameJobResult {
  if (job.kind === 'encode') {
    const { png, sha256 } = encodeFrame(job.task);
    writeFileSync(job.outputPath, png);
    return { kind: 'encode', sha256, size: png.length };
  }
  const png = readFileSync(job.task.file);
  return { kind: 'decode', frame: decodeFrame({ ...job.task, png }) };
}

/** The buffers a job or result can hand over to the other thread instead of copying. */
export function transferablesOf(value: FrameJob | FrameJobResult): ArrayBuffer[] {
  const bytes = value.kind === 'encode' ? ('task' in value ? value.task.data : undefined) : 'frame' in value ? value.frame.data : undefined;
  return bytes && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

export interface SerializedError {
  file?: string;
  problem?: string;
  message: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ResonanceError) return { file: error.file, problem: error.problem, message: error.message };
  const e = error as NodeJS.ErrnoException;
  return { file: e?.path, problem: e?.code === 'ENOSPC' ? 'no space left on the device' : undefined, message: e?.message ?? String(error) };
}

export function deserializeError(error: SerializedError): Error {
  return error.file && error.problem ? new ResonanceError(error.file, error.problem) : new Error(error.message);
}
