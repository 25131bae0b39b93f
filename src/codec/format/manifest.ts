/**
 * The manifest (`resonance.json`) beside the frames, and the smaller record each frame carries in
 * its own `resonance` text chunk. Both are validated field by field: they come from disk and may
 * have been edited, truncated or written by another tool. The manifest's frame list can hold
 * millions of entries, so it is never held whole: the head (every other field) is checked here as
 * one value, each entry of the list on its own as the reader streams it (../files/manifestFile.ts).
 */
import { bytesPerSample, isInterpreted, isSampleFormat, OPAQUE, type AudioFormat } from './audioFormat';
import { ResonanceError, type ErrorCode } from './errors';
import { geometryProblem, gridOf, type Geometry } from './geometry';
import { isLayoutName, layoutOf, type LayoutName } from './layout';
import { framePixelsProblem, LIMITS, mebibytes } from './limits';

export const MANIFEST_NAME = 'resonance.json';

/** The kind of RIFF file a source WAV was: plain RIFF, RF64/BW64 for files past 4 GiB, big-endian RIFX. */
export type Container = 'RIFF' | 'RF64' | 'BW64' | 'RIFX';
const CONTAINERS: readonly Container[] = ['RIFF', 'RF64', 'BW64', 'RIFX'];

/**
 * Version 1 is every stream whose samples Resonance interprets; version 2 adds opaque audio
 * (`"sampleFormat": "opaque"`), so that a Resonance that knows only version 1 says "update
 * Resonance" rather than "bad sample format". Writers use the lowest version that holds the stream.
 */
export const FORMAT_VERSION = 1;
const LATEST_FORMAT_VERSION = 2;

export function formatVersionFor(audio: AudioFormat): number {
  return isInterpreted(audio) ? FORMAT_VERSION : LATEST_FORMAT_VERSION;
}

/** Keyword of the tEXt chunk that carries a FrameRecord. */
export const TEXT_KEYWORD = 'resonance';
/** Frame 0 carries the original header and trailer too when together they are at most this long. */
export const MAX_SOURCE_IN_FRAME = 64 * 1024;

/** Where a folder's stream parameters came from: its manifest, its frames' text chunks, or what the caller assumed. */
export type MetadataSource = 'manifest' | 'frames' | 'assumed';

/** What decoding needs to know about the audio and the frames, shared by manifest and frame records. */
export interface StreamInfo {
  geometry: Geometry;
  layout: LayoutName;
  audio: AudioFormat;
  /** Bytes of the WAV's data chunk: the frames hold these, then zero padding. */
  dataLength: number;
  bytesPerFrame: number;
  frameCount: number;
}

/** The bytes around the WAV's samples, so that decoding rebuilds the original file byte for byte. */
export interface SourceContainer {
  /** Base64 of every byte before the samples. */
  header: string;
  /** Base64 of every byte after the samples. */
  trailer: string;
}

/** Every field of the manifest but its frame list. */
export interface ManifestHead extends StreamInfo {
  format: 'resonance';
  version: number;
  compression: string;
  source: SourceContainer & {
    name: string;
    size: number;
    container: Container;
    /** SHA-256 (hex) of the data chunk's bytes. */
    dataSha256: string;
  };
}

/** One entry of the manifest's frame list. */
export interface FrameEntry {
  file: string;
  /** SHA-256 (hex) of the frame's data pixels. */
  sha256: string;
}

export interface FrameRecord extends StreamInfo {
  version: number;
  frame: number;
  /** SHA-256 (hex) of the frame's data pixels (3 · columns · rows bytes). */
  sha256: string;
  source?: SourceContainer;
}

export function frameFileName(index: number, frameCount: number): string {
  return `frame_${String(index).padStart(frameNameDigits(frameCount), '0')}.png`;
}

/** Whether `name` is a name Resonance gives a frame (frame_00000.png…): a frame of a sequence, whatever else its folder holds. */
export function isFrameFileName(name: string): boolean {
  return /^frame_\d{5,}\.png$/.test(name);
}

/** Digits of the index in the names of a stream of `frameCount` frames. */
export function frameNameDigits(frameCount: number): number {
  return Math.max(5, String(frameCount - 1).length);
}

