/**
 * The RIFF/WAVE container: where the sample bytes are, what they are, and everything around them.
 *
 * Written here rather than with `wavefile` because encoding must stream (wavefile wants the whole
 * file in memory), must keep every chunk byte for byte, must find the data after a LIST chunk and
 * read EXTENSIBLE float right, and must handle RF64 and files over 4 GiB: see docs/decisions.md.
 */
import { open, type FileHandle } from 'node:fs/promises';
import {
  bytesPerSample,
  formatTagOf,
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_MULAW,
  WAVE_FORMAT_PCM,
  type AudioFormat,
  type SampleFormat,
} from '../format/audioFormat';
import { ResonanceError } from '../format/errors';
import type { Container } from '../format/manifest';


export interface WavFile {
  format: AudioFormat;
  container: Container;
  fileSize: number;
  /** Byte offset of the first sample byte. */
  dataOffset: number;
  dataLength: number;
  /** Every byte before the samples: RIFF header, fmt, LIST, ds64, the data chunk's own header… */
  header: Buffer;
  /** Every byte after the samples: the pad byte of odd-length data and any chunk that follows. */
  trailer: Buffer;
}

/** Chunks around the data are kept in memory (and in the manifest); beyond this, a file is refused. */
const MAX_SIDE_CHUNKS = 64 * 1024 * 1024;
const UNKNOWN_SIZE = 0xffffffff;

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x0161: 'WMA',
};

export async function readWavFile(path: string): Promise<WavFile> {
  const handle = await openForReading(path);
  try {
    return await readLayout(path, handle);
  } finally {
    await handle.close();
  }
}

async function openForReading(path: string): Promise<FileHandle> {
  const handle = await open(path, 'r');
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw new ResonanceError('NOT_A_FILE', path, 'is a folder, not a WAV file');
  }
  return handle;
}

async function readLayout(path: string, handle: FileHandle): Promise<WavFile> {
  const fileSize = (await handle.stat()).size;
  const read = async (position: number, length: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  };

  const riff = await read(0, 12);
  const magic = riff.toString('latin1', 0, 4);
  if (riff.length < 12 || riff.toString('latin1', 8, 12) !== 'WAVE' || !['RIFF', 'RF64', 'BW64', 'RIFX'].includes(magic)) {
    throw new ResonanceError('WAV_INVALID', path, riff.length === 0 ? 'is empty, not a WAV file' : 'is not a WAV file (no RIFF/WAVE header)');
  }
  if (magic === 'RIFX') throw new ResonanceError('WAV_UNSUPPORTED', path, 'big-endian RIFX WAV files are not supported');
  const container = magic as Container;

  let format: AudioFormat | undefined;
  let ds64DataSize: number | undefined;
  let position = 12;
  for (;;) {
    if (position + 8 > fileSize) {
      throw new ResonanceError('WAV_MALFORMED', path, format ? 'has no data chunk' : 'has no fmt chunk and no data chunk');
    }
    const chunkHeader = await read(position, 8);
    const id = chunkHeader.toString('latin1', 0, 4);
    const size = chunkHeader.readUInt32LE(4);
    const bodyStart = position + 8;

    if (id === 'data') {
      if (!format) throw new ResonanceError('WAV_MALFORMED', path, 'has its data chunk before any fmt chunk');
      const available = fileSize - bodyStart;
      let dataLength: number;
      // A ds64 data size of 0 is one a streaming recorder never came back to fill in, like a size of 0 here.
      if (container !== 'RIFF' && size === UNKNOWN_SIZE && ds64DataSize !== undefined && ds64DataSize !== 0) {
        dataLength = ds64DataSize;
      } else if (size === 0 || size === UNKNOWN_SIZE) {
        // A streaming recorder could not seek back to fill the size in: the data runs to the end.
        dataLength = available;
      } else {
        dataLength = size;
      }
      if (dataLength > available) {
        throw new ResonanceError('WAV_TRUNCATED', path, `is truncated: the data chunk declares ${dataLength} bytes but only ${available} follow`);
      }
      const dataEnd = bodyStart + dataLength;
      if (bodyStart > MAX_SIDE_CHUNKS || fileSize - dataEnd > MAX_SIDE_CHUNKS) {
        throw new ResonanceError('LIMIT_EXCEEDED', path, 'has more than 64 MiB of chunks around its data, which Resonance does not keep');
      }
      return {
        format,
        container,
        fileSize,
        dataOffset: bodyStart,
        dataLength,
        header: await read(0, bodyStart),
        trailer: await read(dataEnd, fileSize - dataEnd),
      };
    }

    if (bodyStart + size > fileSize) {
      throw new ResonanceError('WAV_TRUNCATED', path, `is truncated: the '${printable(id)}' chunk runs past the end of the file`);
    }
    if (id === 'fmt ') {
      format = parseFmt(path, await read(bodyStart, Math.min(size, 1024)));
    } else if (id === 'ds64' && container !== 'RIFF') {
      const ds64 = await read(bodyStart, Math.min(size, 28));
      if (ds64.length < 16) throw new ResonanceError('WAV_MALFORMED', path, 'has a ds64 chunk too short to hold the 64-bit sizes');
      ds64DataSize = Number(ds64.readBigUInt64LE(8));
    }
    position = bodyStart + size + (size & 1);
  }
}

function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, '?');
}

