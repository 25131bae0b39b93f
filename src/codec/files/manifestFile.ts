/**
 * resonance.json on disk, read and written as a stream: its frame list may have millions of
 * entries, and neither side holds it. Writing, the head goes first and each frame's entry is
 * appended as the frame is done; the data's checksum, known only at the end, is written into the
 * head's place for it. Reading, stream-json's tokenizer (chunked strings, keys and numbers, so
 * that no value grows unbounded) feeds a small assembler that builds the fields Resonance knows,
 * each string capped, skips every other field without keeping it, and hands the frame list's
 * entries over one by one. docs/decisions.md says why this rather than a new file format.
 */
import { jsonParser } from 'stream-json/parser.js';
import { getManyValues, isMany, none } from 'stream-chain';
import { open, type FileHandle } from 'node:fs/promises';
import { ResonanceError } from '../format/errors';
import { LIMITS } from '../format/limits';
import { canonicalFrameNames, listedFrameNames, type FrameNames } from '../format/frameNames';
import { checkFrameEntry, checkManifestHead, frameNameDigits, type FrameEntry, type ManifestHead } from '../format/manifest';
import { openRegularFile } from './safeOpen';
import { toResonanceError } from './systemErrors';

/** What a field of the manifest may be: a string or other scalar of at most `chars` characters, an object of known fields, or a list. */
type Shape = { scalar: number } | { fields: Record<string, Shape> } | { items: Shape; streamed?: boolean };

const SHORT: Shape = { scalar: LIMITS.manifestStringChars };
/** The base64 header and trailer: 4 characters for every 3 bytes of the most a WAV may have around its data. */
const BASE64: Shape = { scalar: 4 * Math.ceil(LIMITS.sideChunkBytes / 3) };
/** Longer than any number JSON needs for the values the manifest holds. */
const NUMBER_CHARS = 64;
const KEY_CHARS = 256;
const ENTRY: Shape = { fields: { file: SHORT, sha256: SHORT } };
const FRAMES: Shape = { items: ENTRY, streamed: true };
const HEAD: Shape = {
  fields: {
    format: SHORT,
    version: SHORT,
    geometry: { fields: { width: SHORT, height: SHORT, expansion: SHORT } },
    layout: SHORT,
    audio: {
      fields: {
        sampleFormat: SHORT,
        channels: SHORT,
        sampleRate: SHORT,
        bitsPerSample: SHORT,
        blockAlign: SHORT,
        opaque: { fields: { formatTag: SHORT, bytesPerSecond: SHORT, bigEndian: SHORT } },
      },
    },
    dataLength: SHORT,
    bytesPerFrame: SHORT,
    frameCount: SHORT,
    compression: SHORT,
    source: { fields: { name: SHORT, size: SHORT, container: SHORT, header: BASE64, trailer: BASE64, dataSha256: SHORT } },
    frames: FRAMES,
  },
};
/** The second reading wants the frame list alone. */
const FRAMES_ONLY: Shape = { fields: { frames: FRAMES } };

/** Bytes read from the file at a time: a chunk's tokens are few enough to hold. */
const READ_CHUNK = 64 * 1024;

interface Context {
  /** The value being built, or undefined while a value no one needs is skipped. */
  value?: Record<string, unknown> | unknown[];
  shape?: Shape;
  /** The field path, for messages: `source.name`, `frames[3]`. */
  path: string;
  key?: string;
  /** The key's text so far, while it is read. */
  keyText?: string;
  items: number;
}

/**
 * Builds the fields of `root` from the tokens of one JSON text. Strings and numbers arrive in
 * chunks and are capped as they grow; an entry of a streamed list is handed to `onItem` once whole
 * and not kept.
 */
class ManifestAssembler {
  private readonly stack: Context[] = [];
  /** The string or number being read, when it is kept. */
  private text: string | undefined;
  private textCap = 0;
  private textPath = '';
  private framesSeen = false;
  result: Record<string, unknown> | undefined;

  constructor(
    private readonly file: string,
    private readonly root: Shape,
    private readonly onItem: (value: unknown, index: number) => void,
  ) {}

