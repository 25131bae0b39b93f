/**
 * `npm run bench`: the codec's speed and memory against ffmpeg on the same machine, in one run.
 *
 *   (no option)   50 MB of music-like audio: encode and decode at 768 × 768, expansion 1 and 4,
 *                 ours and ffmpeg alternating, medians of 3, the ratio ours ÷ ffmpeg
 *   --quick       the same on 2 MB, once: a smoke run
 *   --presets     each compression preset at expansion 1 and 4: speed and size
 *   --memory      peak resident memory encoding a 1 GiB WAV and decoding its frames
 *   --large       a WAV over 4 GiB (RF64) encoded and decoded, the round trip checked by hash
 *   --samples     1,000 generated images decoded --each, against an ffmpeg loop and a Python loop
 *                 (bench/samplesBench.ts)
 *   --small       50 MB at 64 × 64 (4,070 frames) and at 768 × 768: encode against ffmpeg and a Pillow
 *                 script writing stored PNGs, decode against ffmpeg (bench/smallBench.ts), medians of 5
 *   --dataset     a dataset built from a corpus of mixed formats against ffmpeg under GNU parallel
 *                 and a Python script (bench/datasetBench.ts); --size is the corpus's size
 *   --spectrogram  only the spectrogram's figures (bench/spectrogramBench.ts), which every run prints at its end
 *   --runs N, --size MB   override the number of runs and the size of the WAV
 *
 * Every job runs in a child process of its own, ours being the CLI as users run it (`resonance encode`
 * and `decode` from dist/cli.js, with --json for its own timing of the codec call), timed from spawn
 * to exit, node's start-up included, as ffmpeg's is. Files go to a temporary folder that is removed
 * at the end. `npm run bench` builds dist/ first.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { COMPRESSIONS, readWavFile, type WavFile } from '../src/codec';
import { median, onPath, runFfmpeg, runOurs, sha256OfFile, startUpCost, type JobRun } from './measure';
import { datasetBench } from './datasetBench';
import { samplesBench } from './samplesBench';
import { smallBench } from './smallBench';
import { spectrogramBench } from './spectrogramBench';
import { writeMusicWav } from './musicWav';

type Mode = 'compare' | 'presets' | 'memory' | 'large' | 'dataset' | 'samples' | 'small' | 'spectrogram';

interface Options {
  mode: Mode;
  dataBytes: number;
  runs: number;
}

const MB = 1e6;
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const GIB = 1024 ** 3;
const SIDE = 768;
const MEMORY_LIMIT_MB = 200;
/** ours ÷ ffmpeg throughput the issue asks for. */
const TARGETS: Record<string, number> = { 'encode, expansion 1': 2.0, 'decode, expansion 1': 1.2, 'encode, expansion 4': 1.5, 'decode, expansion 4': 1.0 };

function parseOptions(argv: string[]): Options {
  const flag = (name: string) => argv.includes(name);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const n = Number(argv[i + 1]);
    if (!(n > 0)) throw new Error(`${name} needs a positive number`);
    return n;
  };
  const modes = (['presets', 'memory', 'large', 'dataset', 'samples', 'small', 'spectrogram'] as const).filter((m) => flag(`--${m}`));
  if (modes.length > 1) throw new Error('choose one of --presets, --memory, --large, --dataset, --samples, --small, --spectrogram');
  const mode: Mode = modes[0] ?? 'compare';
  const quick = flag('--quick');
  // Presets are compared on whole frames, so that no frame's zero padding counts in their sizes.
  const frameBytes = SIDE * SIDE * 3;
  const defaultBytes = mode === 'memory' ? GIB : mode === 'large' ? 4.25 * GIB : mode === 'dataset' ? 500 * MB : mode === 'presets' ? Math.floor((50 * MB) / frameBytes) * frameBytes : quick ? 2 * MB : 50 * MB;
  const sizeMB = value('--size');
  return {
    mode,
    dataBytes: sizeMB === undefined ? defaultBytes : Math.round(sizeMB * MB),
    runs: value('--runs') ?? (quick || mode === 'memory' || mode === 'large' ? 1 : mode === 'small' ? 5 : 3),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'resonance-bench-'));
  const stop = () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    console.log(machine());
    if (options.mode === 'spectrogram') return;
    if (options.mode === 'samples') {
      await samplesBench(dir, CLI, options.runs);
      return;
    }
    if (options.mode === 'dataset') {
      await datasetBench(dir, CLI, options.runs, options.dataBytes / MB);
      return;
    }
    const wav = join(dir, 'music.wav');
    const started = Date.now();
    const { dataLength, fileSize } = writeMusicWav(wav, options.dataBytes);
    console.log(`input: ${(fileSize / MB).toFixed(1)} MB WAV (${dataLength} data bytes, 16-bit stereo 44.1 kHz, seeded), made in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    // The targets are set for the 50 MB run: start-up weighs too much in a smaller one to judge it.
    if (options.mode === 'small') {
      const layout = await readWavFile(wav);
      smallBench(dir, wav, dataLength, (side) => {
        const raw = join(dir, `padded-${side}.raw`);
        writePaddedRaw(wav, layout, raw, side * side * 3);
        return raw;
      }, options.runs);
    } else if (options.mode === 'compare') await compare(wav, dir, options.runs, options.dataBytes >= 50 * MB);
    else if (options.mode === 'presets') await presets(wav, dir, options.runs);
    else await roundTrip(wav, dir, options.mode);
    console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    spectrogramBench();
  }
}

function machine(): string {
  const ffmpeg = onPath('ffmpeg') ? spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0].replace(/ Copyright.*/, '') : 'no ffmpeg on PATH';
  const cost = startUpCost();
  return [
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, node ${process.version}, ${ffmpeg}`,
    `date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    ...(cost
      ? [
          `environment: NODE_EXTRA_CA_CERTS is set here, and node ${process.version} loads those certificates at every start-up: node -e 0 takes ${ms(cost.withCertificates)} with it, ${ms(cost.without)} without.`,
          `             Every job (ours and ffmpeg's) runs without it: neither makes a network connection.`,
        ]
      : []),
  ].join('\n');
}

