/**
 * The page's side of the spectrum worker. The worker comes in as a channel (post, replies, end),
 * so the tests drive it with SpectrumWorkerCore in place of a Worker. Only the newest render is
 * answered: columns of a render since replaced (a resize, the other axis, a new clip) are dropped.
 */
import { isFromSpectrumWorker, type ToSpectrumWorker } from './spectrumProtocol';
import { fftSizeFor, type ColumnsView } from './stft';

export interface SpectrumChannel {
  post(message: ToSpectrumWorker, transfer: Transferable[]): void;
  onReply(listener: (data: unknown) => void): void;
  /** Ends the worker. */
  dispose(): void;
}

export type OnColumns = (first: number, count: number, db: Float32Array) => void;

interface Render {
  id: number;
  onColumns: OnColumns;
  resolve(milliseconds: number | undefined): void;
}

export class SpectrumService {
  private clip = 0;
  private sampleRate = 0;
  private next = 1;
  private active: Render | undefined;

  constructor(private readonly channel: SpectrumChannel) {
    channel.onReply((data) => {
      const active = this.active;
      if (!isFromSpectrumWorker(data) || active?.id !== data.id) return;
      if (data.kind === 'columns') active.onColumns(data.first, data.count, data.db);
      else {
        this.active = undefined;
        active.resolve(data.milliseconds);
      }
    });
  }

  /** The clip later renders draw; the samples are copied to the worker once. */
  setClip(samples: Float32Array, sampleRate: number): void {
    this.cancel();
    this.clip++;
    this.sampleRate = sampleRate;
    this.channel.post({ kind: 'clip', clip: this.clip, samples, sampleRate }, []);
  }

  /** Columns arrive through onColumns; resolves with the worker's time, or undefined once replaced. */
  render(view: ColumnsView, onColumns: OnColumns): Promise<number | undefined> {
    this.cancel();
    const id = this.next++;
    return new Promise((resolve) => {
      this.active = { id, onColumns, resolve };
      this.channel.post({ kind: 'render', id, clip: this.clip, fftSize: fftSizeFor(this.sampleRate, view.height), view }, []);
    });
  }

  dispose(): void {
    this.cancel();
    this.channel.dispose();
  }

  private cancel(): void {
    this.active?.resolve(undefined);
    this.active = undefined;
  }
}
