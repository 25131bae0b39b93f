/**
 * The page's side of the spectrum worker. The worker comes in as a channel (post, replies, end),
 * so the tests drive it with SpectrumWorkerCore in place of a Worker. Only the newest render is
 * answered: columns of a render since replaced (a resize, the other axis, a new clip) are dropped.
 */
import { isFromSpectrumWorker, type ToSpectrumWorker } from './spectrumProtocol';
import type { ColumnsView } from './stft';

export interface SpectrumChannel {
  post(message: ToSpectrumWorker, transfer: Transferable[]): void;
  onReply(listener: (data: unknown) => void): void;
  /** Ends the worker. */
  dispose(): void;
}

const PART_SAMPLES = 1 << 21;

export type OnColumns = (first: number, count: number, db: Float32Array) => void;

interface Render {
  id: number;
  onColumns: OnColumns;
  resolve(done: { milliseconds: number; fftSize: number } | undefined): void;
}

export class SpectrumService {
  private clip = 0;
  private next = 1;
  private active: Render | undefined;

  /** `later` runs a task after the page has had its turn: the samples go to the worker in parts, between them. */
  constructor(
    private readonly channel: SpectrumChannel,
    private readonly later: (task: () => void) => void = (task) => setTimeout(task, 0),
  ) {
    channel.onReply((data) => {
      const active = this.active;
      if (!isFromSpectrumWorker(data) || active?.id !== data.id) return;
      if (data.kind === 'columns') active.onColumns(data.first, data.count, data.db);
      else {
        this.active = undefined;
        active.resolve({ milliseconds: data.milliseconds, fftSize: data.fftSize });
      }
    });
  }

  /**
   * The clip later renders draw, its channels all the same length. Its samples are copied to the
   * worker (the copies' buffers transferred, not copied again) in parts of PART_SAMPLES, one task
   * each: a 10-minute clip's 100 MB copied at once would hold the page for tens of milliseconds.
   */
  setClip(channels: readonly Float32Array[], sampleRate: number): void {
    this.cancel();
    const clip = ++this.clip;
    const length = channels[0]?.length ?? 0;
    this.channel.post({ kind: 'clip', clip, channels: channels.length, length, sampleRate }, []);
    const part = (channel: number, offset: number) => {
      if (clip !== this.clip) return;
      const copy = channels[channel].slice(offset, offset + PART_SAMPLES);
      this.channel.post({ kind: 'clipPart', clip, channel, offset, samples: copy }, [copy.buffer]);
      if (offset + PART_SAMPLES < length) this.later(() => part(channel, offset + PART_SAMPLES));
      else if (channel + 1 < channels.length) this.later(() => part(channel + 1, 0));
    };
    if (length > 0) part(0, 0);
  }

  /** Columns arrive through onColumns; resolves with the worker's time and FFT size, or undefined once replaced. */
  render(view: ColumnsView, onColumns: OnColumns): Promise<{ milliseconds: number; fftSize: number } | undefined> {
    this.cancel();
    const id = this.next++;
    return new Promise((resolve) => {
      this.active = { id, onColumns, resolve };
      this.channel.post({ kind: 'render', id, clip: this.clip, view }, []);
    });
  }

  dispose(): void {
    this.cancel();
    this.clip++;
    this.channel.dispose();
  }

  private cancel(): void {
    this.active?.resolve(undefined);
    this.active = undefined;
  }
}
