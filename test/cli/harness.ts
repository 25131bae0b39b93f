/**
 * Running the CLI in tests: the built executable as a child process (what a user runs), or runCli
 * in-process with streams the test can read and a terminal it can pretend to be.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { runCli } from '../../src/cli/cli';
import type { OutputStream } from '../../src/cli/terminal';

/** The project root: tests compile to out/test/cli/. */
export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** `npm test` builds dist/ before the tests; a lone `node --test` run builds it here if it is missing. */
export function ensureBuilt(): void {
  if (existsSync(CLI) && existsSync(join(ROOT, 'dist', 'frameWorker.js'))) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('node scripts/build.mjs failed');
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ARGS` with stdout and stderr piped (so stderr is not a terminal). */
export function runBinary(args: string[], cwd: string): Promise<Run> {
  return finished(spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
}

export function finished(child: ReturnType<typeof spawn>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

export class CapturedStream implements OutputStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 80,
    private readonly onWrite?: () => void,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    this.onWrite?.();
    return true;
  }
}

/** runCli in-process; `stderrIsTTY` pretends stderr is a terminal, `onStderr` sees every write to it. */
export async function runInProcess(args: string[], options: { stderrIsTTY?: boolean; signal?: AbortSignal; onStderr?: () => void } = {}) {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream(options.stderrIsTTY ?? false, 80, options.onStderr);
  const code = await runCli(args, { stdout, stderr, signal: options.signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh empty folder, removed when the test file ends. */
export async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'resonance-cli-'));
  after(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** A writable copy of a fixture in a fresh folder; returns its path. */
export async function fixtureCopy(name: string): Promise<string> {
  const target = join(await tempFolder(), name);
  await copyFile(join(FIXTURES, name), target);
  return target;
}

/** The lines of a stream's text, without the final newline's empty line. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}
