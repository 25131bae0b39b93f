import { stat } from 'node:fs/promises';
import { describeAudioFormat, durationSeconds, gridOf, MANIFEST_NAME, planFolder, planWavFrames, type FolderPlan, type WavFrames } from '../../codec';
import { describeDataset, isDataset } from '../../dataset';
import { defineCommand } from '../command';
import { datasetLines } from './dataset';
import { assumptionOptions, assumptionsFrom, checkedGeometry, geometryOptions, jsonOption, printJson, warnIgnored } from '../options';
import { formatByteCount, formatDuration, groupThousands, plural } from '../../shared/units';
import type { CliIO } from '../terminal';
import { metadataDescription } from './describe';

const options = {
  ...geometryOptions,
  ...assumptionOptions,
  json: jsonOption,
};

export const infoCommand = defineCommand({
  name: 'info',
  operands: ['FILE.wav|DIR'],
  summary: 'describe a WAV file, or a folder of frames, without changing anything',
  description: [
    'For a WAV file: its container, sample format, channels, rate, data length, duration, and how',
    'many frames it makes at the default geometry or the one given. For a folder of frames: where',
    'its metadata comes from, the frames, their geometry and layout, and the audio they hold. For a',
    'dataset folder: what resonance dataset info says.',
  ].join('\n'),
  options,
  examples: ['resonance info song.wav', 'resonance info song.wav --width 512 --height 512 --expansion 4', 'resonance info song_frames --json'],
  async run({ operands: [path], options, io }) {
    if ((await stat(path)).isDirectory() && (await isDataset(path))) {
      warnIgnored(io, 'info', 'a dataset describes itself', options, [...Object.keys(geometryOptions), ...Object.keys(assumptionOptions)]);
      const description = await describeDataset(path);
      print(io, options.json, { kind: 'dataset' as const, path, ...description }, (facts) => [
        `${path}: a Resonance dataset (see resonance dataset info)`,
        ...datasetLines(facts),
      ]);
    } else if ((await stat(path)).isDirectory()) {
      const plan = await planFolder(path, assumptionsFrom(options));
      warnIgnored(io, 'info', 'frames have the size they were written at', options, ['width', 'height']);
      if (plan.metadata !== 'assumed')
        warnIgnored(io, 'info', `${metadataDescription(plan.metadata)} gives the parameters`, options, Object.keys(assumptionOptions));
      if (options.json) printFolderJson(io, folderFacts(path, plan));
      else print(io, false, folderFacts(path, plan), folderText);
    } else {
      warnIgnored(io, 'info', 'a WAV file gives its own sample format', options, ['sampleRate', 'channels', 'format']);
      const facts = wavFacts(await planWavFrames(path, { geometry: checkedGeometry(options), layout: options.layout }));
      for (const warning of facts.warnings) io.stderr.write(`resonance info: warning: ${warning}\n`);
      print(io, options.json, facts, wavText);
    }
  },
});

function print<T>(io: CliIO, json: boolean, facts: T, asText: (facts: T) => string[]): void {
  if (json) printJson(io, facts);
  else io.stdout.write(`${asText(facts).join('\n')}\n`);
}

/**
 * A folder's facts as JSON, the same text printJson writes, but its list of frame names written a piece at a
 * time: it may have millions of them.
 */
function printFolderJson(io: CliIO, facts: FolderFacts): void {
  const marker = '\u0000frames\u0000';
  const [before, after] = JSON.stringify({ ...facts, frames: marker }, null, 2).split(JSON.stringify(marker));
  io.stdout.write(`${before}[`);
  let piece: string[] = [];
  let first = true;
  for (const name of facts.frames) {
    piece.push(`${first ? '' : ','}\n    ${JSON.stringify(name)}`);
    first = false;
    if (piece.length === 4096) {
      io.stdout.write(piece.join(''));
      piece = [];
    }
  }
  io.stdout.write(`${piece.join('')}\n  ]${after}\n`);
}

type WavFacts = ReturnType<typeof wavFacts>;

