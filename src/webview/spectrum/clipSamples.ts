/**
 * A WAV's bytes → Float32 samples of each channel and their rate, for the waveform and the spectrogram
 * (which draw each channel in its own lane).
 *
 * The page fetches the same WAV URL its <audio> plays (Requests 'audio', or a gallery clip's URL)
 * rather than asking the host for samples through a new request: the bytes are the ones heard (for
 * formats a browser cannot play they are already the host's float32 copy, so only the formats below
 * arrive), nothing is decoded twice on the host, and any screen that has a WAV URL (the gallery's
 * clips too) gets its samples the same way. The webview may import only the codec's pure format, not
 * the Node WAV reader (src/codec/wav/), so the RIFF chunk walk is repeated here in its simplest form:
 * RIFF/WAVE, fmt (PCM, float, A-law, µ-law, EXTENSIBLE), data; RF64 and RIFX are refused, as
 * browsers do not play them either.
 */
import { alawValue, mulawValue, ResonanceError } from '../../codec/format';

export interface ClipSamples {
  /** One array per channel, in the file's order (left, right for stereo), on the common scale (full scale ±1). */
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
  /** Seconds. */
  readonly duration: number;
}

type Encoding = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64' | 'alaw' | 'mulaw';

interface WavFormat {
  encoding: Encoding;
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

const TAG_PCM = 1;
const TAG_FLOAT = 3;
const TAG_ALAW = 6;
const TAG_MULAW = 7;
const TAG_EXTENSIBLE = 0xfffe;

/** Sample frames decoded between pauses: a few milliseconds' work. */
const SLICE_FRAMES = 1 << 19;

/**
 * `name` is the file as the user knows it, for the one-line error. `pause` is awaited between
 * slices of the decoding, so that the page can paint and take input meanwhile: a 10-minute file is
 * 26 million samples, a few hundred milliseconds on the page's thread.
 */
export async function clipSamples(bytes: Uint8Array, name: string, pause?: () => Promise<void>): Promise<ClipSamples> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new ResonanceError('WAV_INVALID', name, 'is not a RIFF/WAVE file');
  let format: WavFormat | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = text(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') format = parseFmt(view, body, Math.min(size, bytes.length - body), name);
    else if (id === 'data') {
      if (!format) throw new ResonanceError('WAV_MALFORMED', name, 'has its data chunk before any fmt chunk');
      // A streaming writer's placeholder size (or a file cut short) means: the samples that are there.
      const length = Math.min(size, bytes.length - body);
      return decode(bytes.subarray(body, body + length), format, pause);
    }
    at = body + size + (size & 1);
  }
  throw new ResonanceError('WAV_MALFORMED', name, format ? 'has no data chunk' : 'has no fmt chunk');
}

function parseFmt(view: DataView, at: number, size: number, name: string): WavFormat {
  if (size < 16) throw new ResonanceError('WAV_MALFORMED', name, 'has a fmt chunk shorter than 16 bytes');
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (tag === TAG_EXTENSIBLE && size >= 40) tag = view.getUint16(at + 24, true);
  const bytes = channels > 0 ? blockAlign / channels : 0;
  const encoding = encodingOf(tag, bytes, bits);
  if (!encoding || channels === 0 || sampleRate === 0 || !Number.isInteger(bytes)) {
    const described = `format tag 0x${tag.toString(16).padStart(4, '0')}, ${bits} bits`;
    throw new ResonanceError('WAV_UNSUPPORTED', name, `holds audio (${described}) whose samples cannot be drawn`);
  }
  return { encoding, channels, sampleRate, blockAlign };
}

function encodingOf(tag: number, bytes: number, bits: number): Encoding | undefined {
  if (tag === TAG_PCM) return ({ 1: 'u8', 2: 's16', 3: 's24', 4: 's32' } as const)[bytes];
  if (tag === TAG_FLOAT) return bytes === 4 ? 'f32' : bytes === 8 ? 'f64' : undefined;
  if (tag === TAG_ALAW && bits === 8) return 'alaw';
  if (tag === TAG_MULAW && bits === 8) return 'mulaw';
  return undefined;
}

/** Typed-array views in the common cases (16-bit and float32 on an aligned offset), a DataView otherwise. */
async function decode(data: Uint8Array, format: WavFormat, pause?: () => Promise<void>): Promise<ClipSamples> {
  const { encoding, channels, sampleRate, blockAlign } = format;
  const frames = Math.floor(data.length / blockAlign);
  const outs = Array.from({ length: channels }, () => new Float32Array(frames));
  const fill = filler(data, encoding, channels, frames * channels, outs);
  for (let first = 0; first < frames; first += SLICE_FRAMES) {
    fill(first, Math.min(frames, first + SLICE_FRAMES));
    if (pause && first + SLICE_FRAMES < frames) await pause();
  }
  return { channels: outs, sampleRate, duration: frames / sampleRate };
}

/** Writes each channel's samples of frames [first, end) into its array of `outs`. */
function filler(data: Uint8Array, encoding: Encoding, channels: number, total: number, outs: Float32Array[]): (first: number, end: number) => void {
  if (encoding === 's16' && data.byteOffset % 2 === 0 && channels <= 2) {
    // The common cases (16-bit mono and stereo) without a call per sample.
    const ints = new Int16Array(data.buffer, data.byteOffset, total);
    const [left, right] = outs;
    if (!right) {
      return (first, end) => {
        for (let i = first; i < end; i++) left[i] = ints[i] / 32768;
      };
    }
    return (first, end) => {
      for (let frame = first, i = 2 * first; frame < end; frame++, i += 2) {
        left[frame] = ints[i] / 32768;
        right[frame] = ints[i + 1] / 32768;
      }
    };
  }
  let value: (i: number) => number;
  if (encoding === 's16' && data.byteOffset % 2 === 0) {
    const ints = new Int16Array(data.buffer, data.byteOffset, total);
    value = (i) => ints[i] / 32768;
  } else if (encoding === 'f32' && data.byteOffset % 4 === 0) {
    const floats = new Float32Array(data.buffer, data.byteOffset, total);
    value = (i) => safe(floats[i]);
  } else {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const table = encoding === 'alaw' || encoding === 'mulaw' ? g711Table(encoding) : undefined;
    value = {
      u8: (i: number) => (data[i] - 128) / 128,
      s16: (i: number) => view.getInt16(2 * i, true) / 32768,
      s24: (i: number) => (view.getUint16(3 * i, true) | (view.getInt8(3 * i + 2) << 16)) / 8388608,
      s32: (i: number) => view.getInt32(4 * i, true) / 2147483648,
      f32: (i: number) => safe(view.getFloat32(4 * i, true)),
      f64: (i: number) => safe(view.getFloat64(8 * i, true)),
      alaw: (i: number) => table![data[i]],
      mulaw: (i: number) => table![data[i]],
    }[encoding];
  }
  return (first, end) => {
    for (let frame = first, i = first * channels; frame < end; frame++) {
      for (let c = 0; c < channels; c++, i++) outs[c][frame] = value(i);
    }
  };
}

/** A float file's NaN or a sample of 3.4e38 (a model's stray exponent bit) would blank the whole picture. */
function safe(v: number): number {
  return v === v ? Math.max(-1, Math.min(1, v)) : 0;
}

function g711Table(encoding: 'alaw' | 'mulaw'): Float32Array {
  const table = new Float32Array(256);
  for (let code = 0; code < 256; code++) table[code] = (encoding === 'alaw' ? alawValue(code) : mulawValue(code)) / 32768;
  return table;
}
