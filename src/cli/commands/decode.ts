import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeFolder,
  decodeImages,
  defaultImageWavPath,
  defaultWavFolder,
  defaultWavPath,
  describeAudioFormat,
  geometryProblem,
  imagesIn,
  isInterpreted,
  makeAudioFormat,
  MANIFEST_NAME,
  REDUCERS,
  ResonanceError,
  toResonanceError,
  wavNamesFor,
  type Assumptions,
  type DecodeImagesResult,
  type DecodeResult,
  type ImageParameters,
  type SafetyCounts,
} from '../../codec';
import { datasetAbove, parametersLike, type DecodeSource } from '../../dataset';
import { defineCommand } from '../command';
import {
  assumptionOptions,
  assumptionsFrom,
  choice,
  flag,
  forceOption,
  jsonOption,
  longFlag,
  printJson,
  text,
  UsageError,
  warnIgnored,
  workersOption,
  type OptionValues,
} from '../options';
import { withProgress } from '../progress';
import { formatBytes, formatDuration, formatRate, frameNumber, groupThousands, plural } from '../../shared/units';
import type { CliIO } from '../terminal';
import { metadataDescription } from './describe';

const options = {
  output: text('OUT', 'the WAV file to write, or with --each the folder to write them to (default: beside PATH)', 'o'),
  like: text('SOURCE', 'decode as the images of SOURCE were made: a dataset folder, a frames folder or a Resonance PNG'),
  each: flag('every image of the folder its own WAV (OUT/NAME.wav, default PATH_wav/): for a model\'s samples'),
  join: flag('one WAV of all the folder\'s images in name order: for the frames of one piece of audio'),
  ...assumptionOptions,
  raw: flag('write exactly what the pixels say: float samples of changed images are otherwise kept within ±1.0, NaN replaced'),
  strict: flag('with --each, stop at the first image that cannot be decoded instead of listing it'),
  reducer: choice(
    REDUCERS,
    'how each block of pixels is read back, for images a model generated: mean (noise), median (specks), center (blur) (default: center from expansion ' +
      '3, mean below)',
  ),
  offGrid: flag("also measure how far each frame's blocks are from uniform (0 for unchanged frames, in 0–255 units)"),
  force: forceOption,
  workers: workersOption,
  json: jsonOption,
};

type Options = OptionValues<typeof options>;

export const decodeCommand = defineCommand({
  name: 'decode',
  operands: ['PATH'],
  summary: 'turn frames, or images a model generated, back into WAV audio',
  description: [
    'PATH is a folder of frames, a folder of generated images, or one image (PNG, JPEG or WebP).',
    'A folder of frames becomes one WAV, byte for byte the original when resonance.json is there and the',
    'frames are unchanged. A folder of a model\'s samples, each its own clip, decodes --each to a folder',
    'of WAVs; that is the default when the audio parameters come from a dataset. Images without',
    'Resonance metadata decode with the parameters of --like SOURCE, else of a dataset.json in their',
    'folder or a parent, else of --sample-rate, --channels and --format; flags override --like.',
  ].join('\n'),
  options,
  examples: [
    'resonance decode song_frames',
    'resonance decode samples/ --like dataset/',
    'resonance decode sample_000.png --like dataset/ -o sample.wav',
    'resonance decode generated/ --each --sample-rate 44100 --channels 2 --format s16 --layout planes',
    'resonance decode song_frames -o song.wav --force',
    'resonance decode samples/ --like dataset/ --json',
  ],
  async run({ operands: [path], options, io }) {
    if (options.each && options.join) throw new UsageError('give --each or --join, not both');
    const isFolder = (
      await stat(path).catch((error: unknown) => {
        throw toResonanceError(error, path);
      })
    ).isDirectory();
    if (!isFolder && (options.each || options.join))
      throw new UsageError(`${options.each ? '--each' : '--join'} is for a folder of images; ${path} is one file`);
    if (!isFolder && options.offGrid) throw new UsageError('--off-grid is for a folder of frames');
    const framesFolder = isFolder && (await stat(join(path, MANIFEST_NAME)).then(() => true, () => false));
    // A frames folder is described by its own manifest; a parent's dataset.json is not about it.
    const like = options.like ? { source: await parametersLike(options.like), how: 'like' as const } : undefined;
    const found = !like && !framesFolder ? await datasetAbove(path) : undefined;
    const origin = like ?? (found ? { source: found, how: 'found' as const } : undefined);
    const parameters = parametersFrom(origin?.source, options);
    if (!isFolder) return decodeOneImage(path, parameters, origin, options, io);
    const each = options.each || (!options.join && !framesFolder && origin?.source.kind === 'dataset');
    if (each) return decodeEachImage(path, parameters, origin, options, io);
    return decodeJoined(path, parameters, origin, options, io);
  },
});

