/**
 * Pixels of the waveform and spectrogram panels ↔ time, frequency and level. Pure: the canvas code
 * only copies what these return, and click-to-seek is timeAtX.
 */
export type FrequencyScale = 'linear' | 'log';

/** The lowest frequency a log axis shows: below it a log axis spends its rows on nothing audible. */
const LOG_MIN_HZ = 20;

/** The dB range's floor: from −120 dB (the quiet detail of 24-bit and float audio) to −40 dB (the loud parts only). */
export const FLOOR_RANGE = { min: -120, max: -40, step: 5, initial: -90 } as const;

export function isFloorDb(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= FLOOR_RANGE.min && value <= FLOOR_RANGE.max;
}

/** Device pixel rows between two channels' lanes. */
const LANE_GAP = 2;
/** Lanes a panel draws at most: the channels after these are not drawn (the strip's description says so). */
export const MAX_LANES = 8;

/**
 * Each channel's lane down a panel `height` rows tall, top to bottom in the file's channel order
 * (left above right): its first row and how many rows it has, all lanes the same height.
 */
export function laneRows(height: number, channels: number): Array<{ top: number; rows: number }> {
  const lanes = Math.max(1, Math.min(MAX_LANES, channels));
  const gap = lanes > 1 ? LANE_GAP : 0;
  const rows = Math.max(1, Math.floor((height - gap * (lanes - 1)) / lanes));
  // A panel too short for every lane (never at the panels' sizes) draws the lanes that fit.
  return Array.from({ length: lanes }, (_, lane) => ({ top: lane * (rows + gap), rows })).filter((lane, i) => i === 0 || lane.top + rows <= height);
}

/** The rows a waveform bar from sample value `low` to `high` (±1 full scale) covers in its lane: at least one. */
export function barRows(low: number, high: number, lane: { top: number; rows: number }): { y: number; rows: number } {
  const middle = lane.top + lane.rows / 2;
  const y = Math.floor(middle - high * (lane.rows / 2));
  return { y, rows: Math.max(1, Math.ceil(middle - low * (lane.rows / 2)) - y) };
}

export function xOfTime(time: number, duration: number, width: number): number {
  if (duration <= 0) return 0;
  return Math.min(width, Math.max(0, (time / duration) * width));
}

/** The time a click at pixel column x seeks to (x from the panel's left edge, CSS pixels). */
export function timeAtX(x: number, width: number, duration: number): number {
  if (width <= 0) return 0;
  return Math.min(duration, Math.max(0, (x / width) * duration));
}

/** Row of a frequency: the row whose span holds it (see frequencyOfEdge), clamped to the panel. */
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
function levelOfDb(db: number, floorDb: number, ceilingDb: number): number {
  if (ceilingDb <= floorDb) return db >= ceilingDb ? 255 : 0;
  const t = (db - floorDb) / (ceilingDb - floorDb);
  return Math.round(255 * Math.min(1, Math.max(0, t)));
}

/** The frequency at the top edge of row y (y = height is the bottom edge: 0 Hz on either scale). */
export function frequencyOfEdge(y: number, height: number, nyquist: number, scale: FrequencyScale): number {
  const fraction = 1 - y / height;
  if (scale === 'linear') return fraction * nyquist;
  const low = Math.min(LOG_MIN_HZ, nyquist / 2);
  return fraction === 0 ? 0 : low * Math.pow(nyquist / low, fraction);
}

/**
 * dB (row-major, `width` wide) to RGBA through a palette of 256 colours over [floor, ceiling]: the
 * page keeps the dB and repaints with this when the range changes, so the worker is not asked again.
 */
