/**
 * The hidden names a build writes its files under until they are whole, and the clean-up of what a
 * killed build left: `.NAME.partial-PID-THREAD-N-HOST` beside the file, so that a later run can
 * tell whose it was. On a shared file system other hosts' partials are left alone, and so are a
 * running process's.
 */
import { readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let count = 0;

export function partialPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}-${threadId}-${count++}-${hostname()}`);
}

const PARTIAL = /^\..+\.partial-(\d+)-\d+-\d+-(.+)$/;

/** Removes, in each folder, the partials of processes of this host that are no longer running. */
export async function removeDeadPartials(folders: readonly string[]): Promise<void> {
  const host = hostname();
  for (const folder of folders) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const match = PARTIAL.exec(name);
      if (!match || match[2] !== host || isRunning(Number(match[1]))) continue;
      await rm(join(folder, name), { force: true, recursive: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
