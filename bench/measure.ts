/** Running one benchmark job in a child process: its wall time and its peak resident memory. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface JobRun {
  /** Wall time from spawn to exit. */
  seconds: number;
  /** Our jobs only: the codec call alone, without node's start-up and module loading. */
  codecSeconds?: number;
  /** Peak resident memory of the process, threads included; undefined when it cannot be measured. */
  maxRssMB?: number;
  /** The last line the job printed on stdout (our jobs print a JSON report). */
  report: string;
}

const JOB_SCRIPT = join(__dirname, 'benchJob.js');
const GNU_TIME = '/usr/bin/time';

/** Runs one of our codec jobs (see benchJob.ts) in a fresh node process. */
export function runOurs(args: string[]): JobRun {
  const run = runTimed(process.execPath, [JOB_SCRIPT, ...args]);
  const report = JSON.parse(run.report) as { maxRssKiB: number; seconds: number };
  return { ...run, codecSeconds: report.seconds, maxRssMB: report.maxRssKiB / 1024 };
}

/** Runs ffmpeg with exactly these arguments, its peak memory taken by GNU time when it is installed. */
export function runFfmpeg(args: string[], cwd: string): JobRun {
  if (!existsSync(GNU_TIME)) return runTimed('ffmpeg', args, cwd);
  const run = runTimed(GNU_TIME, ['-f', 'maxrss=%M', 'ffmpeg', ...args], cwd);
  const kib = /maxrss=(\d+)\s*$/.exec(run.stderr)?.[1];
  return { ...run, maxRssMB: kib === undefined ? undefined : Number(kib) / 1024 };
}

function runTimed(command: string, args: string[], cwd?: string): JobRun & { stderr: string } {
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.error) throw child.error;
  if (child.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${child.status ?? child.signal}):\n${child.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  return { seconds, report: child.stdout.trim().split('\n').pop() ?? '', stderr: child.stderr };
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
