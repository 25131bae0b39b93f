/**
 * A dataset's metadata.jsonl files, indexed for paging: one pass over each file keeps, per line,
 * only its byte offset, its length and its source's number (typed arrays, no object per image),
 * so that a dataset of 100,000 images costs a few megabytes in the host. A page of records is read
 * back from the file by those offsets when asked for; a filter by source is a list of line numbers.
 * The index grows as the files are read, and a page waits only for its own lines.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ResonanceError } from '../codec';

export interface MetadataSplit {
  name: string;
  /** The split's folder, relative to the dataset's: file_name is relative to it. */
  folder: string;
  /** Its metadata.jsonl. */
  file: string;
}

export interface MetadataRecord {
  /** Index among every record of every split. */
  index: number;
  split: string;
  /** The image, relative to the dataset's folder, with `/`. */
  path: string;
  source: string;
  startSeconds: number;
  durationSeconds: number;
}

/** Grows a typed array by doubling: appending stays amortised O(1) without an array of numbers. */
class Column<T extends Float64Array | Uint32Array> {
  length = 0;
  constructor(public data: T) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

interface Waiter {
  lines: number;
  resolve(): void;
  reject(error: unknown): void;
}

export class MetadataIndex {
  private readonly offsets = new Column(new Float64Array(1024));
  private readonly lengths = new Column(new Uint32Array(1024));
  private readonly sourceIds = new Column(new Uint32Array(1024));
  private readonly splitStarts: number[] = [];
  private readonly sourceList: string[] = [];
  private readonly sourceNumbers = new Map<string, number>();
  private waiters: Waiter[] = [];
  private failure: unknown;
  /** Whether every line of every split is indexed. */
  done = false;
  /** Resolves when every line is indexed; rejects, naming the file, on a line that is not a record. */
  readonly complete: Promise<void>;

  private constructor(readonly splits: readonly MetadataSplit[]) {
    this.complete = this.index();
    // Whoever waits on the index hears of a failure; the promise itself must not go unhandled.
    this.complete.catch(() => undefined);
  }

  /**
   * Starts indexing and returns at once: the lines come in chunk by chunk, so the first page is
   * served from the head of the file while the rest is read.
   */
  static open(splits: readonly MetadataSplit[]): MetadataIndex {
    return new MetadataIndex(splits);
  }

  /** The whole index: `open`, then every line indexed. */
  static async build(splits: readonly MetadataSplit[]): Promise<MetadataIndex> {
    const index = MetadataIndex.open(splits);
    await index.complete;
    return index;
  }

  /** Resolves once `lines` lines are indexed, or all of them if there are fewer; the lines before a bad one stay served. */
  whenIndexed(lines: number): Promise<void> {
    if (this.done || this.count >= lines) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ lines, resolve, reject }));
  }

  /** Every source met so far, in the order first met (all of them once `done`). */
  get sources(): readonly string[] {
    return this.sourceList;
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.done || this.count >= w.lines);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }

  private async index(): Promise<void> {
    try {
      for (const split of this.splits) await this.indexSplit(split);
      this.done = true;
      this.wake();
    } catch (error) {
      this.failure = error;
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters = [];
      throw error;
    }
  }

  private async indexSplit(split: MetadataSplit): Promise<void> {
    const { offsets, lengths, sourceIds, sourceList, sourceNumbers } = this;
    const splitStart = offsets.length;
    this.splitStarts.push(splitStart);
    const takeLine = (line: Buffer, start: number) => {
      if (isBlank(line)) return;
      const source = sourceOf(line, split.file, offsets.length - splitStart + 1);
      let id = sourceNumbers.get(source);
      if (id === undefined) {
        id = sourceList.length;
        sourceList.push(source);
        sourceNumbers.set(source, id);
      }
      offsets.push(start);
      lengths.push(line.length);
      sourceIds.push(id);
    };
    // Bytes, not text: the offsets are byte positions, and only each line's source is decoded.
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = 0;
    try {
      for await (const chunk of createReadStream(split.file, { highWaterMark: CHUNK_BYTES })) {
        const bytes = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
        let lineStart = 0;
        for (let newline = bytes.indexOf(NEWLINE); newline >= 0; newline = bytes.indexOf(NEWLINE, lineStart)) {
          takeLine(bytes.subarray(lineStart, newline), carryStart + lineStart);
          lineStart = newline + 1;
        }
        carry = bytes.subarray(lineStart);
        carryStart += lineStart;
        this.wake();
      }
    } catch (error) {
      if (error instanceof ResonanceError) throw error;
      throw new ResonanceError('FILE_NOT_FOUND', split.file, `cannot be read: ${(error as Error).message}`);
    }
    if (carry.length) takeLine(carry, carryStart);
  }

  /** Lines indexed so far (all of them once `done`). */
  get count(): number {
    return this.offsets.length;
  }

  sourceOf(index: number): string {
    return this.sourceList[this.sourceIds.data[index]];
  }

  /** The records indexed so far whose source contains `filter` (any case), as indices; undefined when the filter is empty (all). */
  matching(filter: string): Uint32Array | undefined {
    const wanted = filter.trim().toLowerCase();
    if (wanted === '') return undefined;
    const hit = this.sourceList.map((source) => source.toLowerCase().includes(wanted));
    const ids = this.sourceIds.data;
    const lines = this.sourceIds.length;
    let n = 0;
    for (let i = 0; i < lines; i++) if (hit[ids[i]]) n++;
    const out = new Uint32Array(n);
    n = 0;
    for (let i = 0; i < lines; i++) if (hit[ids[i]]) out[n++] = i;
    return out;
  }

  /** The records at `indices` (indexed ones), read from their files. */
  async read(indices: readonly number[]): Promise<MetadataRecord[]> {
    const records: MetadataRecord[] = [];
    const bySplit = new Map<number, number[]>();
    for (const index of indices) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= this.count)
        throw new ResonanceError('INTERNAL', String(index), 'is not a record of the dataset');
      const split = this.splitOf(index);
      const wanted = bySplit.get(split);
      if (wanted) wanted.push(index);
      else bySplit.set(split, [index]);
    }
    const read = new Map<number, MetadataRecord>();
    for (const [splitNumber, wanted] of bySplit) {
      const split = this.splits[splitNumber];
      const handle = await open(split.file, 'r');
      try {
        // A page is consecutive lines: one read for each run of them within a mebibyte, not one per line.
        wanted.sort((a, b) => this.offsets.data[a] - this.offsets.data[b]);
        for (let first = 0; first < wanted.length; ) {
          const start = this.offsets.data[wanted[first]];
          let last = first;
          const endOf = (i: number) => this.offsets.data[wanted[i]] + this.lengths.data[wanted[i]];
          while (last + 1 < wanted.length && endOf(last + 1) - start <= RUN_BYTES) last++;
          const bytes = Buffer.alloc(endOf(last) - start);
          await handle.read(bytes, 0, bytes.length, start);
          for (let i = first; i <= last; i++) {
            const at = this.offsets.data[wanted[i]] - start;
            read.set(wanted[i], recordOf(bytes.toString('utf8', at, at + this.lengths.data[wanted[i]]), wanted[i], split));
          }
          first = last + 1;
        }
      } finally {
        await handle.close();
      }
    }
    for (const index of indices) records.push(read.get(index)!);
    return records;
  }

  private splitOf(index: number): number {
    let split = 0;
    while (split + 1 < this.splitStarts.length && this.splitStarts[split + 1] <= index) split++;
    return split;
  }
}

