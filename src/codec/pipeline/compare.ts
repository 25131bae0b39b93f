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
 * Samples that are not finite numbers (float NaN or ∞) count for `exact` but not for the SNRs: a
 * decoded file of NaNs has no SNR at all, not an infinite one. "Identical" is earned only by the
 * same sample format, the same length and every sample's bytes the same; what differs is listed.
 */
import type { FileHandle } from 'node:fs/promises';
import { bytesPerSample, isInterpreted, opaqueAdvice, type AudioFormat, type InterpretedAudioFormat } from '../format/audioFormat';
import { ResonanceError, throwIfAborted } from '../format/errors';
import { toNumbers } from '../format/sampleValues';
import { openRegularFile } from '../files/safeOpen';
import { readWavFile, type WavFile } from '../wav/wavFile';

export const SEGMENT_SNR_RANGE = { min: -10, max: 35 } as const;

export interface CompareOptions {
  /** Segment length for the segmental SNR, in milliseconds (default 20). */
  segmentMs?: number;
  signal?: AbortSignal;
}

export interface CompareResult {
  /** The original's format. */
  audio: AudioFormat;
  /** The decoded file's format: the same channels and rate, maybe another sample format. */
  decodedAudio: AudioFormat;
  /** Sample frames both files have: the ones compared. */
  sampleFrames: number;
  /** Sample frames only the longer file has (not compared). */
  lengthDifference: number;
  /** Which file has them: 'original', 'decoded', or undefined when the lengths agree. */
  longer?: 'original' | 'decoded';
  /**
   * In dB, over the samples both files hold as finite numbers: Infinity when they agree exactly,
   * NaN when there are none to measure (nothing compared, or every pair NaN or infinite).
   */
  snrDb: number;
  /** The mean over segments with samples to measure; NaN when none has any. */
  segmentalSnrDb: number;
  segmentMs: number;
  /** Samples (every channel counted) that came back exact, and their share of all compared (NaN when nothing was compared). */
  exactSamples: number;
  exactShare: number;
  /** Compared samples that are NaN or infinite, in each file: they count for `exact` but not for the SNRs. */
  nonFiniteSamples: { original: number; decoded: number };
  /** The same sample format, the same length, every sample's bytes the same. */
  identical: boolean;
  /**
   * What keeps the files from being identical, in this order: 'sampleFormat', 'length', 'samples' (some differ),
   * 'nonFinite' (NaN or ∞ where the other has a number).
   */
  differences: CompareDifference[];
}

export type CompareDifference = 'sampleFormat' | 'length' | 'samples' | 'nonFinite';

/** Samples (every channel counted) read from each file at a time, whatever the channel count. */
const CHUNK_SAMPLES = 1 << 16;

