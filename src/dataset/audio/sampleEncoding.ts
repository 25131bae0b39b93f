/**
 * Samples, as numbers on the common scale of format/sampleValues.ts (full scale ±1), written in a
 * target sample format: integers by rounding (half away from zero) and clipping to the format's
 * range, with optional TPDF dither of ±1 LSB before rounding; A-law and µ-law from the 16-bit value
 * through the G.711 tables; floats as they are. Values that are not finite numbers become silence.
 * Integer to integer is exact wherever the target is at least as wide: the scales are powers of
 * two, so a 16-bit value v is v · 256 in 24 bits, in floating point without rounding.
 */
import { ALAW_SILENCE, bytesPerSample, g711Code, MULAW_SILENCE, type SampleFormat } from '../../codec';

/** What writing changed: samples beyond full scale clipped, and NaN or infinite samples replaced by silence. */
export interface EncodingCounts {
  clipped: number;
  replaced: number;
}

/** A source of uniform numbers in [0, 1): the dither's noise. */
export type UniformRandom = () => number;

const INTEGER_SCALE: Partial<Record<SampleFormat, { scale: number; min: number; max: number; offset: number }>> = {
  u8: { scale: 128, min: -128, max: 127, offset: 128 },
  s16: { scale: 32768, min: -32768, max: 32767, offset: 0 },
  s24: { scale: 8388608, min: -8388608, max: 8388607, offset: 0 },
  s32: { scale: 2147483648, min: -2147483648, max: 2147483647, offset: 0 },
};

/** The byte of silence in each sample of the format: what padding is made of (0 for signed and float). */
export function silenceByte(format: SampleFormat): number {
  return format === 'u8' ? 0x80 : format === 'alaw' ? ALAW_SILENCE : format === 'mulaw' ? MULAW_SILENCE : 0;
}

/**
 * Writes `frames` sample frames from the planar channels (each from index `at`) into `out`
 * interleaved, in `format`, adding to `counts`. With `dither`, integer targets get TPDF dither.
 */
export function encodeSamples(
  planar: Float64Array[],
  at: number,
  frames: number,
  format: SampleFormat,
  out: Uint8Array,
  counts: EncodingCounts,
  dither?: UniformRandom,
): void {
  if (format === 's16' && !dither) {
    encodeS16(planar, at, frames, out, counts);
    return;
  }
  const integer = INTEGER_SCALE[format];
  if (integer) {
    const values = roundedIntegers(planar, at, frames, integer, counts, dither);
    storeIntegers(values, format, integer.offset, out);
    return;
  }
  const channels = planar.length;
  const size = bytesPerSample(format);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) {
      let x = planar[c][at + f];
      const o = (f * channels + c) * size;
      if (!Number.isFinite(x)) {
        counts.replaced++;
        x = 0;
      }
      switch (format) {
        case 'f32':
          view.setFloat32(o, x, true);
          break;
        case 'f64':
          view.setFloat64(o, x, true);
          break;
        case 'alaw':
        case 'mulaw': {
          let v = x * 32768;
          if (v > 32767 || v < -32768) counts.clipped++;
          v = Math.max(-32768, Math.min(32767, v));
          out[o] = g711Code(format, v);
          break;
        }
      }
    }
  }
}

/**
 * The commonest target without dither in one pass, rounded and clipped exactly as roundedIntegers
 * does and stored as storeIntegers does: the two passes and the array between them were a sixth of
 * a dataset build's time.
 */
function encodeS16(planar: Float64Array[], at: number, frames: number, out: Uint8Array, counts: EncodingCounts): void {
  const channels = planar.length;
  let clipped = 0;
  let replaced = 0;
  for (let c = 0; c < channels; c++) {
    const samples = planar[c];
    for (let f = 0, o = 2 * c; f < frames; f++, o += 2 * channels) {
      let x = samples[at + f];
      if (!Number.isFinite(x)) {
        replaced++;
        x = 0;
      }
      let v = x * 32768;
      v = v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
      if (v > 32767) {
        v = 32767;
        clipped++;
      } else if (v < -32768) {
        v = -32768;
        clipped++;
      }
      out[o] = v;
      out[o + 1] = v >> 8;
    }
  }
  counts.clipped += clipped;
  counts.replaced += replaced;
}

/** Reused from call to call: a build encodes every clip of every source through it. */
let integerScratch = new Int32Array(0);

/**
 * The samples rounded and clipped, interleaved, in frame order (the order the dither is drawn in,
 * so that a seed gives the same noise).
 */
function roundedIntegers(
  planar: Float64Array[],
  at: number,
  frames: number,
  integer: { scale: number; min: number; max: number },
  counts: EncodingCounts,
  dither?: UniformRandom,
): Int32Array {
  const channels = planar.length;
  const count = frames * channels;
  if (integerScratch.length < count) integerScratch = new Int32Array(count);
  const values = integerScratch.subarray(0, count);
  const { scale, min, max } = integer;
  let clipped = 0;
  let replaced = 0;
  for (let f = 0, o = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++, o++) {
      let x = planar[c][at + f];
      if (!Number.isFinite(x)) {
        replaced++;
        x = 0;
      }
      let v = x * scale;
      if (dither) v += dither() - dither();
      v = v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
      if (v > max) {
        v = max;
        clipped++;
      } else if (v < min) {
        v = min;
        clipped++;
      }
      values[o] = v;
    }
  }
  counts.clipped += clipped;
  counts.replaced += replaced;
  return values;
}
/** The integers in the format's little-endian bytes, each format in a loop of its own. */
function storeIntegers(values: Int32Array, format: SampleFormat, offset: number, out: Uint8Array): void {
  const count = values.length;
  switch (format) {
    case 'u8':
      for (let i = 0; i < count; i++) out[i] = values[i] + offset;
      break;
    case 's16':
      for (let i = 0, o = 0; i < count; i++, o += 2) {
        const v = values[i];
        out[o] = v;
        out[o + 1] = v >> 8;
      }
      break;
    case 's24':
      for (let i = 0, o = 0; i < count; i++, o += 3) {
        const v = values[i];
        out[o] = v;
        out[o + 1] = v >> 8;
        out[o + 2] = v >> 16;
      }
      break;
    case 's32':
      for (let i = 0, o = 0; i < count; i++, o += 4) {
        const v = values[i];
        out[o] = v;
        out[o + 1] = v >> 8;
        out[o + 2] = v >> 16;
        out[o + 3] = v >> 24;
      }
      break;
  }
}

/**
 * A seeded generator of uniform numbers (mulberry32): the same seed gives the same dither, so the
 * same corpus and options give the same dataset.
 */
export function seededRandom(seed: number): UniformRandom {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
