/**
 * The RIFF/WAVE container: where the sample bytes are, what they are, and everything around them.
 *
 * Written here rather than with `wavefile` because encoding must stream (wavefile wants the whole
 * file in memory), must keep every chunk byte for byte, must find the data after a LIST chunk and
 * read EXTENSIBLE float right, and must handle RF64 and files over 4 GiB: see docs/decisions.md.
 */
import {
  bytesPerSample,
  describeAudioFormat,
  formatTagOf,
  isInterpreted,
  OPAQUE,
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_MULAW,
  WAVE_FORMAT_PCM,
  type AudioFormat,
  type SampleFormat,
} from '../format/audioFormat';
import { ResonanceError } from '../format/errors';
import { LIMITS, mebibytes } from '../format/limits';
import type { Container } from '../format/manifest';
import { openRegularFile } from '../files/safeOpen';
import { toResonanceError } from '../files/systemErrors';

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
  /** What was read otherwise than the file declares it (data cut short, a block align inferred): one line each, for the user. */
  warnings: string[];
}

export interface WavReadOptions {
  /** Refuse a data chunk that declares more bytes than follow, instead of reading what is there with a warning. */
  strict?: boolean;
}

const UNKNOWN_SIZE = 0xffffffff;
/**
 * Sizes streaming writers put in the data chunk's header when they cannot come back to fill it in:
 * SoX and espeak-ng 0x7FFFF000, arecord 0x80000000. Larger than what follows, they mean "to the end".
 */
const PLACEHOLDER_SIZES = new Set([0x7ffff000, 0x80000000]);
/** Chunk headers are read this much at a time: a file of a million tiny chunks costs a few reads, not a million. */
const READ_BLOCK = 64 * 1024;
/** More of a fmt chunk than any format uses (EXTENSIBLE is 40 bytes). */
const FMT_BYTES_READ = 1024;

const ID_DATA = 0x64617461; // 'data'
const ID_FMT = 0x666d7420; // 'fmt '
const ID_DS64 = 0x64733634; // 'ds64'

/** Where the bytes of a WAV come from: a file, or a header and trailer kept apart from their data. */
interface ByteSource {
  size: number;
  /** Up to `length` bytes at `position`; fewer only at the end. */
  read(position: number, length: number): Promise<Buffer>;
}

export async function readWavFile(path: string, options: WavReadOptions = {}): Promise<WavFile> {
  const { handle, size } = await openRegularFile(path, 'a WAV file');
  try {
    const source: ByteSource = {
      size,
      async read(position, length) {
        const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)));
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buffer.subarray(0, done);
      },
    };
    return await readLayout(source, path, options);
  } catch (error) {
    throw toResonanceError(error, path);
  } finally {
    await handle.close();
  }
}

/**
 * Why `header ‖ (dataLength bytes) ‖ trailer` is not the WAV of `format` it is said to be (the
 * original's header and trailer as a manifest or frame 0 keeps them), or undefined when it is: the
 * header must read as a WAV whose data starts right after it, with this length and this format.
 */
export async function sourceContainerProblem(header: Buffer, trailer: Buffer, format: AudioFormat, dataLength: number): Promise<string | undefined> {
  const size = header.length + dataLength + trailer.length;
  const source: ByteSource = {
    size,
    async read(position, length) {
      // The data is not there, and the walk never reads it (it stops at the data chunk's header).
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      if (position < header.length) header.copy(out, 0, position, Math.min(header.length, position + out.length));
      const trailerStart = header.length + dataLength;
      if (position + out.length > trailerStart) trailer.copy(out, Math.max(0, trailerStart - position), Math.max(0, position - trailerStart));
      return out;
    },
  };
  let layout: WavFile;
  try {
    layout = await readLayout(source, '', {});
  } catch (error) {
    return `is not the header of a WAV file: it ${toResonanceError(error).problem}`;
  }
  if (layout.dataOffset !== header.length) return `is ${header.length} bytes long, but the data chunk it declares starts at byte ${layout.dataOffset}`;
  if (layout.dataLength !== dataLength) return `declares ${layout.dataLength} bytes of data, not the ${dataLength} of dataLength`;
  const difference = formatDifference(layout.format, format);
  if (difference) return `declares ${difference}`;
  return undefined;
}

