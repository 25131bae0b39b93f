/**
 * Samples as numbers on one scale, whatever their format: integers divided by their full scale
 * (u8 as (v − 128) / 128, s16 / 2^15, s24 / 2^23, s32 / 2^31), A-law and µ-law through G.711 to
 * 16-bit values / 2^15, floats as they are. For comparing files and for playback copies.
 */
import { bytesPerSample, type SampleFormat } from './audioFormat';
import { alawValue, mulawValue } from './g711';

/** The samples of `bytes` as numbers on the common scale, into `out`. */
export function toNumbers(bytes: Uint8Array, format: SampleFormat, out: Float64Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.length / bytesPerSample(format);
  switch (format) {
    case 'u8':
      for (let i = 0; i < count; i++) out[i] = (bytes[i] - 128) / 128;
      break;
    case 's16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true) / 32768;
      break;
    case 's24':
      for (let i = 0; i < count; i++) out[i] = (view.getUint16(3 * i, true) | (view.getInt8(3 * i + 2) << 16)) / 8388608;
      break;
    case 's32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true) / 2147483648;
      break;
    case 'f32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'f64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'alaw':
      for (let i = 0; i < count; i++) out[i] = alawValue(bytes[i]) / 32768;
      break;
    case 'mulaw':
      for (let i = 0; i < count; i++) out[i] = mulawValue(bytes[i]) / 32768;
      break;
  }
}

/** What making decoded samples safe changed: samples beyond full scale clipped, NaN and ±Inf replaced. */
export interface SafetyCounts {
  clipped: number;
  replaced: number;
}

/**
 * Float samples made playable in place: NaN becomes 0, ±Inf and anything beyond ±1.0 becomes ±1.0.
 * For pixels that are not the frames Resonance wrote (a model's output), where a stray bit in an
 * exponent is a sample of 3.4e38 or NaN. Integer formats are bounded by nature and left as they are.
 */
export function makeFloatsSafe(bytes: Uint8Array, format: SampleFormat, counts: SafetyCounts): void {
  if (format !== 'f32' && format !== 'f64') return;
  const width = format === 'f32' ? 4 : 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.length / width);
  const get = format === 'f32' ? (o: number) => view.getFloat32(o, true) : (o: number) => view.getFloat64(o, true);
  const set = format === 'f32' ? (o: number, v: number) => view.setFloat32(o, v, true) : (o: number, v: number) => view.setFloat64(o, v, true);
  for (let i = 0, o = 0; i < count; i++, o += width) {
    const value = get(o);
    if (value >= -1 && value <= 1) continue;
    if (Number.isNaN(value)) {
      set(o, 0);
      counts.replaced++;
    } else if (!Number.isFinite(value)) {
      set(o, value > 0 ? 1 : -1);
      counts.replaced++;
    } else {
      set(o, value > 0 ? 1 : -1);
      counts.clipped++;
    }
  }
}
