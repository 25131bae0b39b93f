/**
 * Every failure Resonance reports to a user is a ResonanceError: a stable `code` that programs act
 * on (the CLI's --json, the frames editor's advice, scripts), the file it concerns and a one-line
 * problem, so that the CLI and the extension can show it as is, without a stack trace. Pure: the
 * webview and the worker threads share it. Node's own errors become ResonanceErrors in
 * ../files/systemErrors.ts.
 */

/** Every code, with what it means: the README's table of codes is checked against this one. */
export const ERROR_CODES = {
  FILE_NOT_FOUND: 'a file or folder named does not exist',
  NOT_A_FILE: 'a folder, FIFO, device or socket stands where a regular file is needed',
  NOT_A_FOLDER: 'a file stands where a folder is needed',
  UNREADABLE_NAME: 'a file name is not valid UTF-8, so it cannot be read or shown',
  PERMISSION_DENIED: 'the file system refused access',
  NO_SPACE: 'the disk is full',
  READ_ONLY: 'the file system is read-only',
  FILE_CHANGED: 'a file changed or shrank while it was being read',
  IO_ERROR: 'another error of the file system, named in the message',
  WAV_INVALID: 'not a RIFF/WAVE file, or empty',
  WAV_MALFORMED: 'a WAV whose chunks or fmt fields contradict each other',
  WAV_TRUNCATED: 'a WAV that ends before what its chunks declare',
  WAV_UNSUPPORTED: 'a WAV whose samples Resonance cannot interpret, for work that needs sample values',
  PNG_INVALID: 'not a PNG file',
  PNG_CORRUPT: 'a PNG whose chunks or image data are damaged',
  MANIFEST_INVALID: 'resonance.json, dataset.json or a frame\'s text chunk is not valid JSON or has a bad field',
  MANIFEST_NEWER: 'metadata written by a newer Resonance',
  MANIFEST_INCONSISTENT: 'metadata that contradicts itself, the frames or the data',
  FRAME_MISSING: 'a frame the manifest lists is not in the folder',
  FRAME_SIZE_MISMATCH: 'frames of mixed sizes in one folder',
  IMAGE_SIZE_MISMATCH: 'a generated image of another shape (aspect ratio) than the frames it is decoded as',
  NO_FRAMES: 'a folder that holds no PNG frames',
  NO_METADATA: 'frames without metadata, and no audio parameters given to decode them',
  GEOMETRY_INVALID: 'a width, height or expansion out of range, or not multiples of one another',
  FRAME_TOO_SMALL: 'a frame too small to hold one sample frame of the audio',
  PARAMETER_INVALID: 'an audio parameter out of range (sample rate, channels, segment length)',
  LIMIT_EXCEEDED: 'input beyond a limit of docs/format.md (frame size, chunk or metadata size, frame count)',
  NOT_COMPARABLE: 'two WAVs whose channels or rates differ',
  CORPUS_MIXED: 'a corpus of mixed audio formats, with no target given for what differs',
  CONVERSION_REFUSED: 'a source whose channels cannot become the target\'s (no standard mix)',
  DATASET_OPTIONS_DIFFER: 'a dataset folder built with other options than the ones given',
  DATASET_UNFINISHED: 'a dataset whose shards are not all complete',
  NOT_A_DATASET: 'a folder that is not a Resonance dataset',
  OUTPUT_EXISTS: 'the output exists and replacing it was not asked for',
  OUTPUT_PROTECTED: 'the output is something Resonance never replaces (the input, a folder it did not write, the current or home folder)',
  OUTPUT_FOLDER_MISSING: 'the folder to write the output in does not exist',
  UNSUPPORTED_LOCATION: 'a file the frames editor cannot open where it is (not on a file system of this machine or a remote one)',
  CANCELLED: 'the job was cancelled (Ctrl-C, a signal, or Cancel in VS Code)',
  USAGE: 'a mistake in the command line',
  SETTING_INVALID: 'a VS Code setting of Resonance holds a value it cannot use',
  INTERNAL: 'a fault in Resonance itself: please report it',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export class ResonanceError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly file: string,
    readonly problem: string,
  ) {
    super(file ? `${file}: ${problem}` : problem);
    this.name = 'ResonanceError';
  }
}

/** Raised when an AbortSignal stops a job; callers treat it as a quiet cancellation, not a failure. */
export class CancelledError extends ResonanceError {
  constructor() {
    super('CANCELLED', '', 'cancelled');
    this.name = 'CancelledError';
  }
}

/** An AbortSignal as far as this module needs one: the format has no DOM or Node types to name it. */
interface Abortable {
  readonly aborted: boolean;
}

export function throwIfAborted(signal: Abortable | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Whether `error` is a ResonanceError, of one of `codes` when they are given. */
export function hasErrorCode(error: unknown, ...codes: ErrorCode[]): error is ResonanceError {
  return error instanceof ResonanceError && (codes.length === 0 || codes.includes(error.code));
}

/** A ResonanceError as plain data: across worker threads, the webview protocol and --json. */
export interface ErrorData {
  code: ErrorCode;
  file: string;
  message: string;
  problem: string;
}

export function errorData(error: ResonanceError): ErrorData {
  return { code: error.code, file: error.file, message: error.message, problem: error.problem };
}

/** The error data came from another thread or context: anything unexpected in it is a fault. */
export function errorFromData(data: Partial<ErrorData> | undefined): ResonanceError {
  if (data?.code === 'CANCELLED') return new CancelledError();
  if (data && isErrorCode(data.code) && typeof data.file === 'string' && typeof data.problem === 'string')
    return new ResonanceError(data.code, data.file, data.problem);
  return new ResonanceError('INTERNAL', '', typeof data?.message === 'string' ? data.message : 'an unknown error');
}
