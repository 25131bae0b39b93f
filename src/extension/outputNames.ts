/**
 * Where an output goes and what it is called: the codec's default names, the `outputFolder`
 * setting, and numbered names (`song_frames (2)`) for the "new name" policy and for jobs that run
 * at the same time. Paths only, no `vscode`: the caller turns them into Uris.
 */
import { basename, type PlatformPath } from 'node:path';
import { defaultFramesFolder, defaultWavPath } from '../codec';

export type JobKind = 'encode' | 'decode';

/** The codec's (and the CLI's) default output name: `song.wav` → `song_frames`, `song_frames` → `song_frames.wav`. */
export function defaultOutputName(kind: JobKind, inputName: string): string {
  return basename(kind === 'encode' ? defaultFramesFolder(inputName) : defaultWavPath(inputName));
}

/**
 * The `n`th name for an output, as file managers number copies: `song_frames (2)`, and for a
 * file, before its extension: `song_frames (2).wav`. `n` 1 is the name itself.
 */
function numberedName(name: string, n: number, isFile: boolean): string {
  if (n === 1) return name;
  const dot = isFile ? name.lastIndexOf('.') : -1;
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem} (${n})${extension}`;
}

/** Numbered names are tried up to this far before giving up: a folder with that many is a mistake. */
const MAX_NUMBERED_NAMES = 9999;

/** The first of `name`, `name (2)`, `name (3)`… that is not taken, or undefined past MAX_NUMBERED_NAMES. */
export async function firstFreeName(name: string, isFile: boolean, isTaken: (candidate: string) => boolean | Promise<boolean>): Promise<string | undefined> {
  for (let n = 1; n <= MAX_NUMBERED_NAMES; n++) {
    const candidate = numberedName(name, n, isFile);
    if (!(await isTaken(candidate))) return candidate;
  }
  return undefined;
}

export interface OutputFolderContext {
  /** The folder holding the input. */
  inputFolder: string;
  /** The workspace folder the input belongs to, if any: relative settings resolve against it. */
  workspaceFolder?: string;
  /** The home folder for `~`; only for local files, where `~` means something. */
  home?: string;
  /** `node:path` for local files (the platform's rules), `path.posix` for Uris of other schemes. */
  path: PlatformPath;
}

/**
 * The folder outputs go to. The setting is empty (beside the input), absolute, `~/…`, or relative
 * to the input's workspace folder (to the input's own folder when it is outside the workspace).
 */
export function outputFolderFor(setting: string, context: OutputFolderContext): string {
  const { path, inputFolder, workspaceFolder, home } = context;
  if (setting === '') return inputFolder;
  if (home !== undefined && (setting === '~' || /^~[\\/]/.test(setting))) return path.join(home, setting.slice(1));
  if (path.isAbsolute(setting)) return path.normalize(setting);
  return path.resolve(workspaceFolder ?? inputFolder, setting);
}

/** Outputs that jobs of this window are writing now, so that two jobs never pick the same one. */
export class OutputsInUse {
  private readonly keys = new Set<string>();

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Claims `key`; false when another job holds it. */
  claim(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }

  release(key: string): void {
    this.keys.delete(key);
  }
}
