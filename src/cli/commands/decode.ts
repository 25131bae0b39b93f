import { decodeFolder, defaultWavPath, describeAudioFormat, REDUCERS, type DecodeResult } from '../../codec';
import { defineCommand } from '../command';
import { assumptionOptions, choice, flag, forceOption, jsonOption, printJson, text, warnIgnored, workersOption } from '../options';
import { withProgress } from '../progress';
import { formatBytes, formatDuration, formatRate, frameNumber, groupThousands, plural } from '../../shared/units';
import { assumptionsFrom, metadataDescription } from './describe';

export const decodeCommand = defineCommand({
  name: 'decode',
  operands: ['DIR'],
  summary: 'turn a folder of frames back into a WAV file',
  description: [
    'Reads the frames in DIR and writes the WAV they hold, byte for byte the original when the',
    'manifest is there and the frames are unchanged. The parameters come from resonance.json, failing',
    'that from the frames\' own text chunks, failing that from --sample-rate, --channels and --format.',
    'The WAV goes to DIR.wav beside the folder unless -o says otherwise.',
  ].join('\n'),
  options: {
    output: text('FILE.wav', 'WAV file to write (default: DIR.wav beside DIR)', 'o'),
    ...assumptionOptions,
    reducer: choice(REDUCERS, 'how each block of pixels is read back, for frames a model generated: mean (noise), median (specks), center (blur) (default: center from expansion 3, mean below)'),
    offGrid: flag('also measure how far each frame\'s blocks are from uniform (0 for unchanged frames, in 0–255 units)'),
    force: forceOption,
    workers: workersOption,
    json: jsonOption,
  },
  examples: ['resonance decode song_frames', 'resonance decode generated/ -o generated.wav --sample-rate 44100 --channels 2 --format s16', 'resonance decode song_frames -o song.wav --force', 'resonance decode song_frames --json'],
  async run({ operands: [folder], options, io }) {
    const assume = assumptionsFrom(options);
    const output = options.output ?? defaultWavPath(folder);
    const { result, seconds } = await withProgress(io.stderr, 'decode', (onProgress) =>
      decodeFolder(folder, { output, assume, reducer: options.reducer, offGrid: options.offGrid, overwrite: options.force, workers: options.workers, signal: io.signal, onProgress }),
    );
    if (result.metadata !== 'assumed') warnIgnored(io, 'decode', `${metadataDescription(result.metadata)} gives the parameters`, options, Object.keys(assumptionOptions));
    if (options.json) {
      printJson(io, { folder, ...result, seconds });
      return;
    }
    io.stdout.write(
      [
        `${folder} → ${result.output}`,
        `  frames  ${frameCheck(result)}`,
        `  audio   ${describeAudioFormat(result.audio)}, ${formatDuration(result.durationSeconds)}, ${formatBytes(result.dataLength)} of data`,
        `  exact   ${bitExact(result)}`,
        `  header  ${headerOrigin(result)}`,
        `  read    ${plural(result.frameCount, 'frame')} in ${formatDuration(seconds)} (${formatRate(result.dataLength, seconds)})`,
        ...(result.offGrid ? [`  grid    ${offGridSummary(result.offGrid)}`] : []),
        '',
      ].join('\n'),
    );
  },
});

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
    if (result.modified.length > 0) return `no: ${result.modified.length === 1 ? '1 frame differs' : `${plural(result.modified.length, 'frame')} differ`} from the original`;
    return 'no: every frame matches its checksum, but the data does not match the SHA-256 in resonance.json';
  }
  if (checks.frameChecksums === 0) return 'unknown: there is no checksum to compare (no resonance.json, no metadata in the frames)';
  return `unknown: ${checks.frameChecksums} of ${plural(frameCount, 'frame')} checked against their own checksums; without resonance.json there is no checksum of the whole data`;
}

function headerOrigin(result: DecodeResult): string {
  if (result.container === 'canonical') return 'canonical, written for the decoded data (the original header is not available)';
  return result.metadata === 'manifest' ? 'original, from resonance.json' : 'original, from the first frame\'s text chunk';
}