  consume(token: { name: string; value?: unknown }): void {
    switch (token.name) {
      case 'startObject':
        return this.open({}, 'fields');
      case 'startArray':
        return this.open([], 'items');
      case 'endObject':
      case 'endArray':
        return this.close();
      case 'startKey':
        this.top().keyText = '';
        return;
      case 'endKey': {
        const context = this.top();
        context.key = context.keyText;
        context.keyText = undefined;
        return;
      }
      case 'stringChunk':
      case 'numberChunk':
        return this.chunk(token.value as string);
      case 'startString':
      case 'startNumber':
        return this.startText(token.name === 'startNumber');
      case 'endString':
        return this.endText((text) => text);
      case 'endNumber':
        return this.endText((text) => Number(text));
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        return this.place(token.name === 'nullValue' ? null : token.name === 'trueValue');
    }
  }

  private top(): Context {
    return this.stack[this.stack.length - 1];
  }

  /** The shape and path of the value that starts now (the root, a field, an item); no shape when no one needs it. */
  private slot(): { shape?: Shape; path: string; needed: boolean } {
    const parent = this.top();
    if (!parent) return { shape: this.root, path: '', needed: true };
    if (parent.value === undefined) return { path: parent.path, needed: false };
    if (Array.isArray(parent.value)) {
      return { shape: parent.shape && 'items' in parent.shape ? parent.shape.items : undefined, path: `${parent.path}[${parent.items}]`, needed: true };
    }
    const key = parent.key;
    const fields = parent.shape && 'fields' in parent.shape ? parent.shape.fields : {};
    const shape = key !== undefined && Object.hasOwn(fields, key) ? fields[key] : undefined;
    return { shape, path: parent.path ? `${parent.path}.${key}` : String(key), needed: shape !== undefined };
  }

  private open(empty: Record<string, unknown> | unknown[], kind: 'fields' | 'items'): void {
    if (this.stack.length >= LIMITS.manifestDepth) this.limit(`nests its values deeper than ${LIMITS.manifestDepth} levels`);
    if (this.stack.length === 0 && kind !== 'fields') throw new ResonanceError('MANIFEST_INVALID', this.file, 'is not a JSON object');
    const { shape, path, needed } = this.slot();
    if (needed && !(shape && kind in shape)) {
      // A known field of the wrong kind: kept as an empty one of its kind, for the check to name it.
      this.place(empty);
      this.stack.push({ path, items: 0 });
      return;
    }
    if (needed && path === 'frames') {
      if (this.framesSeen) throw new ResonanceError('MANIFEST_INVALID', this.file, 'has two "frames" lists');
      this.framesSeen = true;
    }
    this.stack.push({ value: needed ? empty : undefined, shape, path, items: 0 });
  }

  private close(): void {
    const context = this.stack.pop()!;
    if (context.value === undefined) return;
    // A streamed list is not kept: what the head learns of it is that it is a list.
    this.place(context.shape && 'streamed' in context.shape && context.shape.streamed ? [] : context.value);
  }

  private startText(number: boolean): void {
    const { shape, path, needed } = this.slot();
    this.text = undefined;
    if (!needed) return;
    if (shape && 'scalar' in shape) {
      this.text = '';
      this.textCap = number ? NUMBER_CHARS : shape.scalar;
      this.textPath = path;
    } else {
      // A string or number where an object or a list belongs: kept as it is, for the check to name it.
      this.place(number ? 0 : '');
    }
  }

  private chunk(text: string): void {
    const context = this.top();
    if (context?.keyText !== undefined) {
      // A key longer than any Resonance knows is one it ignores: not kept whole.
      context.keyText = context.keyText.length + text.length <= KEY_CHARS ? context.keyText + text : '\0unknown';
      return;
    }
    if (this.text === undefined) return;
    if (this.text.length + text.length > this.textCap) {
      this.limit(
        this.textCap === NUMBER_CHARS
          ? `has a number longer than ${NUMBER_CHARS} characters in "${this.textPath}"`
          : `has a "${this.textPath}" longer than ${this.textCap} characters, more than Resonance takes`,
      );
    }
    this.text += text;
  }

  private endText(convert: (text: string) => unknown): void {
    if (this.text === undefined) return;
    const text = this.text;
    this.text = undefined;
    this.place(convert(text));
  }

