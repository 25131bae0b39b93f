/**
 * The spectrum worker's logic, apart from the worker global so the tests run it: keeps the clip,
 * computes a render in slices of about SLICE_MS (each sized from the last) and posts each slice's columns, yielding between
 * slices so that a newer render (a resize, the other axis, another clip) is read and replaces it.
 * A 10-minute file is drawn progressively and never holds the worker for longer than a slice.
 */
import type { FromSpectrumWorker, ToSpectrumWorker } from './spectrumProtocol';
import { SpectrogramLanes } from './stft';

const SLICE_MS = 12;

export interface WorkerScope {
  post(message: FromSpectrumWorker, transfer: Transferable[]): void;
  /** Runs `task` after the messages that are waiting. */
  later(task: () => void): void;
  now(): number;
}

export class SpectrumWorkerCore {
  private clip: { id: number; channels: Float32Array[]; sampleRate: number; missing: number } | undefined;
  /** A render asked for before the clip's last part came. */
  private waiting: Extract<ToSpectrumWorker, { kind: 'render' }> | undefined;
  private current = 0;

  constructor(private readonly scope: WorkerScope) {}

  receive(message: ToSpectrumWorker): void {
    if (message.kind === 'clip') {
      const channels = Array.from({ length: message.channels }, () => new Float32Array(message.length));
      this.clip = { id: message.clip, channels, sampleRate: message.sampleRate, missing: message.length * message.channels };
      this.waiting = undefined;
      this.current = 0;
      return;
    }
    const clip = this.clip;
    if (!clip || clip.id !== message.clip) return;
    if (message.kind === 'clipPart') {
      clip.channels[message.channel].set(message.samples, message.offset);
      clip.missing -= message.samples.length;
      if (clip.missing === 0 && this.waiting) this.render(this.waiting);
      return;
    }
    this.current = message.id;
    if (clip.missing > 0) this.waiting = message;
    else this.render(message);
  }

  private render(message: Extract<ToSpectrumWorker, { kind: 'render' }>): void {
    const clip = this.clip!;
    this.waiting = undefined;
    const { id } = message;
    const started = this.scope.now();
    const columns = new SpectrogramLanes(clip.channels, clip.sampleRate, message.view);
    const { width } = message.view;
    let x = 0;
    /** Columns a slice computes: starts small, then sized from how long the last slice took. */
    let step = 8;
    const slice = () => {
      if (this.current !== id) return;
      const sliceStart = this.scope.now();
      const first = x;
      x = Math.min(width, x + step);
      const db = columns.columns(first, x);
      const spent = this.scope.now() - sliceStart;
      step = Math.max(1, Math.min(width, Math.floor(((x - first) * SLICE_MS) / Math.max(spent, 0.1))));
      this.scope.post({ kind: 'columns', id, first, count: x - first, db }, [db.buffer]);
      if (x < width) this.scope.later(slice);
      else this.scope.post({ kind: 'done', id, milliseconds: this.scope.now() - started, fftSize: columns.fftSize }, []);
    };
    slice();
  }
}

/**
 * A small render of noise on both axes, for a worker that has just started: its first render runs
 * code the JIT has not optimised yet (in node about 3 times slower than the next, 207 against 68 ms
 * for a 10 s clip), and the page is still fetching the audio meanwhile.
 */
export function warmUp(): void {
  const noise = new Float32Array(8192);
  let seed = 1;
  for (let i = 0; i < noise.length; i++) noise[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.1;
  // Both FFT sizes a 44.1 kHz clip gets (dense columns and far-apart ones), on both axes, two lanes.
  for (const scale of ['log', 'linear'] as const) {
    for (const width of [48, 2]) new SpectrogramLanes([noise, noise], 44100, { width, height: 128, scale }).columns(0, width);
  }
}
