/**
 * What a build keeps while it runs, in `DATASET/.resonance/`, and what `finish` joins into the
 * dataset: the build record (the options every shard must share), one record per finished source
 * (its metadata lines, then a summary line, renamed into place only when complete), and one
 * completion record per shard. All of it is JSON that another run, on another machine, reads back,
 * so it is checked field by field.
 */
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { partialPathFor } from '../codec/pipeline/output';
import { join } from 'node:path';
import { ResonanceError, type Compression, type Geometry, type LayoutName } from '../codec';
import type { TargetAudio } from './audio/conversion';
import type { Tail } from './plan';

const STATE_FOLDER = '.resonance';
export const DATASET_FILE = 'dataset.json';
export const ERRORS_FILE = 'errors.jsonl';
export const METADATA_FILE = 'metadata.jsonl';
export const DATASET_FORMAT = 'resonance-dataset';
export const DATASET_VERSION = 1;

export type Split = 'train' | 'validation';
export const SPLITS: readonly Split[] = ['train', 'validation'];

export interface WebDatasetOptions {
  /** Samples (images) a tar shard holds at most, and bytes. */
  maxSamples: number;
  maxBytes: number;
}

/** Everything that decides a dataset's bytes: two builds with equal settings write equal datasets. */
export interface DatasetSettings {
  audio: TargetAudio;
  geometry: Geometry;
  layout: LayoutName;
  compression: Compression;
  tail: Tail;
  /** Clip starts this many target sample frames apart; the clip length when not given. */
  hopFrames: number;
  skipSilentDb: number | null;
  validation: number;
  seed: number;
  dither: boolean;
  webdataset: WebDatasetOptions | null;
}

export interface BuildRecord {
  format: 'resonance-dataset-build';
  version: number;
  settings: DatasetSettings;
  /** The corpus every shard must see: its sources' names, in order, as a SHA-256. */
  corpus: { sources: number; sha256: string };
  shards: number;
}

/** One line of a split's metadata.jsonl: an image, and where its audio came from. */
export interface MetadataLine {
  file_name: string;
  key: string;
  source: string;
  clip: number;
  start_seconds: number;
  duration_seconds: number;
  rms_dbfs: number | null;
  clipped_samples: number;
  replaced_samples: number;
}

/** The first line of a source's record: which split its lines go to. */
export interface SourceHeader {
  source: string;
  split: Split;
}

/** The last line of a source's record. */
export interface SourceSummary {
  summary: true;
  source: string;
  split: Split;
  status: 'done' | 'failed';
  /** For a failed source: why, with the error's code. */
  error?: { code: string; message: string };
  /** What converting it took, e.g. "44100 → 16000 Hz". */
  conversion?: string[];
  images: number;
  silentClips: number;
  clippedSamples: number;
  replacedSamples: number;
  /** Seconds of the source's audio in its images. */
  seconds: number;
}

export interface ShardRecord {
  format: 'resonance-dataset-shard';
  shard: number;
  shards: number;
  sources: string[];
}

export function statePaths(dataset: string) {
  const state = join(dataset, STATE_FOLDER);
  return {
    state,
    build: join(state, 'build.json'),
    sources: join(state, 'sources'),
    shards: join(state, 'shards'),
    sourceRecord: (key: string) => join(state, 'sources', `${key}.jsonl`),
    shardRecord: (shard: number, shards: number) => join(state, 'shards', `${shard}-of-${shards}.json`),
  };
}

/** Writes a whole file under a partial name, then renames it into place. */
export async function writeFileWhole(path: string, text: string): Promise<void> {
  const partial = partialPathFor(path);
  try {
    await writeFile(partial, text, { flag: 'wx' });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * A source's record written line by line as its clips are made (a header line, the metadata lines,
 * a summary line), appearing whole at the end.
 */
export class SourceRecordWriter {
  private constructor(
    private readonly path: string,
    private readonly partial: string,
    private readonly handle: Awaited<ReturnType<typeof open>>,
  ) {}

  static async begin(dataset: string, key: string, header: SourceHeader): Promise<SourceRecordWriter> {
    const paths = statePaths(dataset);
    await mkdir(paths.sources, { recursive: true });
    const path = paths.sourceRecord(key);
    const partial = partialPathFor(path);
    const handle = await open(partial, 'w');
    await handle.write(`${JSON.stringify({ header: true, ...header })}\n`);
    return new SourceRecordWriter(path, partial, handle);
  }

  async lines(lines: MetadataLine[]): Promise<void> {
    if (lines.length > 0) await this.handle.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  }

  async finish(summary: SourceSummary): Promise<void> {
    await this.handle.write(`${JSON.stringify(summary)}\n`);
    await this.handle.close();
    await rename(this.partial, this.path);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.partial, { force: true });
  }
}

/** The summary of a finished source's record, or undefined when it has none (not finished). */
export async function readSourceSummary(dataset: string, key: string): Promise<SourceSummary | undefined> {
  const path = statePaths(dataset).sourceRecord(key);
  let text: string;
  try {
    text = await readTail(path, 64 * 1024);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const last = text.trimEnd().split('\n').pop() ?? '';
  try {
    const summary = JSON.parse(last) as SourceSummary;
    return summary.summary === true ? summary : undefined;
  } catch {
    return undefined;
  }
}

async function readTail(path: string, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, length));
    await handle.read(buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function readJsonFile<T>(path: string, what: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ResonanceError('MANIFEST_INVALID', path, `is not valid JSON: the ${what} is damaged; remove it to start the build again`);
  }
}

/**
 * The settings that differ between what a dataset was built with and what is asked now, as the
 * flags a user would write: "--layout planes (asked: bytes)".
 */
export function settingsDifferences(built: DatasetSettings, asked: DatasetSettings): string[] {
  const flat = (settings: DatasetSettings): Record<string, unknown> => ({
    '--format': settings.audio.sampleFormat,
    '--channels': settings.audio.channels,
    '--sample-rate': settings.audio.sampleRate,
    '--width': settings.geometry.width,
    '--height': settings.geometry.height,
    '--expansion': settings.geometry.expansion,
    '--layout': settings.layout,
    '--compression': settings.compression,
    '--tail': settings.tail,
    '--hop (sample frames)': settings.hopFrames,
    '--skip-silent': settings.skipSilentDb,
    '--validation': settings.validation,
    '--seed': settings.seed,
    '--dither': settings.dither,
    '--webdataset': settings.webdataset ? `${settings.webdataset.maxSamples} samples, ${settings.webdataset.maxBytes} bytes a shard` : null,
  });
  const a = flat(built);
  const b = flat(asked);
  return Object.keys(a)
    .filter((flag) => JSON.stringify(a[flag]) !== JSON.stringify(b[flag]))
    .map((flag) => `${flag} ${show(a[flag])} (asked: ${show(b[flag])})`);
}

function show(value: unknown): string {
  return value === null ? 'none' : typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
}