  /** A finished value goes to its parent: a field, an item, a streamed entry, or the result. */
  private place(value: unknown): void {
    const parent = this.top();
    if (!parent) {
      this.result = value as Record<string, unknown>;
      return;
    }
    if (parent.value === undefined) return;
    if (Array.isArray(parent.value)) {
      if (parent.shape && 'streamed' in parent.shape && parent.shape.streamed) this.onItem(value, parent.items);
      else parent.value.push(value);
      parent.items++;
      return;
    }
    if (parent.key !== undefined && parent.shape && 'fields' in parent.shape && Object.hasOwn(parent.shape.fields, parent.key))
      parent.value[parent.key] = value;
  }

  private limit(problem: string): never {
    throw new ResonanceError('LIMIT_EXCEEDED', this.file, problem);
  }
}

/** Identity of the manifest file as first read, so that a second reading knows it is the same file. */
interface FileStamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

async function stampOf(handle: FileHandle): Promise<FileStamp> {
  const { dev, ino, size, mtimeMs } = await handle.stat();
  return { dev, ino, size, mtimeMs };
}

/** Feeds the file to `assembler` a chunk at a time, pausing after each chunk's tokens (and once at the end). */
async function* parseChunks(handle: FileHandle, file: string, assembler: ManifestAssembler): AsyncGenerator<void> {
  const tokenize = jsonParser({ packValues: false });
  const decoder = new TextDecoder('utf-8');
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const feed = (text: string | typeof none) => {
    let result;
    try {
      result = tokenize(text);
    } catch {
      throw new ResonanceError('MANIFEST_INVALID', file, 'is not valid JSON');
    }
    if (isMany(result)) for (const token of getManyValues(result) as Array<{ name: string; value?: unknown }>) assembler.consume(token);
  };
  let position = 0;
  let atStart = true;
  for (;;) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position));
    } catch (error) {
      throw toResonanceError(error, file);
    }
    if (bytesRead === 0) break;
    position += bytesRead;
    let text = decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
    if (atStart && text.length > 0) {
      // A byte-order mark may start a UTF-8 file (RFC 8259 §8.1 lets a reader drop it).
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    feed(text);
    yield;
  }
  feed(decoder.decode());
  feed(none);
  if (!assembler.result) throw new ResonanceError('MANIFEST_INVALID', file, position === 0 ? 'is empty, not a manifest' : 'is not valid JSON');
  yield;
}

export interface ManifestReading {
  head: ManifestHead;
  /** The frame files in order, as the list names them. */
  names: FrameNames;
  stamp: FileStamp;
  /** The frame list's entries, checked, when the manifest was small enough to be read whole (readWhole): not read again. */
  entries?: FrameEntry[];
}

/**
 * A manifest of at most this many bytes is read whole and parsed with JSON.parse, once, its entries
 * kept for decoding (about 38,000 frames' worth; some 20 MB of memory at most): stream-json's
 * tokenizer, twice through, was most of a small-frame decode's time (docs/decisions.md, section 32).
 * Larger ones stream, as a 10-million-entry list must.
 */
const WHOLE_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Thrown inside readWhole when the streaming reader must decide (an error of any kind, or a text JSON.parse cannot judge alone). */
const STREAM_IT = Symbol('stream it');

/**
 * The manifest read whole, with JSON.parse: the same head, names and entries the streaming reader
 * gives, or undefined whenever that reader might have answered otherwise, so that it reads the file
 * and says what is wrong, with the same error at the same place. That is: invalid JSON, a
 * backslash anywhere (an escaped key could be "frames" twice), a duplicate key (JSON.parse keeps
 * the last, the stream sees both), a run of more than 64 number-like characters (a number over the
 * stream's cap), a value of the wrong kind, a string over its cap, nesting past the limit, or any
 * check failing.
 */
