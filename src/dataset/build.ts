/**
 * `resonance dataset build`: a corpus in, a training set out. One shard of a build, that is: the
 * sources sorted by name are dealt to N shards in turn (N = 1 on one machine), each shard makes its
 * sources' images and records and writes its completion record last; `finish` (finish.ts) then
 * joins the records into the dataset. A build stopped anywhere and run again skips the sources it
 * finished, and a shard with other settings than the others is refused.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  CancelledError,
  geometryProblem,
  gridOf,
  layoutOf,
  makeAudioFormat,
  ResonanceError,
  throwIfAborted,
  toResonanceError,
  type Compression,
  type Geometry,
  type LayoutName,
  type StreamInfo,
} from '../codec';
import { FramePool } from '../codec/pipeline/framePool';
import { runInOrder } from '../codec/pipeline/job';
import { planConversion, type TargetAudio } from './audio/conversion';
import type { ClipEntry, ClipsJob, ClipsResult } from './clipJob';
import { runClipsJob } from './clipJob';
import { findSources, type Source } from './corpus';
import { failedShardPath, finishDataset, type FinishResult } from './finish';
import { clipFramesOf, clipPlan, sourceKey, validationSources, type Tail } from './plan';
import {
  DATASET_FILE,
  readJsonFile,
  readSourceSummary,
  settingsDifferences,
  SourceRecordWriter,
  statePaths,
  writeFileWhole,
  type BuildRecord,
  type DatasetSettings,
  type MetadataLine,
  type ShardRecord,
  type Split,
  type SourceSummary,
  type WebDatasetOptions,
} from './records';
import { removeStalePartialsIn } from '../codec/pipeline/output';
import { chooseTarget, probeSources, type Probe } from './target';

export interface BuildOptions {
  inputs: string[];
  output: string;
  /** The target audio as given; what is missing comes from a uniform corpus. */
  audio: Partial<TargetAudio>;
  geometry: Geometry;
  layout: LayoutName;
  compression: Compression;
  tail: Tail;
  hopSeconds?: number;
  /** Leave out clips quieter than −skipSilentDb dB RMS. */
  skipSilentDb?: number;
  validation: number;
  seed: number;
  dither: boolean;
  webdataset?: WebDatasetOptions;
  /** A bad source stops the build instead of being listed in errors.jsonl. */
  strict: boolean;
  shard?: { index: number; count: number };
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (progress: DatasetProgress) => void;
}

export interface DatasetProgress {
  sourcesDone: number;
  sourceCount: number;
  clipsDone: number;
  clipCount: number;
  /** Bytes of the sources' audio data. */
  bytesDone: number;
  bytesTotal: number;
}

export interface BuildResult {
  dataset: string;
  shard: { index: number; count: number };
  settings: DatasetSettings;
  sources: { found: number; duplicates: number; inShard: number; made: number; alreadyDone: number; failed: number };
  images: number;
  silentClips: number;
  clippedSamples: number;
  replacedSamples: number;
  bytesWritten: number;
  /** The sources of this run that could not be used. */
  failures: Array<{ source: string; code: string; message: string }>;
  /** The dataset was already complete with these settings: nothing was done. */
  alreadyComplete: boolean;
  /** When this run finished the dataset (one shard, or the last finish): its totals. */
  finished?: FinishResult;
}

/** Clips a job of the pool makes at most, and the image bytes it holds at most. */
const JOB_MAX_CLIPS = 2048;
const JOB_IMAGE_BYTES = 32 * 1024 * 1024;
/**
 * Each worker's young generation, in MB: a worker drops a clip's image and PNG-sized buffers at
 * every clip, which V8's default (tens of MB a thread) let pile up until the bench corpus's build
 * peaked at 172-212 MB; at 4 MB it peaked at 143 MB, no slower (docs/decisions.md, "corpus3").
 */
const WORKER_YOUNG_GENERATION_MB = 4;
/** A build with less image than this runs without worker threads: their start-up would outlast it. */
const SMALL_BUILD_IMAGE_BYTES = 64 * 1024 * 1024;

