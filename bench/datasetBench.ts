/**
 * `npm run bench -- --dataset`: building a training set from a corpus, against the ways people do it
 * without Resonance, in one run on the same corpus:
 *
 * - ours: `resonance dataset build` on both cores;
 * - ffmpeg under GNU parallel, two jobs at a time, each file converted (SoX's resampler inside
 *   ffmpeg at its highest precision, the channels, 16-bit) and cut into PNG images by a second ffmpeg;
 * - a Python script of the usual kind (bench/python/dataset_build.py: SciPy, NumPy and Pillow),
 *   one process, saving at Pillow's default deflate level as such a script does; and the same
 *   script saving stored PNGs as ours are (`compress_level=0`), the like-for-like peer, which
 *   skips the deflating that is about half of its time.
 *
 * Each row has the wall time the targets are judged by and the CPU time (user and system, GNU
 * time, children included), which on a machine shared with other jobs says more about the work.
 *
 * The corpus (made here, seeded): a few hundred music-like files in mixed sample formats, rates
 * and channel counts, about 500 MB. The target: s16, stereo, 44.1 kHz, 256 × 256 images. Then the
 * resampler against `sox … rate -v` on the same input: the difference between the two, and the time.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { compareWavs, isInterpreted, makeAudioFormat, readWavFile, toNumbers, type SampleFormat } from '../src/codec';
import { canonicalContainer } from '../src/codec/wav/wavFile';
import { Resampler } from '../src/dataset/audio/resampler';
import { encodeSamples, seededRandom } from '../src/dataset/audio/sampleEncoding';
import { median, onPath, runTimedCommand } from './measure';
import { MusicSynth } from './musicWav';

const MB = 1e6;
const MEMORY_LIMIT_MB = 200;
const TARGET = { sampleFormat: 's16', channels: 2, sampleRate: 44100, size: 256 } as const;
const RATIO_TARGETS = { ffmpeg: 1.5, python: 10 };

interface CorpusFile {
  name: string;
  format: SampleFormat;
  channels: number;
  rate: number;
  seconds: number;
}

/** The corpus's files: the mix of formats a real collection has, drawn from a seed. */
function corpusPlan(totalBytes: number): CorpusFile[] {
  const random = seededRandom(7);
  const pick = <T>(choices: Array<[T, number]>): T => {
    let r = random();
    for (const [value, weight] of choices) if ((r -= weight) < 0) return value;
    return choices[choices.length - 1][0];
  };
  const files: CorpusFile[] = [];
  let bytes = 0;
  for (let i = 0; bytes < totalBytes; i++) {
    const file: CorpusFile = {
      name: `track${String(i).padStart(4, '0')}.wav`,
      rate: pick([[44100, 0.5], [48000, 0.25], [22050, 0.15], [16000, 0.1]]),
      channels: pick([[2, 0.7], [1, 0.3]]),
      format: pick<SampleFormat>([['s16', 0.6], ['s24', 0.25], ['f32', 0.15]]),
      seconds: 4 + 12 * random(),
    };
    files.push(file);
    bytes += file.seconds * file.rate * file.channels * { s16: 2, s24: 3, f32: 4 }[file.format as 's16' | 's24' | 'f32'];
  }
  return files;
}

function writeCorpus(folder: string, files: CorpusFile[]): number {
  mkdirSync(folder, { recursive: true });
  let total = 0;
  files.forEach((file, index) => {
    const frames = Math.round(file.seconds * file.rate);
    const format = makeAudioFormat(file.format, file.channels, file.rate);
    const { header, trailer } = canonicalContainer(format, frames * format.blockAlign);
    const synth = new MusicSynth(file.rate, seededRandom(100 + index));
    const chunk = 1 << 16;
    const planar = Array.from({ length: file.channels }, () => new Float64Array(chunk));
    const bytes = new Uint8Array(chunk * format.blockAlign);
    const fd = openSync(join(folder, file.name), 'w');
    try {
      writeSync(fd, header);
      for (let done = 0; done < frames; done += chunk) {
        const count = Math.min(chunk, frames - done);
        for (let f = 0; f < count; f++) {
          synth.next();
          if (file.channels === 1) planar[0][f] = 0.5 * (synth.left + synth.right);
          else {
            planar[0][f] = synth.left;
            planar[1][f] = synth.right;
          }
        }
        encodeSamples(planar, 0, count, file.format, bytes, { clipped: 0, replaced: 0 });
        writeSync(fd, bytes, 0, count * format.blockAlign);
      }
      writeSync(fd, trailer);
    } finally {
      closeSync(fd);
    }
    total += header.length + frames * format.blockAlign + trailer.length;
  });
  return total;
}

