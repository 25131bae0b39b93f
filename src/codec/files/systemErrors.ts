/**
 * Node's errors as ResonanceErrors: `ENOENT` on a path becomes FILE_NOT_FOUND naming that path, and
 * so on, so that nothing a user reads is raw Node text. Anything that is neither a ResonanceError
 * nor a system error is a fault in Resonance (INTERNAL), still shown as one line.
 */
import { lstat } from 'node:fs/promises';
import { ResonanceError, type ErrorCode } from '../format/errors';

const SYSTEM_PROBLEMS: Record<string, [ErrorCode, string]> = {
  ENOENT: ['FILE_NOT_FOUND', 'no such file or folder'],
  EACCES: ['PERMISSION_DENIED', 'permission denied'],
  EPERM: ['PERMISSION_DENIED', 'permission denied'],
  ENOSPC: ['NO_SPACE', 'no space left on the device'],
  EDQUOT: ['NO_SPACE', 'the disk quota is used up'],
  EROFS: ['READ_ONLY', 'is on a read-only file system'],
  EISDIR: ['NOT_A_FILE', 'is a folder, not a file'],
  ENOTDIR: ['NOT_A_FOLDER', 'is a file, not a folder'],
  ENAMETOOLONG: ['IO_ERROR', 'the name is too long for the file system'],
  ELOOP: ['IO_ERROR', 'too many levels of symbolic links'],
  EMFILE: ['IO_ERROR', 'too many open files'],
  EIO: ['IO_ERROR', 'an input/output error of the device'],
};

export function toResonanceError(error: unknown, file = ''): ResonanceError {
  if (error instanceof ResonanceError) return error;
  const system = error as NodeJS.ErrnoException | undefined;
  const known = typeof system?.code === 'string' ? SYSTEM_PROBLEMS[system.code] : undefined;
  const path = typeof system?.path === 'string' ? system.path : file;
  // A name that is not UTF-8 reaches Node with U+FFFD in place of its bytes, so that no such file
  // exists: the real trouble is that the name cannot be read, not that the file is missing.
  if (system?.code === 'ENOENT' && path.includes('\uFFFD'))
    return new ResonanceError('UNREADABLE_NAME', path, 'the name is not valid UTF-8, so it cannot be opened; rename the file');
  if (known) return new ResonanceError(known[0], path, known[1]);
  if (typeof system?.code === 'string' && system.code.startsWith('E') && typeof system.syscall === 'string') {
    return new ResonanceError('IO_ERROR', path, `${system.syscall} failed (${system.code})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ResonanceError('INTERNAL', file, message.split('\n')[0]);
}

/** The one-line message for anything thrown. */
export function describeError(error: unknown): string {
  return toResonanceError(error).message;
}

/** Whether anything, a dangling link too, has the name `path`; a failure other than ENOENT as a coded error naming it. */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw toResonanceError(error, path);
  }
}