export function paintDb(db: Float32Array, floorDb: number, ceilingDb: number, palette: Uint8Array, out: Uint8ClampedArray): void {
  for (let i = 0; i < db.length; i++) {
    if (db[i] !== db[i]) {
      // NaN: between two lanes, left transparent.
      out[4 * i + 3] = 0;
      continue;
    }
    const level = levelOfDb(db[i], floorDb, ceilingDb) * 4;
    out[4 * i] = palette[level];
    out[4 * i + 1] = palette[level + 1];
    out[4 * i + 2] = palette[level + 2];
    out[4 * i + 3] = 255;
  }
}

/**
 * A dark-to-bright palette (black, indigo, red, orange, pale yellow, close to matplotlib's
 * "inferno"): louder is always brighter, in colour and in grey, so it reads in every theme and for
 * colour-blind eyes.
 */
export function spectrogramPalette(): Uint8Array {
  const stops = [
    [0, 0, 0, 4],
    [0.25, 87, 16, 110],
    [0.5, 188, 55, 84],
    [0.75, 249, 142, 9],
    [1, 252, 255, 164],
  ];
  const palette = new Uint8Array(256 * 4);
  for (let level = 0; level < 256; level++) {
    const t = level / 255;
    const upper = stops.findIndex((stop) => stop[0] >= t);
    const [t1, ...high] = stops[Math.max(1, upper)];
    const [t0, ...low] = stops[Math.max(1, upper) - 1];
    const f = (t - t0) / (t1 - t0);
    for (let c = 0; c < 3; c++) palette[4 * level + c] = Math.round(low[c] + f * (high[c] - low[c]));
    palette[4 * level + 3] = 255;
  }
  return palette;
}

/** Frequencies worth a label on the axis: decades on a log axis, round steps on a linear one. */
export function frequencyTicks(nyquist: number, scale: FrequencyScale): number[] {
  if (scale === 'log') return [100, 1000, 10000, 100000].filter((hz) => hz < nyquist);
  const step = [100, 200, 500, 1000, 2000, 5000, 10000, 20000].find((s) => nyquist / s <= 5) ?? 50000;
  const ticks: number[] = [];
  for (let hz = step; hz < nyquist; hz += step) ticks.push(hz);
  return ticks;
}

/** "500 Hz", "2 kHz", "12.5 kHz". */
export function formatHz(hz: number): string {
  return hz >= 1000 ? `${Number((hz / 1000).toFixed(1))} kHz` : `${Math.round(hz)} Hz`;
}

/**
 * Minimum and maximum of the samples under columns [first, end) of `width`, into `min` and `max`:
 * the waveform drawn as bars. By ranges, so that the page spreads a long clip over several tasks.
 */
export function waveformPeaks(samples: Float32Array, width: number, min: Float32Array, max: Float32Array, first = 0, end = width): void {
  for (let x = first; x < end; x++) {
    const start = Math.floor((x / width) * samples.length);
    const stop = Math.min(samples.length, Math.max(start + 1, Math.floor(((x + 1) / width) * samples.length)));
    let low = Infinity;
    let high = -Infinity;
    for (let i = start; i < stop; i++) {
      const v = samples[i];
      if (v < low) low = v;
      if (v > high) high = v;
    }
    min[x] = low === Infinity ? 0 : low;
    max[x] = high === -Infinity ? 0 : high;
  }
}

/**
 * Where a key pressed on a focused waveform or spectrogram seeks to: ← and → by a second (by a tenth
 * of a clip shorter than 10 s), Page Up and Page Down by ten times that, Home and End to the ends.
 */
export function timeForKey(key: string, time: number, duration: number): number | undefined {
  const step = duration < 10 ? duration / 10 : 1;
  const to = (t: number) => Math.min(duration, Math.max(0, t));
  switch (key) {
    case 'ArrowLeft':
      return to(time - step);
    case 'ArrowRight':
      return to(time + step);
    case 'PageDown':
      return to(time - 10 * step);
    case 'PageUp':
      return to(time + 10 * step);
    case 'Home':
      return 0;
    case 'End':
      return duration;
    default:
      return undefined;
  }
}
