/**
 * WAV files for tests. `wavefile` writes the plain formats it gets right; everything it cannot
 * write (RF64, true WAVE_FORMAT_EXTENSIBLE, odd data with its pad byte, chunks after the data,
 * streaming-recorder sizes, broken headers) is built here chunk by chunk.
 */
import { WaveFile } from 'wavefile';
import { Prng } from './prng';

export const TAG_PCM = 0x0001;
export const TAG_ADPCM = 0x0002;
export const TAG_FLOAT = 0x0003;
export const TAG_ALAW = 0x0006;
export const TAG_MULAW = 0x0007;
export const TAG_EXTENSIBLE = 0xfffe;

export interface FmtSpec {
  tag: number;
  channels: number;
  sampleRate: number;
  /** Container bits per sample (the fmt chunk's wBitsPerSample). */
  bitsPerSample: number;
  blockAlign?: number;
  /** Write WAVE_FORMAT_EXTENSIBLE with `tag` as the sub-format. */
  extensible?: { validBits?: number; channelMask?: number };
}

export interface RiffChunk {
  id: string;
  body: Buffer;
}

export interface WavSpec {
  fmt: FmtSpec | Buffer;
  data: Buffer;
  /** Chunks between fmt and data. */
  before?: RiffChunk[];
  /** Chunks after the data (and its pad byte). */
  after?: RiffChunk[];
  container?: 'RIFF' | 'RF64' | 'BW64';
  /**
   * What the RIFF and data size fields hold: the true sizes, or 0 or 0xFFFFFFFF as a streaming
   * recorder leaves them when it cannot seek back.
   */
  sizes?: 'true' | 'zero' | 'unknown';
  /** Write the pad byte after odd-length data (the RIFF rule); default true. */
  padOddData?: boolean;
  /** Leave out the data chunk altogether. */
  noData?: boolean;
}

export function fmtBody(spec: FmtSpec): Buffer {
  const blockAlign = spec.blockAlign ?? (spec.bitsPerSample / 8) * spec.channels;
  const body = Buffer.alloc(spec.extensible ? 40 : spec.tag === TAG_PCM ? 16 : 18);
  body.writeUInt16LE(spec.extensible ? TAG_EXTENSIBLE : spec.tag, 0);
  body.writeUInt16LE(spec.channels, 2);
  body.writeUInt32LE(spec.sampleRate, 4);
  body.writeUInt32LE(spec.sampleRate * blockAlign, 8);
  body.writeUInt16LE(blockAlign, 12);
  body.writeUInt16LE(spec.bitsPerSample, 14);
  if (spec.extensible) {
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(spec.extensible.validBits ?? spec.bitsPerSample, 18);
    body.writeUInt32LE(spec.extensible.channelMask ?? 0, 20);
    body.writeUInt16LE(spec.tag, 24);
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(body, 26);
  }
  return body;
}

export function riffChunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length & 1)]);
}

/** A LIST/INFO chunk body such as ffmpeg writes (INAM, ISFT…), with an odd-length string to pad. */
export function listInfo(entries: Record<string, string>): RiffChunk {
  const parts: Uint8Array[] = [Buffer.from('INFO', 'latin1')];
  for (const [id, text] of Object.entries(entries)) parts.push(riffChunk(id, Buffer.from(`${text}\0`, 'latin1')));
  return { id: 'LIST', body: Buffer.concat(parts) };
}

export function buildWav(spec: WavSpec): Buffer {
  const container = spec.container ?? 'RIFF';
  const sizes = spec.sizes ?? 'true';
  const fmt = riffChunk('fmt ', Buffer.isBuffer(spec.fmt) ? spec.fmt : fmtBody(spec.fmt));
  const before = (spec.before ?? []).map((c) => riffChunk(c.id, c.body));
  const after = (spec.after ?? []).map((c) => riffChunk(c.id, c.body));
  const pad = spec.data.length & 1 && (spec.padOddData ?? true) ? Buffer.alloc(1) : Buffer.alloc(0);
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'latin1');
  const dataPart = spec.noData ? [] : [dataHeader, spec.data, pad];
  const ds64 = container !== 'RIFF' ? [Buffer.alloc(8 + 28)] : [];
  const body = [Buffer.from('WAVE', 'latin1'), ...ds64, fmt, ...before, ...dataPart, ...after];
  const riffSize = body.reduce((n, b) => n + b.length, 0);
  const riff = Buffer.alloc(8);
  riff.write(container, 0, 'latin1');

  const streamed = sizes === 'zero' ? 0 : sizes === 'unknown' ? 0xffffffff : undefined;
  if (container !== 'RIFF') {
    // A streaming RF64 recorder leaves the ds64 sizes 0; the data chunk's own size is 0 or -1.
    riff.writeUInt32LE(0xffffffff, 4);
    dataHeader.writeUInt32LE(streamed ?? 0xffffffff, 4);
    const d = ds64[0];
    d.write('ds64', 0, 'latin1');
    d.writeUInt32LE(28, 4);
    d.writeBigUInt64LE(streamed === undefined ? BigInt(riffSize) : 0n, 8);
    d.writeBigUInt64LE(streamed === undefined ? BigInt(spec.data.length) : 0n, 16);
    const blockAlign = Buffer.isBuffer(spec.fmt) ? 1 : (spec.fmt.blockAlign ?? (spec.fmt.bitsPerSample / 8) * spec.fmt.channels);
    d.writeBigUInt64LE(streamed === undefined ? BigInt(Math.floor(spec.data.length / blockAlign)) : 0n, 24);
  } else {
    riff.writeUInt32LE(streamed ?? riffSize, 4);
    dataHeader.writeUInt32LE(streamed ?? spec.data.length, 4);
  }
  return Buffer.concat([riff, ...body]);
}

/** wavefile's bit depth codes for the formats it writes right, with their bytes per sample. */
export const WAVEFILE_CODES = {
  '8': 1,
  '16': 2,
  '24': 3,
  '32': 4,
  '32f': 4,
  '64': 8,
  '8a': 1,
  '8m': 1,
} as const;
export type WavefileCode = keyof typeof WAVEFILE_CODES;

/** A WAV written by wavefile holding `sampleFrames` frames of seeded noise. */
export function wavefileWav(code: WavefileCode, channels: number, sampleRate: number, sampleFrames: number, seed: number): Buffer {
  const prng = new Prng(seed);
  const count = sampleFrames * channels;
  const samples: number[] = new Array(count);
  for (let i = 0; i < count; i++) samples[i] = sampleValue(code, prng);
  const wav = new WaveFile();
  wav.fromScratch(channels, sampleRate, code, samples);
  const bytes = Buffer.from(wav.toBuffer());
  return bytes;
}

function sampleValue(code: WavefileCode, prng: Prng): number {
  switch (code) {
    case '8':
    case '8a':
    case '8m':
      return prng.below(256);
    case '16':
      return prng.between(-32768, 32767);
    case '24':
      return prng.between(-(2 ** 23), 2 ** 23 - 1);
    case '32':
      return prng.between(-(2 ** 31), 2 ** 31 - 1);
    case '32f':
    case '64':
      return prng.next() * 2 - 1;
  }
}

/** The WAVE_FORMAT_EXTENSIBLE speaker bits the tests name, from the specification (ksmedia.h), not from src/. */
export const SPEAKER_BITS = { FL: 0x1, FR: 0x2, FC: 0x4, LFE: 0x8, BL: 0x10, BR: 0x20, SL: 0x200, SR: 0x400, TFL: 0x1000 } as const;
