/** Entry point of a frame worker thread: runs frame jobs in the order they arrive. */
import { parentPort } from 'node:worker_threads';
import { runFrameJob, serializeError, type FrameJob } from './frameJobs';

parentPort?.on('message', ({ id, job }: { id: number; job: FrameJob }) => {
  try {
    const result = runFrameJob(job);
    parentPort!.postMessage({ id, result });
  } catch (error) {
    parentPort!.postMessage({ id, error: serializeError(error) });
  }
});

// Loaded and listening: from now on the pool hands this thread jobs instead of running them inline.
parentPort?.postMessage({ ready: true });
