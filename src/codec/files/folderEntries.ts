import type { Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';

/** Entries read from the system at a time. */
const BUFFER_ENTRIES = 1024;

/**
 * A folder's entries, a buffer of them at a time. Each buffer is read synchronously, and the event
 * loop is let in between buffers: iterating the `Dir` itself costs a promise an entry, which was
 * 20–30 ms of listing a folder of 4,070 frames (docs/decisions.md, section 32). Stopping early
 * closes the folder.
 */
export async function* entryBatches(folder: string): AsyncGenerator<Dirent[], void, undefined> {
  const dir = await opendir(folder, { bufferSize: BUFFER_ENTRIES });
  try {
    for (;;) {
      const batch: Dirent[] = [];
      for (let entry = dir.readSync(); entry; entry = batch.length < BUFFER_ENTRIES ? dir.readSync() : null) batch.push(entry);
      if (batch.length === 0) return;
      yield batch;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await dir.close().catch(() => undefined);
  }
}