export async function datasetBench(dir: string, cli: string, runs: number, sizeMB: number): Promise<void> {
  const corpus = join(dir, 'corpus');
  const files = corpusPlan(sizeMB * MB);
  const started = Date.now();
  const corpusBytes = writeCorpus(corpus, files);
  const count = (key: (f: CorpusFile) => string) => [...files.reduce((m, f) => m.set(key(f), (m.get(key(f)) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`corpus: ${files.length} files, ${(corpusBytes / MB).toFixed(0)} MB, made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  rates ${count((f) => `${f.rate} Hz`)}; channels ${count((f) => (f.channels === 1 ? 'mono' : 'stereo'))}; formats ${count((f) => f.format)}`);
  console.log(`target: ${TARGET.sampleFormat}, stereo, ${TARGET.sampleRate} Hz, ${TARGET.size} × ${TARGET.size}\n`);

  const withFfmpeg = onPath('ffmpeg') && onPath('parallel');
  const python = '/usr/bin/python3';
  const withPython = spawnSync(python, ['-c', 'import numpy, PIL, scipy'], { stdio: 'ignore' }).status === 0;
  const out = (name: string) => join(dir, name);
  const ours = () => {
    rmSync(out('ours'), { recursive: true, force: true });
    return runTimedCommand(process.execPath, [cli, 'dataset', 'build', corpus, '-o', out('ours'), '--format', 's16', '--channels', '2', '--sample-rate', String(TARGET.sampleRate), '--size', String(TARGET.size), '--json']);
  };
  const ffmpegScript = [
    'set -e; name=$(basename "$1" .wav);',
    `ffmpeg -v error -i "$1" -af aresample=${TARGET.sampleRate}:resampler=soxr:precision=28 -ac 2 -c:a pcm_s16le -f s16le - |`,
    `ffmpeg -v error -f rawvideo -pix_fmt rgb24 -s ${TARGET.size}x${TARGET.size} -i - "$2/$name"_%06d.png`,
  ].join(' ');
  const script = join(dir, 'convert.sh');
  writeFileSync(script, `${ffmpegScript}\n`);
  const ffmpeg = () => {
    rmSync(out('ffmpeg'), { recursive: true, force: true });
    mkdirSync(out('ffmpeg'));
    return runTimedCommand('parallel', ['-j', '2', 'sh', script, '{}', out('ffmpeg'), ':::', ...files.map((f) => join(corpus, f.name))]);
  };
  const pythonRun = (name: 'python' | 'pythonStored') => {
    rmSync(out(name), { recursive: true, force: true });
    const script = join(__dirname, '..', '..', 'bench', 'python', 'dataset_build.py');
    return runTimedCommand(python, [script, corpus, out(name), String(TARGET.sampleRate), '2', String(TARGET.size), ...(name === 'pythonStored' ? ['0'] : [])]);
  };

  type Who = 'ours' | 'ffmpeg' | 'python' | 'pythonStored';
  const everyone: Who[] = ['ours', 'ffmpeg', 'python', 'pythonStored'];
  const times: Record<Who, number[]> = { ours: [], ffmpeg: [], python: [], pythonStored: [] };
  const cpu: Record<Who, number[]> = { ours: [], ffmpeg: [], python: [], pythonStored: [] };
  const memory: Record<Who, number[]> = { ours: [], ffmpeg: [], python: [], pythonStored: [] };
  let images = 0;
  for (let run = 0; run < runs; run++) {
    const order: Who[] = run % 2 === 0 ? everyone : [...everyone].reverse();
    for (const who of order) {
      if (who === 'ffmpeg' && !withFfmpeg) continue;
      if (who.startsWith('python') && (!withPython || run > 0)) continue; // minutes a run: once is enough for a 10× target
      const result = who === 'ours' ? ours() : who === 'ffmpeg' ? ffmpeg() : pythonRun(who);
      times[who].push(result.seconds);
      if (result.cpuSeconds !== undefined) cpu[who].push(result.cpuSeconds);
      if (result.maxRssMB !== undefined) memory[who].push(result.maxRssMB);
      if (who === 'ours') images = JSON.parse(result.stdout).images;
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  const imagesOf = (name: string) => readdirSync(out(name)).filter((n) => n.endsWith('.png')).length;
  const rows = [
    '| build | seconds (median) | CPU seconds (median) | MB of corpus per second | images | peak RSS | ours is … faster | … less CPU | target (wall) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const ourSeconds = median(times.ours);
  const ourCpu = cpu.ours.length > 0 ? median(cpu.ours) : undefined;
  const label: Record<Who, string> = {
    ours: 'resonance dataset build',
    ffmpeg: 'ffmpeg × GNU parallel -j 2',
    python: 'Python (SciPy, Pillow), deflated PNGs',
    pythonStored: 'Python (SciPy, Pillow), stored PNGs as ours',
  };
  for (const who of everyone) {
    if (times[who].length === 0) continue;
    const seconds = median(times[who]);
    const cpuSeconds = cpu[who].length > 0 ? median(cpu[who]) : undefined;
    const count = who === 'ours' ? images : imagesOf(who);
    const ratio = seconds / ourSeconds;
    const wanted = who === 'pythonStored' ? RATIO_TARGETS.python : who === 'ours' ? 0 : RATIO_TARGETS[who];
    const target = who === 'ours' ? '' : `≥ ${wanted}× ${ratio >= wanted ? 'met' : 'NOT met'}`;
    const peak = memory[who].length > 0 ? `${Math.max(...memory[who]).toFixed(0)} MB` : 'n/a';
    const memoryNote = who === 'ours' ? ` (≤ ${MEMORY_LIMIT_MB} MB ${Math.max(...memory.ours) <= MEMORY_LIMIT_MB ? 'met' : 'NOT met'})` : '';
    const cpuRatio = who === 'ours' || cpuSeconds === undefined || ourCpu === undefined ? '' : `${(cpuSeconds / ourCpu).toFixed(2)}×`;
    const cells = [label[who], seconds.toFixed(2), cpuSeconds?.toFixed(2) ?? 'n/a', (corpusBytes / MB / seconds).toFixed(1), count, `${peak}${memoryNote}`];
    rows.push(`| ${[...cells, who === 'ours' ? '' : `${ratio.toFixed(2)}×`, cpuRatio, target].join(' | ')} |`);
  }
  console.log(rows.join('\n'));
  console.log(`\nmedians of ${runs} alternating runs (Python once each); peak RSS of the largest process (GNU time), threads included; ffmpeg's is one of its many processes`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const sizes = (name: string) => readdirSync(out(name)).reduce((sum, n) => sum + (n.endsWith('.png') ? statSync(join(out(name), n)).size : 0), 0);
  console.log(`image bytes: ours ${(sizes('ours/train') / MB).toFixed(0)} MB (planes layout, stored PNG)${withFfmpeg ? `, ffmpeg ${(sizes('ffmpeg') / MB).toFixed(0)} MB (deflated)` : ''}${withPython && times.python.length > 0 ? `, Python ${(sizes('python') / MB).toFixed(0)} MB (deflated), ${(sizes('pythonStored') / MB).toFixed(0)} MB (stored)` : ''}`);

  if (onPath('sox')) await resamplerAgainstSox(dir, corpus, files);
}

/** Our resampler and `sox rate -v` on the same 48 kHz file, to 44.1 kHz: how far apart, and how fast. */
async function resamplerAgainstSox(dir: string, corpus: string, files: CorpusFile[]): Promise<void> {
  const file = files.find((f) => f.rate === 48000 && f.channels === 2) ?? files[0];
  const input = join(corpus, file.name);
  const wav = await readWavFile(input);
  if (!isInterpreted(wav.format)) throw new Error(`${input}: the bench's corpus holds only PCM and float`);
  const frames = Math.floor(wav.dataLength / wav.format.blockAlign);
  const soxOut = join(dir, 'sox.wav');
  const oursOut = join(dir, 'ours-resampled.wav');
  const sox = runTimedCommand('sox', [input, '-e', 'floating-point', '-b', '32', soxOut, 'rate', '-v', String(TARGET.sampleRate)]);

  const started = performance.now();
  const resampler = new Resampler(wav.format.sampleRate, TARGET.sampleRate);
  const outFrames = resampler.outputLength(frames);
  const bytes = Buffer.alloc(wav.dataLength);
  const fd = openSync(input, 'r');
  readSync(fd, bytes, 0, wav.dataLength, wav.dataOffset);
  closeSync(fd);
  const values = new Float64Array(frames * wav.format.channels);
  toNumbers(bytes, wav.format.sampleFormat, values);
  const span = resampler.inputSpan(0, outFrames);
  const planar = Array.from({ length: wav.format.channels }, (_, c) => {
    const channel = new Float64Array(span.end - span.start);
    for (let f = 0; f < frames; f++) channel[f - span.start] = values[f * wav.format.channels + c];
    const out = new Float64Array(outFrames);
    resampler.process(channel, span.start, 0, out);
    return out;
  });
  const seconds = (performance.now() - started) / 1000;
  const format = makeAudioFormat('f32', wav.format.channels, TARGET.sampleRate);
  const { header, trailer } = canonicalContainer(format, outFrames * format.blockAlign);
  const data = new Uint8Array(outFrames * format.blockAlign);
  encodeSamples(planar, 0, outFrames, 'f32', data, { clipped: 0, replaced: 0 });
  const outFd = openSync(oursOut, 'w');
  writeSync(outFd, header);
  writeSync(outFd, data);
  writeSync(outFd, trailer);
  closeSync(outFd);
  const compared = await compareWavs(soxOut, oursOut);
  console.log(`\nresampler: ${file.name} (${(frames / wav.format.sampleRate).toFixed(1)} s, ${wav.format.sampleFormat} stereo 48 kHz) to 44.1 kHz, ours against \`sox … rate -v\`:`);
  console.log(`  the two outputs differ by ${(-compared.snrDb).toFixed(1)} dB relative to the signal (SNR of ours against sox's: ${compared.snrDb.toFixed(1)} dB), lengths ${compared.lengthDifference === 0 ? 'equal' : `differ by ${compared.lengthDifference} frames`}`);
  console.log(`  time: ours ${seconds.toFixed(2)} s in this process (one core), sox ${sox.seconds.toFixed(2)} s`);
}
