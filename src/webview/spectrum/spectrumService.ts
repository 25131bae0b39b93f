/**
 * The page's side of the spectrum worker. The worker's postMessage and its replies come in as
 * parameters, so the tests drive it with computeSpectrum in place of a Worker. Only the newest
 * request is answered: a result for a request since superseded (a seek, a new clip) is dropped.
 */
import type { SpectrogramView } from './mapping';
import { isSpectrumResult, type SpectrumRequest, type SpectrumResult } from './spectrumProtocol';

export interface SpectrumChannel {
  post(request: SpectrumRequest, transfer: Transferable[]): void;
  onReply(listener: (data: unknown) => void): void;
}

export class SpectrumService {
  private next = 1;
  private waiting: { id: number; resolve(result: SpectrumResult | undefined): void } | undefined;

  constructor(private readonly channel: SpectrumChannel) {
    channel.onReply((data) => {
      if (!isSpectrumResult(data) || this.waiting?.id !== data.id) return;
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve(data);
    });
  }

  /** Resolves with the result, or with undefined when a newer request replaced this one. */
  request(samples: Float32Array, sampleRate: number, view: SpectrogramView, waveformWidth: number): Promise<SpectrumResult | undefined> {
    this.waiting?.resolve(undefined);
    const id = this.next++;
    const hop = hopFor(samples.length, view.width);
    const fftSize = fftSizeFor(sampleRate, hop);
    return new Promise((resolve) => {
      this.waiting = { id, resolve };
      const copy = samples.slice();
      this.channel.post({ id, samples: copy, sampleRate, fftSize, hop, view, waveformWidth }, [copy.buffer]);
    });
  }
}

/** About 46 ms at 44.1 kHz (2,048), and at least twice the hop so frames overlap. */
export function fftSizeFor(sampleRate: number, hop: number): number {
  const wanted = Math.max(2 * hop, sampleRate / 22);
  let size = 256;
  while (size < wanted && size < 16384) size *= 2;
  return size;
}

/**
 * Two frames per column keep the work proportional to the panel, not the clip (each pixel takes the
 * louder of its frames); the FFT size follows so neighbouring frames overlap and no sample is skipped.
 */
export function hopFor(samples: number, width: number): number {
  return Math.max(1, Math.floor(samples / Math.max(1, width * 2)));
}
