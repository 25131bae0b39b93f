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