interface Origin {
  source: DecodeSource;
  /** 'like': named by --like; 'found': the dataset.json of the images' folder or a parent. */
  how: 'like' | 'found';
}

/** What --like (or a dataset found) gives, each flag given overriding its part; undefined when nothing says the audio format. */
function parametersFrom(source: DecodeSource | undefined, options: Options): ImageParameters | undefined {
  const base = source?.parameters;
  const sampleFormat = options.format ?? (base && isInterpreted(base.audio) ? base.audio.sampleFormat : undefined);
  const channels = options.channels ?? base?.audio.channels;
  const sampleRate = options.sampleRate ?? base?.audio.sampleRate;
  if (sampleFormat === undefined || channels === undefined || sampleRate === undefined) return undefined;
  const audio = makeAudioFormat(sampleFormat, channels, sampleRate);
  let geometry = base?.geometry;
  if (geometry && options.expansion !== undefined) {
    geometry = { ...geometry, expansion: options.expansion };
    const problem = geometryProblem(geometry);
    if (problem)
      throw new UsageError(`--expansion ${options.expansion} does not fit the ${geometry.width} × ${geometry.height} images of ${source!.file}: ${problem}`);
  }
  const audioChanged =
    base !== undefined && (options.format !== undefined || options.channels !== undefined || options.sampleRate !== undefined || options.layout !== undefined);
  return {
    audio,
    layout: options.layout ?? base?.layout ?? 'bytes',
    geometry,
    expansion: options.expansion,
    // A clip of other audio is not the source's clip: the image's whole grid is read then.
    clipBytes: audioChanged || options.expansion !== undefined ? undefined : base?.clipBytes,
  };
}

async function decodeOneImage(path: string, parameters: ImageParameters | undefined, origin: Origin | undefined, options: Options, io: CliIO): Promise<void> {
  const output = options.output ?? defaultImageWavPath(path);
  const { result, seconds } = await withProgress(io.stderr, 'decode', (onProgress) =>
    decodeImages([{ input: path, output }], {
      parameters,
      reducer: options.reducer,
      raw: options.raw,
      strict: true,
      overwrite: options.force,
      workers: options.workers ?? 0,
      signal: io.signal,
      onProgress,
    }),
  );
  report(io, path, output, result, seconds, parameters, origin, options);
}

async function decodeEachImage(
  folder: string,
  parameters: ImageParameters | undefined,
  origin: Origin | undefined,
  options: Options,
  io: CliIO,
): Promise<void> {
  const names = await imagesIn(folder);
  if (names.length === 0) throw new ResonanceError('NO_FRAMES', folder, 'holds no PNG, JPEG or WebP images');
  const outFolder = options.output ?? defaultWavFolder(folder);
  await mkdir(outFolder).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw toResonanceError(error, outFolder);
  });
  const wavNames = wavNamesFor(names);
  const images = names.map((name, i) => ({ input: join(folder, name), output: join(outFolder, wavNames[i]) }));
  const { result, seconds } = await withProgress(io.stderr, 'decode', (onProgress) =>
    decodeImages(images, {
      parameters,
      reducer: options.reducer,
      raw: options.raw,
      strict: options.strict,
      overwrite: options.force,
      workers: options.workers,
      signal: io.signal,
      onProgress,
    }),
  );
  if (result.decoded.length === 0) {
    const first = result.failed[0];
    throw new ResonanceError(
      first.code,
      first.file,
      `${first.message.slice(first.file.length + 2)} (and none of the ${plural(names.length, 'image')} decoded)`,
    );
  }
  report(io, folder, outFolder, result, seconds, parameters, origin, options);
}