function formatDifference(declared: AudioFormat, recorded: AudioFormat): string | undefined {
  if (
    declared.sampleFormat !== recorded.sampleFormat ||
    declared.opaque?.formatTag !== recorded.opaque?.formatTag ||
    declared.opaque?.bigEndian !== recorded.opaque?.bigEndian
  ) {
    return `${describeAudioFormat(declared)} audio, not ${describeAudioFormat(recorded)}`;
  }
  for (const field of ['channels', 'sampleRate', 'bitsPerSample', 'blockAlign'] as const) {
    if (declared[field] !== recorded[field]) return `${field} ${declared[field]}, not ${recorded[field]}`;
  }
  if (declared.opaque?.bytesPerSecond !== recorded.opaque?.bytesPerSecond)
    return `${declared.opaque?.bytesPerSecond} bytes per second, not ${recorded.opaque?.bytesPerSecond}`;
  return undefined;
}

/** Chunk headers through a buffer of READ_BLOCK bytes, refilled only when the walk leaves it. */
class BlockReader {
  private block: Buffer = Buffer.alloc(0);
  private start = 0;

  constructor(private readonly source: ByteSource) {}

  async bytes(position: number, length: number): Promise<Buffer> {
    if (position < this.start || position + length > this.start + this.block.length) {
      this.block = await this.source.read(position, Math.max(length, READ_BLOCK));
      this.start = position;
    }
    const at = position - this.start;
    return this.block.subarray(at, Math.min(this.block.length, at + length));
  }
}

async function readLayout(source: ByteSource, path: string, options: WavReadOptions): Promise<WavFile> {
  const fileSize = source.size;
  const reader = new BlockReader(source);
  const riff = await reader.bytes(0, 12);
  const magic = riff.toString('latin1', 0, 4);
  if (riff.length < 12 || riff.toString('latin1', 8, 12) !== 'WAVE' || !['RIFF', 'RF64', 'BW64', 'RIFX'].includes(magic)) {
    throw new ResonanceError('WAV_INVALID', path, riff.length === 0 ? 'is empty, not a WAV file' : 'is not a WAV file (no RIFF/WAVE header)');
  }
  const container = magic as Container;
  const bigEndian = container === 'RIFX';
  const warnings: string[] = [];

  let format: AudioFormat | undefined;
  let ds64DataSize: number | undefined;
  let position = 12;
  for (;;) {
    if (position + 8 > fileSize) {
      throw new ResonanceError('WAV_MALFORMED', path, format ? 'has no data chunk' : 'has no fmt chunk and no data chunk');
    }
    const chunkHeader = await reader.bytes(position, 8);
    const id = chunkHeader.readUInt32BE(0);
    const size = bigEndian ? chunkHeader.readUInt32BE(4) : chunkHeader.readUInt32LE(4);
    const bodyStart = position + 8;

    if (id === ID_DATA) {
      if (!format) throw new ResonanceError('WAV_MALFORMED', path, 'has its data chunk before any fmt chunk');
      const dataLength = dataLengthOf(size, container, ds64DataSize, fileSize - bodyStart, path, options, warnings);
      const dataEnd = bodyStart + dataLength;
      checkSideChunks(bodyStart + (fileSize - dataEnd), path);
      return {
        format,
        container,
        fileSize,
        dataOffset: bodyStart,
        dataLength,
        header: await source.read(0, bodyStart),
        trailer: await source.read(dataEnd, fileSize - dataEnd),
        warnings,
      };
    }

    if (bodyStart + size > fileSize) {
      throw new ResonanceError(
        'WAV_TRUNCATED',
        path,
        `is truncated: the '${printable(chunkHeader.toString('latin1', 0, 4))}' chunk runs past the end of the file`,
      );
    }
    // Everything before the data is kept in memory: refused as soon as it is known to be too much.
    checkSideChunks(bodyStart + size, path);
    if (id === ID_FMT) {
      format = parseFmt(path, await source.read(bodyStart, Math.min(size, FMT_BYTES_READ)), bigEndian, warnings);
    } else if (id === ID_DS64 && (container === 'RF64' || container === 'BW64')) {
      const ds64 = await source.read(bodyStart, Math.min(size, 28));
      if (ds64.length < 16) throw new ResonanceError('WAV_MALFORMED', path, 'has a ds64 chunk too short to hold the 64-bit sizes');
      ds64DataSize = Number(ds64.readBigUInt64LE(8));
    }
    position = bodyStart + size + (size & 1);
  }
}

function dataLengthOf(
  size: number,
  container: Container,
  ds64DataSize: number | undefined,
  available: number,
  path: string,
  options: WavReadOptions,
  warnings: string[],
): number {
  let declared: number;
  // A ds64 data size of 0 is one a streaming recorder never came back to fill in, like a size of 0 here.
  if ((container === 'RF64' || container === 'BW64') && size === UNKNOWN_SIZE && ds64DataSize !== undefined && ds64DataSize !== 0) {
    declared = ds64DataSize;
  } else if (size === 0 || size === UNKNOWN_SIZE) {
    // A streaming recorder could not seek back to fill the size in: the data runs to the end.
    return available;
  } else {
    declared = size;
  }
  if (declared <= available) return declared;
  if (PLACEHOLDER_SIZES.has(declared)) return available;
  const shortfall = `the data chunk declares ${declared} bytes but only ${available} follow`;
  if (options.strict) throw new ResonanceError('WAV_TRUNCATED', path, `is truncated: ${shortfall}`);
  // As ffmpeg and SoX do: what is there is the audio. The header is kept as it is, so the round trip stays byte for byte.
  warnings.push(`${path}: is truncated: ${shortfall}; read the ${available} bytes there (${declared - available} missing)`);
  return available;
}

