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
import { DotKernel } from './dotKernel';

/** Stopband attenuation in dB, and the passband and stopband edges as fractions of the lower Nyquist frequency. */
const RESAMPLER_DESIGN = { attenuationDb: 120, passband: 0.9, stopband: 1.0 } as const;

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
  private readonly exact: boolean;
  /** Taps a row of the table holds: 2 · halfTaps, rounded up to a multiple of 4 with zeros. */
  private readonly width: number;
  private readonly cutoff: number;
  /**
   * The dot products, with the table (phases × width coefficients) in its memory: designed at the
   * first process(), so that planning a conversion (lengths, steps) costs no table.
   */
  private kernelMemory?: DotKernel;

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
    this.width = Math.ceil((2 * this.halfTaps) / 4) * 4;
    this.cutoff = (((passband + stopband) / 2) * (lower / 2)) / fromRate;
  }

  private get kernel(): DotKernel {
    if (!this.kernelMemory) {
      this.kernelMemory = new DotKernel();
      const rows = this.phases + (this.exact ? 0 : 1);
      this.kernelMemory.setTable(designTable(rows, this.phases, this.halfTaps, this.width, this.cutoff, RESAMPLER_DESIGN.attenuationDb));
    }
    return this.kernelMemory;
  }

  /** Output samples for `inputLength` input samples: the same duration, rounded to the nearest sample. */
  outputLength(inputLength: number): number {
    return Math.floor((2 * inputLength * this.up + this.down) / (2 * this.down));
  }

  /** The input samples [start, end) that output samples [outStart, outEnd) read (may reach outside the input). */
  inputSpan(outStart: number, outEnd: number): { start: number; end: number } {
    if (outEnd <= outStart) return { start: 0, end: 0 };
    return {
      start: Math.floor((outStart * this.down) / this.up) - this.halfTaps + 1,
      end: Math.floor(((outEnd - 1) * this.down) / this.up) + this.halfTaps + 1,
    };
  }

  /**
   * Output samples [outStart, outStart + out.length) of one channel into `out`, from `input`, which
   * holds input samples from index `inputStart` on and must cover inputSpan of that range.
   */
  process(input: Float64Array, inputStart: number, outStart: number, out: Float64Array): void {
    const { up, down, halfTaps, exact, phases, width } = this;
    for (let done = 0; done < out.length; done += RUN) {
      const count = Math.min(RUN, out.length - done);
      const firstOut = outStart + done;
      const span = this.inputSpan(firstOut, firstOut + count);
      // The kernel reads whole groups of four taps: the padding's coefficients are 0, its input too.
      const buffers = this.kernel.buffers(span.end - span.start + width - 2 * halfTaps, count);
      buffers.input.set(input.subarray(span.start - inputStart, span.end - inputStart));
      buffers.input.fill(0, span.end - span.start);
      const fractions = exact ? undefined : new Float64Array(count);
      const { firsts, rows } = buffers;
      // Output j sits at input position j · down / up: base + remainder / up, stepped by down / up
      // in whole integers (no division an output), the same numbers as computing each afresh.
      const position = firstOut * down;
      const base = Math.floor(position / up);
      let remainder = position - base * up;
      const stepBase = Math.floor(down / up);
      const stepRemainder = down - stepBase * up;
      let firstTap = base - halfTaps + 1 - span.start;
      for (let k = 0; k < count; k++) {
        firsts[k] = firstTap;
        if (exact) {
          rows[k] = remainder * width;
        } else {
          const scaled = (remainder / up) * phases;
          const phase = Math.floor(scaled);
          rows[k] = phase * width;
          fractions![k] = scaled - phase;
        }
        firstTap += stepBase;
        remainder += stepRemainder;
        if (remainder >= up) {
          remainder -= up;
          firstTap++;
        }
      }
      buffers.run(width);
      if (exact) {
        out.set(buffers.out, done);
        continue;
      }
      // Between two rows of the table: the dot products with each, interpolated.
      const first = Float64Array.from(buffers.out);
      for (let k = 0; k < count; k++) buffers.rows[k] += width;
      buffers.run(width);
      for (let k = 0; k < count; k++) out[done + k] = first[k] + fractions![k] * (buffers.out[k] - first[k]);
    }
  }
}

/** Outputs computed by one call of the kernel: its buffers stay small. */
const RUN = 8192;

/**
 * The coefficient table: for each of `rows` phases p (an output p / phases of an input sample past
 * input sample `base`), the taps for inputs base − halfTaps + 1 … base + halfTaps, each row
 * normalised to a sum of 1 so that every phase passes DC exactly.
 */
function designTable(rows: number, phases: number, halfTaps: number, rowWidth: number, cutoff: number, attenuationDb: number): Float32Array {
  const width = 2 * halfTaps;
  const table = new Float32Array(rows * rowWidth);
  const row = new Float64Array(width);
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
      row[m] = value;
      sum += value;
    }
    for (let m = 0; m < width; m++) table[p * rowWidth + m] = row[m] / sum;
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
