/**
 * Worker threads for frame jobs: deflate, inflate, hashing and file I/O of frames run on every
 * core while the main thread reads the WAV and writes the output in order. Async zlib alone gave
 * no speed-up on two cores; threads do (docs/decisions.md).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { CancelledError, errorFromData, ResonanceError, type ErrorData } from '../format/errors';
import { runFrameJob, type FrameJob, type FrameJobResult } from './frameJobs';

/**
 * What the pool's threads run: a worker script beside this bundle that serves `run` (see
 * workerThread.ts), and `run` itself for jobs run inline. Frames by default; datasets bring theirs.
 */
export interface PoolWork<Job, Result> {
  script: string;
  run(job: Job): Result;
  /** Heap limits of each worker thread, for work whose garbage would otherwise outgrow a memory bound. */
  resourceLimits?: ResourceLimits;
}

const FRAME_WORK: PoolWork<FrameJob, FrameJobResult> = { script: 'frameWorker.js', run: runFrameJob };

interface Pending<Result> {
  resolve(result: Result): void;
  reject(error: Error): void;
}

interface Slot<Result> {
  worker: Worker;
  pending: Map<number, Pending<Result>>;
  /** Loaded and listening. */
  ready: boolean;
}

type WorkerMessage<Result> = { ready: true } | { id: number; result?: Result; error?: ErrorData };

/** Frames up to this size (a few ms of work each) may run inline while the workers start. */
const INLINE_FRAME_BYTES = 8 * 1024 * 1024;

/**
 * A job of at most this much image (frames × width × height × 3) runs on the calling thread alone:
 * each worker costs 50-70 ms of start-up and takes its first job only after it, so a job of a
 * fraction of a second is done sooner without them (50 MB of audio at expansion 1, 29 frames:
 * decoding took 143 ms in one thread, 173 ms with one worker, 183 ms with two; docs/decisions.md).
 */
const SMALL_JOB_IMAGE_BYTES = 128 * 1024 * 1024;

/** Worker threads a pool never exceeds, whatever is asked: more than the cores only add memory. */
const MAX_WORKERS = 8;
/**
 * The memory the workers of one pool may take between them: each costs its own JavaScript heap
 * (about 12 MiB) and a few frame-sized buffers it reuses (the PNG, its scanlines, the image, the
 * data: about 5 × 3 bytes a pixel), so that a job stays within 200 MB whatever its frame size or
 * the worker count asked for. The calling thread needs its own memory besides.
 */
const WORKERS_MEMORY = 128 * 1024 * 1024;
const WORKER_BASE_MEMORY = 12 * 1024 * 1024;

/** How many workers fit in WORKERS_MEMORY for frames of `frameBytes` bytes of image (at least one). */
function workersThatFit(frameBytes: number): number {
  return Math.max(1, Math.floor(WORKERS_MEMORY / (WORKER_BASE_MEMORY + 5 * frameBytes)));
}

/** The pool for a job of `frameCount` frames of `frameBytes` bytes of image each; `workers` asks for a count, within the bounds above. */
export function framePoolFor(frameCount: number, frameBytes: number, workers?: number): FramePool {
  const small = frameCount <= 1 || frameCount * frameBytes <= SMALL_JOB_IMAGE_BYTES;
  const wanted = workers ?? (small ? 0 : availableParallelism());
  const pool = new FramePool(Math.min(wanted, MAX_WORKERS, workersThatFit(frameBytes)));
  pool.inlineWhileStarting = frameBytes <= INLINE_FRAME_BYTES;
  return pool;
}

export class FramePool<Job = FrameJob, Result = FrameJobResult> {
  private readonly slots: Slot<Result>[] = [];
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
  constructor(
    size: number,
    private readonly work: PoolWork<Job, Result> = FRAME_WORK as unknown as PoolWork<Job, Result>,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(join(__dirname, work.script), { resourceLimits: work.resourceLimits });
      const slot: Slot<Result> = { worker, pending: new Map(), ready: false };
      slot.worker.on('message', (message: WorkerMessage<Result>) => {
        if ('ready' in message) {
          slot.ready = true;
          return;
        }
        const { id, result, error } = message;
        const pending = slot.pending.get(id);
        slot.pending.delete(id);
        if (error) pending?.reject(errorFromData(error));
        else pending?.resolve(result!);
      });
      slot.worker.on('error', (error) => this.failSlot(slot, new ResonanceError('INTERNAL', '', `a frame worker failed: ${error.message.split('\n')[0]}`)));
      slot.worker.on('exit', (code) => this.failSlot(slot, new ResonanceError('INTERNAL', '', `a frame worker stopped (exit code ${code})`)));
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  run(job: Job): Promise<Result> {
    if (this.closed) return Promise.reject(new CancelledError());
    if (this.workersTakeJobs()) return this.post(job);
    // Inline jobs go through the event loop, not straight away: a caller that chains them in
    // promise callbacks alone would let no event in until the whole job is done, neither a
    // worker's "ready" (every frame would run on this thread while the workers idle) nor Ctrl-C
    // or a cancel button.
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => (this.workersTakeJobs() ? this.post(job) : this.runInline(job)));
  }

  /** Whether a job goes to the workers now rather than running on this thread. */
  private workersTakeJobs(): boolean {
    return this.slots.length > 0 && (!this.inlineWhileStarting || this.slots.some((s) => s.ready));
  }

  private runInline(job: Job): Promise<Result> {
    this.jobsRun.inline++;
    try {
      return Promise.resolve(this.work.run(job));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private post(job: Job): Promise<Result> {
    if (this.closed) return Promise.reject(new CancelledError());
    this.jobsRun.onWorkers++;
    const ready = this.slots.filter((s) => s.ready);
    const slot = (ready.length > 0 ? ready : this.slots).reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private failSlot(slot: Slot<Result>, error: Error): void {
    for (const pending of slot.pending.values()) pending.reject(this.closed ? new CancelledError() : error);
    slot.pending.clear();
  }
}
