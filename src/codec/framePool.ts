/**
 * Worker threads for frame jobs: deflate, inflate, hashing and file I/O of frames run on every
 * core while the main thread reads the WAV and writes the output in order. Async zlib alone gave
 * no speed-up on two cores; threads do (docs/decisions.md).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { deserializeError, runFrameJob, type FrameJob, type FrameJobResult, type SerializedError } from './frameJobs';

interface Pending {
  resolve(result: FrameJobResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Loaded and listening. */
  ready: boolean;
}

type WorkerMessage = { ready: true } | { id: number; result?: FrameJobResult; error?: SerializedError };

/** Frames up to this size (a few ms of work each) may run inline while the workers start. */
export const INLINE_FRAME_BYTES = 8 * 1024 * 1024;

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

export class FramePool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  /**
   * Run jobs inline on the calling thread until a worker is ready. A worker takes 50 to 100 ms
   * to start, time in which this thread would otherwise wait; callers allow it only for frames
   * small enough not to hold up this thread's own work for long.
   */
  inlineWhileStarting = false;
  /** Where the jobs ran: the tests check that a pool that starts inline hands over to its workers. */
  readonly jobsRun = { inline: 0, onWorkers: 0 };

  /** `size` 0 runs every job inline on the calling thread (small jobs, tests). */
  constructor(size: number = defaultWorkerCount()) {
    for (let i = 0; i < size; i++) {
      const slot: Slot = { worker: new Worker(join(__dirname, 'frameWorker.js')), pending: new Map(), ready: false };
      slot.worker.on('message', (message: WorkerMessage) => {
        if ('ready' in message) {
          slot.ready = true;
          return;
        }
        const { id, result, error } = message;
        const pending = slot.pending.get(id);
        slot.pending.delete(id);
        if (error) pending?.reject(deserializeError(error));
        else pending?.resolve(result!);
      });
      slot.worker.on('error', (error) => this.failSlot(slot, error));
      slot.worker.on('exit', (code) => this.failSlot(slot, new Error(`a frame worker stopped (exit code ${code})`)));
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  run(job: FrameJob): Promise<FrameJobResult> {
    if (this.closed) return Promise.reject(new Error('the frame pool is closed'));
    if (this.slots.length === 0) return this.runInline(job);
    if (this.inlineWhileStarting && !this.slots.some((s) => s.ready)) {
      // Through the event loop, not straight away: a worker's "ready" arrives as an event, and a
      // caller that chains inline jobs in microtasks alone would never let it in, running every
      // frame on this thread while the workers idle.
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => (this.slots.some((s) => s.ready) ? this.post(job) : this.runInline(job)));
    }
    return this.post(job);
  }

  private runInline(job: FrameJob): Promise<FrameJobResult> {
    this.jobsRun.inline++;
    try {
      return Promise.resolve(runFrameJob(job));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private post(job: FrameJob): Promise<FrameJobResult> {
    if (this.closed) return Promise.reject(new Error('the frame pool is closed'));
    this.jobsRun.onWorkers++;
    const ready = this.slots.filter((s) => s.ready);
    const slot = (ready.length > 0 ? ready : this.slots).reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
    const id = this.nextId++;
    return new Promise<FrameJobResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private failSlot(slot: Slot, error: Error): void {
    for (const pending of slot.pending.values()) pending.reject(this.closed ? new Error('cancelled') : error);
    slot.pending.clear();
  }
}
