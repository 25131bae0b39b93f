/**
 * The spectrum worker's logic, apart from the worker global so the tests run it: keeps the clip,
 * computes a render in slices of about SLICE_MS (each sized from the last) and posts each slice's columns, yielding between
 * slices so that a newer render (a resize, the other axis, another clip) is read and replaces it.
 * A 10-minute file is drawn progressively and never holds the worker for longer than a slice.
 */
import type { FromSpectrumWorker, ToSpectrumWorker } from './spectrumProtocol';
import { SpectrogramColumns } from './stft';

const SLICE_MS = 12;

export interface WorkerScope {
  post(message: FromSpectrumWorker, transfer: Transferable[]): void;
  /** Runs `task` after the messages that are waiting. */
  later(task: () => void): void;
  now(): number;
}

export class SpectrumWorkerCore {
  private clip: { id: number; samples: Float32Array; sampleRate: number } | undefined;
  private current = 0;

  constructor(private readonly scope: WorkerScope) {}

  receive(message: ToSpectrumWorker): void {
    if (message.kind === 'clip') {
      this.clip = { id: message.clip, samples: message.samples, sampleRate: message.sampleRate };
      return;
    }
    const clip = this.clip;
    if (!clip || clip.id !== message.clip) return;
    const { id } = message;
    this.current = id;
    const started = this.scope.now();
    const columns = new SpectrogramColumns(clip.samples, clip.sampleRate, message.fftSize, message.view);
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
      else this.scope.post({ kind: 'done', id, milliseconds: this.scope.now() - started }, []);
    };
    slice();
  }
}
