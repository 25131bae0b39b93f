/** Messages between the page and the spectrum worker. */
import type { SpectrogramView } from './mapping';

export interface SpectrumRequest {
  readonly id: number;
  /** Mono samples, transferred (the page keeps no copy). */
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly hop: number;
  readonly view: SpectrogramView;
  readonly waveformWidth: number;
}

export interface SpectrumResult {
  readonly id: number;
  readonly levels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly peaksMin: Float32Array;
  readonly peaksMax: Float32Array;
  /** Time spent in the worker, for the UI tests' log and the bench. */
  readonly milliseconds: number;
}

export function isSpectrumResult(value: unknown): value is SpectrumResult {
  const v = value as SpectrumResult | undefined;
  return typeof v === 'object' && v !== null && typeof v.id === 'number' && v.levels instanceof Uint8Array;
}
