/**
 * Every failure the codec reports to a user is a ResonanceError: one line naming the file and the
 * problem, so the CLI and the extension can show it as is, without a stack trace.
 */
export class ResonanceError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ResonanceError';
  }
}

/** Raised when an AbortSignal stops a job; callers treat it as a quiet cancellation, not a failure. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** The one-line message for anything thrown, so that unexpected errors still read as one line. */
export function describeError(error: unknown): string {
  if (error instanceof ResonanceError || error instanceof CancelledError) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const path = (error as NodeJS.ErrnoException).path;
    if (code && path) return `${path}: ${systemProblem(code, error.message)}`;
    return error.message.split('\n')[0];
  }
  return String(error);
}

function systemProblem(code: string, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'is a file, not a folder';
    default:
      return message.split('\n')[0];
  }
}
