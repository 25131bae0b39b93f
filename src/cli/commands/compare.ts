import { compareWavs, describeAudioFormat, durationSeconds, SEGMENT_SNR_RANGE, type CompareResult } from '../../codec';
import { defineCommand } from '../command';
import { jsonOption, printJson, wholeNumber } from '../options';
import { formatDuration, groupThousands, plural } from '../../shared/units';

export const compareCommand = defineCommand({
  name: 'compare',
  operands: ['ORIGINAL.wav', 'DECODED.wav'],
  summary: 'measure how close a decoded WAV is to the original: SNR, segmental SNR, exact samples',
  description: [
    'Reads both WAV files sample by sample (any format Resonance reads; they must have the same',
    'channels and rate) and prints the signal-to-noise ratio of DECODED against ORIGINAL, the',
    `segmental SNR (the mean over short segments, each clamped to ${SEGMENT_SNR_RANGE.min}…${SEGMENT_SNR_RANGE.max} dB), and the share of`,
    'samples that came back exact. Integer samples count as fractions of full scale.',
  ].join('\n'),
  options: {
    segment: wholeNumber('MS', 'segment length for the segmental SNR, in milliseconds (default 20)'),
    json: jsonOption,
  },
  examples: ['resonance compare song.wav song_frames.wav', 'resonance compare song.wav generated.wav --segment 50 --json'],
  async run({ operands: [original, decoded], options, io }) {
    const result = await compareWavs(original, decoded, { segmentMs: options.segment, signal: io.signal });
    if (options.json) printJson(io, jsonFacts(original, decoded, result));
    else io.stdout.write(`${text(original, decoded, result).join('\n')}\n`);
  },
});

function decibels(value: number): string {
  if (Number.isNaN(value)) return 'none: no samples both files hold as numbers';
  return Number.isFinite(value) ? `${value.toFixed(2)} dB` : value > 0 ? '∞ dB (no error)' : '−∞ dB (the original is silent)';
}

/** What keeps the files from being identical, one clause each. */
function differences(result: CompareResult): string[] {
  return result.differences.map((difference) => {
    switch (difference) {
      case 'sampleFormat':
        return `the sample format (${result.audio.sampleFormat} against ${result.decodedAudio.sampleFormat})`;
      case 'length':
        return result.lengthDifference > 0
          ? `the length (the ${result.longer} is longer by ${plural(result.lengthDifference, 'sample frame')})`
          : 'the length (by part of a sample frame)';
      case 'samples':
        return `${groupThousands(result.sampleFrames * result.audio.channels - result.exactSamples)} samples`;
      case 'nonFinite':
        return `NaN or ∞ where the other file has a number (${groupThousands(result.nonFiniteSamples.original)} such samples in the original, ` +
          `${groupThousands(result.nonFiniteSamples.decoded)} in the decoded file)`;
    }
  });
}

function text(original: string, decoded: string, result: CompareResult): string[] {
  const samples = result.sampleFrames * result.audio.channels;
  const seconds = formatDuration(durationSeconds(result.audio, result.sampleFrames * result.audio.blockAlign));
  const lines = [
    `${decoded} against ${original}`,
    `  audio     ${describeAudioFormat(result.audio)}, ${seconds} compared (${plural(result.sampleFrames, 'sample frame')})`,
    `  SNR       ${decibels(result.snrDb)}`,
    `  seg. SNR  ${Number.isNaN(result.segmentalSnrDb) ? 'none' : `${result.segmentalSnrDb.toFixed(2)} dB`} (${result.segmentMs} ms segments)`,
    `  exact     ${samples > 0 ? `${(100 * result.exactShare).toFixed(2)} %` : 'none'} of samples (${groupThousands(result.exactSamples)} of ` +
      `${groupThousands(samples)})`,
  ];
  if (result.lengthDifference > 0) lines.push(`  length    the files differ by ${plural(result.lengthDifference, 'sample frame')}, not compared`);
  lines.push(`  identical ${result.identical ? 'yes' : `no: they differ in ${differences(result).join('; ')}`}`);
  return lines;
}

function jsonFacts(original: string, decoded: string, result: CompareResult) {
  // JSON has neither Infinity nor NaN: an SNR of no error, or of nothing to measure, is null; "identical" and "differences" say which.
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  return { original, decoded, ...result, snrDb: finite(result.snrDb), segmentalSnrDb: finite(result.segmentalSnrDb), exactShare: finite(result.exactShare) };
}