function parseFmt(path: string, fmt: Buffer): AudioFormat {
  if (fmt.length < 16) throw new ResonanceError('WAV_MALFORMED', path, 'has a fmt chunk shorter than 16 bytes');
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  let bitsPerSample = fmt.readUInt16LE(14);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 40) throw new ResonanceError('WAV_MALFORMED', path, 'has a WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes');
    const validBits = fmt.readUInt16LE(18);
    if (validBits > 0) bitsPerSample = validBits;
    tag = fmt.readUInt16LE(24); // the sub-format GUID's first field is the plain format tag
  }
  if (channels === 0) throw new ResonanceError('WAV_MALFORMED', path, 'declares zero channels');
  if (sampleRate === 0) throw new ResonanceError('WAV_MALFORMED', path, 'declares a sample rate of 0 Hz');
  if (blockAlign === 0 || blockAlign % channels !== 0) {
    throw new ResonanceError('WAV_MALFORMED', path, `has a block align of ${blockAlign} bytes, which does not fit ${channels} channels`);
  }
  const sampleBytes = blockAlign / channels;
  const sampleFormat = sampleFormatOf(tag, sampleBytes);
  if (!sampleFormat) {
    const name = FORMAT_NAMES[tag] ? ` (${FORMAT_NAMES[tag]})` : '';
    const what =
      tag === WAVE_FORMAT_PCM || tag === WAVE_FORMAT_IEEE_FLOAT
        ? `${tag === WAVE_FORMAT_PCM ? 'PCM' : 'float'} with ${sampleBytes}-byte samples`
        : `format tag 0x${tag.toString(16).padStart(4, '0')}${name}`;
    throw new ResonanceError('WAV_UNSUPPORTED', path, `uses an unsupported sample format: ${what}`);
  }
  return { sampleFormat, channels, sampleRate, bitsPerSample: Math.min(bitsPerSample || sampleBytes * 8, sampleBytes * 8), blockAlign };
}

function sampleFormatOf(tag: number, sampleBytes: number): SampleFormat | undefined {
  if (tag === WAVE_FORMAT_PCM) return (['u8', 's16', 's24', 's32'] as const)[sampleBytes - 1];
  if (tag === WAVE_FORMAT_IEEE_FLOAT) return sampleBytes === 4 ? 'f32' : sampleBytes === 8 ? 'f64' : undefined;
  if (tag === WAVE_FORMAT_ALAW && sampleBytes === 1) return 'alaw';
  if (tag === WAVE_FORMAT_MULAW && sampleBytes === 1) return 'mulaw';
  return undefined;
}

/**
 * The header and trailer of a canonical WAV for `dataLength` bytes of this format: plain
 * WAVEFORMAT for mono/stereo, EXTENSIBLE with a channel mask beyond two channels or when fewer bits
 * are valid than the container holds, a fact chunk for non-PCM formats, and RF64 when the file
 * would not fit RIFF's 32-bit sizes.
 */
export function canonicalContainer(format: AudioFormat, dataLength: number): { header: Buffer; trailer: Buffer } {
  const tag = formatTagOf(format.sampleFormat);
  const containerBits = bytesPerSample(format.sampleFormat) * 8;
  const extensible = format.channels > 2 || format.bitsPerSample < containerBits;
  const fmt = Buffer.alloc(extensible ? 40 : tag === WAVE_FORMAT_PCM ? 16 : 18);
  fmt.writeUInt16LE(extensible ? WAVE_FORMAT_EXTENSIBLE : tag, 0);
  fmt.writeUInt16LE(format.channels, 2);
  fmt.writeUInt32LE(format.sampleRate, 4);
  fmt.writeUInt32LE((format.sampleRate * format.blockAlign) >>> 0, 8);
  fmt.writeUInt16LE(format.blockAlign, 12);
  fmt.writeUInt16LE(containerBits, 14);
  if (extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(format.bitsPerSample, 18);
    fmt.writeUInt32LE(format.channels <= 18 ? (2 ** format.channels - 1) >>> 0 : 0, 20);
    // KSDATAFORMAT_SUBTYPE_*: {tag-0000-0010-8000-00aa00389b71}
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(fmt, 26);
    fmt.writeUInt16LE(tag, 24);
  }
  const sampleFrames = Math.floor(dataLength / format.blockAlign);
  const fact = tag === WAVE_FORMAT_PCM ? Buffer.alloc(0) : chunk('fact', uint32(Math.min(sampleFrames, UNKNOWN_SIZE)));
  const pad = dataLength & 1;
  const fmtChunk = chunk('fmt ', fmt);
  const riffBody = 4 + fmtChunk.length + fact.length + 8 + dataLength + pad;
  const trailer = Buffer.alloc(pad);

  if (8 + riffBody <= UNKNOWN_SIZE) {
    const riff = Buffer.alloc(12);
    riff.write('RIFF', 0, 'latin1');
    riff.writeUInt32LE(riffBody, 4);
    riff.write('WAVE', 8, 'latin1');
    return { header: Buffer.concat([riff, fmtChunk, fact, chunkHeader('data', dataLength)]), trailer };
  }
  const ds64Body = Buffer.alloc(28);
  ds64Body.writeBigUInt64LE(BigInt(riffBody + 36), 0);
  ds64Body.writeBigUInt64LE(BigInt(dataLength), 8);
  ds64Body.writeBigUInt64LE(BigInt(sampleFrames), 16);
  const riff = Buffer.alloc(12);
  riff.write('RF64', 0, 'latin1');
  riff.writeUInt32LE(UNKNOWN_SIZE, 4);
  riff.write('WAVE', 8, 'latin1');
  return { header: Buffer.concat([riff, chunk('ds64', ds64Body), fmtChunk, fact, chunkHeader('data', UNKNOWN_SIZE)]), trailer };
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value >>> 0, 0);
  return buffer;
}

function chunkHeader(id: string, size: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.write(id, 0, 'latin1');
  buffer.writeUInt32LE(Math.min(size, UNKNOWN_SIZE), 4);
  return buffer;
}

function chunk(id: string, body: Buffer): Buffer {
  return Buffer.concat([chunkHeader(id, body.length), body, Buffer.alloc(body.length & 1)]);
}
