/** The spectrum worker's entry (dist/spectrumWorker.js): the STFT runs here, off the page's thread. */
import { computeSpectrum } from './spectrumCompute';
import type { SpectrumRequest } from './spectrumProtocol';

const scope = self as unknown as { onmessage: ((event: MessageEvent<SpectrumRequest>) => void) | null; postMessage(m: unknown, t: Transferable[]): void };
scope.onmessage = (event) => {
  const result = computeSpectrum(event.data, () => performance.now());
  scope.postMessage(result, [result.levels.buffer, result.peaksMin.buffer, result.peaksMax.buffer]);
};
