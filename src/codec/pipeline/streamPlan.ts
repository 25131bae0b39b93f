/**
 * The stream a WAV makes at a geometry and layout: what encoding writes and what previews show,
 * planned by one function so that both refuse the same WAVs with the same checks.
 */
import { isInterpreted, opaqueAdvice } from '../format/audioFormat';
import { ResonanceError, throwIfAborted } from '../format/errors';
import { geometryProblem, gridOf, geometryWithDefaults, type Geometry } from '../format/geometry';
import { layoutOf, type LayoutName } from '../format/layout';
import { checkFramePixels } from '../format/limits';
import type { StreamInfo } from '../format/manifest';
import { readWavFile, type WavFile } from '../wav/wavFile';

export interface StreamRequest {
  geometry?: Partial<Geometry>;
  layout?: LayoutName;
  /** Refuse a WAV whose data chunk declares more bytes than follow. */
  strict?: boolean;
  signal?: AbortSignal;
}

/** How errors say what could not be done: `cannot be encoded` / `be encoded`, `cannot be shown as frames` / `be shown`. */
export interface StreamPurpose {
  cannot: string;
  be: string;
}

export interface WavStream {
  wav: WavFile;
  stream: StreamInfo;
}

export async function planWavStream(input: string, request: StreamRequest, purpose: StreamPurpose): Promise<WavStream> {
  const geometry = geometryWithDefaults(request.geometry);
  const problem = geometryProblem(geometry);
  if (problem) throw new ResonanceError('GEOMETRY_INVALID', input, `${purpose.cannot}: ${problem}`);
  checkFramePixels(geometry.width, geometry.height, input, `${purpose.cannot}: `);
  const layout = request.layout ?? 'bytes';
  throwIfAborted(request.signal);

  const wav = await readWavFile(input, { strict: request.strict });
  if (layout !== 'bytes' && !isInterpreted(wav.format))
    throw new ResonanceError('WAV_UNSUPPORTED', input, opaqueAdvice(wav.format, `${purpose.be} in the ${layout} layout`));
  const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), wav.format);
  if (bytesPerFrame === 0) {
    const frame = `a ${geometry.width} × ${geometry.height} frame`;
    throw new ResonanceError('FRAME_TOO_SMALL', input, `${purpose.cannot}: ${frame} is too small for one sample frame of this audio in the ${layout} layout`);
  }
  const frameCount = Math.max(1, Math.ceil(wav.dataLength / bytesPerFrame));
  return { wav, stream: { geometry, layout, audio: wav.format, dataLength: wav.dataLength, bytesPerFrame, frameCount } };
}
