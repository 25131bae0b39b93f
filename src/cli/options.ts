/**
 * Command-line options as data: each command declares a table of them, from which its argument
 * parsing, its typed option values and its --help text all follow. Adding an option to a command
 * is one entry in its table.
 */
import {
  geometryProblem,
  geometryWithDefaults,
  LAYOUT_NAMES,
  ResonanceError,
  SAMPLE_FORMATS,
  type Assumptions,
  type Geometry,
  type LayoutName,
  type SampleFormat,
} from '../codec';

/** A mistake in the command line itself: exit status 2 and one line naming the mistake. */
export class UsageError extends ResonanceError {
  constructor(message: string) {
    super('USAGE', '', message);
    this.name = 'UsageError';
  }
}

export interface FlagOption {
  kind: 'flag';
  short?: string;
  description: string;
}

export interface ValueOption<T> {
  kind: 'value';
  short?: string;
  /** What the value looks like in --help: `N`, `DIR`, `fast|default|small`. */
  placeholder: string;
  description: string;
  /** Turns the text given into the value, or throws a UsageError. `flag` is how the user wrote it. */
  parse(text: string, flag: string): T;
}

export type OptionSpec = FlagOption | ValueOption<unknown>;
export type OptionTable = Record<string, OptionSpec>;

/** Flags are booleans; value options are their parsed type, or undefined when not given. */
export type OptionValues<O extends OptionTable> = {
  [K in keyof O]: O[K] extends ValueOption<infer T> ? T | undefined : boolean;
};

/** `sampleRate` → `--sample-rate`. */
export function longFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export function flag(description: string, short?: string): FlagOption {
  return { kind: 'flag', short, description };
}

export function text(placeholder: string, description: string, short?: string): ValueOption<string> {
  return {
    kind: 'value',
    short,
    placeholder,
    description,
    parse(value, flag) {
      if (value === '') throw new UsageError(`${flag} needs a non-empty value`);
      return value;
    },
  };
}

export function wholeNumber(placeholder: string, description: string, min = 1): ValueOption<number> {
  return {
    kind: 'value',
    placeholder,
    description,
    parse(value, flag) {
      const number = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(number) || number < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, not "${value}"`);
      return number;
    },
  };
}

/** A number written in decimal, within [min, max] (or above min, with `aboveMin`). */
export function decimal(
  placeholder: string,
  description: string,
  range: { min: number; max?: number; aboveMin?: boolean; belowMax?: boolean },
): ValueOption<number> {
  return {
    kind: 'value',
    placeholder,
    description,
    parse(value, flag) {
      const number = /^-?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : NaN;
      const low = range.aboveMin ? number > range.min : number >= range.min;
      const high = range.max === undefined || (range.belowMax ? number < range.max : number <= range.max);
      if (!Number.isFinite(number) || !low || !high) {
        const bounds = `${range.aboveMin ? 'more than' : 'at least'} ${range.min}${range.max === undefined ? '' : ` and ` +
          `${range.belowMax ? 'below' : 'at most'} ${range.max}`}`;
        throw new UsageError(`${flag} must be a number ${bounds}, not "${value}"`);
      }
      return number;
    },
  };
}

export function choice<T extends string>(values: readonly T[], description: string): ValueOption<T> {
  return {
    kind: 'value',
    placeholder: values.join('|'),
    description,
    parse(value, flag) {
      if (!(values as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${values.join(', ')}, not "${value}"`);
      return value as T;
    },
  };
}

// Options more than one command shares, so that they read and behave the same everywhere.

export const forceOption = flag('replace the output if it already exists');

export const jsonOption = flag('print one JSON object instead of text, for scripts');

export const workersOption = wholeNumber(
  'N',
  'worker threads (default: one per core; 0 does all the work on the main thread, for running several jobs side by side)',
  0,
);

/** One definition for encode, dataset, decode and info: the same flag with the same meaning, painting or reading. */
export const expansionOption = wholeNumber(
  'N',
  'each data pixel is an N × N block (default 1): painted so by encode, width and height multiples of N; for frames without metadata, the size they ' +
    'were painted with',
);

export const geometryOptions = {
  width: wholeNumber('N', 'frame width in pixels (default 768)'),
  height: wholeNumber('N', 'frame height in pixels (default 768)'),
  expansion: expansionOption,
};

/** What to assume about frames that carry no Resonance metadata at all. */
export const assumptionOptions = {
  sampleRate: wholeNumber('N', 'sample rate in Hz, for frames without metadata'),
  channels: wholeNumber('N', 'number of channels, for frames without metadata'),
  format: choice(SAMPLE_FORMATS, 'sample format, for frames without metadata'),
  expansion: expansionOption,
  layout: choice(LAYOUT_NAMES, 'layout the frames were written in, for frames without metadata (default bytes)'),
};

/** The assumptions the options give, for frames without metadata: decode and info take them alike. */
export function assumptionsFrom(options: {
  sampleRate?: number;
  channels?: number;
  format?: SampleFormat;
  expansion?: number;
  layout?: LayoutName;
}): Assumptions {
  return { sampleRate: options.sampleRate, channels: options.channels, sampleFormat: options.format, expansion: options.expansion, layout: options.layout };
}

/**
 * The geometry the options ask for, the defaults filling the rest, checked by the codec's own rule
 * so that a width that is not a multiple of the expansion is a usage error before any work.
 */
export function checkedGeometry(options: { width?: number; height?: number; expansion?: number }): Geometry {
  const geometry = geometryWithDefaults(options);
  const problem = geometryProblem(geometry);
  if (problem) throw new UsageError(problem);
  return geometry;
}

/**
 * The flags among `keys` the user gave although the command does not use them here, for a one-line
 * warning on stderr (`resonance info: resonance.json gives the parameters; ignored --sample-rate`).
 */
export function warnIgnored(io: { stderr: { write(text: string): unknown } }, command: string, reason: string, options: object, keys: readonly string[]): void {
  const given = keys.filter((key) => (options as Record<string, unknown>)[key] !== undefined);
  if (given.length > 0) io.stderr.write(`resonance ${command}: ${reason}; ignored ${given.map(longFlag).join(', ')}\n`);
}

/** Every command's --json output: one object, indented by two, on stdout. */
export function printJson(io: { stdout: { write(text: string): unknown } }, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
