/**
 * Opening a user's file for reading without ever blocking on it: a FIFO opened for reading waits
 * for a writer forever, and a device such as /dev/zero never ends. Every file is opened with
 * O_NONBLOCK (which returns at once even for a FIFO, and changes nothing for a regular file), then
 * checked with fstat on the descriptor itself, so that what is checked is what is read: a file
 * swapped for a FIFO after an earlier check is still refused. Anything but a regular file is
 * refused with NOT_A_FILE, naming what it is.
 */
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ResonanceError } from '../format/errors';
import { toResonanceError } from './systemErrors';

const READ_NONBLOCK = constants.O_RDONLY | constants.O_NONBLOCK;

/** A regular file open for reading, with the size it had when opened. */
export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

/**
 * Opens `path` for reading if it is a regular file. `what` names what the file should be, for the
 * message: `a WAV file` gives "song.wav: is a FIFO (named pipe), not a WAV file".
 */
export async function openRegularFile(path: string, what = 'a file'): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_NONBLOCK);
  } catch (error) {
    throw openError(error, path, what);
  }
  try {
    const stats = await handle.stat();
    refuseIrregular(stats, path, what);
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw toResonanceError(error, path);
  }
}

/** The same for code that must not wait on the event loop (frame jobs in the worker threads): a descriptor and its size. */
export function openRegularFileSync(path: string, what = 'a file'): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, READ_NONBLOCK);
  } catch (error) {
    throw openError(error, path, what);
  }
  try {
    const stats = fstatSync(fd);
    refuseIrregular(stats, path, what);
    return { fd, size: stats.size };
  } catch (error) {
    closeSync(fd);
    throw toResonanceError(error, path);
  }
}

function refuseIrregular(stats: Stats, path: string, what: string): void {
  const problem = irregularFileProblem(stats, what);
  if (problem) throw new ResonanceError('NOT_A_FILE', path, problem);
}

/** "is a FIFO (named pipe), not a PNG frame" for anything but a regular file; undefined for one. */
export function irregularFileProblem(stats: Stats, what: string): string | undefined {
  return stats.isFile() ? undefined : `is ${kindOf(stats)}, not ${what}`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A socket cannot be opened at all (ENXIO): not a file either. */
function openError(error: unknown, path: string, what: string): ResonanceError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENXIO') return new ResonanceError('NOT_A_FILE', path, `is a socket or a device that is not there, not ${what}`);
  return toResonanceError(error, path);
}
