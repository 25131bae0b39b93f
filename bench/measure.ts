/** Running one benchmark job in a child process: its wall time and its peak resident memory. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface JobRun {
  /** Wall time from spawn to exit. */
  seconds: number;
  /** Our jobs only: the codec call alone, as the CLI times it, without node's start-up and module loading. */
  codecSeconds?: number;
  /** Peak resident memory of the process, threads included, by GNU time; undefined without it. */
  maxRssMB?: number;
  /** Our jobs only: the frames the CLI reported writing or reading. */
  frameCount?: number;
}

/** The CLI as users run it: the bundle `npm run build` writes. */
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const GNU_TIME = '/usr/bin/time';

/**
 * The environment of every timed job: this one without NODE_EXTRA_CA_CERTS, which node 20 reads at
 * start-up in every process, 40-60 ms on these machines, for TLS connections that neither
 * Resonance nor ffmpeg makes. The bench reports what it costs (startUpCost).
 */
const JOB_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));

/** Runs `resonance encode|decode … --json` in a fresh node process. */
export function runOurs(args: string[]): JobRun {
  const run = runWithPeakMemory(process.execPath, [CLI, ...args, '--json']);
  const report = JSON.parse(run.stdout) as { frameCount: number; seconds: number };
  return { seconds: run.seconds, maxRssMB: run.maxRssMB, codecSeconds: report.seconds, frameCount: report.frameCount };
}

/** Runs ffmpeg with exactly these arguments. */
export function runFfmpeg(args: string[], cwd: string): JobRun {
  const { seconds, maxRssMB } = runWithPeakMemory('ffmpeg', args, cwd);
  return { seconds, maxRssMB };
}

/** Node's start-up with and without NODE_EXTRA_CA_CERTS (median of 5 `node -e 0`), when it is set. */
export function startUpCost(): { withCertificates: number; without: number } | undefined {
  if (process.env.NODE_EXTRA_CA_CERTS === undefined) return undefined;
  const time = (env: NodeJS.ProcessEnv) => median(Array.from({ length: 5 }, () => runTimed(process.execPath, ['-e', '0'], undefined, env).seconds));
  return { withCertificates: time(process.env), without: time(JOB_ENV) };
}

/** Runs any command, timed, with its peak memory: for jobs that are neither ours nor a lone ffmpeg. */
export function runTimedCommand(command: string, args: string[], cwd?: string): { seconds: number; stdout: string; maxRssMB?: number; cpuSeconds?: number } {
  return runWithPeakMemory(command, args, cwd);
}

function runWithPeakMemory(command: string, args: string[], cwd?: string): { seconds: number; stdout: string; maxRssMB?: number; cpuSeconds?: number } {
  if (!existsSync(GNU_TIME)) return runTimed(command, args, cwd, JOB_ENV);
  // GNU time's own start-up (a fork and exec) counts against ours and ffmpeg's alike.
  const run = runTimed(GNU_TIME, ['-f', 'cpu=%U+%S maxrss=%M', command, ...args], cwd, JOB_ENV);
  const measured = /cpu=([\d.]+)\+([\d.]+) maxrss=(\d+)\s*$/.exec(run.stderr);
  if (!measured) return run;
  // User and system time of the process and every child it waited for: on a shared machine, the work itself.
  return { ...run, cpuSeconds: Number(measured[1]) + Number(measured[2]), maxRssMB: Number(measured[3]) / 1024 };
}

function runTimed(command: string, args: string[], cwd: string | undefined, env: NodeJS.ProcessEnv): { seconds: number; stdout: string; stderr: string } {
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.error) throw child.error;
  if (child.status !== 0) {
    const shown = args.length > 12 ? [...args.slice(0, 12), `… (${args.length - 12} more)`] : args;
    throw new Error(`${command} ${shown.join(' ')} failed (exit ${child.status ?? child.signal}):\n${child.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  return { seconds, stdout: child.stdout, stderr: child.stderr };
}

export function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
