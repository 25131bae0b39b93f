/** The info panel's rows. */
import { gridOf } from '../codec/format';
import type { FramesDocumentView, Integrity } from '../shared/protocol';
import { formatTime, frameNumber } from '../shared/units';
import { durationOf } from './playhead';

export interface InfoRow {
  property: string;
  value: string;
}

const SAMPLE_FORMAT_NAMES: Record<string, string> = {
  u8: '8-bit unsigned PCM',
  s16: '16-bit PCM',
  s24: '24-bit PCM',
  s32: '32-bit PCM',
  f32: '32-bit float',
  f64: '64-bit float',
  alaw: 'A-law',
  mulaw: 'μ-law',
};

const METADATA_NAMES: Record<FramesDocumentView['metadata'], string> = {
  manifest: 'resonance.json',
  frames: "the frames' own text chunks",
  assumed: 'assumed (the frames carry none)',
  settings: 'the current settings (frames not written)',
};

/** A sample rate in kHz (not a throughput: that is shared/units' formatRate). */
export function formatSampleRate(rate: number): string {
  return rate % 1000 === 0 ? `${rate / 1000} kHz` : `${(rate / 1000).toLocaleString('en', { maximumFractionDigits: 3 })} kHz`;
}

function channelsText(channels: number): string {
  return channels === 1 ? '1 (mono)' : channels === 2 ? '2 (stereo)' : String(channels);
}

/** "0, 3, 7" or "0–4, 9" for long runs; at most `limit` entries then "and N more". */
export function describeFrames(frames: readonly number[], limit = 8): string {
  const runs: string[] = [];
  for (let i = 0; i < frames.length; ) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    runs.push(j - i >= 2 ? `${frames[i]}–${frames[j]}` : j > i ? `${frames[i]}, ${frames[j]}` : `${frames[i]}`);
    i = j + 1;
  }
  const shown = runs.slice(0, limit).join(', ');
  return runs.length > limit ? `${shown} and ${runs.length - limit} more runs` : shown;
}

export function integrityText(integrity: Integrity | undefined, source: FramesDocumentView['source'], decoding: boolean): string {
  if (source === 'wav') return 'not applicable: the frames are rendered from the WAV';
  if (!integrity) return decoding ? 'checking…' : 'not checked';
  const { frameCount, unchanged, modified, unverified, bitExact } = integrity;
  const count = (n: number) => n.toLocaleString('en');
  const parts = [`${count(unchanged)} of ${count(frameCount)} frames unchanged`];
  if (modified.length > 0) parts.push(`${modified.length === 1 ? 'frame' : 'frames'} ${describeFrames(modified.map(frameNumber))} modified`);
  if (unverified > 0) parts.push(`${count(unverified)} without a checksum`);
  if (bitExact === true) parts.push('audio bit-exact');
  else if (bitExact === false) parts.push('audio differs from the original');
  return parts.join('; ');
}

/** The frames whose blocks are no longer uniform, and the worst of them (numbered from 1). */
export function offGridText(figures: readonly number[]): string {
  const off = figures.filter((figure) => figure > 0).length;
  if (off === 0) return 'none: every block is uniform';
  let worst = 0;
  figures.forEach((figure, i) => figure > figures[worst] && (worst = i));
  return `${off.toLocaleString('en')} of ${figures.length.toLocaleString('en')} frames; most in frame ` +
    `${frameNumber(worst)} (${figures[worst].toFixed(1)} of 255)`;
}

export function infoRows(view: FramesDocumentView, integrity: Integrity | undefined, decoding: boolean): InfoRow[] {
  const { stream, frameSize } = view;
  const { audio, geometry } = stream;
  const grid = gridOf(geometry);
  const resized = frameSize.width !== geometry.width || frameSize.height !== geometry.height;
  const bits = audio.bitsPerSample < audio.blockAlign / audio.channels * 8 ? ` (${audio.bitsPerSample} bits used)` : '';
  return [
    { property: 'Sample rate', value: formatSampleRate(audio.sampleRate) },
    { property: 'Channels', value: channelsText(audio.channels) },
    { property: 'Sample format', value: `${SAMPLE_FORMAT_NAMES[audio.sampleFormat] ?? audio.sampleFormat}${bits}` },
    { property: 'Duration', value: formatTime(durationOf(stream)) },
    { property: 'Frames', value: stream.frameCount.toLocaleString('en') },
    { property: 'Geometry', value: `${geometry.width} × ${geometry.height}${resized ? ` (frames are ${frameSize.width} × ${frameSize.height})` : ''}` },
    { property: 'Expansion', value: `${geometry.expansion} (${grid.columns} × ${grid.rows} data pixels)` },
    { property: 'Layout', value: stream.layout },
    { property: 'Data', value: `${stream.dataLength.toLocaleString('en')} bytes, ${stream.bytesPerFrame.toLocaleString('en')} per frame` },
    { property: 'Metadata', value: METADATA_NAMES[view.metadata] },
    { property: 'Integrity', value: integrityText(integrity, view.source, decoding) },
    ...(integrity?.offGrid ? [{ property: 'Off-grid', value: offGridText(integrity.offGrid) }] : []),
  ];
}
