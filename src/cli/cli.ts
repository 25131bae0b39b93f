/**
 * The command line as a function: arguments and streams in, exit code out. main.ts wires it to the
 * process; tests call it directly with their own streams.
 */
import { CancelledError, describeError, OutputExistsError } from '../codec';
import { version } from '../../package.json';
import { wantsHelp } from './command';
import { COMMANDS } from './commands';
import { UsageError } from './options';
import type { CliIO } from './terminal';

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

export async function runCli(args: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = args;
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout.write(overview());
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const name = first === 'help' ? rest[0] : first;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const problem = name === undefined ? 'no command given' : name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`;
    io.stderr.write(`resonance: ${problem}; run "resonance --help" to see the commands\n`);
    return EXIT.usage;
  }
  if (first === 'help' || wantsHelp(rest)) {
    io.stdout.write(command.help());
    return EXIT.ok;
  }
  try {
    await command.execute(rest, io);
    return EXIT.ok;
  } catch (error) {
    const [line, code] = failure(command.name, error, io.signal);
    io.stderr.write(`resonance ${command.name}: ${line}\n`);
    return code;
  }
}

/** Every failure is one line and an exit code; never a stack trace. */
function failure(command: string, error: unknown, signal: AbortSignal | undefined): [string, number] {
  if (error instanceof UsageError) return [`${error.message} (see "resonance ${command} --help")`, EXIT.usage];
  if (error instanceof CancelledError || signal?.aborted) return ['interrupted; the partial output was removed', EXIT.interrupted];
  if (error instanceof OutputExistsError) return [`${error.file} already exists; use --force to replace it`, EXIT.failure];
  return [describeError(error), EXIT.failure];
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Resonance ${version}: WAV audio to RGB PNG frames and back, bit-exact.`,
    '',
    'Usage: resonance COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version',
    '',
    'Run "resonance COMMAND --help" for the options of a command.',
    '',
  ].join('\n');
}
