/**
 * The frames a WAV would make, one at a time and in memory, for previews: nothing is written. Each
 * frame is the same PNG that encoding writes with the `fast` compression (frame 0 less the copy of
 * the WAV's header that encoding adds to its text chunk).
 */
import { isInterpreted, opaqueAdvice } from '../format/audioFormat';
import { ResonanceError } from '../format/errors';
import { openRegularFile } from '../files/safeOpen';
import { checkFramePixels } from '../format/limits';
import { encodeFrame } from './frameCodec';
import { DEFAULT_GEOMETRY, geometryProblem, gridOf, type Geometry } from '../format/geometry';
import { layoutOf, type LayoutName } from '../format/layout';
import { formatVersionFor, type StreamInfo } from '../format/manifest';
import { readWavFile, type WavFile } from '../wav/wavFile';

export interface WavFrames {
  input: string;
  wav: WavFile;
  stream: StreamInfo;
}

export async function planWavFrames(input: string, options: { geometry?: Partial<Geometry>; layout?: LayoutName } = {}): Promise<WavFrames> {
  const geometry: Geometry = { ...DEFAULT_GEOMETRY, ...Object.fromEntries(Object.entries(options.geometry ?? {}).filter(([, v]) => v !== undefined)) };
  const problem = geometryProblem(geometry);
  if (problem) throw new ResonanceError('GEOMETRY_INVALID', input, `cannot be shown as frames: ${problem}`);
  checkFramePixels(geometry.width, geometry.height, input, 'cannot be shown as frames: ');
  const layout = options.layout ?? 'bytes';
  const wav = await readWavFile(input);
  if (layout !== 'bytes' && !isInterpreted(wav.format)) throw new ResonanceError('WAV_UNSUPPORTED', input, opaqueAdvice(wav.format, `be shown in the ${layout} layout`));
  const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), wav.format);
  if (bytesPerFrame === 0) throw new ResonanceError('FRAME_TOO_SMALL', input, `cannot be shown as frames: a ${geometry.width} × ${geometry.height} frame is too small for one sample frame of this audio in the ${layout} layout`);
  const frameCount = Math.max(1, Math.ceil(wav.dataLength / bytesPerFrame));
  return { input, wav, stream: { geometry, layout, audio: wav.format, dataLength: wav.dataLength, bytesPerFrame, frameCount } };
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
