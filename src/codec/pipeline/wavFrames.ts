/**
 * The frames a WAV would make, one at a time and in memory, for previews: nothing is written. Each
 * frame is the same PNG that encoding writes with the `fast` compression (frame 0 less the copy of
 * the WAV's header that encoding adds to its text chunk).
 */
import { ResonanceError } from '../format/errors';
import { openRegularFile } from '../files/safeOpen';
import { encodeFrame } from './frameCodec';
import type { Geometry } from '../format/geometry';
import type { LayoutName } from '../format/layout';
import { formatVersionFor } from '../format/manifest';
import { planWavStream, type WavStream } from './streamPlan';

export interface WavFrames extends WavStream {
  input: string;
}

export async function planWavFrames(input: string, options: { geometry?: Partial<Geometry>; layout?: LayoutName } = {}): Promise<WavFrames> {
  return { input, ...(await planWavStream(input, options, { cannot: 'cannot be shown as frames', be: 'be shown' })) };
}

/** The PNG bytes of frame `index`, read from the WAV now (it may have changed since it was planned). */
export async function renderWavFrame(frames: WavFrames, index: number): Promise<Buffer> {
  const { input, wav, stream } = frames;
  if (!Number.isSafeInteger(index) || index < 0 || index >= stream.frameCount) {
    throw new ResonanceError('PARAMETER_INVALID', input, `has no frame ${index}: it makes frames 0 to ${stream.frameCount - 1}`);
  }
  const start = index * stream.bytesPerFrame;
  const length = Math.max(0, Math.min(stream.bytesPerFrame, wav.dataLength - start));
  const data = new Uint8Array(length);
  const { handle } = await openRegularFile(input, 'a WAV file');
  try {
    const { bytesRead } = await handle.read(data, 0, length, wav.dataOffset + start);
    if (bytesRead !== length) throw new ResonanceError('FILE_CHANGED', input, 'is shorter than when it was opened: it changed while it was being read');
  } finally {
    await handle.close();
  }
  return encodeFrame({ data, compression: 'fast', record: { version: formatVersionFor(stream.audio), ...stream, frame: index } }).png;
}
