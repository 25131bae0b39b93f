import { COMPRESSIONS, describeAudioFormat, LAYOUT_NAMES, makeAudioFormat, SAMPLE_FORMATS } from '../../codec';
import { buildDataset, describeDataset, finishDataset, shardFromEnvironment, type BuildResult, type DatasetDescription } from '../../dataset';
import { defineCommand, defineCommandGroup } from '../command';
import { checkedGeometry, choice, decimal, expansionOption, flag, jsonOption, printJson, text, UsageError, wholeNumber, workersOption } from '../options';
import { formatBytes, formatDuration, formatRate, plural } from '../../shared/units';
import type { CliIO } from '../terminal';
import { progressLine } from '../progress';

const DEFAULT_SIZE = 256;

const buildCommand = defineCommand({
  name: 'dataset build',
  operands: ['INPUT...'],
  summary: 'turn a corpus of WAV files into one training set of images',
  description: [
    'Makes one PNG per clip of audio from every WAV file the INPUTs name (folders are searched for',
    '.wav files), all in one audio format and one geometry, in the folder conventions training code',
    'reads: DATASET/train/ (and validation/) with metadata.jsonl, and DATASET/dataset.json. A bad file',
    'is left out and listed in errors.jsonl. Run again, the build goes on where it stopped.',
  ].join('\n'),
  variadic: true,
  options: {
    output: text('DATASET', 'folder to write the dataset to (created when missing)', 'o'),
    sampleRate: wholeNumber('N', 'target sample rate in Hz (default: the corpus\'s own, when all its files agree)'),
    channels: wholeNumber('N', 'target channels (default: the corpus\'s own, when all its files agree)'),
    format: choice(SAMPLE_FORMATS, 'target sample format (default: the corpus\'s own, when all its files agree)'),
    size: wholeNumber('N', `square images of N × N pixels (default ${DEFAULT_SIZE})`),
    width: wholeNumber('N', 'image width, for images that are not square'),
    height: wholeNumber('N', 'image height, for images that are not square'),
    expansion: expansionOption,
    layout: choice(LAYOUT_NAMES, 'how the audio lies in the pixels (default: planes, which survives what models do to images)'),
    compression: choice(COMPRESSIONS, 'PNG compression (default: default)'),
    tail: choice(['pad', 'drop'] as const, 'the end of each source: pad the last clip with silence, or drop it (default: pad)'),
    skipSilent: decimal('DB', 'leave out clips whose RMS is below −DB dB of full scale', { min: 0, aboveMin: true }),
    hop: decimal('SECONDS', 'start a clip every SECONDS, for overlapping clips (default: one clip length)', { min: 0, aboveMin: true }),
    validation: decimal('FRACTION', 'hold out this fraction of the source files for validation (default 0)', { min: 0, max: 1, belowMax: true }),
    seed: wholeNumber('N', 'seed for choosing the validation files and for the dither (default 0)', 0),
    dither: flag('add TPDF dither when converting to fewer bits'),
    webdataset: flag('also write WebDataset tar shards (DATASET/shards/SPLIT-000000.tar)'),
    tarSamples: wholeNumber('N', 'samples a WebDataset shard holds at most (default 1000)'),
    tarMb: wholeNumber('MB', 'megabytes a WebDataset shard holds at most (default 1024)'),
    shard: text(
      'I/N',
      'build part I of N (I from 0), for many machines; default: from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shards',
    ),
    shards: wholeNumber('N', "the number of shards, with Kubernetes' JOB_COMPLETION_INDEX (or RESONANCE_SHARDS)"),
    strict: flag('stop at the first bad file instead of listing it in errors.jsonl'),
    workers: workersOption,
    json: jsonOption,
  },
  examples: [
    'resonance dataset build corpus/ -o dataset',
    'resonance dataset build a.wav b.wav more/ -o dataset --sample-rate 16000 --channels 1 --format s16 --size 128',
    'resonance dataset build corpus/ -o dataset --validation 0.1 --webdataset',
    'resonance dataset build corpus/ -o dataset --shard 3/8',
  ],
  async run({ operands, options, io }) {
    if (!options.output) throw new UsageError('give the dataset folder with -o DATASET');
    if (options.size !== undefined && (options.width !== undefined || options.height !== undefined))
      throw new UsageError('give --size, or --width and --height, not both');
    const side = options.size ?? DEFAULT_SIZE;
    const geometry = checkedGeometry({ width: options.width ?? side, height: options.height ?? side, expansion: options.expansion });
    const shard = shardOption(options.shard, options.shards);
    const started = performance.now();
    const bar = progressBar(io);
    let result: BuildResult;
    try {
      result = await buildDataset({
        inputs: operands,
        output: options.output,
        audio: { sampleRate: options.sampleRate, channels: options.channels, sampleFormat: options.format },
        geometry,
        layout: options.layout ?? 'planes',
        compression: options.compression ?? 'default',
        tail: options.tail ?? 'pad',
        hopSeconds: options.hop,
        skipSilentDb: options.skipSilent,
        validation: options.validation ?? 0,
        seed: options.seed ?? 0,
        dither: options.dither,
        webdataset: options.webdataset ? { maxSamples: options.tarSamples ?? 1000, maxBytes: (options.tarMb ?? 1024) * 1e6 } : undefined,
        strict: options.strict,
        shard: shard.shard,
        workers: options.workers,
        signal: io.signal,
        onProgress: bar.update,
      });
    } finally {
      bar.finish();
    }
    const seconds = (performance.now() - started) / 1000;
    if (options.json) {
      printJson(io, { ...result, shardFrom: shard.from, seconds });
      return;
    }
    io.stdout.write(`${buildSummary(operands, result, shard.from, seconds).join('\n')}\n`);
  },
});

