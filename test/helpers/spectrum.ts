/**
 * Measuring sines, for the audio conversion tests: the level of every other component by FFT
 * (fft.js) under a Kaiser window whose side lobes lie far below what is measured, and a sine's
 * gain by a least-squares fit at its known frequency, which no window's scalloping disturbs.
 */
import FFT from 'fft.js';

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 500; k++) {
    term *= (x / 2 / k) * (x / 2 / k);
    sum += term;
    if (term < sum * 1e-18) break;
  }
  return sum;
}

/** Kaiser β 38: side lobes below −300 dB, a main lobe about ±13 bins wide. */
const BETA = 38;
/** Bins on each side of a sine that belong to its main lobe. */
export const MAIN_LOBE_BINS = 16;

/** The amplitude spectrum of `samples` (a power-of-two length) in dB relative to a full-scale sine. */
export function spectrumDb(samples: ArrayLike<number>): Float64Array {
  const n = samples.length;
  const window = new Float64Array(n);
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const r = (2 * i) / (n - 1) - 1;
    window[i] = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(BETA);
    windowSum += window[i];
  }
  const fft = new FFT(n);
  const input = new Array<number>(n);
  for (let i = 0; i < n; i++) input[i] = samples[i] * window[i];
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  const db = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) db[k] = 20 * Math.log10((Math.hypot(out[2 * k], out[2 * k + 1]) * 2) / windowSum + 1e-300);
  return db;
}

/** The strongest component of the spectrum outside `exclude` (frequencies in Hz whose main lobes are left out). */
export function strongestOtherDb(samples: ArrayLike<number>, sampleRate: number, exclude: number[]): { db: number; hz: number } {
  const db = spectrumDb(samples);
  const binHz = sampleRate / samples.length;
  let best = { db: -Infinity, hz: 0 };
  for (let k = 0; k < db.length; k++) {
    if (exclude.some((hz) => Math.abs(k - hz / binHz) <= MAIN_LOBE_BINS)) continue;
    if (db[k] > best.db) best = { db: db[k], hz: k * binHz };
  }
  return best;
}

/** The level in dB of the sine of `hz` in `samples`, by least squares on sine and cosine. */
export function sineLevelDb(samples: ArrayLike<number>, hz: number, sampleRate: number): number {
  let s = 0;
  let c = 0;
  let ss = 0;
  let cc = 0;
  let sc = 0;
  for (let j = 0; j < samples.length; j++) {
    const a = Math.sin((2 * Math.PI * hz * j) / sampleRate);
    const b = Math.cos((2 * Math.PI * hz * j) / sampleRate);
    s += samples[j] * a;
    c += samples[j] * b;
    ss += a * a;
    cc += b * b;
    sc += a * b;
  }
  const det = ss * cc - sc * sc;
  return 20 * Math.log10(Math.hypot((s * cc - c * sc) / det, (c * ss - s * sc) / det));
}
