/**
 * `npm run bench -- --small`: the cost per image, where small images decide (issue 12, "Small images
 * must be fast"). The same 50 MB of 16-bit stereo cut into 64 × 64 frames (4,070 of them) and into
 * 768 × 768 ones, whole processes each: `resonance encode` against ffmpeg (rawvideo to PNG,
 * deflating) and against a Pillow script writing stored PNGs (bench/python/encode_frames.py);
 * `resonance decode` against ffmpeg decoding its own frames. The runs rotate who goes first, so that
 * drift on a loaded machine hits every side alike; ratios are of the medians, in this one run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { median, onPath, runFfmpeg, runOurs, runTimedCommand, type JobRun } from './measure';

const PYTHON = '/usr/bin/python3';
/** peer ÷ ours (seconds) the issue asks for at 64 × 64; at 768 × 768, no worse than at 64 × 64's floor of 1. */
const TARGETS: Record<string, Record<string, number>> = {
  '64 encode': { ffmpeg: 2, Pillow: 2 },
  '64 decode': { ffmpeg: 2 },
  '768 encode': { ffmpeg: 1, Pillow: 1 },
  '768 decode': { ffmpeg: 1 },
};

/** `raw` is the WAV's data zero-padded to whole frames of `side` (ffmpeg and the script drop a partial last frame). */
export type PaddedRaw = (side: number) => string;

export function smallBench(dir: string, wav: string, dataLength: number, paddedRaw: PaddedRaw, runs: number): void {
  const withFfmpeg = onPath('ffmpeg');
  const withPillow = spawnSync(PYTHON, ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0;
  const script = join(__dirname, '..', '..', 'bench', 'python', 'encode_frames.py');
  if (!withFfmpeg) console.log('no ffmpeg on PATH: ours alone');
  if (!withPillow) console.log(`no Pillow for ${PYTHON} (apt-get install python3-pil): no Pillow column`);
  const lines = ['| frames | job | ours s | peer | peer s | peer ÷ ours (pairs) | target |', '| --- | --- | ---: | --- | ---: | ---: | --- |'];
  for (const side of [64, 768]) {
    const work = join(dir, `small-${side}`);
    mkdirSync(work);
    const raw = paddedRaw(side);
    const ours = join(work, 'ours');
    const fresh = (folder: string) => {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder);
    };
    const encoders: Record<string, () => JobRun> = {
      ours: () => {
        rmSync(ours, { recursive: true, force: true });
        return runOurs(['encode', wav, '-o', ours, '--width', String(side), '--height', String(side)]);
      },
    };
    if (withFfmpeg) {
      encoders.ffmpeg = () => {
        fresh(join(work, 'ffmpeg'));
        return runFfmpeg(['-v', 'error', '-f', 'rawvideo', '-pixel_format', 'rgb24', '-video_size', `${side}x${side}`, '-i', raw, 'ffmpeg/f_%05d.png'], work);
      };
    }
    if (withPillow) {
      encoders.Pillow = () => {
        rmSync(join(work, 'pillow'), { recursive: true, force: true });
        return runTimedCommand(PYTHON, [script, raw, join(work, 'pillow'), String(side)]);
      };
    }
    const decoders: Record<string, () => JobRun> = {
      ours: () => {
        rmSync(join(work, 'back.wav'), { force: true });
        return runOurs(['decode', ours, '-o', join(work, 'back.wav')]);
      },
    };
    if (withFfmpeg) {
      decoders.ffmpeg = () => {
        rmSync(join(work, 'back.raw'), { force: true });
        return runFfmpeg(['-v', 'error', '-i', 'ffmpeg/f_%05d.png', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'back.raw'], work);
      };
    }
    for (const [job, jobs] of [['encode', encoders], ['decode', decoders]] as const) {
      const times = rotate(jobs, runs);
      const mine = times.ours;
      for (const peer of Object.keys(jobs).filter((who) => who !== 'ours')) {
        const theirs = times[peer];
        const ratio = median(theirs) / median(mine);
        const pairs = theirs.map((t, i) => t / mine[i]);
        const target = TARGETS[`${side} ${job}`][peer];
        lines.push(
          `| ${side} × ${side} | ${job} | ${median(mine).toFixed(2)} | ${peer} | ${median(theirs).toFixed(2)} | ${ratio.toFixed(2)} (${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}) | ≥ ${target} ${ratio >= target ? 'met' : 'NOT met'} |`,
        );
      }
      if (Object.keys(jobs).length === 1) lines.push(`| ${side} × ${side} | ${job} | ${median(mine).toFixed(2)} | | | | |`);
    }
    rmSync(work, { recursive: true, force: true });
  }
  process.stderr.write('\n');
  console.log(lines.join('\n'));
  console.log(`\nseconds: medians of ${runs} runs of ${(dataLength / 1e6).toFixed(0)} MB of WAV data, each job a whole process timed from spawn to exit; who goes first rotates from run to run`);
  console.log('ratio: peer ÷ ours of the medians (above 1: ours is faster), with the range over the runs taken as pairs');
}

/** Every job once per run, the order rotated each run; the seconds of each, by job. */
function rotate(jobs: Record<string, () => JobRun>, runs: number): Record<string, number[]> {
  const names = Object.keys(jobs);
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(run + i) % names.length];
      times[name].push(jobs[name]().seconds);
    }
    process.stderr.write('.');
  }
  return times;
}
