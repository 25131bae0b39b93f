/**
 * The `resonance` executable (bundled to dist/cli.js). Ctrl-C (SIGINT), SIGTERM (kill, a job
 * scheduler's stop) and SIGHUP (the terminal closed) all abort the running job, which removes its
 * partial output before the process exits with 128 + the signal's number, as a shell reports a
 * process the signal ended: 130, 143, 129. A second signal exits at once; what that leaves, as what
 * SIGKILL leaves, the next run writing to the same output removes.
 */
import { EXIT, runCli } from './cli';

const SIGNAL_EXITS = { SIGINT: EXIT.interrupted, SIGTERM: 143, SIGHUP: 129 } as const;

const controller = new AbortController();
let stoppedBy: keyof typeof SIGNAL_EXITS | undefined;
for (const signal of Object.keys(SIGNAL_EXITS) as Array<keyof typeof SIGNAL_EXITS>) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(SIGNAL_EXITS[signal]);
    stoppedBy = signal;
    controller.abort(signal);
  });
}
// `resonance info --json | head -1` closes stdout early: that is the reader's choice, not a failure;
// a closed terminal (SIGHUP) takes stderr with it.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
  });
}

void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then((code) => {
  process.exitCode = code === EXIT.interrupted && stoppedBy ? SIGNAL_EXITS[stoppedBy] : code;
});
