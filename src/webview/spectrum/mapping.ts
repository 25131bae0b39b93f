/**
 * Pixels of the waveform and spectrogram panels ↔ time, frequency and level. Pure: the canvas code
 * only copies what these return, and click-to-seek is timeAtX.
 */
import type { Spectrogram } from './stft';

export type FrequencyScale = 'linear' | 'log';

/** The lowest frequency a log axis shows: below it a log axis spends its rows on nothing audible. */
export const LOG_MIN_HZ = 20;

export function xOfTime(time: number, duration: number, width: number): number {
  if (duration <= 0) return 0;
  return Math.min(width, Math.max(0, (time / duration) * width));
}

/** The time a click at pixel column x seeks to (x from the panel's left edge, CSS pixels). */
export function timeAtX(x: number, width: number, duration: number): number {
  if (width <= 0) return 0;
  return Math.min(duration, Math.max(0, (x / width) * duration));
}

/** The frequency at the centre of row y (row 0 at the top, the highest frequency). */
export function frequencyOfRow(y: number, height: number, nyquist: number, scale: FrequencyScale): number {
  const fraction = 1 - (y + 0.5) / height;
  if (scale === 'linear') return fraction * nyquist;
  const low = Math.min(LOG_MIN_HZ, nyquist / 2);
  return low * Math.pow(nyquist / low, fraction);
}

/** Row of a frequency: the inverse of frequencyOfRow, clamped to the panel. */
export function rowOfFrequency(hz: number, height: number, nyquist: number, scale: FrequencyScale): number {
  let fraction: number;
  if (scale === 'linear') fraction = hz / nyquist;
  else {
    const low = Math.min(LOG_MIN_HZ, nyquist / 2);
    fraction = hz <= low ? 0 : Math.log(hz / low) / Math.log(nyquist / low);
  }
  return Math.min(height - 1, Math.max(0, Math.floor((1 - fraction) * height)));
}

/** dB to 0..255 over [floor, ceiling]; quieter is 0, louder is 255. */
export function levelOfDb(db: number, floorDb: number, ceilingDb: number): number {
  if (ceilingDb <= floorDb) return db >= ceilingDb ? 255 : 0;
  const t = (db - floorDb) / (ceilingDb - floorDb);
  return Math.round(255 * Math.min(1, Math.max(0, t)));
}

export interface SpectrogramView {
  readonly width: number;
  readonly height: number;
  readonly scale: FrequencyScale;
  readonly floorDb: number;
  readonly ceilingDb: number;
}

/**
 * The spectrogram as width × height levels (0..255, row 0 the highest frequency): each pixel takes the
 * loudest bin and frame it covers, so a short click or a thin tone is never averaged away.
 */
export function renderLevels(spectrogram: Spectrogram, view: SpectrogramView): Uint8Array {
  const { width, height, scale, floorDb, ceilingDb } = view;
  const { frames, bins, db, sampleRate } = spectrogram;
  const nyquist = sampleRate / 2;
  const levels = new Uint8Array(width * height);
  // Bin range of each row, from the frequencies of the row's edges.
  const rowLow = new Int32Array(height);
  const rowHigh = new Int32Array(height);
  const binHz = nyquist / (bins - 1);
  for (let y = 0; y < height; y++) {
    const top = frequencyOfEdge(y, height, nyquist, scale);
    const bottom = frequencyOfEdge(y + 1, height, nyquist, scale);
    const low = Math.round(bottom / binHz);
    const high = Math.round(top / binHz);
    rowLow[y] = Math.min(bins - 1, Math.max(0, low));
    rowHigh[y] = Math.min(bins - 1, Math.max(rowLow[y], high));
  }
  for (let x = 0; x < width; x++) {
    const firstFrame = Math.min(frames - 1, Math.floor((x / width) * frames));
    const lastFrame = Math.max(firstFrame, Math.min(frames - 1, Math.ceil(((x + 1) / width) * frames) - 1));
    for (let y = 0; y < height; y++) {
      let loudest = -Infinity;
      for (let frame = firstFrame; frame <= lastFrame; frame++) {
        const row = frame * bins;
        for (let bin = rowLow[y]; bin <= rowHigh[y]; bin++) if (db[row + bin] > loudest) loudest = db[row + bin];
      }
      levels[y * width + x] = levelOfDb(loudest, floorDb, ceilingDb);
    }
  }
  return levels;
}

function frequencyOfEdge(y: number, height: number, nyquist: number, scale: FrequencyScale): number {
  const fraction = 1 - y / height;
  if (scale === 'linear') return fraction * nyquist;
  const low = Math.min(LOG_MIN_HZ, nyquist / 2);
  return fraction === 0 ? 0 : low * Math.pow(nyquist / low, fraction);
}

/** Minimum and maximum of the samples under each of width columns: the waveform drawn as bars. */
export function waveformPeaks(samples: Float32Array, width: number): { min: Float32Array; max: Float32Array } {
  const min = new Float32Array(width);
  const max = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const start = Math.floor((x / width) * samples.length);
    const end = Math.max(start + 1, Math.floor(((x + 1) / width) * samples.length));
    let low = Infinity;
    let high = -Infinity;
    for (let i = start; i < Math.min(end, samples.length); i++) {
      if (samples[i] < low) low = samples[i];
      if (samples[i] > high) high = samples[i];
    }
    min[x] = low === Infinity ? 0 : low;
    max[x] = high === -Infinity ? 0 : high;
  }
  return { min, max };
}