function ms(seconds: number): string {
  return `${(seconds * 1000).toFixed(0)} ms`;
}

interface Comparison {
  work: string;
  dataLength: number;
  ours: JobRun[];
  ffmpeg: JobRun[];
}

/** Ours and ffmpeg on the same work, alternating (and swapping who goes first) so drift hits both. */
function alternate(work: string, dataLength: number, runs: number, ours: () => JobRun, ffmpeg: (() => JobRun) | undefined): Comparison {
  const result: Comparison = { work, dataLength, ours: [], ffmpeg: [] };
  for (let run = 0; run < runs; run++) {
    if (ffmpeg && run % 2 === 1) result.ffmpeg.push(ffmpeg());
    result.ours.push(ours());
    if (ffmpeg && run % 2 === 0) result.ffmpeg.push(ffmpeg());
    process.stderr.write('.');
  }
  return result;
}

async function compare(wav: string, dir: string, runs: number, judged: boolean): Promise<void> {
  const layout = await readWavFile(wav);
  const dataSha256 = sha256OfRange(wav, layout.dataOffset, layout.dataLength);
  const wavSha256 = await sha256OfFile(wav);
  const withFfmpeg = onPath('ffmpeg');
  const rows: Comparison[] = [];
  const checks: string[] = [];
  for (const expansion of [1, 4]) {
    const work = join(dir, `e${expansion}`);
    const ourFrames = join(work, 'frames');
    const ourWav = join(work, 'back.wav');
    const side = SIDE / expansion;
    mkdirSync(work);
    if (withFfmpeg) writePaddedRaw(wav, layout, join(work, 'padded.raw'), side * side * 3);
    // The command lines of the issue, word for word.
    const ffEncode = ['-f', 'rawvideo', '-pixel_format', 'rgb24', '-video_size', `${side}x${side}`, '-i', 'padded.raw'];
    if (expansion > 1) ffEncode.push('-vf', `scale=${SIDE}:${SIDE}:flags=neighbor`);
    ffEncode.push('out/f_%05d.png');
    const ffDecode = ['-i', 'out/f_%05d.png'];
    if (expansion > 1) ffDecode.push('-vf', `scale=${side}:${side}:flags=neighbor`);
    ffDecode.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'back.raw');

    rows.push(
      alternate(
        `encode, expansion ${expansion}`,
        layout.dataLength,
        runs,
        () => {
          rmSync(ourFrames, { recursive: true, force: true });
          return runOurs(['encode', wav, '-o', ourFrames, '--expansion', String(expansion)]);
        },
        withFfmpeg
          ? () => {
              rmSync(join(work, 'out'), { recursive: true, force: true });
              mkdirSync(join(work, 'out'));
              return runFfmpeg(ffEncode, work);
            }
          : undefined,
      ),
    );
    rows.push(
      alternate(
        `decode, expansion ${expansion}`,
        layout.dataLength,
        runs,
        () => {
          rmSync(ourWav, { force: true });
          return runOurs(['decode', ourFrames, '-o', ourWav]);
        },
        withFfmpeg
          ? () => {
              rmSync(join(work, 'back.raw'), { force: true });
              return runFfmpeg(ffDecode, work);
            }
          : undefined,
      ),
    );

    const size = folderSize(ourFrames);
    checks.push(`expansion ${expansion}: our frames ${(size / layout.dataLength).toFixed(3)} × the data` + (withFfmpeg ? `, ffmpeg's ${(folderSize(join(work, 'out')) / layout.dataLength).toFixed(3)} ×` : ''));
    checks.push(`expansion ${expansion}: our decoded WAV ${(await sha256OfFile(ourWav)) === wavSha256 ? 'is identical to the input' : 'DIFFERS FROM THE INPUT'}`);
    if (withFfmpeg) {
      const same = sha256OfRange(join(work, 'back.raw'), 0, layout.dataLength) === dataSha256;
      checks.push(`expansion ${expansion}: ffmpeg's decoded raw data ${same ? 'matches the input' : 'DIFFERS FROM THE INPUT'}`);
    }
    checks.push(`expansion ${expansion}: ${pngcheck(ourFrames)}`);
    rmSync(work, { recursive: true, force: true });
  }
  process.stderr.write('\n');
  console.log(comparisonTable(rows, withFfmpeg, judged));
  console.log(`\nthroughput: MB (10^6 bytes) of WAV data per second, median of ${runs}, each job timed from spawn to exit (node's or ffmpeg's start-up included);`);
  console.log(`ratio: of the medians, with the range over the ${runs} alternating pairs; codec call only: the encode or decode as the CLI times it, without node's start-up and module loading, against ffmpeg's whole run`);
  console.log(`peak RSS: the largest of the ${runs} runs, the whole process with its worker threads`);
  console.log(checks.map((c) => `- ${c}`).join('\n'));
}

