/**
 * How close a decoded WAV is to the original: SNR, segmental SNR, and the share of samples that
 * came back exact. Streams both files: memory does not grow with their length.
 *
 * Samples are read as numbers on a common scale: integers divided by their full scale (u8 as
 * (v − 128) / 128, s16 / 2^15, s24 / 2^23, s32 / 2^31), A-law and µ-law through G.711 to 16-bit
 * values / 2^15, floats as they are. Over every channel of every sample frame both files have:
 *
 * - SNR = 10·log10(Σ original² / Σ (decoded − original)²), over the whole file;
 * - segmental SNR: the same over each segment of `segmentMs` (20 ms by default; the last, shorter
 *   one counts too), each clamped to [−10, 35] dB as is customary (a segment with no error scores
 *   35, a silent one with some error −10), then averaged: it weighs quiet passages as much as loud
 *   ones, as the ear does;
 * - exact: the share of samples whose bytes are identical (values, when the formats differ).
 *
 * Samples that are not finite numbers (float NaN or ∞) count for `exact` but not for the SNRs.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { bytesPerSample, type AudioFormat } from '../format/audioFormat';
import { ResonanceError, throwIfAborted } from '../format/errors';
import { toNumbers } from '../format/sampleValues';
import { readWavFile, type WavFile } from '../wav/wavFile';

export const SEGMENT_SNR_RANGE = { min: -10, max: 35 } as const;

export interface CompareOptions {
  /** Segment length for the segmental SNR, in milliseconds (default 20). */
  segmentMs?: number;
  signal?: AbortSignal;
}

export interface CompareResult {
  audio: AudioFormat;
  /** Sample frames both files have: the ones compared. */
  sampleFrames: number;
  /** Sample frames only the longer file has (not compared). */
  lengthDifference: number;
  /** In dB; Infinity when the decoded audio is identical. */
  snrDb: number;
  segmentalSnrDb: number;
  segmentMs: number;
  /** Samples (every channel counted) that came back exact, and their share of all compared. */
  exactSamples: number;
  exactShare: number;
}

/** Sample frames read from each file at a time. */
const CHUNK_FRAMES = 1 << 15;

export async function compareWavs(originalPath: string, decodedPath: string, options: CompareOptions = {}): Promise<CompareResult> {
  const segmentMs = options.segmentMs ?? 20;
  if (!(segmentMs > 0)) throw new ResonanceError('PARAMETER_INVALID', decodedPath, `cannot be compared with segments of ${segmentMs} ms`);
  const original = await readWavFile(originalPath);
  const decoded = await readWavFile(decodedPath);
  checkComparable(original, decoded, decodedPath);
  const { channels } = original.format;
  const framesOf = (wav: WavFile) => Math.floor(wav.dataLength / wav.format.blockAlign);
  const sampleFrames = Math.min(framesOf(original), framesOf(decoded));
  const segmentFrames = Math.max(1, Math.round((original.format.sampleRate * segmentMs) / 1000));
  const sameFormat = original.format.sampleFormat === decoded.format.sampleFormat;

  const readers = await Promise.all([open(originalPath, 'r'), open(decodedPath, 'r')]);
  const totals = { signal: 0, error: 0, exact: 0 };
  const segments = { sum: 0, count: 0, signal: 0, error: 0, frames: 0 };
  const closeSegment = () => {
    segments.sum += segmentSnr(segments.signal, segments.error);
    segments.count++;
    segments.signal = segments.error = segments.frames = 0;
  };
  try {
    const a = new Float64Array(CHUNK_FRAMES * channels);
    const b = new Float64Array(CHUNK_FRAMES * channels);
    for (let start = 0; start < sampleFrames; start += CHUNK_FRAMES) {
      throwIfAborted(options.signal);
      const count = Math.min(CHUNK_FRAMES, sampleFrames - start);
      const [rawA, rawB] = await Promise.all([readFrames(readers[0], original, start, count, originalPath), readFrames(readers[1], decoded, start, count, decodedPath)]);
      toNumbers(rawA, original.format.sampleFormat, a);
      toNumbers(rawB, decoded.format.sampleFormat, b);
      const size = bytesPerSample(original.format.sampleFormat);
      for (let frame = 0; frame < count; frame++) {
        for (let c = 0; c < channels; c++) {
          const i = frame * channels + c;
          const x = a[i];
          const y = b[i];
          if (sameFormat ? sameBytes(rawA, rawB, i * size, size) : x === y) totals.exact++;
          if (Number.isFinite(x) && Number.isFinite(y)) {
            const e = y - x;
            segments.signal += x * x;
            segments.error += e * e;
          }
        }
        if (++segments.frames === segmentFrames) {
          totals.signal += segments.signal;
          totals.error += segments.error;
          closeSegment();
        }
      }
    }
    if (segments.frames > 0) {
      totals.signal += segments.signal;
      totals.error += segments.error;
      closeSegment();
    }
  } finally {
    await Promise.all(readers.map((handle) => handle.close()));
  }
  const samples = sampleFrames * channels;
  return {
    audio: original.format,
    sampleFrames,
    lengthDifference: Math.abs(framesOf(original) - framesOf(decoded)),
    snrDb: snr(totals.signal, totals.error),
    segmentalSnrDb: segments.count > 0 ? segments.sum / segments.count : SEGMENT_SNR_RANGE.max,
    segmentMs,
    exactSamples: totals.exact,
    exactShare: samples > 0 ? totals.exact / samples : 1,
  };
}

function checkComparable(original: WavFile, decoded: WavFile, decodedPath: string): void {
  const [a, b] = [original.format, decoded.format];
  if (a.channels !== b.channels) throw new ResonanceError('NOT_COMPARABLE', decodedPath, `has ${b.channels} channel${b.channels === 1 ? '' : 's'} where the original has ${a.channels}: they cannot be compared`);
  if (a.sampleRate !== b.sampleRate) throw new ResonanceError('NOT_COMPARABLE', decodedPath, `is at ${b.sampleRate} Hz where the original is at ${a.sampleRate} Hz: they cannot be compared`);
}

async function readFrames(handle: FileHandle, wav: WavFile, start: number, count: number, path: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(count * wav.format.blockAlign);
  const { bytesRead } = await handle.read(bytes, 0, bytes.length, wav.dataOffset + start * wav.format.blockAlign);
  if (bytesRead !== bytes.length) throw new ResonanceError('FILE_CHANGED', path, 'changed while it was being read');
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array, offset: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (a[offset + k] !== b[offset + k]) return false;
  return true;
}

function snr(signal: number, error: number): number {
  if (error === 0) return Infinity;
  return signal === 0 ? -Infinity : 10 * Math.log10(signal / error);
}

function segmentSnr(signal: number, error: number): number {
  const { min, max } = SEGMENT_SNR_RANGE;
  return Math.min(max, Math.max(min, snr(signal, error)));
}
