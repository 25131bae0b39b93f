/**
 * The body of a pool's worker thread: runs the jobs it is sent one at a time, in the order they
 * arrive, answering each with its result or its error as data (errors keep their codes).
 */
import { parentPort } from 'node:worker_threads';
import { errorData } from '../format/errors';
import { toResonanceError } from '../files/systemErrors';

export function serveJobs<Job, Result>(run: (job: Job) => Result): void {
  parentPort?.on('message', ({ id, job }: { id: number; job: Job }) => {
    try {
      parentPort!.postMessage({ id, result: run(job) });
    } catch (error) {
      parentPort!.postMessage({ id, error: errorData(toResonanceError(error)) });
    }
  });
  // Loaded and listening: from now on the pool hands this thread jobs instead of running them inline.
  parentPort?.postMessage({ ready: true });
}
