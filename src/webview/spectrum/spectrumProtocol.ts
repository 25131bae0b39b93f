/** Messages between the page and the spectrum worker. */
import type { ColumnsView } from './stft';

export type ToSpectrumWorker =
  /** A new clip of `channels` channels of `length` samples each, which follow in parts (copies: the page keeps its own for the waveform). */
  | { readonly kind: 'clip'; readonly clip: number; readonly channels: number; readonly length: number; readonly sampleRate: number }
  | { readonly kind: 'clipPart'; readonly clip: number; readonly channel: number; readonly offset: number; readonly samples: Float32Array }
  /** Draw the clip, a lane a channel, at this size and scale once all its samples are in; a newer render replaces this one. */
  | { readonly kind: 'render'; readonly id: number; readonly clip: number; readonly view: ColumnsView };

export type FromSpectrumWorker =
  /** dB of columns [first, first + count), row-major: the page draws them as they come. */
  | { readonly kind: 'columns'; readonly id: number; readonly first: number; readonly count: number; readonly db: Float32Array }
  /** Every column sent; the time the worker spent and the FFT's size, for the UI tests' log. */
  | { readonly kind: 'done'; readonly id: number; readonly milliseconds: number; readonly fftSize: number };

export function isFromSpectrumWorker(value: unknown): value is FromSpectrumWorker {
  const v = value as { kind?: unknown; id?: unknown; db?: unknown } | null;
  if (typeof v !== 'object' || v === null || typeof v.id !== 'number') return false;
  return v.kind === 'done' || (v.kind === 'columns' && v.db instanceof Float32Array);
}
