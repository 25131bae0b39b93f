/**
 * Outputs appear whole or not at all: they are written under a hidden temporary name beside the
 * target and renamed into place on success; a failure or a cancellation removes them.
 */
import { randomBytes } from 'node:crypto';
import { lstat, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ResonanceError } from '../format/errors';

/** The output exists and the caller did not allow replacing it; the CLI and the extension ask or advise. */
export function outputExistsError(path: string): ResonanceError {
  return new ResonanceError('OUTPUT_EXISTS', path, 'already exists');
}

export interface PendingOutput {
  /** Where to write now. */
  readonly tempPath: string;
  /** Moves the finished output to its target, replacing an existing one only if that was allowed. */
  commit(): Promise<void>;
  /** Removes whatever was written. Safe to call after commit (it then does nothing). */
  discard(): Promise<void>;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function assertFolder(folder: string): Promise<void> {
  let stats;
  try {
    stats = await stat(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ResonanceError('OUTPUT_FOLDER_MISSING', folder, 'no such folder to write the output in');
    throw error;
  }
  if (!stats.isDirectory()) throw new ResonanceError('NOT_A_FOLDER', folder, 'is a file, not a folder to write the output in');
}

export async function beginOutput(target: string, overwrite: boolean): Promise<PendingOutput> {
  // Checked first so that the error names the user's folder, not the hidden temporary name inside it.
  await assertFolder(dirname(target));
  if (!overwrite && (await exists(target))) throw outputExistsError(target);
  const tempPath = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  let committed = false;
  return {
    tempPath,
    async commit() {
      if (await exists(target)) {
        if (!overwrite) throw outputExistsError(target);
        const old = `${tempPath}.old`;
        await rename(target, old);
        await rename(tempPath, target);
        await rm(old, { recursive: true, force: true });
      } else {
        await rename(tempPath, target);
      }
      committed = true;
    },
    async discard() {
      if (!committed) await rm(tempPath, { recursive: true, force: true });
    },
  };
}
