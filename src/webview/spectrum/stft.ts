/**
 * Short-time Fourier transform of mono samples into a dB magnitude grid: pure, so the worker and
 * the unit tests run the same code. fft.js (a radix-4 real FFT) does the transforms; the frame
 * loop, the Hann window and the dB conversion are ours because they are a few lines.
 */
import FFT from 'fft.js';

export interface StftOptions {
  /** Power of two, at least 16. */
  readonly fftSize: number;
  /** Samples between the starts of successive frames. */
  readonly hop: number;
}

export interface Spectrogram {
  readonly frames: number;
  /** fftSize / 2 + 1 bins from 0 Hz to Nyquist. */
  readonly bins: number;
  readonly sampleRate: number;
  readonly hop: number;
  readonly fftSize: number;
  /** frames × bins, frame-major, in dB relative to a full-scale sine (0 dB), floored at FLOOR_DB. */
  readonly db: Float32Array;
}

export const FLOOR_DB = -160;

export function hann(size: number): Float32Array {
  const window = new Float32Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return window;
}

/** Frames needed so the last one still starts inside the signal (at least one, zero-padded). */
export function frameCount(samples: number, hop: number): number {
  return Math.max(1, Math.ceil(samples / hop));
}

export function stft(samples: Float32Array, sampleRate: number, options: StftOptions): Spectrogram {
  const { fftSize, hop } = options;
  if (fftSize < 16 || (fftSize & (fftSize - 1)) !== 0) throw new RangeError(`fftSize ${fftSize} is not a power of two of at least 16`);
  if (!(hop >= 1)) throw new RangeError(`hop ${hop} is below 1`);
  const fft = new FFT(fftSize);
  const window = hann(fftSize);
  const input = new Array<number>(fftSize).fill(0);
  const output = fft.createComplexArray() as number[];
  const bins = fftSize / 2 + 1;
  const frames = frameCount(samples.length, hop);
  const db = new Float32Array(frames * bins);
  // A full-scale sine through a Hann window peaks at amplitude fftSize / 4: that is 0 dB. Power in dB
  // (10 log10 of re² + im²) spares a square root and a division per bin.
  const referenceDb = 20 * Math.log10(fftSize / 4);
  // Frames are centred on t = frame × hop, so time 0 and the end both have a frame over them.
  const half = fftSize / 2;
  for (let frame = 0; frame < frames; frame++) {
    const start = frame * hop - half;
    for (let i = 0; i < fftSize; i++) {
      const index = start + i;
      input[i] = index >= 0 && index < samples.length ? samples[index] * window[i] : 0;
    }
    fft.realTransform(output, input);
    const row = frame * bins;
    for (let bin = 0; bin < bins; bin++) {
      const re = output[2 * bin];
      const im = output[2 * bin + 1];
      const power = re * re + im * im;
      db[row + bin] = power > 0 ? Math.max(FLOOR_DB, 10 * Math.log10(power) - referenceDb) : FLOOR_DB;
    }
  }
  return { frames, bins, sampleRate, hop, fftSize, db };
}

/** Channels averaged into one: the spectrogram and the waveform show what one hears in mono. */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const length = Math.min(...channels.map((channel) => channel.length));
  const mono = new Float32Array(length);
  for (const channel of channels) for (let i = 0; i < length; i++) mono[i] += channel[i];
  for (let i = 0; i < length; i++) mono[i] /= channels.length;
  return mono;
}
