import { COMPRESSIONS, defaultFramesFolder, describeAudioFormat, encodeWav, LAYOUT_NAMES } from '../../codec';
import { defineCommand } from '../command';
import { checkedGeometry, choice, flag, forceOption, geometryOptions, jsonOption, printJson, text, workersOption } from '../options';
import { withProgress } from '../progress';
import { formatBytes, formatDuration, formatRate, plural } from '../../shared/units';

export const encodeCommand = defineCommand({
  name: 'encode',
  operands: ['FILE.wav'],
  summary: 'turn a WAV file into a folder of PNG frames',
  description: [
    'Writes the WAV\'s data bytes into the R, G and B of 8-bit PNG frames, with a manifest',
    '(resonance.json) that lets `resonance decode` rebuild the file byte for byte. The frames go to',
    'FILE_frames beside the input unless -o says otherwise.',
  ].join('\n'),
  options: {
    output: text('DIR', 'folder to write the frames to (default: FILE_frames beside FILE.wav)', 'o'),
    ...geometryOptions,
    layout: choice(
      LAYOUT_NAMES,
      'bytes: the data bytes in file order; planes: each colour value one byte of one channel, order-preserving, far sturdier under blur, resizing and ' +
        'JPEG (docs/format.md) (default: bytes)',
    ),
    compression: choice(
      COMPRESSIONS,
      'fast: stored, no deflate; default: stored at expansion 1, quick deflate above it; small: slowest, smallest files (default: default)',
    ),
    strict: flag('refuse a WAV whose data chunk declares more bytes than the file holds (by default what is there is encoded, with a warning)'),
    force: forceOption,
    workers: workersOption,
    json: jsonOption,
  },
  examples: [
    'resonance encode song.wav',
    'resonance encode song.wav -o frames/song --width 512 --height 512 --expansion 4',
    'resonance encode song.wav --compression small --force',
    'resonance encode song.wav --layout planes --expansion 4',
    'resonance encode song.wav --json',
  ],
  async run({ operands: [input], options, io }) {
    const geometry = checkedGeometry(options);
    const output = options.output ?? defaultFramesFolder(input);
    const { result, seconds } = await withProgress(io.stderr, 'encode', (onProgress) =>
      encodeWav(input, {
        output,
        geometry,
        layout: options.layout,
        compression: options.compression,
        strict: options.strict,
        overwrite: options.force,
        workers: options.workers,
        signal: io.signal,
        onProgress,
      }),
    );
    for (const warning of result.warnings) io.stderr.write(`resonance encode: warning: ${warning}\n`);
    if (options.json) {
      printJson(io, { input, ...result, seconds });
      return;
    }
    const { width, height, expansion } = result.geometry;
    io.stdout.write(
      [
        `${input} → ${result.output}`,
        `  frames  ${plural(result.frameCount, 'frame')} of ${width} × ${height}, expansion ${expansion}, layout ${result.layout}`,
        `  audio   ${describeAudioFormat(result.audio)}, ${formatDuration(result.durationSeconds)}, ${formatBytes(result.dataLength)} of data`,
        `  wrote   ${formatBytes(result.bytesWritten)} of PNG in ${formatDuration(seconds)} (${formatRate(result.dataLength, seconds)})`,
        '',
      ].join('\n'),
    );
  },
});
