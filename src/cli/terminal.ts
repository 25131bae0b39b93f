/**
 * Where the CLI writes, as an interface so that tests can run commands in-process with their own
 * streams.
 */
export interface OutputStream {
  write(text: string): unknown;
  /** A progress bar is drawn only on a terminal. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Aborted on Ctrl-C, SIGTERM or SIGHUP, with the signal's name as its reason: the running job stops and removes its partial output. */
  signal?: AbortSignal;
}