function checkSideChunks(bytes: number, path: string): void {
  if (bytes > LIMITS.sideChunkBytes) {
    throw new ResonanceError(
      'LIMIT_EXCEEDED',
      path,
      `has more than ${mebibytes(LIMITS.sideChunkBytes)} of chunks around its data, which Resonance keeps in memory and in the manifest: the most it takes`,
    );
  }
}

function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, '?');
}

function parseFmt(path: string, fmt: Buffer, bigEndian: boolean, warnings: string[]): AudioFormat {
  if (fmt.length < 16) throw new ResonanceError('WAV_MALFORMED', path, 'has a fmt chunk shorter than 16 bytes');
  const u16 = (at: number) => (bigEndian ? fmt.readUInt16BE(at) : fmt.readUInt16LE(at));
  const u32 = (at: number) => (bigEndian ? fmt.readUInt32BE(at) : fmt.readUInt32LE(at));
  let tag = u16(0);
  const channels = u16(2);
  const sampleRate = u32(4);
  const bytesPerSecond = u32(8);
  let blockAlign = u16(12);
  const containerBits = u16(14);
  let bitsPerSample = containerBits;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 40) throw new ResonanceError('WAV_MALFORMED', path, 'has a WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes');
    const validBits = u16(18);
    if (validBits > 0) bitsPerSample = validBits;
    tag = u16(24); // the sub-format GUID's first field is the plain format tag
  }
  if (channels === 0) throw new ResonanceError('WAV_MALFORMED', path, 'declares zero channels');
  if (sampleRate === 0) throw new ResonanceError('WAV_MALFORMED', path, 'declares a sample rate of 0 Hz');
  if (blockAlign === 0) {
    // Some writers leave it out (Debian's tuxtype buzz.wav, 8-bit mono): what players do is infer it.
    if (containerBits === 0) throw new ResonanceError('WAV_MALFORMED', path, 'has a block align of 0 and no bits per sample to infer it from');
    blockAlign = Math.ceil(containerBits / 8) * channels;
    if (blockAlign > 0xffff)
      throw new ResonanceError('WAV_MALFORMED', path, `has a block align of 0, and ${containerBits} bits for ${channels} channels do not make one`);
    warnings.push(
      `${path}: has a block align of 0; read as ${blockAlign} byte${blockAlign === 1 ? '' : 's'} per sample frame, from its ${containerBits} bits per ` +
        `sample and ${channels} channel${channels === 1 ? '' : 's'}`,
    );
  }
  const interpretedTag = !bigEndian && [WAVE_FORMAT_PCM, WAVE_FORMAT_IEEE_FLOAT, WAVE_FORMAT_ALAW, WAVE_FORMAT_MULAW].includes(tag);
  if (interpretedTag) {
    if (blockAlign % channels !== 0) {
      throw new ResonanceError('WAV_MALFORMED', path, `has a block align of ${blockAlign} bytes, which does not fit ${channels} channels`);
    }
    const sampleBytes = blockAlign / channels;
    const sampleFormat = sampleFormatOf(tag, sampleBytes);
    if (sampleFormat) {
      return { sampleFormat, channels, sampleRate, bitsPerSample: Math.min(bitsPerSample || sampleBytes * 8, sampleBytes * 8), blockAlign };
    }
  }
  // Samples Resonance cannot read (ADPCM, GSM, 40-bit PCM, big-endian…): their bytes still round-trip.
  return {
    sampleFormat: OPAQUE,
    channels,
    sampleRate,
    bitsPerSample,
    blockAlign,
    opaque: { formatTag: tag, bytesPerSecond: bytesPerSecond || blockAlign * sampleRate, bigEndian },
  };
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
 * would not fit RIFF's 32-bit sizes. Only for audio Resonance interprets: an opaque format's
 * header (ADPCM's coefficients, say) cannot be made up.
 */
export function canonicalContainer(format: AudioFormat, dataLength: number): { header: Buffer; trailer: Buffer } {
  if (!isInterpreted(format)) throw new Error('canonicalContainer needs audio Resonance interprets');
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