async function decodeJoined(folder: string, parameters: ImageParameters | undefined, origin: Origin | undefined, options: Options, io: CliIO): Promise<void> {
  const audio = parameters?.audio;
  const assume: Assumptions =
    parameters && audio && isInterpreted(audio)
      ? {
          sampleRate: audio.sampleRate,
          channels: audio.channels,
          sampleFormat: audio.sampleFormat,
          layout: parameters.layout,
          ...(parameters.geometry ?? { expansion: parameters.expansion }),
        }
      : assumptionsFrom(options);
  const output = options.output ?? defaultWavPath(folder);
  const { result, seconds } = await withProgress(io.stderr, 'decode', (onProgress) =>
    decodeFolder(folder, {
      output,
      assume,
      reducer: options.reducer,
      offGrid: options.offGrid,
      raw: options.raw,
      overwrite: options.force,
      workers: options.workers,
      signal: io.signal,
      onProgress,
    }),
  );
  if (result.metadata !== 'assumed')
    warnIgnored(io, 'decode', `${metadataDescription(result.metadata)} gives the parameters`, options, ['like', ...Object.keys(assumptionOptions)]);
  if (options.json) {
    printJson(io, {
      folder,
      ...result,
      ...(origin && result.metadata === 'assumed' ? { parametersFrom: { kind: origin.source.kind, file: origin.source.file, how: origin.how } } : {}),
      seconds,
    });
    return;
  }
  io.stdout.write(
    [
      `${folder} → ${result.output}`,
      `  frames  ${frameCheck(result)}`,
      ...(result.metadata === 'assumed' && origin ? [`  params  from ${origin.source.file}${origin.how === 'found' ? ' (found above the frames)' : ''}`] : []),
      `  audio   ${describeAudioFormat(result.audio)}, ${formatDuration(result.durationSeconds)}, ${formatBytes(result.dataLength)} of data`,
      ...(hasSafety(result.safety) ? [`  safety  ${safetySummary(result.safety)}`] : []),
      `  exact   ${bitExact(result)}`,
      `  header  ${headerOrigin(result)}`,
      `  read    ${plural(result.frameCount, 'frame')} in ${formatDuration(seconds)} (${formatRate(result.dataLength, seconds)})`,
      ...(result.offGrid ? [`  grid    ${offGridSummary(result.offGrid)}`] : []),
      '',
    ].join('\n'),
  );
}

const hasSafety = (safety: SafetyCounts) => safety.clipped > 0 || safety.replaced > 0;

/** "clipped 1,234 samples, replaced 6 NaN or infinite". */
function safetySummary(safety: SafetyCounts): string {
  const parts = [];
  if (safety.clipped > 0) parts.push(`clipped ${plural(safety.clipped, 'sample')} beyond full scale`);
  if (safety.replaced > 0) parts.push(`replaced ${groupThousands(safety.replaced)} NaN or infinite`);
  return `${parts.join(', ')} (--raw keeps what the pixels say)`;
}

/** Where the parameters of images without metadata came from, in words. */
function parametersOrigin(origin: Origin | undefined, options: Options): string {
  const flags = ['sampleRate', 'channels', 'format', 'layout', 'expansion'].filter((key) => options[key as keyof Options] !== undefined);
  const given = flags.length > 0 ? `${flags.map((key) => longFlag(key)).join(', ')}` : '';
  if (!origin) return 'from the command line';
  const from = `from ${origin.source.file}${origin.how === 'found' ? ' (found above the images)' : ''}`;
  return given ? `${from}, with ${given} as given` : from;
}

function describeParameters(parameters: ImageParameters): string {
  const expansion = parameters.geometry?.expansion ?? parameters.expansion ?? 1;
  const size = parameters.geometry ? `, ${parameters.geometry.width} × ${parameters.geometry.height}` : '';
  return `${describeAudioFormat(parameters.audio)}, ${parameters.layout}, expansion ${expansion}${size}`;
}