function wavFacts({ input, wav, stream }: WavFrames) {
  return {
    kind: 'wav' as const,
    path: input,
    container: wav.container,
    fileSize: wav.fileSize,
    audio: wav.format,
    dataOffset: wav.dataOffset,
    dataLength: wav.dataLength,
    headerLength: wav.header.length,
    trailerLength: wav.trailer.length,
    sampleFrames: Math.floor(wav.dataLength / wav.format.blockAlign),
    durationSeconds: durationSeconds(wav.format, wav.dataLength),
    frames: { geometry: stream.geometry, layout: stream.layout, bytesPerFrame: stream.bytesPerFrame, frameCount: stream.frameCount },
    warnings: wav.warnings,
  };
}

function wavText(facts: WavFacts): string[] {
  const { audio, frames } = facts;
  const { width, height, expansion } = frames.geometry;
  return [
    facts.path,
    `  container  ${facts.container}, ${formatByteCount(facts.fileSize)}`,
    `  audio      ${describeAudioFormat(audio)} (${plural(audio.bitsPerSample, 'bit')} per sample, ${plural(audio.blockAlign, 'byte')} per sample frame)`,
    `  data       ${formatByteCount(facts.dataLength)} at offset ${groupThousands(facts.dataOffset)}; ${plural(facts.trailerLength, 'byte')} after it`,
    `  duration   ${formatDuration(facts.durationSeconds)} (${plural(facts.sampleFrames, 'sample frame')})`,
    `  frames     ${plural(frames.frameCount, 'frame')} at ${width} × ${height}, expansion ${expansion}, layout ` +
      `${frames.layout} (${plural(frames.bytesPerFrame, 'byte')} per frame)`,
  ];
}

type FolderFacts = ReturnType<typeof folderFacts>;

function folderFacts(path: string, plan: FolderPlan) {
  const { stream, manifest } = plan;
  return {
    kind: 'frames' as const,
    path,
    metadata: plan.metadata,
    frameCount: stream.frameCount,
    frameSize: plan.frameSize,
    geometry: stream.geometry,
    layout: stream.layout,
    audio: stream.audio,
    dataLength: stream.dataLength,
    bytesPerFrame: stream.bytesPerFrame,
    durationSeconds: durationSeconds(stream.audio, stream.dataLength),
    /** Whether decoding writes the original WAV header and trailing chunks or a canonical header. */
    header: plan.source ? ('original' as const) : ('canonical' as const),
    compression: manifest?.compression,
    source: manifest && {
      name: manifest.source.name,
      size: manifest.source.size,
      container: manifest.source.container,
      dataSha256: manifest.source.dataSha256,
    },
    frames: plan.frames,
  };
}

function folderText(facts: FolderFacts): string[] {
  const { geometry, frameSize, audio } = facts;
  const { columns, rows } = gridOf(geometry);
  const { frames } = facts;
  const files = frames.count > 1 ? `${frames.nameOf(0)} … ${frames.nameOf(frames.count - 1)}` : frames.nameOf(0);
  const lines = [
    facts.path,
    `  metadata     from ${metadataDescription(facts.metadata)}${facts.metadata === 'manifest' ? '' : ` (no ${MANIFEST_NAME})`}`,
    `  frames       ${plural(facts.frameCount, 'frame')}, ${files}, ${frameSize.width} × ${frameSize.height} pixels`,
    `  geometry     ${geometry.width} × ${geometry.height}, expansion ${geometry.expansion}: ${columns} × ${rows} data pixels, layout ${facts.layout}`,
    `  audio        ${describeAudioFormat(audio)} (${plural(audio.bitsPerSample, 'bit')} per sample)`,
    `  data         ${formatByteCount(facts.dataLength)}, ${plural(facts.bytesPerFrame, 'byte')} per frame`,
    `  duration     ${formatDuration(facts.durationSeconds)}`,
    `  header       ${facts.header === 'original' ? 'original WAV header and trailing chunks kept' : 'not kept; decoding writes a canonical header'}`,
  ];
  if (facts.source) lines.push(`  source       ${facts.source.name}, ${facts.source.container}, ${formatByteCount(facts.source.size)}`);
  if (facts.compression) lines.push(`  compression  ${facts.compression}`);
  return lines;
}
