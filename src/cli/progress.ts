/**
 * A one-line progress bar on stderr, redrawn in place. Only on a terminal: when stderr is a pipe
 * or a file it writes nothing at all, so logs and scripts see only the summary and errors.
 */
import type { Progress } from '../codec';
import { formatRate, groupThousands, plural, progressFraction } from '../shared/units';
import type { OutputStream } from './terminal';

const REDRAW_INTERVAL_MS = 100;
const BAR_MAX = 40;

interface ProgressReporter {
  update(progress: Progress): void;
  /** Removes the bar, leaving the line clean for what follows. */
  finish(): void;
}

const silent: ProgressReporter = { update() {}, finish() {} };

function progressReporter(stream: OutputStream, label: string): ProgressReporter {
  if (!stream.isTTY) return silent;
  const started = performance.now();
  let lastDrawn = -Infinity;
  let drawn = false;
  return {
    update(progress) {
      const now = performance.now();
      const last = progress.framesDone === progress.frameCount;
      if (!last && now - lastDrawn < REDRAW_INTERVAL_MS) return;
      lastDrawn = now;
      drawn = true;
      stream.write(`\r${progressLine(label, progress, (now - started) / 1000, stream.columns || 80)}\x1b[K`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** `encode ▕██████░░░░▏ 12/42 frames  28%  85.3 MB/s`, the bar shrinking to fit the terminal. */
export function progressLine(label: string, progress: Progress, elapsedSeconds: number, columns: number): string {
  const fraction = progressFraction(progress);
  const figures = `${groupThousands(progress.framesDone)}/${plural(progress.frameCount, 'frame')}  ${Math.floor(fraction * 100)}%  ` +
    `${formatRate(progress.bytesDone, elapsedSeconds)}`;
  const room = Math.min(BAR_MAX, columns - label.length - figures.length - 5);
  if (room < 5) return `${label} ${figures}`.slice(0, Math.max(0, columns - 1));
  const filled = Math.round(fraction * room);
  return `${label} ▕${'█'.repeat(filled)}${'░'.repeat(room - filled)}▏ ${figures}`;
}

/**
 * Runs a codec job with a progress bar on `stream` (when it is a terminal), removing the bar however
 * the job ends, and times it.
 */
export async function withProgress<T>(
  stream: OutputStream,
  label: string,
  job: (onProgress: (progress: Progress) => void) => Promise<T>,
): Promise<{ result: T; seconds: number }> {
  const reporter = progressReporter(stream, label);
  const started = performance.now();
  try {
    const result = await job((progress) => reporter.update(progress));
    return { result, seconds: (performance.now() - started) / 1000 };
  } finally {
    reporter.finish();
  }
}