function report(
  io: CliIO,
  input: string,
  output: string,
  result: DecodeImagesResult,
  seconds: number,
  parameters: ImageParameters | undefined,
  origin: Origin | undefined,
  options: Options,
): void {
  const generated = result.decoded.filter((image) => image.metadata === 'given');
  const own = result.decoded.filter((image) => image.metadata === 'image');
  const audioSeconds = result.decoded.reduce((sum, image) => sum + image.dataLength / image.audio.blockAlign / image.audio.sampleRate, 0);
  if (options.json) {
    const decoded = result.decoded.map(({ file, output: wav, kind, width, height, metadata, unchanged, dataLength, safety, audio }) => ({
      file,
      output: wav,
      kind,
      width,
      height,
      metadata,
      ...(unchanged === undefined ? {} : { unchanged }),
      seconds: dataLength / audio.blockAlign / audio.sampleRate,
      dataLength,
      safety,
    }));
    const from = origin ? { kind: origin.source.kind, file: origin.source.file, how: origin.how } : parameters ? { kind: 'options' } : undefined;
    printJson(io, {
      input,
      output,
      parameters: parameters ?? null,
      parametersFrom: from ?? null,
      images: decoded.length + result.failed.length,
      decoded,
      failed: result.failed,
      safety: result.safety,
      audioSeconds,
      seconds,
    });
    return;
  }
  const lines = [`${input} → ${output}${result.decoded.length > 1 || result.failed.length > 0 ? ` (${plural(result.decoded.length, 'WAV file')})` : ''}`];
  if (generated.length > 0) {
    const what = `${plural(generated.length, 'generated image')} (no Resonance metadata)`;
    lines.push(`  images  ${what}, decoded as ${describeParameters(parameters!)}, ${parametersOrigin(origin, options)}`);
  }
  if (own.length > 0) {
    const unchanged = own.filter((image) => image.unchanged).length;
    const state =
      own.length === 1
        ? unchanged === 1
          ? 'unchanged'
          : 'changed'
        : unchanged === own.length
          ? 'all unchanged'
          : `${groupThousands(unchanged)} unchanged, ${groupThousands(own.length - unchanged)} changed`;
    lines.push(`  images  ${plural(own.length, 'Resonance image')}, decoded by ${own.length === 1 ? 'its' : 'their'} own metadata (${state})`);
  }
  const clipSeconds = result.decoded.length === 1 ? '' : `, ${formatDuration(audioSeconds / result.decoded.length)} each on average`;
  lines.push(`  audio   ${formatDuration(audioSeconds)} in all${clipSeconds}, ${formatBytes(result.dataLength)} of data`);
  if (hasSafety(result.safety)) lines.push(`  safety  ${safetySummary(result.safety)}`);
  if (result.failed.length > 0) {
    lines.push(`  skipped ${plural(result.failed.length, 'image')} that could not be decoded:`);
    for (const failure of result.failed.slice(0, MAX_LISTED)) lines.push(`    ${failure.message}`);
    if (result.failed.length > MAX_LISTED) lines.push(`    … (${groupThousands(result.failed.length)} in all)`);
  }
  lines.push(
    `  read    ${plural(result.decoded.length, 'image')} in ` +
      `${formatDuration(seconds)} (${((1000 * seconds) / Math.max(1, result.decoded.length + result.failed.length)).toFixed(1)} ms per image)`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
}

const MAX_LISTED = 10;

/** "off-grid 0.00 on average, at most 3.12 (frame 7)". */
function offGridSummary(figures: number[]): string {
  const worst = figures.reduce((best, figure, index) => (figure > figures[best] ? index : best), 0);
  const mean = figures.reduce((sum, figure) => sum + figure, 0) / figures.length;
  return `off-grid ${mean.toFixed(2)} on average, at most ${figures[worst].toFixed(2)} (frame ${frameNumber(worst)})`;
}

/** "42 of 42 frames unchanged", or which were modified, or that nothing could be checked. */
function frameCheck(result: DecodeResult): string {
  const parts = [`${groupThousands(result.unchanged)} of ${plural(result.frameCount, 'frame')} unchanged`];
  if (result.modified.length > 0) {
    const listed = result.modified.slice(0, MAX_LISTED).map(frameNumber).join(', ');
    const more = result.modified.length > MAX_LISTED ? `, … (${groupThousands(result.modified.length)} in all)` : '';
    parts.push(`modified: ${result.modified.length === 1 ? 'frame' : 'frames'} ${listed}${more}`);
  }
  if (result.unverified > 0) parts.push(`${groupThousands(result.unverified)} without a checksum to compare`);
  return parts.join('; ');
}

/** Whether the data is the original's, and what that rests on: never "yes" without the whole data's checksum. */
function bitExact(result: DecodeResult): string {
  const { checks, frameCount } = result;
  if (result.bitExact === true) return 'yes: every frame matches its checksum and the data the original\'s SHA-256';
  if (result.bitExact === false) {
    if (result.modified.length > 0)
      return `no: ${result.modified.length === 1 ? '1 frame differs' : `${plural(result.modified.length, 'frame')} differ`} from the original`;
    return 'no: every frame matches its checksum, but the data does not match the SHA-256 in resonance.json';
  }
  if (checks.frameChecksums === 0) return 'unknown: there is no checksum to compare (no resonance.json, no metadata in the frames)';
  return `unknown: ${checks.frameChecksums} of ${plural(frameCount, 'frame')} checked against their own checksums; without resonance.json there is no ` +
    `checksum of the whole data`;
}

function headerOrigin(result: DecodeResult): string {
  if (result.container === 'canonical') return 'canonical, written for the decoded data (the original header is not available)';
  return result.metadata === 'manifest' ? 'original, from resonance.json' : 'original, from the first frame\'s text chunk';
}
