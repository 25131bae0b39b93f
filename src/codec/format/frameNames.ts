/**
 * Which files of a folder are frames, and in what order: the PNG files that are not hidden, in
 * natural order (f2.png before f10.png, case ignored), as a file manager lists them; and a
 * stream's frame names as a list that need not be held (FrameNames).
 * A hand-written comparison rather than Intl.Collator: creating a collator costs 7 ms of ICU
 * start-up, a noticeable share of a short CLI run, and its order is the same for these names.
 */
import { frameFileName, frameNameDigits } from './manifest';

export function frameNamesOf(names: readonly string[]): string[] {
  // Each name is split into its runs once, not at each of a sort's n·log n comparisons.
  const keyed = names.filter((n) => /\.png$/i.test(n) && !n.startsWith('.')).map((name) => ({ name, runs: runsOf(name) }));
  return keyed.sort((a, b) => compareKeyed(a.name, a.runs, b.name, b.runs)).map((k) => k.name);
}

/** Runs of digits compare by value, other runs case-insensitively; a tie falls back to code units. */
export function naturalOrder(a: string, b: string): number {
  return compareKeyed(a, runsOf(a), b, runsOf(b));
}

/** A run of a name as it compares: digits without their leading zeros, or text in lower case. */
interface Run {
  digits: boolean;
  text: string;
}

const RUNS = /\d+|\D+/g;

function runsOf(name: string): Run[] {
  return (name.match(RUNS) ?? []).map((run) => {
    const c = run.charCodeAt(0);
    const digits = c >= 48 && c <= 57;
    return { digits, text: digits ? run.replace(/^0+(?=\d)/, '') : run.toLowerCase() };
  });
}

function compareKeyed(a: string, left: Run[], b: string, right: Run[]): number {
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareRuns(left[i], right[i]);
    if (order !== 0) return order;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRuns(a: Run, b: Run): number {
  // Digits sort before letters, as in the collator's order.
  if (a.digits !== b.digits) return a.digits ? -1 : 1;
  // Numbers of different lengths (leading zeros gone) compare by length: no precision lost.
  if (a.digits && a.text.length !== b.text.length) return a.text.length - b.text.length;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/**
 * The frame files of a stream, in frame order. Resonance's own names (frame_00000.png…) are
 * computed from the index, so a stream of millions of frames holds none of them; other names (a
 * folder without a manifest, a manifest written by another tool) are held in a list.
 */
export interface FrameNames extends Iterable<string> {
  readonly count: number;
  nameOf(index: number): string;
  /** The index of the frame file `name`, or -1. */
  indexOf(name: string): number;
}

export function canonicalFrameNames(count: number): FrameNames {
  const digits = frameNameDigits(count);
  return {
    count,
    nameOf: (index) => frameFileName(index, count),
    indexOf(name) {
      const match = /^frame_(\d+)\.png$/.exec(name);
      const index = match && match[1].length === digits ? Number(match[1]) : -1;
      return index < count ? index : -1;
    },
    *[Symbol.iterator]() {
      for (let i = 0; i < count; i++) yield frameFileName(i, count);
    },
  };
}

export function listedFrameNames(names: readonly string[]): FrameNames {
  return {
    count: names.length,
    nameOf: (index) => names[index],
    indexOf: (name) => names.indexOf(name),
    [Symbol.iterator]: () => names[Symbol.iterator](),
  };
}