function comparisonTable(rows: Comparison[], withFfmpeg: boolean, judged: boolean): string {
  const lines = withFfmpeg
    ? [
        '| work | ours MB/s | ffmpeg MB/s | ours ÷ ffmpeg (pairs) | target | ours MB/s, codec call only | ours ÷ ffmpeg, codec call only | ours peak RSS | ffmpeg peak RSS |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ]
    : ['| work | ours MB/s | ours MB/s, codec call only | ours peak RSS |', '| --- | ---: | ---: | ---: |'];
  for (const row of rows) {
    const rates = (seconds: number[]) => seconds.map((s) => row.dataLength / MB / s);
    const ours = rates(row.ours.map((r) => r.seconds));
    const oursCodec = rates(row.ours.map((r) => r.codecSeconds ?? r.seconds));
    if (!withFfmpeg) {
      lines.push(`| ${row.work} | ${median(ours).toFixed(0)} | ${median(oursCodec).toFixed(0)} | ${peakRss(row.ours)} |`);
      continue;
    }
    const ffmpeg = rates(row.ffmpeg.map((r) => r.seconds));
    const ratio = median(ours) / median(ffmpeg);
    const pairs = ours.map((rate, i) => rate / ffmpeg[i]);
    const target = TARGETS[row.work];
    lines.push(
      `| ${row.work} | ${median(ours).toFixed(0)} | ${median(ffmpeg).toFixed(0)} | ${ratio.toFixed(2)} (${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}) | ≥ ${target.toFixed(1)}${judged ? (ratio >= target ? ' met' : ' NOT met') : ' (not judged below 50 MB)'} | ${median(oursCodec).toFixed(0)} | ${(median(oursCodec) / median(ffmpeg)).toFixed(2)} | ${peakRss(row.ours)} | ${peakRss(row.ffmpeg)} |`,
    );
  }
  return lines.join('\n');
}

function peakRss(runs: JobRun[]): string {
  const values = runs.map((r) => r.maxRssMB).filter((v): v is number => v !== undefined);
  return values.length === 0 ? 'n/a' : `${Math.max(...values).toFixed(0)} MB`;
}

/** Each compression preset's speed and size at expansion 1 and 4 (ours only). */
async function presets(wav: string, dir: string, runs: number): Promise<void> {
  const layout = await readWavFile(wav);
  const lines = ['| preset | expansion | encode MB/s | decode MB/s | frames ÷ data |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const expansion of [1, 4]) {
    for (const compression of COMPRESSIONS) {
      const frames = join(dir, `${compression}-e${expansion}`);
      const back = join(dir, 'back.wav');
      const encodes: number[] = [];
      const decodes: number[] = [];
      for (let run = 0; run < runs; run++) {
        rmSync(frames, { recursive: true, force: true });
        encodes.push(runOurs(['encode', wav, '-o', frames, '--expansion', String(expansion), '--compression', compression]).seconds);
        rmSync(back, { force: true });
        decodes.push(runOurs(['decode', frames, '-o', back]).seconds);
        process.stderr.write('.');
      }
      const rate = (seconds: number[]) => (layout.dataLength / MB / median(seconds)).toFixed(0);
      lines.push(`| ${compression} | ${expansion} | ${rate(encodes)} | ${rate(decodes)} | ${(folderSize(frames) / layout.dataLength).toFixed(3)} |`);
      rmSync(frames, { recursive: true, force: true });
    }
  }
  process.stderr.write('\n');
  console.log(lines.join('\n'));
  console.log(`\nMB (10^6 bytes) of WAV data per second, median of ${runs}, each job in its own process`);
}

/** Encodes and decodes a big WAV once per expansion, reporting peak memory and checking the round trip. */
async function roundTrip(wav: string, dir: string, mode: 'memory' | 'large'): Promise<void> {
  const layout = await readWavFile(wav);
  const wavSha256 = await sha256OfFile(wav);
  console.log(`container: ${layout.container}, ${layout.dataLength} data bytes${layout.dataLength > 2 ** 32 ? ' (more than 4 GiB)' : ''}`);
  const lines = ['| job | expansion | MB/s | seconds | frames | peak RSS | limit |', '| --- | ---: | ---: | ---: | ---: | ---: | --- |'];
  const problems: string[] = [];
  for (const expansion of mode === 'memory' ? [1, 4] : [1]) {
    const frames = join(dir, `frames-e${expansion}`);
    const back = join(dir, 'back.wav');
    const encode = runOurs(['encode', wav, '-o', frames, '--expansion', String(expansion)]);
    const frameCount = encode.frameCount;
    const decode = runOurs(['decode', frames, '-o', back]);
    rmSync(frames, { recursive: true, force: true });
    const same = (await sha256OfFile(back)) === wavSha256;
    rmSync(back, { force: true });
    if (!same) problems.push(`expansion ${expansion}: the decoded WAV differs from the input`);
    for (const [job, run] of [['encode', encode], ['decode', decode]] as const) {
      const within = run.maxRssMB !== undefined && run.maxRssMB <= MEMORY_LIMIT_MB;
      if (!within) problems.push(`${job} at expansion ${expansion} peaked at ${run.maxRssMB?.toFixed(0)} MB`);
      lines.push(`| ${job} | ${expansion} | ${(layout.dataLength / MB / run.seconds).toFixed(0)} | ${run.seconds.toFixed(1)} | ${frameCount} | ${run.maxRssMB?.toFixed(0)} MB | ≤ ${MEMORY_LIMIT_MB} MB ${within ? 'met' : 'NOT met'} |`);
    }
    console.log(`expansion ${expansion}: decoded WAV ${same ? 'identical to the input (SHA-256 of the whole file)' : 'DIFFERS FROM THE INPUT'}`);
  }
  console.log(`\n${lines.join('\n')}`);
  if (problems.length > 0) {
    console.log(problems.map((p) => `- ${p}`).join('\n'));
    process.exitCode = 1;
  }
}

/** The WAV's data bytes, zero-padded to whole frames: ffmpeg drops a partial last frame. */
function writePaddedRaw(wav: string, layout: WavFile, path: string, frameBytes: number): void {
  const input = openSync(wav, 'r');
  const output = openSync(path, 'w');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let done = 0; done < layout.dataLength; ) {
      const n = readSync(input, buffer, 0, Math.min(buffer.length, layout.dataLength - done), layout.dataOffset + done);
      writeSync(output, buffer, 0, n);
      done += n;
    }
    const padding = (frameBytes - (layout.dataLength % frameBytes)) % frameBytes;
    writeSync(output, Buffer.alloc(padding));
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

function sha256OfRange(path: string, start: number, length: number): string {
  const hash = createHash('sha256');
  const file = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let done = 0; done < length; ) {
      const n = readSync(file, buffer, 0, Math.min(buffer.length, length - done), start + done);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      done += n;
    }
  } finally {
    closeSync(file);
  }
  return hash.digest('hex');
}

function folderSize(folder: string): number {
  return readdirSync(folder).reduce((sum, name) => (name.endsWith('.png') ? sum + statSync(join(folder, name)).size : sum), 0);
}

/** pngcheck over every frame, when it is installed: the frames must be valid PNG for any viewer. */
function pngcheck(folder: string): string {
  if (!onPath('pngcheck')) return 'pngcheck not installed: frames not checked';
  const frames = readdirSync(folder).filter((n) => n.endsWith('.png'));
  const result = spawnSync('pngcheck', ['-q', ...frames], { cwd: folder, encoding: 'utf8' });
  return result.status === 0 ? `pngcheck: all ${frames.length} frames valid` : `pngcheck FAILED: ${(result.stdout + result.stderr).trim().split('\n')[0]}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