function readWhole(text: string, file: string): { value: Record<string, unknown>; names: FrameNamesReader; entries: FrameEntry[] } | undefined {
  if (text.includes('\\') || /[-+.0-9eE]{65}/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const names = new FrameNamesReader(file);
  const entries: FrameEntry[] = [];
  let keys = 0;
  /** Every value is visited, in document order but for integer keys (which no known field is). */
  const visit = (value: unknown, shape: Shape | undefined, depth: number): unknown => {
    if (value === null || typeof value !== 'object') {
      if (!shape) return undefined;
      if (typeof value === 'string') {
        if (!('scalar' in shape) || value.length > shape.scalar) throw STREAM_IT;
      } else if (typeof value === 'number' && !('scalar' in shape)) throw STREAM_IT;
      return value;
    }
    if (depth >= LIMITS.manifestDepth) throw STREAM_IT;
    if (Array.isArray(value)) {
      if (shape && !('items' in shape)) throw STREAM_IT;
      const streamed = shape && 'items' in shape && shape.streamed;
      const kept: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const item = visit(value[i], shape && 'items' in shape ? shape.items : undefined, depth + 1);
        if (!shape) continue;
        if (streamed) {
          if (i >= LIMITS.frames) throw STREAM_IT;
          const entry = checkFrameEntry(item, i, file);
          names.add(entry.file, i);
          entries.push(entry);
        } else kept.push(item);
      }
      return shape ? kept : undefined;
    }
    if (shape && !('fields' in shape)) throw STREAM_IT;
    const fields = shape && 'fields' in shape ? shape.fields : undefined;
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      keys++;
      const field = fields && Object.hasOwn(fields, key) ? fields[key] : undefined;
      const child = visit((value as Record<string, unknown>)[key], field, depth + 1);
      if (field) kept[key] = child;
    }
    return shape ? kept : undefined;
  };
  let value: Record<string, unknown>;
  try {
    value = visit(parsed, HEAD, 0) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  // Without a backslash, every `"` delimits a string, and one followed by a colon closes a key: as many as JSON.parse kept, or some key came twice.
  const written = text.match(/"[ \t\r\n]*:/g)?.length ?? 0;
  if (written !== keys) return undefined;
  return { value, names, entries };
}

/**
 * Reads the manifest at `file` once through: its head, checked, and its frame list, each entry
 * checked as it passes. The list's names are kept only when they are not the ones Resonance
 * writes (frame_00000.png…), and then up to LIMITS.namedFrames of them.
 */
export async function readManifest(file: string): Promise<ManifestReading> {
  const { handle } = await openRegularFile(file, 'a manifest file');
  try {
    const stamp = await stampOf(handle);
    const whole = stamp.size <= WHOLE_MANIFEST_BYTES ? await readSmall(handle, file, stamp.size) : undefined;
    const read = whole ?? (await readStreaming(handle, file));
    const { value, names } = read;
    if (!Array.isArray(value.frames)) throw new ResonanceError('MANIFEST_INVALID', file, 'has a bad "frames": expected a list');
    // The count first, so that a list one entry short says so; a count beyond the limit is the head's to refuse.
    if (typeof value.frameCount === 'number' && value.frameCount <= LIMITS.frames && names.count !== value.frameCount) {
      throw new ResonanceError('MANIFEST_INCONSISTENT', file, `lists ${names.count} frames but says "frameCount": ${value.frameCount}`);
    }
    const head = checkManifestHead(value, file);
    return { head, names: names.result(head.frameCount), stamp, ...(whole ? { entries: whole.entries } : {}) };
  } finally {
    await handle.close();
  }
}

/** A small manifest read whole and parsed at once (readWhole); undefined when the streaming reader must read it. */
async function readSmall(handle: FileHandle, file: string, size: number): Promise<ReturnType<typeof readWhole>> {
  // One byte more than the size it had: a file that has grown since is left to the streaming reader.
  const buffer = Buffer.allocUnsafe(size + 1);
  let length = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) return undefined;
    }
  } catch {
    // The streaming reader meets the same error and says so.
    return undefined;
  }
  let text = new TextDecoder('utf-8').decode(buffer.subarray(0, length));
  // A byte-order mark may start a UTF-8 file (RFC 8259 §8.1 lets a reader drop it).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return readWhole(text, file);
}

async function readStreaming(handle: FileHandle, file: string): Promise<{ value: Record<string, unknown>; names: FrameNamesReader }> {
  const names = new FrameNamesReader(file);
  const assembler = new ManifestAssembler(file, HEAD, (value, index) => {
    if (index >= LIMITS.frames)
      throw new ResonanceError('LIMIT_EXCEEDED', file, `lists more than ${LIMITS.frames} frames, the most Resonance takes in one stream`);
    names.add(checkFrameEntry(value, index, file).file, index);
  });
  for await (const _ of parseChunks(handle, file, assembler));
  return { value: assembler.result!, names };
}

/** Collects a frame list's names: a count while they are Resonance's own, the names themselves from the first that is not. */
class FrameNamesReader {
  count = 0;
  private digits: number | undefined;
  private listed: string[] | undefined;

  constructor(private readonly file: string) {}

