/**
 * The command line as a function: arguments and streams in, exit code out. main.ts wires it to the
 * process; tests call it directly with their own streams.
 */
import { CancelledError, errorData, toResonanceError, type ErrorCode, type ResonanceError } from '../codec';
import { version } from '../../package.json';
import { wantsHelp, wantsJson } from './command';
import { COMMANDS } from './commands';
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
  let command = COMMANDS.find((c) => c.name === name);
  // A group's command: `dataset build` is found as the group, then its command.
  const sub = command?.subcommands?.find((c) => c.name === `${name} ${first === 'help' ? rest[1] : rest[0]}`);
  if (sub) {
    command = sub;
    rest.shift();
  }
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
  } catch (caught) {
    const error = io.signal?.aborted ? toResonanceError(new CancelledError()) : toResonanceError(caught);
    io.stderr.write(`resonance ${command.name}: ${failureLine(command.name, error, io.signal?.reason)}\n`);
    // With --json a script reads stdout: the error goes there too, as the one object it expects.
    if (wantsJson(rest)) io.stdout.write(`${JSON.stringify({ error: errorData(error) }, null, 2)}\n`);
    return exitStatusOf(error.code);
  }
}

/** Every failure is one line and an exit status; never a stack trace. */
function failureLine(command: string, error: ResonanceError, abortReason: unknown): string {
  switch (error.code) {
    case 'USAGE':
      return `${error.message} (see "resonance ${command} --help")`;
    case 'CANCELLED':
      // main.ts aborts with the signal's name; Ctrl-C needs no naming.
      return `interrupted${typeof abortReason === 'string' && abortReason !== 'SIGINT' ? ` by ${abortReason}` : ''}; the partial output was removed`;
    case 'OUTPUT_EXISTS':
      return `${error.file} already exists; use --force to replace it`;
    default:
      return error.message;
  }
}

function exitStatusOf(code: ErrorCode): number {
  return code === 'USAGE' ? EXIT.usage : code === 'CANCELLED' ? EXIT.interrupted : EXIT.failure;
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
