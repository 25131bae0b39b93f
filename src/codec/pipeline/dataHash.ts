/**
 * The SHA-256 of the data a decode writes, read back from the WAV (the page cache) span by span, in
 * order, as each batch of frames is done. On its own thread when the job's frames run on the
 * calling thread (a small job) and the data is large enough to pay for it: hashing 50 MB and
 * reading it back is some 40 ms the calling thread then spends on frames instead, and the thread is
 * a few lines of script, started in a few milliseconds, not the frame worker's bundle
 * (docs/decisions.md, section 32). Elsewhere, the calling thread hashes, as before.
 */
import { createHash, type Hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileHandle } from 'node:fs/promises';
import { ResonanceError } from '../format/errors';

/** Data below this is hashed on the calling thread: a thread's start-up would cost about what it saves. */
const THREAD_DATA_BYTES = 16 * 1024 * 1024;

export interface DataHash {
  /** The next span of the data, just written at `offset` of the output; FILE_CHANGED if it is no longer all there. */
  add(offset: number, length: number): Promise<void>;
  /** The hex digest of every span added. */
  digest(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The hash for a decode into `handle` (at `path`, the partial output) of `dataLength` bytes in spans
 * of at most `mostBytes`; `target` names the output in errors. On a thread of its own only when
 * `alone` (no frame workers) and the data is large.
 */
export function dataHashFor(handle: FileHandle, path: string, target: string, dataLength: number, mostBytes: number, alone: boolean): DataHash {
  if (alone && dataLength >= THREAD_DATA_BYTES && availableParallelism() > 1) return new ThreadHash(path, target, mostBytes);
  return new InlineHash(handle, target, Math.max(1, Math.min(mostBytes, dataLength)));
}

class InlineHash implements DataHash {
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer: Buffer;

  constructor(
    private readonly handle: FileHandle,
    private readonly target: string,
    bufferBytes: number,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(bufferBytes);
  }

  async add(offset: number, length: number): Promise<void> {
    const { bytesRead } = await this.handle.read(this.buffer, 0, length, offset);
    if (bytesRead !== length) throw changed(this.target);
    this.hash.update(this.buffer.subarray(0, length));
  }

  digest(): Promise<string> {
    return Promise.resolve(this.hash.digest('hex'));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The hashing thread's script: it opens the output itself (by its path: a descriptor is not
 * shared between threads here), reads each span it is sent into memory it reuses, and answers
 * `end` with the digest, or the first span that came short with `short`.
 */
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const hash = require('node:crypto').createHash('sha256');
const buffer = Buffer.allocUnsafeSlow(Math.max(1, workerData.bufferBytes));
let fd;
let failed;
parentPort.on('message', (message) => {
  if (failed === undefined && message.length !== undefined) {
    try {
      if (fd === undefined) fd = openSync(workerData.path, 'r');
      let done = 0;
      while (done < message.length) {
        const n = readSync(fd, buffer, done, message.length - done, message.offset + done);
        if (n === 0) break;
        done += n;
      }
      if (done !== message.length) failed = { short: true };
      else hash.update(buffer.subarray(0, done));
    } catch (error) {
      failed = { message: String(error && error.message) };
    }
    if (failed) parentPort.postMessage(failed);
    return;
  }
  if (message.end) {
    if (fd !== undefined) closeSync(fd);
    parentPort.postMessage(failed ?? { digest: hash.digest('hex') });
  }
});
`;

type ThreadAnswer = { digest: string } | { short: true } | { message: string };

class ThreadHash implements DataHash {
  private readonly worker: Worker;
  private failure: Error | undefined;
  private readonly answer: Promise<string>;

  constructor(
    path: string,
    private readonly target: string,
    bufferBytes: number,
  ) {
    this.worker = new Worker(SCRIPT, { eval: true, workerData: { path, bufferBytes } });
    this.answer = new Promise<string>((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= error;
        reject(this.failure);
      };
      this.worker.on('message', (message: ThreadAnswer) => {
        if ('digest' in message) resolve(message.digest);
        else fail('short' in message ? changed(this.target) : new ResonanceError('INTERNAL', '', `the data's hash failed: ${message.message}`));
      });
      this.worker.on('error', (error) => fail(new ResonanceError('INTERNAL', '', `the data's hash thread failed: ${error.message.split('\n')[0]}`)));
      this.worker.on('exit', (code) => fail(new ResonanceError('INTERNAL', '', `the data's hash thread stopped (exit code ${code})`)));
    });
    // Failures are thrown by add or digest; until then, not unhandled.
    this.answer.catch(() => undefined);
  }

  add(offset: number, length: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.worker.postMessage({ offset, length });
    return Promise.resolve();
  }

  digest(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    this.worker.postMessage({ end: true });
    return this.answer;
  }

  async close(): Promise<void> {
    this.failure ??= new ResonanceError('INTERNAL', '', 'the data hash was closed');
    await this.worker.terminate();
  }
}

function changed(target: string): ResonanceError {
  return new ResonanceError('FILE_CHANGED', target, 'changed while it was being written');
}
