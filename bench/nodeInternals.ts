/**
 * Whether the two pieces of Node cleverness in the PNG code still pay, on real frames:
 * - inflate.ts: zlib's handle driven through node's private `_handle.writeSync`, into memory reused
 *   from frame to frame, against the public inflateSync and a copy; on one thread, and on two
 *   worker threads at once (where the fresh buffers of the public path were said to stall the others);
 * - adler32Simd.ts: Adler-32 of a stored frame's scanlines in hand-assembled WebAssembly SIMD,
 *   against the plain JavaScript loop and zlib's own through the public API (the trailer of a
 *   level-0 deflateSync, which copies the data once).
 * Each comparison alternates its paths round by round and reports the median per call and the
 * ratio, all in one run. usage: npm run bench:internals [-- --rounds N]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { deflateSync } from 'node:zlib';
import { encodeWav } from '../src/codec/pipeline/encode';
import { adler32Simd, adler32SimdAvailable } from '../src/codec/png/adler32Simd';
import { portableAdler32 } from '../src/codec/png/checksums';
import { handlePathWorks, inflateByCopy, inflateThroughHandle, type Inflate } from '../src/codec/png/inflate';
import type { Compression } from '../src/codec/png/compression';
import { writeMusicWav } from './musicWav';

interface Case {
  name: string;
  width: number;
  expansion: number;
  compression: Compression;
}

const CASES: Case[] = [
  { name: '768² expansion 1 (stored)', width: 768, expansion: 1, compression: 'default' },
  { name: '768² expansion 1, small (level 9)', width: 768, expansion: 1, compression: 'small' },
  { name: '768² expansion 4 (level 1)', width: 768, expansion: 4, compression: 'default' },
  { name: '64² expansion 1 (stored)', width: 64, expansion: 1, compression: 'default' },
];

interface Frame {
  /** The zlib stream of the frame's IDAT chunks. */
  zlib: Uint8Array;
  /** Scanline bytes the stream inflates to. */
  scanlines: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function idatOf(png: Buffer): Uint8Array {
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

async function framesOf(folder: string): Promise<Map<string, Frame>> {
  const frames = new Map<string, Frame>();
  for (const c of CASES) {
    const wav = join(folder, `music-${c.width}.wav`);
    // Three frames' worth of music: the middle one is measured, a frame like any in a song.
    writeMusicWav(wav, 3 * (c.width / c.expansion) ** 2 * 3);
    const out = join(folder, `${c.width}-${c.expansion}-${c.compression}`);
    await encodeWav(wav, { output: out, geometry: { width: c.width, height: c.width, expansion: c.expansion }, compression: c.compression, workers: 0 });
    const name = readdirSync(out).filter((file) => file.endsWith('.png')).sort()[1];
    frames.set(c.name, { zlib: idatOf(readFileSync(join(out, name))), scanlines: c.width * (1 + c.width * 3) });
  }
  return frames;
}

/** zlib's Adler-32 through the public API: the trailer of a level-0 stream of the data. */
function zlibAdler32(data: Uint8Array): number {
  const stream = deflateSync(data, { level: 0 });
  return stream.readUInt32BE(stream.length - 4);
}

/** Milliseconds a call, over `calls` calls. */
function timeCalls(calls: number, call: () => void): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) call();
  return (performance.now() - start) / calls;
}

/** Median ms a call of each path, rounds alternating which goes first. */
function compare(paths: Record<string, () => void>, rounds: number, calls: number): Record<string, number> {
  const names = Object.keys(paths);
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) timeCalls(Math.max(1, calls >> 2), paths[name]); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) times[name].push(timeCalls(calls, paths[name]));
  }
  return Object.fromEntries(names.map((name) => [name, median(times[name])]));
}

const PATHS: Record<string, Inflate> = { handle: inflateThroughHandle, public: inflateByCopy };

/** In a worker: once both workers are ready, inflates the frame `calls` times by the path named, and reports its ms a call. */
function workerMain(): void {
  const { zlib, scanlines, path, calls, gate } = workerData as Frame & { path: string; calls: number; gate: SharedArrayBuffer };
  const out = new Uint8Array(scanlines + 1);
  PATHS[path](zlib, out);
  const ready = new Int32Array(gate);
  Atomics.add(ready, 0, 1);
  Atomics.notify(ready, 0);
  for (let seen = Atomics.load(ready, 0); seen < 2; seen = Atomics.load(ready, 0)) Atomics.wait(ready, 0, seen);
  parentPort!.postMessage(timeCalls(calls, () => PATHS[path](zlib, out)));
}

/** Two workers at once on the path, started together: their mean ms a call. */
async function twoThreads(frame: Frame, path: string, calls: number): Promise<number> {
  const gate = new SharedArrayBuffer(4);
  const times = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(__filename, { workerData: { ...frame, path, calls, gate } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return (times[0] + times[1]) / 2;
}

async function main(): Promise<void> {
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 9;
  if (!handlePathWorks()) throw new Error("the handle path's self-check fails on this node: nothing to compare");
  const folder = mkdtempSync(join(tmpdir(), 'resonance-internals-'));
  try {
    const frames = await framesOf(folder);
    console.log(`node ${process.version}, ${rounds} rounds, medians in ms a call; ratio = public ÷ handle (above 1: the handle pays)`);
    console.log('\ninflate, one thread');
    for (const [name, frame] of frames) {
      const out = new Uint8Array(frame.scanlines + 1);
      const calls = Math.max(5, Math.round(2e7 / frame.scanlines));
      const t = compare({ handle: () => inflateThroughHandle(frame.zlib, out), public: () => inflateByCopy(frame.zlib, out) }, rounds, calls);
      console.log(`  ${name.padEnd(34)} handle ${t.handle.toFixed(4)}  public ${t.public.toFixed(4)}  ratio ${(t.public / t.handle).toFixed(2)}`);
    }
    console.log('\ninflate, two worker threads at once (ms a call, mean of the two)');
    for (const [name, frame] of frames) {
      const calls = Math.max(5, Math.round(4e7 / frame.scanlines));
      const times: Record<string, number[]> = { handle: [], public: [] };
      for (let round = 0; round < Math.max(3, rounds >> 1); round++) {
        for (const path of round % 2 === 0 ? ['handle', 'public'] : ['public', 'handle']) times[path].push(await twoThreads(frame, path, calls));
      }
      const handle = median(times.handle);
      const pub = median(times.public);
      console.log(`  ${name.padEnd(34)} handle ${handle.toFixed(4)}  public ${pub.toFixed(4)}  ratio ${(pub / handle).toFixed(2)}`);
    }
    console.log(`\nAdler-32 of a stored frame's scanlines (WebAssembly SIMD ${adler32SimdAvailable ? 'available' : 'NOT available'}); ratios against SIMD`);
    for (const name of [CASES[0].name, CASES[3].name]) {
      const frame = frames.get(name)!;
      const data = new Uint8Array(frame.scanlines);
      inflateByCopy(frame.zlib, data);
      const calls = Math.max(5, Math.round(2e7 / data.length));
      const paths: Record<string, () => void> = { js: () => portableAdler32(data), zlib: () => zlibAdler32(data) };
      if (adler32SimdAvailable) paths.simd = () => adler32Simd(data, 1);
      const t = compare(paths, rounds, calls);
      const simd = t.simd ?? NaN;
      const line = Object.entries(t).map(([path, ms]) => `${path} ${ms.toFixed(4)}${path === 'simd' ? '' : ` (${(ms / simd).toFixed(2)}×)`}`);
      console.log(`  ${name.padEnd(34)} ${line.join('  ')}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  workerMain();
}
