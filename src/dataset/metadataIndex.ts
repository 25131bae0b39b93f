/**
 * A dataset's metadata.jsonl files, indexed for paging: one pass over each file keeps, per line,
 * only its byte offset, its length and its source's number (typed arrays, no object per image),
 * so that a dataset of 100,000 images costs a few megabytes in the host. A page of records is read
 * back from the file by those offsets when asked for; a filter by source is a list of line numbers.
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

export class MetadataIndex {
  private constructor(
    readonly splits: readonly MetadataSplit[],
    private readonly offsets: Float64Array,
    private readonly lengths: Uint32Array,
    private readonly sourceIds: Uint32Array,
    private readonly splitStarts: readonly number[],
    /** Every source, in the order first met. */
    readonly sources: readonly string[],
  ) {}

  static async build(splits: readonly MetadataSplit[]): Promise<MetadataIndex> {
    const offsets = new Column(new Float64Array(1024));
    const lengths = new Column(new Uint32Array(1024));
    const sourceIds = new Column(new Uint32Array(1024));
    const sources: string[] = [];
    const sourceNumbers = new Map<string, number>();
    const splitStarts: number[] = [];
    for (const split of splits) {
      const splitStart = offsets.length;
      splitStarts.push(splitStart);
      const takeLine = (line: Buffer, start: number) => {
        if (isBlank(line)) return;
        const source = sourceOf(line, split.file, offsets.length - splitStart + 1);
        let id = sourceNumbers.get(source);
        if (id === undefined) {
          id = sources.length;
          sources.push(source);
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
        for await (const chunk of createReadStream(split.file, { highWaterMark: 1 << 20 })) {
          const bytes = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
          let lineStart = 0;
          for (let newline = bytes.indexOf(NEWLINE); newline >= 0; newline = bytes.indexOf(NEWLINE, lineStart)) {
            takeLine(bytes.subarray(lineStart, newline), carryStart + lineStart);
            lineStart = newline + 1;
          }
          carry = bytes.subarray(lineStart);
          carryStart += lineStart;
        }
      } catch (error) {
        if (error instanceof ResonanceError) throw error;
        throw new ResonanceError('FILE_NOT_FOUND', split.file, `cannot be read: ${(error as Error).message}`);
      }
      if (carry.length) takeLine(carry, carryStart);
    }
    return new MetadataIndex(
      splits,
      offsets.data.subarray(0, offsets.length),
      lengths.data.subarray(0, lengths.length),
      sourceIds.data.subarray(0, sourceIds.length),
      splitStarts,
      sources,
    );
  }

  get count(): number {
    return this.offsets.length;
  }

  sourceOf(index: number): string {
    return this.sources[this.sourceIds[index]];
  }

  /** The records whose source contains `filter` (any case), as indices; undefined when the filter is empty (all). */
  matching(filter: string): Uint32Array | undefined {
    const wanted = filter.trim().toLowerCase();
    if (wanted === '') return undefined;
    const hit = this.sources.map((source) => source.toLowerCase().includes(wanted));
    let n = 0;
    for (let i = 0; i < this.sourceIds.length; i++) if (hit[this.sourceIds[i]]) n++;
    const out = new Uint32Array(n);
    n = 0;
    for (let i = 0; i < this.sourceIds.length; i++) if (hit[this.sourceIds[i]]) out[n++] = i;
    return out;
  }

  /** The records at `indices`, read from their files. */
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
        for (const index of wanted) {
          const bytes = Buffer.alloc(this.lengths[index]);
          await handle.read(bytes, 0, bytes.length, this.offsets[index]);
          read.set(index, recordOf(bytes.toString('utf8'), index, split));
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
