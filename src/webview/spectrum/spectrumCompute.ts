/** One request's whole computation, shared by the worker and the tests. */
import { renderLevels, waveformPeaks } from './mapping';
import type { SpectrumRequest, SpectrumResult } from './spectrumProtocol';
import { stft } from './stft';

export function computeSpectrum(request: SpectrumRequest, now: () => number): SpectrumResult {
  const started = now();
  const spectrogram = stft(request.samples, request.sampleRate, { fftSize: request.fftSize, hop: request.hop });
  const levels = renderLevels(spectrogram, request.view);
  const peaks = waveformPeaks(request.samples, request.waveformWidth);
  return {
    id: request.id,
    levels,
    width: request.view.width,
    height: request.view.height,
    peaksMin: peaks.min,
    peaksMax: peaks.max,
    milliseconds: now() - started,
  };
}