  add(name: string, index: number): void {
    this.count = index + 1;
    if (this.listed) {
      if (this.listed.length >= LIMITS.namedFrames) {
        throw new ResonanceError(
          'LIMIT_EXCEEDED',
          this.file,
          `lists more than ${LIMITS.namedFrames} frames under names other than frame_NNNNN.png, the most Resonance holds`,
        );
      }
      this.listed.push(name);
      return;
    }
    const match = /^frame_(\d+)\.png$/.exec(name);
    this.digits ??= match?.[1].length;
    if (match && match[1].length === this.digits && Number(match[1]) === index) return;
    this.listed = Array.from({ length: index }, (_, i) => `frame_${String(i).padStart(this.digits!, '0')}.png`);
    this.add(name, index);
  }

  result(frameCount: number): FrameNames {
    if (!this.listed && this.digits === frameNameDigits(frameCount)) return canonicalFrameNames(frameCount);
    return listedFrameNames(this.listed ?? Array.from({ length: this.count }, (_, i) => `frame_${String(i).padStart(this.digits!, '0')}.png`));
  }
}

/**
 * The entries of a manifest read before with readManifest, read again one by one as decoding
 * needs them; FILE_CHANGED if the file is no longer the one read then.
 */
export async function* manifestEntries(file: string, reading: ManifestReading): AsyncGenerator<FrameEntry> {
  const { handle } = await openRegularFile(file, 'a manifest file');
  try {
    const now = await stampOf(handle);
    const then = reading.stamp;
    if (now.dev !== then.dev || now.ino !== then.ino || now.size !== then.size || now.mtimeMs !== then.mtimeMs) {
      throw new ResonanceError('FILE_CHANGED', file, 'changed while the frames were being decoded');
    }
    if (reading.entries) {
      yield* reading.entries;
      return;
    }
    const ready: FrameEntry[] = [];
    const assembler = new ManifestAssembler(file, FRAMES_ONLY, (value, index) => ready.push(checkFrameEntry(value, index, file)));
    for await (const _ of parseChunks(handle, file, assembler)) yield* ready.splice(0);
  } finally {
    await handle.close();
  }
}

/**
 * Writes resonance.json as the frames are made: the head at once, one line per frame as each is
 * done, and the data's SHA-256 into its place in the head at the end.
 */
export class ManifestWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private position = 0;
  private entries = 0;

  private constructor(
    private readonly handle: FileHandle,
    /** Where the data's checksum goes, in bytes from the start. */
    private readonly checksumOffset: number,
  ) {}

  /** Creates `path` (which must not exist) with `head`; its `source.dataSha256` is filled in by finish(). */
  static async create(path: string, head: ManifestHead): Promise<ManifestWriter> {
    const placeholder = '0'.repeat(64);
    const text = JSON.stringify({ ...head, source: { ...head.source, dataSha256: placeholder } }, null, 2);
    // `source` is the head's last field and `dataSha256` the last of `source`: the text ends `"<64 zeros>"\n  }\n}`.
    const tail = `"\n  }\n}`;
    const at = text.length - tail.length - placeholder.length;
    if (text.slice(at, at + placeholder.length) !== placeholder || !text.endsWith(tail))
      throw new Error('the manifest head does not end with its data checksum');
    const handle = await open(path, 'wx');
    const writer = new ManifestWriter(handle, Buffer.byteLength(text) - tail.length - placeholder.length);
    // Written at once rather than kept: the head holds the original's header and trailer, up to 16 MiB of them in base64.
    await writer.writeAll(Buffer.from(`${text.slice(0, -2)},\n  "frames": [\n`));
    return writer;
  }

  async addFrame(entry: FrameEntry): Promise<void> {
    this.append(`${this.entries++ === 0 ? '' : ',\n'}    ${JSON.stringify(entry)}`);
    if (this.pendingLength >= READ_CHUNK) await this.flush();
  }

  async finish(dataSha256: string): Promise<void> {
    this.append('\n  ]\n}\n');
    await this.flush();
    await this.handle.write(dataSha256, this.checksumOffset, 'latin1');
    await this.close();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private append(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
  }

  private async flush(): Promise<void> {
    const bytes = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
    await this.writeAll(bytes);
  }

  private async writeAll(bytes: Buffer): Promise<void> {
    for (let done = 0; done < bytes.length; ) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.position + done);
      done += bytesWritten;
    }
    this.position += bytes.length;
  }
}
