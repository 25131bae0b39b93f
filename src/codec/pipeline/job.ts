/** What every long-running codec job takes and reports, so the CLI and the extension drive them alike. */
export interface Progress {
  framesDone: number;
  frameCount: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface JobOptions {
  /** Where to write; by default beside the input. */
  output?: string;
  /** Replace an existing output; otherwise an existing output fails the job before any work. */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Worker threads; 0 runs inline. Default: none for a small job (a fraction of a second of work), otherwise one per core. */
  workers?: number;
}

/**
 * Runs `count` frame jobs with at most `window` in flight, handing each result to `onResult` in
 * frame order. On failure or cancellation every job started is waited for before it throws, so no
 * worker still writes into an output that is being removed.
 */
export async function runInOrder<T>(
  count: number,
  window: number,
  start: (index: number) => Promise<T>,
  onResult: (result: T, index: number) => void | Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const inFlight: Promise<T>[] = [];
  let next = 0;
  try {
    for (let done = 0; done < count; done++) {
      while (next < count && inFlight.length < window) {
        if (signal?.aborted) break;
        const job = start(next++);
        // A job that fails while an earlier one is awaited would be an unhandled rejection, which
        // ends the process; its error still surfaces when its turn comes (or is dropped on cancel).
        job.catch(() => undefined);
        inFlight.push(job);
      }
      if (signal?.aborted) break;
      await onResult(await inFlight[0], done);
      void inFlight.shift(); // the job just awaited
    }
  } catch (error) {
    await Promise.allSettled(inFlight);
    throw error;
  }
  await Promise.allSettled(inFlight);
}
