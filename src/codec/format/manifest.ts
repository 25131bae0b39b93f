/**
 * The manifest (`resonance.json`) beside the frames, and the smaller record each frame carries in
 * its own `resonance` text chunk. Both are validated field by field: they come from disk and may
 * have been edited, truncated or written by another tool.
 */
import { bytesPerSample, isSampleFormat, type AudioFormat } from './audioFormat';
import { ResonanceError, type ErrorCode } from './errors';
import { geometryProblem, gridOf, type Geometry } from './geometry';
import { isLayoutName, layoutOf, type LayoutName } from './layout';

export const MANIFEST_NAME = 'resonance.json';

/** The kind of RIFF file a source WAV was: plain RIFF, or RF64/BW64 for files past 4 GiB. */
export type Container = 'RIFF' | 'RF64' | 'BW64';
export const FORMAT_VERSION = 1;
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

export interface Manifest extends StreamInfo {
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
  frames: Array<{ file: string; sha256: string }>;
}

export interface FrameRecord extends StreamInfo {
  version: number;
  frame: number;
  /** SHA-256 (hex) of the frame's data pixels (3 · columns · rows bytes). */
  sha256: string;
  source?: SourceContainer;
}

export function frameFileName(index: number, frameCount: number): string {
  return `frame_${String(index).padStart(Math.max(5, String(frameCount - 1).length), '0')}.png`;
}

export function parseManifest(text: string, file: string): Manifest {
  const value = parseJson(text, file);
  const check = new Checker(file);
  if (value.format !== 'resonance') check.fail('is not a Resonance manifest (no "format": "resonance")');
  check.version(value.version);
  const stream = check.stream(value);
  const source = check.object(value.source, 'source');
  const frames = check.array(value.frames, 'frames');
  if (frames.length !== stream.frameCount) check.fail(`lists ${frames.length} frames but says "frameCount": ${stream.frameCount}`, 'MANIFEST_INCONSISTENT');
  return {
    format: 'resonance',
    version: value.version as number,
    compression: typeof value.compression === 'string' ? value.compression : 'default',
    ...stream,
    source: {
      name: check.string(source.name, 'source.name'),
      size: check.count(source.size, 'source.size'),
      container: check.oneOf(source.container, ['RIFF', 'RF64', 'BW64'] as const, 'source.container'),
      header: check.base64(source.header, 'source.header'),
      trailer: check.base64(source.trailer, 'source.trailer'),
      dataSha256: check.hex(source.dataSha256, 'source.dataSha256'),
    },
    frames: frames.map((entry, i) => {
      const frame = check.object(entry, `frames[${i}]`);
      return { file: check.fileName(frame.file, `frames[${i}].file`), sha256: check.hex(frame.sha256, `frames[${i}].sha256`) };
    }),
  };
}

export function parseFrameRecord(text: string, file: string): FrameRecord {
  const value = parseJson(text, file, 'its resonance text chunk');
  const check = new Checker(file, 'its resonance text chunk');
  check.version(value.version);
  const record: FrameRecord = {
    version: value.version as number,
    ...check.stream(value),
    frame: check.count(value.frame, 'frame'),
    sha256: check.hex(value.sha256, 'sha256'),
  };
  if (value.source !== undefined) {
    const source = check.object(value.source, 'source');
    record.source = { header: check.base64(source.header, 'source.header'), trailer: check.base64(source.trailer, 'source.trailer') };
  }
  return record;
}

function parseJson(text: string, file: string, what?: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ResonanceError('MANIFEST_INVALID', file, what ? `${what} is not valid JSON` : 'is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ResonanceError('MANIFEST_INVALID', file, what ? `${what} is not a JSON object` : 'is not a JSON object');
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

  version(value: unknown): void {
    if (value !== FORMAT_VERSION) {
      if (typeof value === 'number' && value > FORMAT_VERSION) this.fail(`is format version ${value}; this Resonance reads version ${FORMAT_VERSION}: update Resonance`, 'MANIFEST_NEWER');
      this.bad('version', String(FORMAT_VERSION));
    }
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) this.bad(field, 'an object');
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.bad(field, 'a list');
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.bad(field, 'a string');
    return value;
  }

  count(value: unknown, field: string, min = 0): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) this.bad(field, `a whole number of at least ${min}`);
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
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) this.bad(field, 'base64 text');
    return value;
  }

  fileName(value: unknown, field: string): string {
    // Names come from disk: a path could point outside the folder.
    if (typeof value !== 'string' || !/^[^/\\]+\.png$/i.test(value) || value.startsWith('.')) this.bad(field, 'a PNG file name inside the folder');
    return value;
  }

  stream(value: Record<string, unknown>): StreamInfo {
    const g = this.object(value.geometry, 'geometry');
    const geometry = { width: this.count(g.width, 'geometry.width', 1), height: this.count(g.height, 'geometry.height', 1), expansion: this.count(g.expansion, 'geometry.expansion', 1) };
    const problem = geometryProblem(geometry);
    if (problem) this.fail(`has a bad geometry: ${problem}`);
    if (!isLayoutName(value.layout)) this.bad('layout', 'a known layout name');
    const a = this.object(value.audio, 'audio');
    if (!isSampleFormat(a.sampleFormat)) this.bad('audio.sampleFormat', 'a known sample format');
    const channels = this.count(a.channels, 'audio.channels', 1);
    const audio: AudioFormat = {
      sampleFormat: a.sampleFormat,
      channels,
      sampleRate: this.count(a.sampleRate, 'audio.sampleRate', 1),
      bitsPerSample: this.count(a.bitsPerSample, 'audio.bitsPerSample', 1),
      blockAlign: this.count(a.blockAlign, 'audio.blockAlign', 1),
    };
    if (audio.blockAlign !== bytesPerSample(audio.sampleFormat) * channels) this.bad('audio.blockAlign', `${bytesPerSample(audio.sampleFormat) * channels} for ${channels} channel${channels === 1 ? '' : 's'} of ${audio.sampleFormat}`);
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
    if (stream.dataLength > stream.frameCount * stream.bytesPerFrame) this.fail(`says ${stream.dataLength} data bytes, more than its ${stream.frameCount} frames hold`, 'MANIFEST_INCONSISTENT');
    return stream;
  }
}
