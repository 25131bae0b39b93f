/**
 * The spectrogram as the panel draws it: one short-time Fourier transform per pixel column, each
 * pixel the loudest bin of its row's band, in dB. Pure, so the worker, the bench and the unit tests
 * run the same code. fft.js (a radix-4 real FFT) does the transforms; the window, the bands and the
 * dB are ours because they are a few lines.
 *
 * One frame per column, not a frame every few milliseconds of the clip: the work follows the panel's
 * width, so a 10-minute file costs what a 10-second one does (its columns are far apart and the frame
 * at each column's centre stands for it), and the logarithm is taken once per pixel, not per bin.
 */
import FFT from 'fft.js';
import { frequencyOfEdge, laneRows, type FrequencyScale } from './mapping';

export interface ColumnsView {
  readonly width: number;
  readonly height: number;
  readonly scale: FrequencyScale;
}

/** What silence reads as; every level is at least this. */
const FLOOR_DB = -160;

function hann(size: number): Float64Array {
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return window;
}

/**
 * About 46 ms at 44.1 kHz (2,048), so that low notes are resolved; and at least two bins a row on a
 * linear axis. Columns far apart need no longer frames: one frame stands for its column. Columns
 * closer than half such a frame (a 10 s clip across a panel) get frames half as long (23 ms, 1,024
 * at 44.1 kHz): half the work, and the frames still overlap, at 43 Hz a bin instead of 21.5.
 */
function fftSizeFor(sampleRate: number, height: number, samplesPerColumn = Infinity): number {
  const dense = 2 * samplesPerColumn < sampleRate / 22;
  const wanted = Math.max(sampleRate / (dense ? 44 : 22), 4 * height);
  let size = 256;
  while (size < wanted && size < 8192) size *= 2;
  return size;
}

class SpectrogramColumns {
  readonly bins: number;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly power: Float64Array;
  private readonly rowLow: Int32Array;
  private readonly rowHigh: Int32Array;
  /** A full-scale sine through a Hann window peaks at amplitude fftSize / 4: that is 0 dB. */
  private readonly referenceDb: number;

  constructor(
    private readonly samples: Float32Array,
    readonly sampleRate: number,
    readonly fftSize: number,
    readonly view: ColumnsView,
  ) {
    if (fftSize < 16 || (fftSize & (fftSize - 1)) !== 0) throw new RangeError(`fftSize ${fftSize} is not a power of two of at least 16`);
    this.fft = new FFT(fftSize);
    this.window = hann(fftSize);
    this.input = new Float64Array(fftSize);
    this.output = new Float64Array(2 * fftSize);
    this.bins = fftSize / 2 + 1;
    this.power = new Float64Array(this.bins);
    this.referenceDb = 20 * Math.log10(fftSize / 4);
    // The bins of each row, from the frequencies of its edges; a row narrower than a bin takes its bin.
    const { height, scale } = view;
    const nyquist = sampleRate / 2;
    const binHz = nyquist / (this.bins - 1);
    this.rowLow = new Int32Array(height);
    this.rowHigh = new Int32Array(height);
    for (let y = 0; y < height; y++) {
      const low = Math.round(frequencyOfEdge(y + 1, height, nyquist, scale) / binHz);
      const high = Math.round(frequencyOfEdge(y, height, nyquist, scale) / binHz);
      this.rowLow[y] = Math.min(this.bins - 1, Math.max(0, low));
      this.rowHigh[y] = Math.min(this.bins - 1, Math.max(this.rowLow[y], high));
    }
  }

  /** The sample a column's frame is centred on. */
  centreOf(x: number): number {
    return Math.floor(((x + 0.5) / this.view.width) * this.samples.length);
  }

  /** dB of columns [first, end), row-major (end − first wide, height tall), row 0 the highest frequency. */
  columns(first: number, end: number): Float32Array {
    const { height } = this.view;
    const { samples, window, input, output, power, rowLow, rowHigh, fftSize, bins, referenceDb } = this;
    const count = end - first;
    const out = new Float32Array(count * height);
    for (let x = first; x < end; x++) {
      const start = this.centreOf(x) - fftSize / 2;
      if (start >= 0 && start + fftSize <= samples.length) for (let i = 0; i < fftSize; i++) input[i] = samples[start + i] * window[i];
      else {
        for (let i = 0; i < fftSize; i++) {
          const index = start + i;
          input[i] = index >= 0 && index < samples.length ? samples[index] * window[i] : 0;
        }
      }
      this.fft.realTransform(output, input);
      for (let bin = 0; bin < bins; bin++) power[bin] = output[2 * bin] * output[2 * bin] + output[2 * bin + 1] * output[2 * bin + 1];
      for (let y = 0; y < height; y++) {
        let loudest = 0;
        for (let bin = rowLow[y]; bin <= rowHigh[y]; bin++) if (power[bin] > loudest) loudest = power[bin];
        // Power in dB (10 log10 of re² + im²) spares a square root per pixel.
        out[y * count + (x - first)] = loudest > 0 ? Math.max(FLOOR_DB, 10 * Math.log10(loudest) - referenceDb) : FLOOR_DB;
      }
    }
    return out;
  }
}

/**
 * Each channel's spectrogram in its own lane (mapping.ts's laneRows), stacked down one picture: the
 * columns of every lane in one call, so the page paints one image per slice. The rows between lanes
 * are NaN, which paintDb leaves transparent (the panel's background shows as the gap).
 */
export class SpectrogramLanes {
  readonly fftSize: number;
  private readonly lanes: Array<{ top: number; columns: SpectrogramColumns }>;

  /** `fftSize` is fftSizeFor's unless given (the tests give theirs). */
  constructor(channels: readonly Float32Array[], sampleRate: number, readonly view: ColumnsView, fftSize?: number) {
    const rows = laneRows(view.height, channels.length);
    const length = channels[0]?.length ?? 0;
    this.fftSize = fftSize ?? fftSizeFor(sampleRate, rows[0].rows, length / Math.max(1, view.width));
    this.lanes = rows.map(({ top, rows: height }, channel) => ({
      top,
      columns: new SpectrogramColumns(channels[channel], sampleRate, this.fftSize, { ...view, height }),
    }));
  }

  /** dB of columns [first, end), row-major over the whole height (end − first wide); NaN between lanes. */
  columns(first: number, end: number): Float32Array {
    const count = end - first;
    const out = new Float32Array(count * this.view.height).fill(Number.NaN);
    for (const { top, columns } of this.lanes) out.set(columns.columns(first, end), top * count);
    return out;
  }
}