const finishCommand = defineCommand({
  name: 'dataset finish',
  operands: ['DATASET'],
  summary: 'join the shards of a dataset built on many machines',
  description: [
    'Once every shard of a build has completed, writes the dataset: each split\'s metadata.jsonl, errors.jsonl,',
    'the WebDataset shards when asked for, and dataset.json. While a shard is missing or failed, says which,',
    'with the command that would redo it, and leaves the dataset unfinished.',
  ].join('\n'),
  options: { json: jsonOption },
  examples: ['resonance dataset finish dataset'],
  async run({ operands: [dataset], options, io }) {
    const started = performance.now();
    const result = await finishDataset(dataset, io.signal);
    const seconds = (performance.now() - started) / 1000;
    if (options.json) {
      printJson(io, { ...result, seconds });
      return;
    }
    io.stdout.write(`${[`${dataset}: ${result.alreadyFinished ? 'already finished' : 'finished'}`, ...datasetLines(result.description)].join('\n')}\n`);
  },
});

const infoCommand = defineCommand({
  name: 'dataset info',
  operands: ['DATASET'],
  summary: 'describe a dataset: its audio, geometry, splits and sources',
  description: 'Reads DATASET/dataset.json (and says so when the dataset is still being built).',
  options: { json: jsonOption },
  examples: ['resonance dataset info dataset', 'resonance dataset info dataset --json'],
  async run({ operands: [dataset], options, io }) {
    const description = await describeDataset(dataset);
    if (options.json) printJson(io, description);
    else io.stdout.write(`${[dataset, ...datasetLines(description)].join('\n')}\n`);
  },
});

export const datasetCommand = defineCommandGroup({
  name: 'dataset',
  summary: 'build a training set from a corpus of WAV files, and describe one',
  description: 'Datasets: a corpus of audio in, one training set of images out (see the README, "Datasets").',
  commands: [buildCommand, finishCommand, infoCommand],
});

function shardOption(given: string | undefined, shards: number | undefined): { shard?: { index: number; count: number }; from: string } {
  if (given !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(given);
    const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
    if (!shard || shard.count < 1 || shard.index >= shard.count) throw new UsageError(`--shard must be I/N with I from 0 to N − 1, not "${given}"`);
    return { shard, from: '--shard' };
  }
  const fromEnvironment = shardFromEnvironment(process.env, shards);
  if (fromEnvironment && 'problem' in fromEnvironment) throw new UsageError(fromEnvironment.problem);
  if (fromEnvironment) return { shard: fromEnvironment.shard, from: fromEnvironment.from };
  if (shards !== undefined) throw new UsageError('--shards needs a shard index: --shard I/N, or JOB_COMPLETION_INDEX in the environment');
  return { from: 'one machine' };
}