export async function compareWavs(originalPath: string, decodedPath: string, options: CompareOptions = {}): Promise<CompareResult> {
  const segmentMs = options.segmentMs ?? 20;
  if (!(segmentMs > 0)) throw new ResonanceError('PARAMETER_INVALID', decodedPath, `cannot be compared with segments of ${segmentMs} ms`);
  const original = await readWavFile(originalPath);
  const decoded = await readWavFile(decodedPath);
  const a = interpreted(original, originalPath);
  const b = interpreted(decoded, decodedPath);
  checkComparable(a, b, decodedPath);
  const { channels } = a;
  const framesOf = (wav: WavFile) => Math.floor(wav.dataLength / wav.format.blockAlign);
  const sampleFrames = Math.min(framesOf(original), framesOf(decoded));
  const segmentFrames = Math.max(1, Math.round((a.sampleRate * segmentMs) / 1000));
  const sameFormat = a.sampleFormat === b.sampleFormat;
  const chunkFrames = Math.max(1, Math.floor(CHUNK_SAMPLES / channels));

  const readers: FileHandle[] = [];
  const totals = { signal: 0, error: 0, exact: 0, measured: 0, nonFiniteA: 0, nonFiniteB: 0, oneSided: 0 };
  const segments = { sum: 0, count: 0, signal: 0, error: 0, measured: 0, frames: 0 };
  const closeSegment = () => {
    // A segment with nothing to measure (all NaN, say) has no SNR to average in.
    if (segments.measured > 0) {
      segments.sum += segmentSnr(segments.signal, segments.error);
      segments.count++;
    }
    totals.signal += segments.signal;
    totals.error += segments.error;
    segments.signal = segments.error = segments.measured = segments.frames = 0;
  };
  try {
    readers.push((await openRegularFile(originalPath, 'a WAV file')).handle, (await openRegularFile(decodedPath, 'a WAV file')).handle);
    const valuesA = new Float64Array(chunkFrames * channels);
    const valuesB = new Float64Array(chunkFrames * channels);
    for (let start = 0; start < sampleFrames; start += chunkFrames) {
      throwIfAborted(options.signal);
      const count = Math.min(chunkFrames, sampleFrames - start);
      const [rawA, rawB] = await Promise.all([
        readFrames(readers[0], original, start, count, originalPath),
        readFrames(readers[1], decoded, start, count, decodedPath),
      ]);
      toNumbers(rawA, a.sampleFormat, valuesA);
      toNumbers(rawB, b.sampleFormat, valuesB);
      const size = bytesPerSample(a.sampleFormat);
      for (let frame = 0; frame < count; frame++) {
        for (let c = 0; c < channels; c++) {
          const i = frame * channels + c;
          const x = valuesA[i];
          const y = valuesB[i];
          if (sameFormat ? sameBytes(rawA, rawB, i * size, size) : x === y) totals.exact++;
          const finiteX = Number.isFinite(x);
          const finiteY = Number.isFinite(y);
          if (finiteX && finiteY) {
            const e = y - x;
            segments.signal += x * x;
            segments.error += e * e;
            segments.measured++;
            totals.measured++;
            continue;
          }
          if (!finiteX) totals.nonFiniteA++;
          if (!finiteY) totals.nonFiniteB++;
          if (finiteX !== finiteY) totals.oneSided++;
        }
        if (++segments.frames === segmentFrames) closeSegment();
      }
    }
    if (segments.frames > 0) closeSegment();
  } finally {
    await Promise.all(readers.map((handle) => handle.close()));
  }
  const samples = sampleFrames * channels;
  const lengthDifference = Math.abs(framesOf(original) - framesOf(decoded));
  const differences: CompareDifference[] = [];
  if (!sameFormat) differences.push('sampleFormat');
  if (lengthDifference > 0 || original.dataLength !== decoded.dataLength) differences.push('length');
  if (totals.exact < samples) differences.push('samples');
  if (totals.oneSided > 0) differences.push('nonFinite');
  return {
    audio: a,
    decodedAudio: b,
    sampleFrames,
    lengthDifference,
    ...(framesOf(original) !== framesOf(decoded) ? { longer: framesOf(original) > framesOf(decoded) ? ('original' as const) : ('decoded' as const) } : {}),
    snrDb: totals.measured > 0 ? snr(totals.signal, totals.error) : NaN,
    segmentalSnrDb: segments.count > 0 ? segments.sum / segments.count : NaN,
    segmentMs,
    exactSamples: totals.exact,
    exactShare: samples > 0 ? totals.exact / samples : NaN,
    nonFiniteSamples: { original: totals.nonFiniteA, decoded: totals.nonFiniteB },
    identical: differences.length === 0,
    differences,
  };
}

/** Comparing needs sample values: opaque audio (ADPCM, say) is refused, with what to do. */
function interpreted(wav: WavFile, path: string): InterpretedAudioFormat {
  if (!isInterpreted(wav.format)) throw new ResonanceError('WAV_UNSUPPORTED', path, opaqueAdvice(wav.format, 'be compared'));
  return wav.format;
}

function checkComparable(a: AudioFormat, b: AudioFormat, decodedPath: string): void {
  if (a.channels !== b.channels)
    throw new ResonanceError(
      'NOT_COMPARABLE',
      decodedPath,
      `has ${b.channels} channel${b.channels === 1 ? '' : 's'} where the original has ${a.channels}: they cannot be compared`,
    );
  if (a.sampleRate !== b.sampleRate)
    throw new ResonanceError('NOT_COMPARABLE', decodedPath, `is at ${b.sampleRate} Hz where the original is at ${a.sampleRate} Hz: they cannot be compared`);
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
