/**
 * A command: its operands, its option table and what it does. defineCommand turns that into what
 * the command table holds, with argument parsing and --help derived from the option table.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { longFlag, UsageError, type OptionTable, type OptionValues } from './options';
import type { CliIO } from './terminal';

export interface CommandContext<O extends OptionTable> {
  operands: string[];
  options: OptionValues<O>;
  io: CliIO;
}

export interface CommandSpec<O extends OptionTable> {
  name: string;
  /** Names of the operands in the usage line, e.g. ['FILE.wav']; the command takes exactly these. */
  operands: string[];
  /** The last operand repeats: one or more of it (`INPUT...`). */
  variadic?: boolean;
  /** One line for `resonance --help`. */
  summary: string;
  /** What --help says under the usage line. */
  description: string;
  options: O;
  examples: string[];
  /** Writes its summary to io.stdout; throws on failure (the caller turns that into one line). */
  run(context: CommandContext<O>): Promise<void>;
}

/** A command as the table holds it, its option types no longer needed by anyone outside. */
export interface Command {
  name: string;
  summary: string;
  help(): string;
  /** Runs the command on its arguments (everything after the command's name). */
  execute(args: string[], io: CliIO): Promise<void>;
  /** For a group such as `dataset`: its commands, named `dataset build` and so on. */
  subcommands?: readonly Command[];
}

/** A command of commands: `resonance dataset build …`; alone, or with --help, it lists them. */
export function defineCommandGroup(spec: { name: string; summary: string; description: string; commands: readonly Command[] }): Command {
  const help = () => {
    const width = Math.max(...spec.commands.map((c) => c.name.length));
    return [
      `Usage: resonance ${spec.name} COMMAND [options]`,
      '',
      spec.description,
      '',
      'Commands:',
      ...spec.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
      '',
      `Run "resonance ${spec.name} COMMAND --help" for the options of a command.`,
      '',
    ].join('\n');
  };
  return {
    name: spec.name,
    summary: spec.summary,
    help,
    subcommands: spec.commands,
    async execute() {
      throw new UsageError(`give a command: ${spec.commands.map((c) => c.name).join(', ')}`);
    },
  };
}

const HELP_OPTION = { kind: 'flag', short: 'h', description: 'show this help' } as const;

export function defineCommand<O extends OptionTable>(spec: CommandSpec<O>): Command {
  const usage = `resonance ${spec.name} ${spec.operands.join(' ')} [options]`;
  return {
    name: spec.name,
    summary: spec.summary,
    help: () => helpText(spec, usage),
    async execute(args, io) {
      const { operands, options } = parseCommandLine(spec, args);
      await spec.run({ operands, options, io });
    },
  };
}

/** Whether the arguments ask for help, checked before anything else so that help always works. */
export function wantsHelp(args: string[]): boolean {
  return optionArguments(args).some((arg) => arg === '--help' || arg === '-h');
}

/** Whether the arguments ask for JSON, so that even a command line that does not parse answers in it. */
export function wantsJson(args: string[]): boolean {
  return optionArguments(args).includes('--json');
}

function optionArguments(args: string[]): string[] {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
}

function parseCommandLine<O extends OptionTable>(spec: CommandSpec<O>, args: string[]): { operands: string[]; options: OptionValues<O> } {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [key, option] of Object.entries(spec.options)) {
    config[longFlag(key).slice(2)] = { type: option.kind === 'flag' ? 'boolean' : 'string', ...(option.short ? { short: option.short } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: config, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(parseArgsProblem(error as Error & { code?: string }));
  }

  const options: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(spec.options)) {
    const given = parsed.values[longFlag(key).slice(2)];
    options[key] = option.kind === 'flag' ? given === true : given === undefined ? undefined : option.parse(given as string, longFlag(key));
  }

  const { positionals } = parsed;
  if (positionals.length < spec.operands.length) throw new UsageError(`missing ${spec.operands.slice(positionals.length).join(' and ')}`);
  if (positionals.length > spec.operands.length && !spec.variadic) throw new UsageError(`unexpected argument "${positionals[spec.operands.length]}"`);
  return { operands: positionals, options: options as OptionValues<O> };
}

/** node's parseArgs messages run to several lines; a user needs one. */
function parseArgsProblem(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1] ?? 'an option';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(error.message)) return `${option} takes no value`;
      if (/ambiguous/.test(error.message)) return `${option} needs a value (write ${option}=VALUE for a value that starts with "-")`;
      return `${option} needs a value`;
    default:
      return error.message.split('\n')[0];
  }
}

const HELP_COLUMNS = 100;

function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > Math.max(columns, 30)) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

function helpText(spec: CommandSpec<OptionTable>, usage: string): string {
  const rows = [...Object.entries(spec.options), ['help', HELP_OPTION] as const].map(([key, option]) => {
    const names = `${option.short ? `-${option.short}, ` : '    '}${longFlag(key)}${option.kind === 'value' ? ` ${option.placeholder}` : ''}`;
    return [names, option.description] as const;
  });
  const width = Math.max(...rows.map(([names]) => names.length));
  return [
    `Usage: ${usage}`,
    '',
    spec.description,
    '',
    'Options:',
    ...rows.map(([names, description]) => `  ${names.padEnd(width)}  ${wrap(description, HELP_COLUMNS - width - 4).join(`\n${' '.repeat(width + 4)}`)}`),
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}
