/**
 * The words and figures the extension shows: progress messages, the notifications at the end of a
 * job, and the Output channel's line per job. Plain strings from codec results, no `vscode`: what
 * people read in notifications through `t` (./l10n), the Output channel's lines in English, as the
 * CLI's and VS Code's own logs are.
 */
import { formatBytes, formatDuration, formatRate, frameNumber, groupThousands, plural, progressFraction } from '../shared/units';
import { describeAudioFormat, type DecodeResult, type EncodeResult, type Progress } from '../codec';
import { t } from './l10n';

/** `12 of 40 frames (30%)`. */
export function progressMessage(progress: Progress): string {
  const percent = Math.floor(progressFraction(progress) * 100);
  const done = groupThousands(progress.framesDone);
  return progress.frameCount === 1
    ? t('{0} of 1 frame ({1}%)', done, percent)
    : t('{0} of {1} frames ({2}%)', done, groupThousands(progress.frameCount), percent);
}

/**
 * VS Code's progress bar takes increments, not positions: this turns positions into increments
 * that add up to at most 100 over a job, or over `shares` jobs run one after another.
 */
export class ProgressIncrements {
  private reported = 0;

  constructor(private readonly shares = 1) {}

  /** The increment (in percent of the whole bar) that brings it to `fraction` of job `index`. */
  to(index: number, fraction: number): number {
    const target = (100 * (index + Math.min(1, Math.max(0, fraction)))) / this.shares;
    const increment = Math.max(0, target - this.reported);
    this.reported += increment;
    return increment;
  }
}

/** The Output channel's line for a finished encode. */
export function encodeLogLine(input: string, result: EncodeResult, elapsedSeconds: number): string {
  const { geometry } = result;
  return [
    `encoded ${input} → ${result.output}`,
    `${plural(result.frameCount, 'frame')} of ${geometry.width}×${geometry.height} at expansion ${geometry.expansion}, layout ${result.layout}`,
    `${describeAudioFormat(result.audio)}, ${formatDuration(result.durationSeconds)} of audio`,
    `${formatBytes(result.dataLength)} of samples → ${formatBytes(result.bytesWritten)} of PNG`,
    `in ${formatDuration(elapsedSeconds)} (${formatRate(result.dataLength, elapsedSeconds)})`,
  ].join('; ');
}

/** The Output channel's line for a finished decode. */
export function decodeLogLine(input: string, result: DecodeResult, elapsedSeconds: number): string {
  return [
    `decoded ${input} → ${result.output}`,
    `${plural(result.frameCount, 'frame')}, ${integritySummary(result)}`,
    `layout ${result.layout}, blocks read with ${result.reducer}`,
    `${describeAudioFormat(result.audio)}, ${formatDuration(result.durationSeconds)} of audio, metadata from ${result.metadata}`,
    `${formatBytes(result.dataLength)} of samples, ${result.container} WAV header`,
    `in ${formatDuration(elapsedSeconds)} (${formatRate(result.dataLength, elapsedSeconds)})`,
  ].join('; ');
}

/** `40 of 40 frames unchanged, bit-exact`, `frames 4, 8 modified` (numbered from 1), `no checksums to compare`. */
function integritySummary(result: DecodeResult): string {
  const parts: string[] = [];
  if (result.modified.length > 0) {
    const shown = `${result.modified.slice(0, 10).map(frameNumber).join(', ')}${result.modified.length > 10 ? ', …' : ''}`;
    parts.push(result.modified.length === 1 ? t('frame {0} modified', shown) : t('frames {0} modified', shown));
  }
  if (result.unchanged > 0) {
    const unchanged = groupThousands(result.unchanged);
    parts.push(
      result.frameCount === 1 ? t('{0} of 1 frame unchanged', unchanged) : t('{0} of {1} frames unchanged', unchanged, groupThousands(result.frameCount)),
    );
  }
  if (result.unverified > 0) {
    parts.push(
      result.unverified === 1 ? t('1 frame with no checksum to compare') : t('{0} frames with no checksum to compare', groupThousands(result.unverified)),
    );
  }
  if (result.bitExact === true) parts.push(t('bit-exact'));
  if (result.bitExact === false) parts.push(t('the audio differs from the original'));
  return parts.join(', ');
}

/** The notification after an encode: `Encoded song.wav into 40 frames in song_frames.` */
export function encodeNotice(inputName: string, outputName: string, result: EncodeResult): string {
  return result.frameCount === 1
    ? t('Encoded {0} into 1 frame in {1}.', inputName, outputName)
    : t('Encoded {0} into {1} frames in {2}.', inputName, groupThousands(result.frameCount), outputName);
}

/** The notification after a decode, with the integrity verdict the user cares about. */
export function decodeNotice(inputName: string, outputName: string, result: DecodeResult): string {
  return t('Decoded {0} to {1}: {2}.', inputName, outputName, integritySummary(result));
}

/** Whether a decode deserves a warning rather than an information message. */
export function decodeNeedsAttention(result: DecodeResult): boolean {
  return result.modified.length > 0 || result.bitExact === false;
}