function progressBar(io: CliIO) {
  const stream = io.stderr;
  if (!stream.isTTY) return { update: () => undefined, finish: () => undefined };
  const started = performance.now();
  let last = -Infinity;
  let drawn = false;
  return {
    update: (progress: { sourcesDone: number; sourceCount: number; clipsDone: number; clipCount: number; bytesDone: number; bytesTotal: number }) => {
      const now = performance.now();
      if (now - last < 100 && progress.sourcesDone < progress.sourceCount) return;
      last = now;
      drawn = true;
      const elapsed = (now - started) / 1000;
      const fraction = progress.clipCount > 0 ? progress.clipsDone / progress.clipCount : 1;
      const eta = fraction > 0.02 && fraction < 1 ? `, ${formatDuration((elapsed / fraction) * (1 - fraction))} left` : '';
      const figures = { framesDone: progress.clipsDone, frameCount: progress.clipCount, bytesDone: progress.bytesDone, bytesTotal: progress.bytesTotal };
      stream.write(`\r${progressLine(`dataset ${progress.sourcesDone}/${progress.sourceCount} sources${eta}`, figures, elapsed, stream.columns || 80)}\x1b[K`);
    },
    finish: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

function buildSummary(inputs: string[], result: BuildResult, shardFrom: string, seconds: number): string[] {
  const { sources, settings } = result;
  const from = inputs.length === 1 ? inputs[0] : `${inputs.length} inputs`;
  const lines = [`${from} → ${result.dataset}${result.shard.count > 1 ? ` (shard ${result.shard.index} of ${result.shard.count}, from ${shardFrom})` : ''}`];
  if (result.alreadyComplete) return [...lines, '  done     the dataset is already complete with these options; nothing to do'];
  lines.push(
    `  sources  ${plural(sources.inShard, 'WAV file')}${sources.duplicates > 0 ? ` (${plural(sources.duplicates, 'duplicate path')} left out)` : ''}: ` +
      `${sources.made} made${sources.alreadyDone > 0 ? `, ${sources.alreadyDone} done before` : ''}${sources.failed > 0 ? `, ${sources.failed} failed ` +
        `(listed in errors.jsonl)` : ''}`,
  );
  lines.push(`  audio    ${describeAudioFormat(makeAudioFormat(settings.audio.sampleFormat, settings.audio.channels, settings.audio.sampleRate))}`);
  const { width, height, expansion } = settings.geometry;
  lines.push(`  images   ${plural(result.images, 'image')} of ${width} × ${height}, expansion ${expansion}, layout ${settings.layout}`);
  if (result.silentClips > 0 || result.clippedSamples > 0 || result.replacedSamples > 0) {
    const notes = [
      result.silentClips > 0 && `${plural(result.silentClips, 'silent clip')} left out`,
      result.clippedSamples > 0 && `${plural(result.clippedSamples, 'sample')} clipped`,
      result.replacedSamples > 0 && `${plural(result.replacedSamples, 'sample')} not a number, made silence`,
    ].filter(Boolean);
    lines.push(`  clips    ${notes.join('; ')}`);
  }
  for (const failure of result.failures.slice(0, 5)) lines.push(`  skipped  ${failure.message}`);
  if (result.failures.length > 5) lines.push(`  skipped  … and ${result.failures.length - 5} more (errors.jsonl)`);
  lines.push(`  wrote    ${formatBytes(result.bytesWritten)} of PNG in ${formatDuration(seconds)} (${formatRate(result.bytesWritten, seconds)})`);
  if (result.finished) lines.push(...datasetLines(result.finished.description).filter((line) => line.startsWith('  splits')));
  else if (result.shard.count > 1) lines.push(`  next     when every shard is done: resonance dataset finish ${result.dataset}`);
  return lines;
}

/** The lines that describe a dataset, for `dataset info`, `dataset finish` and `info`. */
export function datasetLines(description: DatasetDescription): string[] {
  const { width, height, expansion } = description.geometry;
  const splits = Object.entries(description.splits).map(
    ([name, split]) => `${name} ${plural(split.images, 'image')} from ${plural(split.sources, 'source')} (${formatDuration(split.seconds)})`,
  );
  return [
    `  audio    ${describeAudioFormat(description.audio)}; clips of ` +
      `${formatDuration(description.clip.seconds)} (${plural(description.clip.sampleFrames, 'sample frame')})`,
    `  images   ${width} × ${height}, expansion ${expansion}, layout ${description.layout}`,
    `  splits   ${splits.join('; ') || 'none'}`,
    `  sources  ${description.sources.used} used${description.sources.failed > 0 ? `, ${description.sources.failed} failed (errors.jsonl)` : ''}`,
  ];
}

