/** Every command the CLI knows, in the order `resonance --help` lists them. A new command is one line here. */
import type { Command } from '../command';
import { compareCommand } from './compare';
import { decodeCommand } from './decode';
import { encodeCommand } from './encode';
import { datasetCommand } from './dataset';
import { infoCommand } from './info';

export const COMMANDS: readonly Command[] = [encodeCommand, decodeCommand, infoCommand, compareCommand, datasetCommand];
