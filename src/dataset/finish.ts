/**
 * `resonance dataset finish`: joins what the shards of a build recorded into the dataset, once all
 * of them are complete: each split's metadata.jsonl (the sources in the corpus's order, each
 * source's clips in order), errors.jsonl, the WebDataset shards when asked for, and dataset.json,
 * written last. It checks that every source is in exactly one shard, and while a shard is missing
 * or failed it names it, with the command that would redo it, and leaves the dataset unfinished.
 * The result does not depend on how many shards there were: it equals a one-machine build.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { partialPathFor } from '../codec/pipeline/output';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { makeAudioFormat, ResonanceError, throwIfAborted } from '../codec';
import {
  DATASET_FILE,
  DATASET_FORMAT,
  DATASET_VERSION,
  ERRORS_FILE,
  METADATA_FILE,
  readJsonFile,
  SPLITS,
  statePaths,
  writeFileWhole,
  type BuildRecord,
  type DatasetSettings,
  type ShardRecord,
  type SourceHeader,
  type SourceSummary,
  type Split,
} from './records';
import { clipFramesOf, sourceKey } from './plan';
import { SHARDS_FOLDER, writeWebDatasetShards } from './webdataset';

export interface SplitTotals {
  images: number;
  sources: number;
  seconds: number;
}

/** dataset.json: everything needed to use the dataset and to decode what a model trained on it makes. */
export interface DatasetDescription {
  format: typeof DATASET_FORMAT;
  version: number;
  audio: ReturnType<typeof makeAudioFormat>;
  geometry: DatasetSettings['geometry'];
  layout: DatasetSettings['layout'];
  compression: DatasetSettings['compression'];
  clip: { sampleFrames: number; seconds: number; bytes: number; hopSampleFrames: number; hopSeconds: number; tail: DatasetSettings['tail'] };
  splits: Partial<Record<Split, SplitTotals & { folder: string; metadata: string; webdataset?: string[] }>>;
  sources: { total: number; used: number; failed: number };
  images: number;
  silentClips: number;
  clippedSamples: number;
  replacedSamples: number;
  errors: string;
  settings: DatasetSettings;
}

export interface FinishResult {
  dataset: string;
  description: DatasetDescription;
  /** The dataset was already finished: nothing was done. */
  alreadyFinished: boolean;
}

export async function finishDataset(dataset: string, signal?: AbortSignal): Promise<FinishResult> {
  const paths = statePaths(dataset);
  const build = await readJsonFile<BuildRecord & { inputs?: string[] }>(paths.build, 'build record');
  if (!build) {
    const done = await readJsonFile<DatasetDescription>(join(dataset, DATASET_FILE), 'dataset.json');
    if (done?.format === DATASET_FORMAT) return { dataset, description: done, alreadyFinished: true };
    throw new ResonanceError('NOT_A_DATASET', dataset, 'holds no dataset being built (no .resonance/build.json) and no dataset.json');
  }
  const shards = await shardRecords(dataset, build);
  const names = shards.flatMap((record) => record.sources).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < names.length; i++) {
    if (names[i] === names[i - 1]) throw new ResonanceError('MANIFEST_INCONSISTENT', paths.shards, `records the source ${names[i]} in more than one shard`);
  }
  if (names.length !== build.corpus.sources || createHash('sha256').update(names.join('\n')).digest('hex') !== build.corpus.sha256) {
    throw new ResonanceError(
      'MANIFEST_INCONSISTENT',
      paths.shards,
      `records ${names.length} sources in its shards where the build's corpus has ${build.corpus.sources}: some source is in no shard`,
    );
  }

  const { settings } = build;
  const splitOut = new Map<Split, LineFile>();
  const totals = new Map<Split, SplitTotals>();
  const errors = await LineFile.begin(join(dataset, ERRORS_FILE));
  const counts = { used: 0, failed: 0, images: 0, silentClips: 0, clippedSamples: 0, replacedSamples: 0 };
  try {
    for (const name of names) {
      throwIfAborted(signal);
      const summary = await copySourceLines(dataset, name, async (split) => {
        let file = splitOut.get(split);
        if (!file) {
          await mkdir(join(dataset, split), { recursive: true });
          file = await LineFile.begin(join(dataset, split, METADATA_FILE));
          splitOut.set(split, file);
        }
        return file;
      });
      if (summary.status === 'failed') {
        counts.failed++;
        await errors.write(JSON.stringify({ source: summary.source, code: summary.error?.code, message: summary.error?.message }));
        continue;
      }
      counts.used++;
      counts.images += summary.images;
      counts.silentClips += summary.silentClips;
      counts.clippedSamples += summary.clippedSamples;
      counts.replacedSamples += summary.replacedSamples;
      const split = totals.get(summary.split) ?? { images: 0, sources: 0, seconds: 0 };
      split.images += summary.images;
      split.sources++;
      split.seconds += summary.seconds;
      totals.set(summary.split, split);
    }
    for (const file of splitOut.values()) await file.commit();
    await errors.commit();
  } catch (error) {
    for (const file of splitOut.values()) await file.discard();
    await errors.discard();
    throw error;
  }

  const audio = makeAudioFormat(settings.audio.sampleFormat, settings.audio.channels, settings.audio.sampleRate);
  const clipFrames = clipFramesOf(settings.geometry, settings.layout, settings.audio);
  const description: DatasetDescription = {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    audio,
    geometry: settings.geometry,
    layout: settings.layout,
    compression: settings.compression,
    clip: {
      sampleFrames: clipFrames,
      seconds: clipFrames / audio.sampleRate,
      bytes: clipFrames * audio.blockAlign,
      hopSampleFrames: settings.hopFrames,
      hopSeconds: settings.hopFrames / audio.sampleRate,
      tail: settings.tail,
    },
    splits: {},
    sources: { total: names.length, used: counts.used, failed: counts.failed },
    images: counts.images,
    silentClips: counts.silentClips,
    clippedSamples: counts.clippedSamples,
    replacedSamples: counts.replacedSamples,
    errors: ERRORS_FILE,
    settings,
  };
  for (const split of SPLITS) {
    const split_ = totals.get(split);
    if (!split_ && !splitOut.has(split)) continue;
    description.splits[split] = { folder: split, metadata: `${split}/${METADATA_FILE}`, ...(split_ ?? { images: 0, sources: 0, seconds: 0 }) };
  }
  if (settings.webdataset) {
    await mkdir(join(dataset, SHARDS_FOLDER), { recursive: true });
    for (const split of SPLITS) {
      const entry = description.splits[split];
      if (entry) entry.webdataset = await writeWebDatasetShards(dataset, split, settings.webdataset, signal);
    }
  }
  await writeFileWhole(join(dataset, DATASET_FILE), `${JSON.stringify(description, null, 2)}\n`);
  await rm(paths.state, { recursive: true, force: true });
  return { dataset, description, alreadyFinished: false };
}