export async function buildDataset(options: BuildOptions): Promise<BuildResult> {
  const shard = options.shard ?? { index: 0, count: 1 };
  const dataset = options.output;
  checkOptions(options, shard);
  await checkOutputFolder(dataset);
  throwIfAborted(options.signal);
  try {
    return await buildShard(options, shard);
  } catch (error) {
    // A shard that stops on an error says so, for `finish` to report; a cancelled one just stops.
    const problem = toResonanceError(error);
    if (problem.code !== 'CANCELLED' && (await stat(statePaths(dataset).build).catch(() => undefined))) {
      await mkdir(statePaths(dataset).shards, { recursive: true });
      await writeFileWhole(
        failedShardPath(dataset, shard.index, shard.count),
        `${JSON.stringify({ code: problem.code, message: problem.message, host: hostname() })}\n`,
      ).catch(() => undefined);
    }
    throw error;
  }
}

async function buildShard(options: BuildOptions, shard: { index: number; count: number }): Promise<BuildResult> {
  const dataset = options.output;

  const corpus = await findSources(options.inputs, dataset);
  const inShard = corpus.sources.filter((_, i) => i % shard.count === shard.index);
  // Every shard needs the whole corpus's formats only when it must take the target from them.
  const complete = options.audio.sampleFormat !== undefined && options.audio.channels !== undefined && options.audio.sampleRate !== undefined;
  const probes = await probeSources(complete ? inShard : corpus.sources);
  const audio = chooseTarget(probes, options.audio, options.inputs.length === 1 ? options.inputs[0] : 'the corpus');
  const settings = settingsOf(options, audio);
  const stream = imageStream(settings, dataset);
  const clipFrames = stream.dataLength / stream.audio.blockAlign;

  await createOutputFolder(dataset);
  const base: Omit<BuildResult, 'sources' | 'images' | 'silentClips' | 'clippedSamples' | 'replacedSamples' | 'bytesWritten' | 'failures'> = {
    dataset,
    shard,
    settings,
    alreadyComplete: false,
  };
  const empty = { images: 0, silentClips: 0, clippedSamples: 0, replacedSamples: 0, bytesWritten: 0, failures: [] };
  const sourceCounts = { found: corpus.sources.length, duplicates: corpus.duplicates.length, inShard: inShard.length, made: 0, alreadyDone: 0, failed: 0 };
  if (await finishedWith(dataset, settings)) return { ...base, ...empty, sources: sourceCounts, alreadyComplete: true };

  await claimBuild(
    dataset,
    { format: 'resonance-dataset-build', version: 1, settings, corpus: corpusDigest(corpus.sources), shards: shard.count },
    options.inputs,
  );
  const validation = validationSources(
    corpus.sources.map((s) => s.name),
    settings.validation,
    settings.seed,
  );
  const splitOf = (source: Source): Split => (validation.has(source.name) ? 'validation' : 'train');
  for (const split of new Set(inShard.map(splitOf))) await mkdir(join(dataset, split), { recursive: true });
  for (const folder of [
    join(dataset, 'train'),
    join(dataset, 'validation'),
    join(dataset, 'shards'),
    statePaths(dataset).sources,
    statePaths(dataset).shards,
    statePaths(dataset).state,
    dataset,
  ]) {
    await removeStalePartialsIn(folder);
  }

  const probeOf = new Map(probes.map((probe) => [probe.source.name, probe]));
  const work: SourceWork[] = [];
  const result: BuildResult = { ...base, ...empty, failures: [], sources: sourceCounts };
  for (const source of inShard) {
    const key = sourceKey(source.name);
    if (await readSourceSummary(dataset, key)) {
      sourceCounts.alreadyDone++;
      continue;
    }
    work.push(sourceWork(source, key, join(dataset, splitOf(source)), splitOf(source), probeOf.get(source.name)!, settings, clipFrames));
  }
  const refused = options.strict ? work.find((each) => each.failed) : undefined;
  if (refused?.failed) throw refused.failed;

  const jobs = work.flatMap((each) => each.jobs.map((job, index) => ({ work: each, job, index })));
  const clipCount = work.reduce((sum, each) => sum + each.clipCount, 0);
  const progress: DatasetProgress = {
    sourcesDone: sourceCounts.alreadyDone,
    sourceCount: inShard.length,
    clipsDone: 0,
    clipCount,
    bytesDone: 0,
    bytesTotal: work.reduce((sum, each) => sum + each.dataLength, 0),
  };
  options.onProgress?.({ ...progress });
  const imageBytes = clipCount * settings.geometry.width * settings.geometry.height * 3;
  const workers = options.workers ?? (imageBytes <= SMALL_BUILD_IMAGE_BYTES ? 0 : Math.max(1, Math.min(8, availableParallelism())));
  const pool = new FramePool<ClipsJob, ClipsResult>(workers, {
    script: 'datasetWorker.js',
    run: runClipsJob,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  pool.inlineWhileStarting = true;

  // Sources without jobs (unreadable, refused, or with no clips) are recorded straight away.
  for (const each of work) if (each.jobs.length === 0) await recordSource(dataset, each, result, options.strict);
  const writers = new Map<SourceWork, SourceRecordWriter>();
  try {
    await runInOrder(
      jobs.length,
      2 * Math.max(1, pool.size),
      (index) => pool.run(jobs[index].job).then((made): JobOutcome => ({ made }), (error: unknown): JobOutcome => ({ error: toResonanceError(error) })),
      async (outcome, index) => {
        const { work: each, index: jobIndex } = jobs[index];
        if (outcome.error?.code === 'CANCELLED' || options.signal?.aborted) throw new CancelledError();
        if (outcome.error && options.strict) throw outcome.error;
        let writer = writers.get(each);
        if (!writer) {
          writer = await SourceRecordWriter.begin(dataset, each.key, { source: each.source.name, split: each.split });
          writers.set(each, writer);
        }
        if (outcome.error) {
          each.failed ??= outcome.error;
        } else if (!each.failed) {
          const made = outcome.made!;
          await writer.lines(made.clips.filter((clip) => !clip.silent).map((clip) => metadataLine(each, clip, settings)));
          tally(each, made.clips);
          result.bytesWritten += made.bytesWritten;
          progress.clipsDone += made.clips.length;
        }
        if (jobIndex === each.jobs.length - 1) {
          writers.delete(each);
          await finishSource(dataset, each, writer, result, options.strict);
          progress.sourcesDone++;
          progress.bytesDone += each.dataLength;
        }
        options.onProgress?.({ ...progress });
      },
      options.signal,
    );
    throwIfAborted(options.signal);
  } finally {
    for (const writer of writers.values()) await writer.discard();
    await pool.close();
  }

  const record: ShardRecord = { format: 'resonance-dataset-shard', shard: shard.index, shards: shard.count, sources: inShard.map((s) => s.name) };
  await mkdir(statePaths(dataset).shards, { recursive: true });
  await writeFileWhole(statePaths(dataset).shardRecord(shard.index, shard.count), `${JSON.stringify(record)}\n`);
  await rm(failedShardPath(dataset, shard.index, shard.count), { force: true });
  if (shard.count === 1) result.finished = await finishDataset(dataset);
  return result;
}

type JobOutcome = { made: ClipsResult; error?: undefined } | { made?: undefined; error: ResonanceError };

/** One source's share of the build: its jobs, and what its clips came to. */
interface SourceWork {
  source: Source;
  key: string;
  split: Split;
  /** The target's sample rate, in which audioFrames count. */
  rate: number;
  dataLength: number;
  clipCount: number;
  conversion: string[];
  jobs: ClipsJob[];
  /** Why it cannot be used: from the start (unreadable, refused) or from a job. */
  failed?: ResonanceError;
  images: number;
  silentClips: number;
  clippedSamples: number;
  replacedSamples: number;
  audioFrames: number;
}

function sourceWork(source: Source, key: string, folder: string, split: Split, probe: Probe, settings: DatasetSettings, clipFrames: number): SourceWork {
  const work: SourceWork = {
    source,
    key,
    split,
    rate: settings.audio.sampleRate,
    dataLength: 0,
    clipCount: 0,
    conversion: [],
    jobs: [],
    images: 0,
    silentClips: 0,
    clippedSamples: 0,
    replacedSamples: 0,
    audioFrames: 0,
  };
  if (!probe.wav) {
    work.failed = probe.error ?? new ResonanceError('INTERNAL', source.path, 'was not read');
    return work;
  }
  const { wav } = probe;
  const sourceFrames = Math.floor(wav.dataLength / wav.format.blockAlign);
  const conversion = planConversion(wav.format, probe.channelMask, sourceFrames, settings.audio);
  if ('refused' in conversion) {
    work.failed = new ResonanceError(conversion.code, source.path, conversion.refused);
    return work;
  }
  work.conversion = conversion.steps;
  work.dataLength = wav.dataLength;
  const plan = clipPlan(conversion.outputFrames, clipFrames, settings.hopFrames, settings.tail);
  work.clipCount = plan.count;
  const imageBytes = settings.geometry.width * settings.geometry.height * 3;
  const perJob = Math.max(1, Math.min(JOB_MAX_CLIPS, Math.floor(JOB_IMAGE_BYTES / imageBytes)));
  const stream = streamOf(settings, clipFrames);
  for (let first = 0; first < plan.count; first += perJob) {
    work.jobs.push({
      source: {
        path: source.path,
        name: source.name,
        key,
        dataOffset: wav.dataOffset,
        dataLength: wav.dataLength,
        format: wav.format,
        ...(probe.channelMask === undefined ? {} : { channelMask: probe.channelMask }),
      },
      target: settings.audio,
      stream,
      compression: settings.compression,
      clipFrames,
      hopFrames: settings.hopFrames,
      tail: settings.tail,
      first,
      count: Math.min(perJob, plan.count - first),
      folder,
      ...(settings.skipSilentDb === null ? {} : { skipBelowDb: -settings.skipSilentDb }),
      ...(settings.dither ? { ditherSeed: settings.seed } : {}),
    });
  }
  return work;
}

function tally(work: SourceWork, clips: ClipEntry[]): void {
  for (const clip of clips) {
    if (clip.silent) {
      work.silentClips++;
      continue;
    }
    work.images++;
    work.clippedSamples += clip.clipped;
    work.replacedSamples += clip.replaced;
    work.audioFrames += clip.audioFrames;
  }
}

function metadataLine(work: SourceWork, clip: ClipEntry, settings: DatasetSettings): MetadataLine {
  const rate = settings.audio.sampleRate;
  return {
    file_name: `${clip.key}.png`,
    key: clip.key,
    source: work.source.name,
    clip: clip.clip,
    start_seconds: (clip.clip * settings.hopFrames) / rate,
    duration_seconds: clip.audioFrames / rate,
    rms_dbfs: Number.isFinite(clip.rmsDb) ? Math.round(clip.rmsDb * 100) / 100 : null,
    clipped_samples: clip.clipped,
    replaced_samples: clip.replaced,
  };
}

async function finishSource(dataset: string, work: SourceWork, writer: SourceRecordWriter, result: BuildResult, strict: boolean): Promise<void> {
  if (work.failed) {
    await writer.discard();
    await removeImagesOf(join(dataset, work.split), work.key);
    await recordSource(dataset, work, result, strict);
    return;
  }
  await writer.finish(summaryOf(work));
  result.sources.made++;
  result.images += work.images;
  result.silentClips += work.silentClips;
  result.clippedSamples += work.clippedSamples;
  result.replacedSamples += work.replacedSamples;
}

/** The record of a source with no clips to make: failed, or too short for a clip with --tail drop. */
async function recordSource(dataset: string, work: SourceWork, result: BuildResult, strict: boolean): Promise<void> {
  if (work.failed) {
    if (strict) throw work.failed;
    result.sources.failed++;
    result.failures.push({ source: work.source.name, code: work.failed.code, message: work.failed.message });
  } else {
    result.sources.made++;
  }
  const writer = await SourceRecordWriter.begin(dataset, work.key, { source: work.source.name, split: work.split });
  await writer.finish(summaryOf(work));
}

function summaryOf(work: SourceWork): SourceSummary {
  const summary: SourceSummary = {
    summary: true,
    source: work.source.name,
    split: work.split,
    status: work.failed ? 'failed' : 'done',
    images: work.images,
    silentClips: work.silentClips,
    clippedSamples: work.clippedSamples,
    replacedSamples: work.replacedSamples,
    seconds: work.audioFrames / work.rate,
  };
  if (work.failed) summary.error = { code: work.failed.code, message: work.failed.message };
  else summary.conversion = work.conversion;
  return summary;
}

function settingsOf(options: BuildOptions, audio: TargetAudio): DatasetSettings {
  const clipFrames = clipFramesOf(options.geometry, options.layout, audio);
  return {
    // Fields in one order, however they were given: the record is compared and written as text.
    audio: { sampleFormat: audio.sampleFormat, channels: audio.channels, sampleRate: audio.sampleRate },
    geometry: { width: options.geometry.width, height: options.geometry.height, expansion: options.geometry.expansion },
    layout: options.layout,
    compression: options.compression,
    tail: options.tail,
    hopFrames: options.hopSeconds === undefined ? clipFrames : Math.max(1, Math.round(options.hopSeconds * audio.sampleRate)),
    skipSilentDb: options.skipSilentDb ?? null,
    validation: options.validation,
    seed: options.seed,
    dither: options.dither,
    webdataset: options.webdataset ? { maxSamples: options.webdataset.maxSamples, maxBytes: options.webdataset.maxBytes } : null,
  };
}

/** What every image records in its text chunk: one frame of one clip. */
function streamOf(settings: DatasetSettings, clipFrames: number): StreamInfo {
  const audio = makeAudioFormat(settings.audio.sampleFormat, settings.audio.channels, settings.audio.sampleRate);
  return {
    geometry: settings.geometry,
    layout: settings.layout,
    audio,
    bytesPerFrame: layoutOf(settings.layout).bytesPerFrame(gridOf(settings.geometry), audio),
    dataLength: clipFrames * audio.blockAlign,
    frameCount: 1,
  };
}

function imageStream(settings: DatasetSettings, dataset: string): StreamInfo {
  const clipFrames = clipFramesOf(settings.geometry, settings.layout, settings.audio);
  if (clipFrames === 0) {
    const { width, height } = settings.geometry;
    throw new ResonanceError(
      'FRAME_TOO_SMALL',
      dataset,
      `cannot be built: a ${width} × ${height} image is too small for one sample frame of ${settings.audio.sampleFormat}, ` +
        `${settings.audio.channels} channels in the ${settings.layout} layout`,
    );
  }
  return streamOf(settings, clipFrames);
}

function checkOptions(options: BuildOptions, shard: { index: number; count: number }): void {
  const problem = geometryProblem(options.geometry);
  if (problem) throw new ResonanceError('GEOMETRY_INVALID', options.output, `cannot be built: ${problem}`);
  if (!(options.validation >= 0 && options.validation < 1))
    throw new ResonanceError(
      'PARAMETER_INVALID',
      options.output,
      `cannot be built: the validation fraction must be at least 0 and below 1, not ${options.validation}`,
    );
  if (options.hopSeconds !== undefined && !(options.hopSeconds > 0))
    throw new ResonanceError('PARAMETER_INVALID', options.output, `cannot be built: the hop must be more than 0 seconds, not ${options.hopSeconds}`);
  if (!(Number.isSafeInteger(shard.count) && shard.count >= 1 && Number.isSafeInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    const problem = `cannot be built as shard ${shard.index} of ${shard.count}: shards are numbered 0 to N − 1`;
    throw new ResonanceError('PARAMETER_INVALID', options.output, problem);
  }
  if (options.inputs.length === 0) throw new ResonanceError('PARAMETER_INVALID', options.output, 'cannot be built from nothing: give WAV files or folders');
}

/** The dataset folder: in an existing folder; itself absent, empty, or a Resonance dataset. */
async function checkOutputFolder(dataset: string): Promise<void> {
  const parent = dirname(resolve(dataset));
  const parentInfo = await stat(parent).catch(() => undefined);
  if (!parentInfo?.isDirectory()) throw new ResonanceError('OUTPUT_FOLDER_MISSING', parent, 'no such folder to write the dataset in');
  const info = await stat(dataset).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw toResonanceError(error, dataset);
  });
  if (!info) return;
  if (!info.isDirectory()) throw new ResonanceError('NOT_A_FOLDER', dataset, 'is a file, not a folder to build a dataset in');
  const names = await readdir(dataset);
  const ours = names.includes(DATASET_FILE) || names.includes(statePaths(dataset).state.slice(dataset.length + 1));
  if (names.length > 0 && !ours)
    throw new ResonanceError('OUTPUT_EXISTS', dataset, 'is a folder that holds other files and no Resonance dataset: build into a new or empty folder');
}

/** Creates the dataset folder once the build is known to be possible (another shard may have made it). */
async function createOutputFolder(dataset: string): Promise<void> {
  await mkdir(dataset).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw toResonanceError(error, dataset);
  });
}

