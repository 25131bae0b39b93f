/**
 * Sample-rate conversion by a polyphase windowed-sinc filter (Kaiser window), designed for the
 * dataset's promise: flat within 0.1 dB up to 0.9 × the lower Nyquist frequency, and everything at
 * or above that Nyquist frequency (what would alias when going down, the images when going up)
 * attenuated by 120 dB. Written here rather than taken from libsamplerate's WebAssembly port, which
 * meets the quality only at its best setting and then runs 50 times slower than SoX's (16 × real
 * time for stereo here; docs/decisions.md, "Resampling").
 *
 * It is random-access: output sample j is the filter centred on input time j · fin / fout, so any
 * range of the output can be computed from the input around it, and a source cut into ranges (by
 * clips, workers or machines) gives exactly the samples a single pass would. Samples before the
 * start and after the end of the input are silence.
 */

/** Stopband attenuation in dB, and the passband and stopband edges as fractions of the lower Nyquist frequency. */
export const RESAMPLER_DESIGN = { attenuationDb: 120, passband: 0.9, stopband: 1.0 } as const;

/** Rational ratios with more phases than this use a table of this many, interpolated linearly between them. */
const MAX_EXACT_PHASES = 2048;
const INTERPOLATED_PHASES = 4096;

export class Resampler {
  /** Output samples per `down` input samples: the ratio in lowest terms. */
  readonly up: number;
  readonly down: number;
  /** Filter taps on each side of an output sample's input position, in input samples. */
  readonly halfTaps: number;
  private readonly phases: number;
  /** phases × 2·halfTaps coefficients; phase p holds the taps for an output at fraction p / phases past an input sample. */
  private readonly table: Float64Array;
  private readonly exact: boolean;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    if (!Number.isSafeInteger(fromRate) || !Number.isSafeInteger(toRate) || fromRate < 1 || toRate < 1) {
      throw new RangeError(`sample rates must be whole numbers of at least 1 Hz, not ${fromRate} and ${toRate}`);
    }
    const g = gcd(fromRate, toRate);
    this.up = toRate / g;
    this.down = fromRate / g;
    const lower = Math.min(fromRate, toRate);
    // Kaiser's estimate of the length for the attenuation over the transition band, at the lower
    // rate, then in input samples (longer when going down: the band is narrower there).
    const { attenuationDb, passband, stopband } = RESAMPLER_DESIGN;
    const transition = ((stopband - passband) / 2) * lower; // Hz
    const tapsAtLower = Math.ceil((attenuationDb - 7.95) / (14.36 * (transition / lower)));
    this.halfTaps = Math.ceil((tapsAtLower * (fromRate / lower)) / 2) + 1;
    this.exact = this.up <= MAX_EXACT_PHASES;
    this.phases = this.exact ? this.up : INTERPOLATED_PHASES;
    this.table = designTable(this.phases + (this.exact ? 0 : 1), this.phases, this.halfTaps, ((passband + stopband) / 2) * (lower / 2) / fromRate, attenuationDb);
  }

  /** Output samples for `inputLength` input samples: the same duration, rounded to the nearest sample. */
  outputLength(inputLength: number): number {
    return Math.floor((2 * inputLength * this.up + this.down) / (2 * this.down));
  }

  /** The input samples [start, end) that output samples [outStart, outEnd) read (may reach outside the input). */
  inputSpan(outStart: number, outEnd: number): { start: number; end: number } {
    if (outEnd <= outStart) return { start: 0, end: 0 };
    return { start: Math.floor((outStart * this.down) / this.up) - this.halfTaps + 1, end: Math.floor(((outEnd - 1) * this.down) / this.up) + this.halfTaps + 1 };
  }

  /**
   * Output samples [outStart, outStart + out.length) of one channel into `out`, from `input`, which
   * holds input samples from index `inputStart` on and must cover inputSpan of that range.
   */
  process(input: Float64Array, inputStart: number, outStart: number, out: Float64Array): void {
    const { up, down, halfTaps, table, exact, phases } = this;
    const width = 2 * halfTaps;
    for (let k = 0; k < out.length; k++) {
      const position = (outStart + k) * down; // in units of 1/up input samples
      const base = Math.floor(position / up);
      const remainder = position - base * up;
      const first = base - halfTaps + 1 - inputStart;
      if (exact) {
        out[k] = dot(table, remainder * width, input, first, width);
      } else {
        // Between two rows of the table: the taps interpolated are the dot products interpolated.
        const scaled = (remainder / up) * phases;
        const phase = Math.floor(scaled);
        const a = dot(table, phase * width, input, first, width);
        out[k] = a + (scaled - phase) * (dot(table, (phase + 1) * width, input, first, width) - a);
      }
    }
  }
}

/**
 * Σ table[row + m] · input[first + m] for m < width (a multiple of 2), in four running sums: one
 * sum waits on each addition before the next, and four in turn run at twice the speed.
 */
function dot(table: Float64Array, row: number, input: Float64Array, first: number, width: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let m = 0;
  for (const end = width - 3; m < end; m += 4) {
    s0 += table[row + m] * input[first + m];
    s1 += table[row + m + 1] * input[first + m + 1];
    s2 += table[row + m + 2] * input[first + m + 2];
    s3 += table[row + m + 3] * input[first + m + 3];
  }
  for (; m < width; m++) s0 += table[row + m] * input[first + m];
  return s0 + s1 + (s2 + s3);
}

/**
 * The coefficient table: for each of `rows` phases p (an output p / phases of an input sample past
 * input sample `base`), the taps for inputs base − halfTaps + 1 … base + halfTaps, each row
 * normalised to a sum of 1 so that every phase passes DC exactly.
 */
function designTable(rows: number, phases: number, halfTaps: number, cutoff: number, attenuationDb: number): Float64Array {
  const width = 2 * halfTaps;
  const table = new Float64Array(rows * width);
  const beta = 0.1102 * (attenuationDb - 8.7);
  const norm = besselI0(beta);
  for (let p = 0; p < rows; p++) {
    const fraction = p / phases;
    let sum = 0;
    for (let m = 0; m < width; m++) {
      // Distance in input samples from the output's position to the tap's input sample.
      const distance = fraction + (halfTaps - 1 - m);
      const r = distance / halfTaps;
      const window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / norm;
      const x = 2 * cutoff * distance;
      const value = window * 2 * cutoff * (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
      table[p * width + m] = value;
      sum += value;
    }
    for (let m = 0; m < width; m++) table[p * width + m] /= sum;
  }
  return table;
}

/** The modified Bessel function of the first kind, order 0, by its power series (converges for the β used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 500; k++) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
