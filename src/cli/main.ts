/**
 * The `resonance` executable (bundled to dist/cli.js). Ctrl-C aborts the running job, which removes
 * its partial output before the process exits with 130; a second Ctrl-C exits at once.
 */
import { EXIT, runCli } from './cli';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(EXIT.interrupted);
  controller.abort();
});
// `resonance info --json | head -1` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then((code) => {
  process.exitCode = code;
});
