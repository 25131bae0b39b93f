/**
 * A run of one source's clips, as a worker thread makes them: the source's audio converted to the
 * target (audio/conversion.ts), each clip painted as one PNG that decodes on its own (its text chunk
 * carries its frame record) and written under its final name only once it is whole. File I/O is
 * synchronous here: a worker does one thing at a time, and thousands of small images cost far less
 * in direct calls than in round trips through the event loop.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { FORMAT_VERSION, ResonanceError, toNumbers, type AudioFormat, type Compression, type InterpretedAudioFormat, type StreamInfo } from '../codec';
import { encodeFrame } from '../codec/pipeline/frameCodec';
import type { PngScratch } from '../codec/png/pngWriter';
import { convertRange, planConversion, type Conversion, type TargetAudio } from './audio/conversion';
import { seededRandom } from './audio/sampleEncoding';
import { writeWholeFileSync } from '../codec/pipeline/output';
import { clipKey, clipPlan, clipSeed, type Tail } from './plan';

export interface ClipsJob {
  source: { path: string; name: string; key: string; dataOffset: number; dataLength: number; format: AudioFormat; channelMask?: number };
  target: TargetAudio;
  /** The stream each image records: frameCount 1, dataLength one clip. */
  stream: StreamInfo;
  compression: Compression;
  clipFrames: number;
  hopFrames: number;
  tail: Tail;
  /** Clips [first, first + count) of the source. */
  first: number;
  count: number;
  /** The split's folder the images go to. */
  folder: string;
  /** Leave out clips whose RMS is below this, in dB relative to full scale. */
  skipBelowDb?: number;
  /** With TPDF dither on integer targets, from this seed. */
  ditherSeed?: number;
}

export interface ClipEntry {
  clip: number;
  key: string;
  /** Sample frames of audio in the clip; the rest of it is padding. */
  audioFrames: number;
  rmsDb: number;
  clipped: number;
  replaced: number;
  /** Below the --skip-silent level: no image was written. */
  silent: boolean;
}

export interface ClipsResult {
  clips: ClipEntry[];
  bytesWritten: number;
}

/** This thread's memory for the PNGs it writes and the samples it reads, reused from image to image. */
const pngScratch: PngScratch = {};
let readBuffer = new Uint8Array(0);
/** The samples of a clip as numbers, for the RMS of formats not summed from their bytes. */
let rmsScratch = new Float64Array(0);

/** The conversion of the last source seen, kept: consecutive jobs are mostly of the same source. */
let cached: { key: string; conversion: Conversion } | undefined;

export function runClipsJob(job: ClipsJob): ClipsResult {
  const { source, target } = job;
  const sourceFrames = Math.floor(source.dataLength / source.format.blockAlign);
  const cacheKey = JSON.stringify([source.format, source.channelMask, sourceFrames, target]);
  if (cached?.key !== cacheKey) {
    const conversion = planConversion(source.format, source.channelMask, sourceFrames, target);
    if ('refused' in conversion) throw new ResonanceError(conversion.code, source.path, conversion.refused);
    cached = { key: cacheKey, conversion };
  }
  const conversion = cached.conversion;
  const plan = clipPlan(conversion.outputFrames, job.clipFrames, job.hopFrames, job.tail);
  const blockAlign = conversion.target.blockAlign;
  const clipBytes = new Uint8Array(job.clipFrames * blockAlign);
  const fd = openSync(source.path, 'r');
  const clips: ClipEntry[] = [];
  let bytesWritten = 0;
  try {
    const fileSize = fstatSync(fd).size;
    const read = (start: number, count: number): Uint8Array => {
      readBuffer = readBuffer.length >= count * source.format.blockAlign ? readBuffer : new Uint8Array(count * source.format.blockAlign);
      const bytes = readBuffer.subarray(0, count * source.format.blockAlign);
      const position = source.dataOffset + start * source.format.blockAlign;
      if (position + bytes.length > fileSize || readFully(fd, bytes, position) !== bytes.length) {
        throw new ResonanceError('FILE_CHANGED', source.path, 'changed while it was being read');
      }
      return bytes;
    };
    for (let clip = job.first; clip < job.first + job.count; clip++) {
      const counts = { clipped: 0, replaced: 0 };
      const dither = job.ditherSeed === undefined ? undefined : seededRandom(clipSeed(job.ditherSeed, source.name, clip));
      convertRange(conversion, read, clip * job.hopFrames, job.clipFrames, clipBytes, counts, dither);
      const audioFrames = plan.audioFrames(clip);
      const rmsDb = rmsDbOf(clipBytes.subarray(0, audioFrames * blockAlign), conversion.target);
      const key = clipKey(source.key, clip);
      const silent = job.skipBelowDb !== undefined && rmsDb < job.skipBelowDb;
      if (!silent) {
        const { png } = encodeFrame(
          { data: clipBytes, compression: job.compression, record: { version: FORMAT_VERSION, ...job.stream, frame: 0 } },
          pngScratch,
        );
        writeWholeFileSync(join(job.folder, `${key}.png`), png, true);
        bytesWritten += png.length;
      }
      clips.push({ clip, key, audioFrames, rmsDb, silent, ...counts });
    }
  } finally {
    closeSync(fd);
  }
  return { clips, bytesWritten };
}

/** 16-bit samples whose squares sum exactly in a double: 2^23 of 2^30 at most. */
const EXACT_SQUARE_SUMS = 2 ** 23;

/** RMS of the samples relative to full scale, in dB: a full-scale square wave is 0 dB, a sine −3 dB. */
function rmsDbOf(bytes: Uint8Array, format: InterpretedAudioFormat): number {
  const count = bytes.length / (format.blockAlign / format.channels);
  if (count === 0) return -Infinity;
  let sum = 0;
  if (format.sampleFormat === 's16' && count <= EXACT_SQUARE_SUMS) {
    // The most common target, read straight from its bytes and summed in integers: each (v / 2^15)²
    // is v² / 2^30 exactly, and so is every partial sum of them while it stays under 2^53 / 2^30,
    // so Σv² / 2^30 is the very number that summing the squared samples gives.
    let squares = 0;
    for (let i = 0; i < count; i++) {
      const v = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16) >> 16;
      squares += v * v;
    }
    sum = squares / 1073741824;
  } else {
    if (rmsScratch.length < count) rmsScratch = new Float64Array(count);
    const values = rmsScratch.subarray(0, count);
    toNumbers(bytes, format.sampleFormat, values);
    for (let i = 0; i < count; i++) sum += values[i] * values[i];
  }
  return sum === 0 ? -Infinity : 10 * Math.log10(sum / count);
}

function readFully(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