/** The shards' completion records; refuses with what is missing and how to redo it. */
async function shardRecords(dataset: string, build: BuildRecord & { inputs?: string[] }): Promise<ShardRecord[]> {
  const paths = statePaths(dataset);
  const records: ShardRecord[] = [];
  const missing: number[] = [];
  const failed: string[] = [];
  for (let shard = 0; shard < build.shards; shard++) {
    const record = await readJsonFile<ShardRecord>(paths.shardRecord(shard, build.shards), 'shard record');
    if (record) {
      records.push(record);
      continue;
    }
    missing.push(shard);
    const failure = await readJsonFile<{ message?: string }>(failedShardPath(dataset, shard, build.shards), 'shard failure record');
    if (failure?.message) failed.push(`shard ${shard} failed: ${failure.message}`);
  }
  if (missing.length === 0) return records;
  const inputs = (build.inputs ?? ['INPUT…']).map(quoteArgument).join(' ');
  const redo = missing.map((shard) => `resonance dataset build ${inputs} -o ${quoteArgument(dataset)} --shard ${shard}/${build.shards}`);
  const which = `${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} of ${build.shards}`;
  throw new ResonanceError(
    'DATASET_UNFINISHED',
    dataset,
    `is unfinished: ${which} ${missing.length === 1 ? 'has' : 'have'} not completed${failed.length > 0 ? ` (${failed.join('; ')})` : ''}; run ` +
      `${redo.length === 1 ? 'it' : 'them'} again with the same options (${redo.join('; ')}), then finish`,
  );
}

export function failedShardPath(dataset: string, shard: number, shards: number): string {
  return join(statePaths(dataset).shards, `${shard}-of-${shards}.failed.json`);
}

function quoteArgument(text: string): string {
  return /^[\w./=:@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** Copies a source record's metadata lines to its split's file, as they are read; its summary. */
async function copySourceLines(dataset: string, name: string, fileFor: (split: Split) => Promise<LineFile>): Promise<SourceSummary> {
  const path = statePaths(dataset).sourceRecord(sourceKey(name));
  let header: SourceHeader | undefined;
  let summary: SourceSummary | undefined;
  let file: LineFile | undefined;
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      if (line === '') continue;
      if (!header) {
        header = JSON.parse(line) as SourceHeader;
        if (header.source !== name) throw new Error(`it is the record of ${header.source}`);
        continue;
      }
      if (line.startsWith('{"summary":true')) {
        summary = JSON.parse(line) as SourceSummary;
        break;
      }
      file ??= await fileFor(header.split);
      await file.write(line);
    }
  } catch (error) {
    throw new ResonanceError('MANIFEST_INCONSISTENT', path, `cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!summary) throw new ResonanceError('MANIFEST_INCONSISTENT', path, 'has no summary: the source was not finished');
  // A split without images still gets its (empty) metadata file.
  if (summary.status === 'done') await fileFor(summary.split);
  return summary;
}

/** A text file written line by line under a partial name, appearing whole on commit. */
class LineFile {
  private pending: string[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly path: string,
    private readonly partial: string,
    private readonly handle: Awaited<ReturnType<typeof open>>,
  ) {}

  static async begin(path: string): Promise<LineFile> {
    const partial = partialPathFor(path);
    return new LineFile(path, partial, await open(partial, 'w'));
  }

  async write(line: string): Promise<void> {
    this.pending.push(line, '\n');
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.handle.write(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.handle.close();
    await rename(this.partial, this.path);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.partial, { force: true });
  }
}