/** The manifest's head, its fields already read from the file (the frame list apart). */
export function checkManifestHead(value: Record<string, unknown>, file: string): ManifestHead {
  const check = new Checker(file);
  if (value.format !== 'resonance') check.fail('is not a Resonance manifest (no "format": "resonance")');
  const version = check.version(value.version);
  const stream = check.stream(value, version);
  const s = check.object(value.source, 'source');
  const source = {
    name: check.string(s.name, 'source.name'),
    size: check.count(s.size, 'source.size'),
    container: check.oneOf(s.container, CONTAINERS, 'source.container'),
    header: check.base64(s.header, 'source.header'),
    trailer: check.base64(s.trailer, 'source.trailer'),
    dataSha256: check.hex(s.dataSha256, 'source.dataSha256'),
  };
  check.sourceSize(source);
  const parts = base64Length(source.header) + stream.dataLength + base64Length(source.trailer);
  if (source.size !== parts)
    check.fail(`says the original file was ${source.size} bytes, but its header, data and trailer make ${parts}`, 'MANIFEST_INCONSISTENT');
  return { format: 'resonance', version, compression: typeof value.compression === 'string' ? value.compression : 'default', ...stream, source };
}

/** Entry `index` of the manifest's frame list. */
export function checkFrameEntry(value: unknown, index: number, file: string): FrameEntry {
  const check = new Checker(file);
  const entry = check.object(value, `frames[${index}]`);
  return { file: check.fileName(entry.file, `frames[${index}].file`), sha256: check.hex(entry.sha256, `frames[${index}].sha256`) };
}

export function parseFrameRecord(text: string, file: string): FrameRecord {
  const value = parseJson(text, file, 'its resonance text chunk');
  const check = new Checker(file, 'its resonance text chunk');
  const version = check.version(value.version);
  const record: FrameRecord = {
    version,
    ...check.stream(value, version),
    frame: check.count(value.frame, 'frame'),
    sha256: check.hex(value.sha256, 'sha256'),
  };
  if (record.frame >= record.frameCount) check.fail(`says it is frame ${record.frame} of a stream of ${record.frameCount} frames`, 'MANIFEST_INCONSISTENT');
  if (value.source !== undefined) {
    const source = check.object(value.source, 'source');
    record.source = { header: check.base64(source.header, 'source.header'), trailer: check.base64(source.trailer, 'source.trailer') };
    check.sourceSize(record.source);
  }
  return record;
}