/** Whether the dataset is already complete with these settings; refused when it was built with others. */
async function finishedWith(dataset: string, settings: DatasetSettings): Promise<boolean> {
  const done = await readJsonFile<{ settings?: DatasetSettings }>(join(dataset, DATASET_FILE), 'dataset.json');
  if (!done) return false;
  if (!done.settings) throw new ResonanceError('NOT_A_DATASET', join(dataset, DATASET_FILE), 'is not a Resonance dataset.json');
  refuseDifferences(dataset, done.settings, settings, 'was built');
  return true;
}

/** Writes the build record, or checks this run against the one there. */
async function claimBuild(dataset: string, record: BuildRecord, inputs: string[]): Promise<void> {
  const paths = statePaths(dataset);
  const existing = await readJsonFile<BuildRecord & { inputs?: string[] }>(paths.build, 'build record');
  if (existing) {
    refuseDifferences(dataset, existing.settings, record.settings, 'is being built');
    if (existing.shards !== record.shards) {
      throw new ResonanceError(
        'DATASET_OPTIONS_DIFFER',
        dataset,
        `is being built in ${existing.shards} shard${existing.shards === 1 ? '' : 's'}; this run asks for ${record.shards}: give --shard I/${existing.shards}`,
      );
    }
    if (existing.corpus.sha256 !== record.corpus.sha256) {
      throw new ResonanceError(
        'DATASET_OPTIONS_DIFFER',
        dataset,
        `is being built from a corpus of ${existing.corpus.sources} sources, and these inputs hold another (${record.corpus.sources} sources, or other ` +
          `names): give the same inputs`,
      );
    }
    return;
  }
  await mkdir(paths.state, { recursive: true });
  await writeFileWhole(paths.build, `${JSON.stringify({ ...record, inputs }, null, 2)}\n`).catch(async (error: NodeJS.ErrnoException) => {
    // Another shard wrote it first: then this run must agree with it.
    if (error.code !== 'EEXIST') throw error;
  });
  const written = await readJsonFile<BuildRecord>(paths.build, 'build record');
  if (written && JSON.stringify(written.settings) !== JSON.stringify(record.settings))
    refuseDifferences(dataset, written.settings, record.settings, 'is being built');
}

function refuseDifferences(dataset: string, built: DatasetSettings, asked: DatasetSettings, verb: string): void {
  const differences = settingsDifferences(built, asked);
  if (differences.length > 0) throw new ResonanceError('DATASET_OPTIONS_DIFFER', dataset, `${verb} with other options: ${differences.join('; ')}`);
}

function corpusDigest(sources: readonly Source[]): BuildRecord['corpus'] {
  return { sources: sources.length, sha256: createHash('sha256').update(sources.map((s) => s.name).join('\n')).digest('hex') };
}

/** Removes the images a failed source left: they are named by its key, in its split's folder. */
async function removeImagesOf(folder: string, key: string): Promise<void> {
  const pattern = new RegExp(`^${key}_\\d{6}\\.png$`);
  for (const name of await readdir(folder).catch(() => [])) if (pattern.test(name)) await rm(join(folder, name), { force: true });
}
