/** Human-readable figures, shared by the CLI's output and the extension's notifications and log. */

/** Decimal units, like the MB/s the benchmarks report. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** An exact byte count with the rounded figure beside it, for `info`. */
export function formatByteCount(bytes: number): string {
  const exact = `${groupThousands(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return bytes < 1000 ? exact : `${exact} (${formatBytes(bytes)})`;
}

/** A time in the audio, as the transport shows it: m:ss.mmm, or h:mm:ss.mmm from an hour. */
export function formatTime(seconds: number): string {
  const total = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
  const millis = Math.floor(total * 1000 + 1e-6);
  const ms = millis % 1000;
  const s = Math.floor(millis / 1000) % 60;
  const m = Math.floor(millis / 60000) % 60;
  const h = Math.floor(millis / 3600000);
  const tail = `${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${tail}` : `${m}:${tail}`;
}


export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds - minutes * 60;
  if (minutes < 60) return `${minutes} min ${rest.toFixed(1)} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min ${String(Math.floor(rest)).padStart(2, '0')} s`;
}

/** Throughput of `bytes` over `seconds`, in MB/s; the one rate the CLI and the extension print. */
export function formatRate(bytes: number, seconds: number): string {
  return seconds > 0 ? `${(bytes / 1e6 / seconds).toFixed(1)} MB/s` : '– MB/s';
}

export function plural(count: number, noun: string): string {
  return `${groupThousands(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A whole number with commas between groups of three digits, as toLocaleString('en-US') writes it;
 * by hand, because the first toLocaleString in a process costs 15-20 ms of ICU start-up, longer
 * than a short CLI run's own work.
 */
export function groupThousands(value: number): string {
  const digits = String(Math.abs(Math.trunc(value)));
  const head = digits.length % 3 || 3;
  let grouped = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return value < 0 ? `-${grouped}` : grouped;
}

/**
 * A frame's number as a person reads it: from 1, in the CLI, the notifications and the editor alike.
 * Frame indices in the codec and in file names (frame_00000.png) stay 0-based.
 */
export function frameNumber(index: number): number {
  return index + 1;
}

/** The fields of the codec's Progress this needs, so the webview can import this file without the codec. */
export interface ProgressFigures {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly framesDone: number;
  readonly frameCount: number;
}

/** How far a job is, 0 to 1: by bytes when the job knows its total, otherwise by frames. */
export function progressFraction(progress: ProgressFigures): number {
  if (progress.bytesTotal > 0) return progress.bytesDone / progress.bytesTotal;
  return progress.frameCount > 0 ? progress.framesDone / progress.frameCount : 1;
}