/** Bytes that a base64 text of this form decodes to. */
function base64Length(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

function parseJson(text: string, file: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ResonanceError('MANIFEST_INVALID', file, `${what} is not valid JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ResonanceError('MANIFEST_INVALID', file, `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

class Checker {
  constructor(
    private readonly file: string,
    private readonly where?: string,
  ) {}

  fail(problem: string, code: ErrorCode = 'MANIFEST_INVALID'): never {
    throw new ResonanceError(code, this.file, this.where ? `${this.where} ${problem}` : problem);
  }

  private bad(field: string, expected: string): never {
    this.fail(`has a bad "${field}": expected ${expected}`);
  }

  version(value: unknown): number {
    if (typeof value === 'number' && Number.isInteger(value) && value > LATEST_FORMAT_VERSION) {
      this.fail(`is format version ${value}; this Resonance reads versions ${FORMAT_VERSION} and ${LATEST_FORMAT_VERSION}: update Resonance`, 'MANIFEST_NEWER');
    }
    if (value !== FORMAT_VERSION && value !== LATEST_FORMAT_VERSION) this.bad('version', `${FORMAT_VERSION} or ${LATEST_FORMAT_VERSION}`);
    return value;
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) this.bad(field, 'an object');
    return value as Record<string, unknown>;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.bad(field, 'a string');
    return value;
  }

  count(value: unknown, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      this.bad(field, max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`);
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, options: readonly T[], field: string): T {
    if (!options.includes(value as T)) this.bad(field, `one of ${options.join(', ')}`);
    return value as T;
  }

  hex(value: unknown, field: string): string {
    if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) this.bad(field, 'a SHA-256 in hex');
    return value;
  }

  base64(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) this.bad(field, 'base64 text');
    return value;
  }

  fileName(value: unknown, field: string): string {
    // Names come from disk: a path could point outside the folder.
    if (typeof value !== 'string' || !/^[^/\\\0]+\.png$/i.test(value) || value.startsWith('.')) this.bad(field, 'a PNG file name inside the folder');
    return value;
  }

  /** The original header and trailer are held in memory to be written: as much as a WAV may have around its data. */
  sourceSize(source: SourceContainer): void {
    const bytes = base64Length(source.header) + base64Length(source.trailer);
    if (bytes > LIMITS.sideChunkBytes)
      this.fail(`holds ${bytes} bytes of original header and trailer, more than the ${mebibytes(LIMITS.sideChunkBytes)} Resonance takes`, 'LIMIT_EXCEEDED');
  }

  stream(value: Record<string, unknown>, version: number): StreamInfo {
    const g = this.object(value.geometry, 'geometry');
    const geometry = {
      width: this.count(g.width, 'geometry.width', 1),
      height: this.count(g.height, 'geometry.height', 1),
      expansion: this.count(g.expansion, 'geometry.expansion', 1),
    };
    const problem = geometryProblem(geometry);
    if (problem) this.fail(`has a bad geometry: ${problem}`);
    const tooLarge = framePixelsProblem(geometry.width, geometry.height);
    if (tooLarge) this.fail(`has a geometry beyond the limit: ${tooLarge}`, 'LIMIT_EXCEEDED');
    if (!isLayoutName(value.layout)) this.bad('layout', 'a known layout name');
    const audio = this.audio(this.object(value.audio, 'audio'), version);
    if (value.layout !== 'bytes' && !isInterpreted(audio)) this.fail(`has the ${value.layout} layout for opaque audio, which only the bytes layout can hold`);
    const stream = {
      geometry,
      layout: value.layout,
      audio,
      dataLength: this.count(value.dataLength, 'dataLength'),
      bytesPerFrame: this.count(value.bytesPerFrame, 'bytesPerFrame', 1),
      frameCount: this.count(value.frameCount, 'frameCount', 1),
    };
    const capacity = layoutOf(stream.layout).bytesPerFrame(gridOf(geometry), audio);
    if (stream.bytesPerFrame !== capacity) this.bad('bytesPerFrame', `${capacity} for this geometry, layout and audio format`);
    if (stream.frameCount > LIMITS.frames)
      this.fail(`says ${stream.frameCount} frames, more than the ${LIMITS.frames} Resonance takes in one stream`, 'LIMIT_EXCEEDED');
    if (stream.dataLength > stream.frameCount * stream.bytesPerFrame)
      this.fail(`says ${stream.dataLength} data bytes, more than its ${stream.frameCount} frames hold`, 'MANIFEST_INCONSISTENT');
    const needed = Math.max(1, Math.ceil(stream.dataLength / stream.bytesPerFrame));
    if (stream.frameCount !== needed)
      this.fail(
        `says ${stream.frameCount} frames, but ${stream.dataLength} data bytes make ${needed} frames of ${stream.bytesPerFrame} bytes`,
        'MANIFEST_INCONSISTENT',
      );
    return stream;
  }

  private audio(a: Record<string, unknown>, version: number): AudioFormat {
    // The limits of the WAV fields they come from: a header must be able to hold them.
    const channels = this.count(a.channels, 'audio.channels', 1, 0xffff);
    const sampleRate = this.count(a.sampleRate, 'audio.sampleRate', 1, 0xffffffff);
    const blockAlign = this.count(a.blockAlign, 'audio.blockAlign', 1, 0xffff);
    if (a.sampleFormat === OPAQUE && version >= 2) {
      const o = this.object(a.opaque, 'audio.opaque');
      if (typeof o.bigEndian !== 'boolean') this.bad('audio.opaque.bigEndian', 'true or false');
      return {
        sampleFormat: OPAQUE,
        channels,
        sampleRate,
        bitsPerSample: this.count(a.bitsPerSample, 'audio.bitsPerSample', 0, 0xffff),
        blockAlign,
        opaque: {
          formatTag: this.count(o.formatTag, 'audio.opaque.formatTag', 0, 0xffff),
          bytesPerSecond: this.count(o.bytesPerSecond, 'audio.opaque.bytesPerSecond', 0, 0xffffffff),
          bigEndian: o.bigEndian,
        },
      };
    }
    if (!isSampleFormat(a.sampleFormat)) this.bad('audio.sampleFormat', version >= 2 ? 'a known sample format or "opaque"' : 'a known sample format');
    const size = bytesPerSample(a.sampleFormat);
    const audio: AudioFormat = {
      sampleFormat: a.sampleFormat,
      channels,
      sampleRate,
      bitsPerSample: this.count(a.bitsPerSample, 'audio.bitsPerSample', 1, size * 8),
      blockAlign,
    };
    if (blockAlign !== size * channels)
      this.bad('audio.blockAlign', `${size * channels} for ${channels} channel${channels === 1 ? '' : 's'} of ${audio.sampleFormat}`);
    return audio;
  }
}
