/** The info panel's rows. */
import { gridOf } from '../codec/format';
import type { FramesDocumentView, Integrity } from '../shared/protocol';
import { formatTime, frameNumber } from '../shared/units';
import { durationOf } from './playhead';
import { t } from './l10n';

export interface InfoRow {
  property: string;
  value: string;
}

const SAMPLE_FORMAT_NAMES: Record<string, string> = {
  u8: t('8-bit unsigned PCM'),
  s16: t('16-bit PCM'),
  s24: t('24-bit PCM'),
  s32: t('32-bit PCM'),
  f32: t('32-bit float'),
  f64: t('64-bit float'),
  alaw: t('A-law'),
  mulaw: t('μ-law'),
};

const METADATA_NAMES: Record<FramesDocumentView['metadata'], string> = {
  manifest: 'resonance.json',
  frames: t("the frames' own text chunks"),
  assumed: t('assumed (the frames carry none)'),
  settings: t('the current settings (frames not written)'),
};

/** A sample rate in kHz (not a throughput: that is shared/units' formatRate). */
function formatSampleRate(rate: number): string {
  return rate % 1000 === 0 ? t('{0} kHz', rate / 1000) : t('{0} kHz', (rate / 1000).toLocaleString('en', { maximumFractionDigits: 3 }));
}

function channelsText(channels: number): string {
  return channels === 1 ? t('1 (mono)') : channels === 2 ? t('2 (stereo)') : String(channels);
}

/** At most this many runs of frames are listed, then "and N more runs". */
const LISTED_RUNS = 8;

/** "0, 3, 7" or "0–4, 9" for long runs; at most LISTED_RUNS entries then "and N more". */
function describeFrames(frames: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < frames.length; ) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    runs.push(j - i >= 2 ? `${frames[i]}–${frames[j]}` : j > i ? `${frames[i]}, ${frames[j]}` : `${frames[i]}`);
    i = j + 1;
  }
  const shown = runs.slice(0, LISTED_RUNS).join(', ');
  return runs.length > LISTED_RUNS ? t('{0} and {1} more runs', shown, runs.length - LISTED_RUNS) : shown;
}

function integrityText(integrity: Integrity | undefined, source: FramesDocumentView['source'], decoding: boolean): string {
  if (source === 'wav') return t('not applicable: the frames are rendered from the WAV');
  if (!integrity) return decoding ? t('checking…') : t('not checked');
  const { frameCount, unchanged, modified, unverified, bitExact } = integrity;
  const count = (n: number) => n.toLocaleString('en');
  const parts = [t('{0} of {1} frames unchanged', count(unchanged), count(frameCount))];
  if (modified.length > 0) {
    const frames = describeFrames(modified.map(frameNumber));
    parts.push(modified.length === 1 ? t('frame {0} modified', frames) : t('frames {0} modified', frames));
  }
  if (unverified > 0) parts.push(t('{0} without a checksum', count(unverified)));
  if (bitExact === true) parts.push(t('audio bit-exact'));
  else if (bitExact === false) parts.push(t('audio differs from the original'));
  return parts.join('; ');
}

/** The frames whose blocks are no longer uniform, and the worst of them (numbered from 1). */
function offGridText(figures: readonly number[]): string {
  const off = figures.filter((figure) => figure > 0).length;
  if (off === 0) return t('none: every block is uniform');
  let worst = 0;
  figures.forEach((figure, i) => figure > figures[worst] && (worst = i));
  return t(
    '{0} of {1} frames; most in frame {2} ({3} of 255)',
    off.toLocaleString('en'),
    figures.length.toLocaleString('en'),
    frameNumber(worst),
    figures[worst].toFixed(1),
  );
}

export function infoRows(view: FramesDocumentView, integrity: Integrity | undefined, decoding: boolean): InfoRow[] {
  const { stream, frameSize } = view;
  const { audio, geometry } = stream;
  const grid = gridOf(geometry);
  const resized = frameSize.width !== geometry.width || frameSize.height !== geometry.height;
  const bits = audio.bitsPerSample < audio.blockAlign / audio.channels * 8 ? t(' ({0} bits used)', audio.bitsPerSample) : '';
  return [
    { property: t('Sample rate'), value: formatSampleRate(audio.sampleRate) },
    { property: t('Channels'), value: channelsText(audio.channels) },
    { property: t('Sample format'), value: `${SAMPLE_FORMAT_NAMES[audio.sampleFormat] ?? audio.sampleFormat}${bits}` },
    { property: t('Duration'), value: formatTime(durationOf(stream)) },
    { property: t('Frames'), value: stream.frameCount.toLocaleString('en') },
    {
      property: t('Geometry'),
      value: `${geometry.width} × ${geometry.height}${resized ? t(' (frames are {0} × {1})', frameSize.width, frameSize.height) : ''}`,
    },
    { property: t('Expansion'), value: t('{0} ({1} × {2} data pixels)', geometry.expansion, grid.columns, grid.rows) },
    { property: t('Layout'), value: stream.layout },
    { property: t('Data'), value: t('{0} bytes, {1} per frame', stream.dataLength.toLocaleString('en'), stream.bytesPerFrame.toLocaleString('en')) },
    { property: t('Metadata'), value: METADATA_NAMES[view.metadata] },
    { property: t('Integrity'), value: integrityText(integrity, view.source, decoding) },
    ...(integrity?.offGrid ? [{ property: t('Off-grid'), value: offGridText(integrity.offGrid) }] : []),
  ];
}