function parseLine(line: string, file: string, lineNumber: number): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line);
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ResonanceError('MANIFEST_INVALID', file, `line ${lineNumber} is not a JSON object`);
}

const NEWLINE = 0x0a;
/**
 * Bytes indexed between two turns of the event loop: 64 kB (some 500 lines) serve the first page in
 * about 2 ms and never hold the host for more than a few, where 1 MB took 20-70 ms for the first
 * page and blocked for 30-90 ms at a time; the whole of 100,000 lines takes about as long either way.
 */
const CHUNK_BYTES = 1 << 16;
/** The most bytes read at once for a page: a page of 200 records written by Resonance is some 30 kB. */
const RUN_BYTES = 1 << 20;
const SOURCE_KEY = Buffer.from('"source":"');

function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

/**
 * A line's source. The lines Resonance writes hold `"source":"…"` with no space (JSON.stringify),
 * and parsing only that string is several times faster than parsing the line: a 100,000-line file
 * is indexed in a fraction of the time. Every other line, and a line whose key is not where the
 * fast path finds it, is parsed whole, which also checks that it is a JSON object.
 */
function sourceOf(line: Buffer, file: string, lineNumber: number): string {
  const key = line.indexOf(SOURCE_KEY);
  if (key > 0 && line[0] === 0x7b && line.indexOf(SOURCE_KEY, key + 1) < 0) {
    const start = key + SOURCE_KEY.length - 1;
    let end = start + 1;
    while (end < line.length && line[end] !== 0x22) end += line[end] === 0x5c ? 2 : 1;
    try {
      const value: unknown = JSON.parse(line.toString('utf8', start, end + 1));
      if (typeof value === 'string') return value;
    } catch {
      // parsed whole below
    }
  }
  const source = parseLine(line.toString('utf8'), file, lineNumber).source;
  return typeof source === 'string' ? source : '';
}

function recordOf(line: string, index: number, split: MetadataSplit): MetadataRecord {
  const value = parseLine(line, split.file, index + 1);
  const fileName = typeof value.file_name === 'string' ? value.file_name : '';
  if (fileName === '' || fileName.split('/').some((part) => part === '..' || part === '')) {
    throw new ResonanceError('MANIFEST_INVALID', split.file, `names no image of its folder in record ${index + 1}`);
  }
  const relative = join(split.folder, fileName).split(/[\\/]/).join('/');
  return {
    index,
    split: split.name,
    path: relative,
    source: typeof value.source === 'string' ? value.source : '',
    startSeconds: typeof value.start_seconds === 'number' ? value.start_seconds : 0,
    durationSeconds: typeof value.duration_seconds === 'number' ? value.duration_seconds : 0,
  };
}
