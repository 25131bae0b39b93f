/**
 * What may stand where an output goes. Replacing an existing output (`--force`, the extension's
 * overwrite) is allowed only for what Resonance itself could have written there:
 * - a WAV (decode, playback copies): a regular file;
 * - frames (encode): a folder that holds a frames set and nothing else: a `resonance.json` that
 *   is a valid manifest, and otherwise only regular files it lists as frames (PNG names); no
 *   subfolder, link, hidden file or any other file. An empty folder holds nothing to lose and may
 *   be replaced too.
 * Never, whatever it is: the job's own input or anything inside or holding it, the current folder,
 * the home folder, the root, or a folder holding either of them; and never through a symbolic
 * link (the link itself is refused, not followed). docs/decisions.md, section 6, says why.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, parse, sep } from 'node:path';
import { hasErrorCode } from '../format/errors';
import type { FrameNames } from '../format/frameNames';
import { MANIFEST_NAME } from '../format/manifest';
import { readManifest } from './manifestFile';

/** A WAV is a file; frames are a folder. */
export type OutputKind = 'file' | 'folder';

/** One entry of a folder, as far as the frames-set rule needs it (Node's Dirent and VS Code's FileType both give this). */
export interface FolderEntry {
  name: string;
  /** A regular file: not a folder, link, FIFO, device or socket. */
  isFile: boolean;
}

/**
 * Why a folder holding `entries` is not a frames set Resonance wrote, or undefined when it is one
 * (or is empty). `listedFrames` reads the frames its resonance.json lists, only when needed.
 */
export async function framesSetProblem(entries: readonly FolderEntry[], listedFrames: () => Promise<FrameNames>): Promise<string | undefined> {
  if (entries.length === 0) return undefined;
  const manifestEntry = entries.find((entry) => entry.name === MANIFEST_NAME);
  if (!manifestEntry?.isFile) return `holds no ${MANIFEST_NAME}: ${FRAMES_RULE}`;
  let listed: FrameNames;
  try {
    listed = await listedFrames();
  } catch (error) {
    if (hasErrorCode(error)) return `holds a ${MANIFEST_NAME} that is not a valid Resonance manifest: ${FRAMES_RULE}`;
    throw error;
  }
  // The manifest lists only PNG names inside the folder, or it would not have parsed.
  const stranger = entries.find((entry) => entry.name !== MANIFEST_NAME && !(entry.isFile && listed.indexOf(entry.name) >= 0));
  if (stranger) return `holds ${stranger.name}, which is not a frame its ${MANIFEST_NAME} lists: ${FRAMES_RULE}`;
  return undefined;
}

const FRAMES_RULE = 'Resonance replaces only a folder that holds a frames set and nothing else';

/** What stands at a path, as far as replacing it goes. */
export type EntryKind = 'file' | 'folder' | 'symbolic link' | 'FIFO' | 'socket' | 'device' | 'other';

const ENTRY_NAMES: Record<EntryKind, string> = {
  file: 'a file',
  folder: 'a folder',
  'symbolic link': 'a symbolic link',
  FIFO: 'a FIFO (named pipe)',
  socket: 'a socket',
  device: 'a device',
  other: 'not a regular file',
};

/**
 * Why an entry of this kind may not be replaced by an output of `kind`, or undefined when it may
 * (for a folder, if it holds a frames set: see framesSetProblem).
 */
export function entryKindProblem(kind: OutputKind, entry: EntryKind): string | undefined {
  if (entry === 'symbolic link') return 'is a symbolic link: Resonance replaces neither a link nor what it points to';
  if (kind === 'file') {
    if (entry === 'file') return undefined;
    if (entry === 'folder') return 'is a folder, and the output is a WAV file: give the file\'s name (a folder is never replaced by a file)';
    return `is ${ENTRY_NAMES[entry]}: Resonance replaces only a regular file`;
  }
  return entry === 'folder' ? undefined : `is ${ENTRY_NAMES[entry]}, and the output is a folder of frames: ${FRAMES_RULE}`;
}

/** Why a path that is, holds or is inside something that must stay (the input, the current folder) is never replaced. */
export function keptProblem(relation: 'is' | 'holds' | 'is inside', what: string): string {
  return `${relation} ${what}: Resonance never replaces it`;
}

/**
 * Why `target`, if it exists, may not be replaced by an output of `kind`, or undefined when it may
 * (or nothing is there). `reads` are the files and folders the job reads.
 */
export async function replaceProblem(target: string, kind: OutputKind, reads: readonly string[]): Promise<string | undefined> {
  // "frames/" would make lstat follow a link named frames: the entry itself is what is replaced.
  const path = withoutTrailingSeparators(target);
  for (let attempt = 1; ; attempt++) {
    try {
      const stats = await lstat(path);
      const problem = await problemOfEntry(path, stats, kind, reads);
      // Another job's forced replace may swap the folder while it is read (its listing of one, its
      // manifest of the next, or of none): a problem counts only if one entry stood there throughout.
      if (problem === undefined || attempt === SETTLE_ATTEMPTS || sameFile(stats, await lstat(path))) return problem;
    } catch (error) {
      // Gone while it was looked at (another job moved it): nothing stands there to refuse.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

/** Looks this often at an output that other jobs keep swapping while it is looked at. */
const SETTLE_ATTEMPTS = 5;

async function problemOfEntry(path: string, stats: Stats, kind: OutputKind, reads: readonly string[]): Promise<string | undefined> {
  const real = join(await realpath(dirname(path)), basename(path));
  // Each file or folder that must stay, by its identity and its real path, and what to call it.
  const kept: Array<{ name: string; stats: Stats; real: string; isInput: boolean }> = [];
  for (const [name, folder] of [['the current folder', process.cwd()], ['the home folder', homedir()]] as const) {
    const folderStats = await stat(folder).catch(() => undefined);
    if (folderStats) kept.push({ name, stats: folderStats, real: await realpath(folder), isInput: false });
  }
  for (const read of reads) {
    const readStats = await stat(read).catch(() => undefined);
    if (readStats) kept.push({ name: `${read}, the input of this job`, stats: readStats, real: await realpath(read), isInput: true });
  }
  for (const each of kept) {
    if (sameFile(stats, each.stats) || real === each.real) return keptProblem('is', each.isInput ? 'the input of this job' : each.name);
  }
  if (stats.isDirectory() && parse(real).root === real) return keptProblem('is', 'the root folder');
  for (const each of kept) {
    if (isInside(each.real, real)) return keptProblem('holds', each.name);
    if (each.isInput && each.stats.isDirectory() && isInside(real, each.real)) return keptProblem('is inside', each.name);
  }
  const problem = entryKindProblem(kind, entryKindOf(stats));
  if (problem || kind === 'file') return problem;
  const entries = (await readdir(path, { withFileTypes: true })).map((entry) => ({ name: entry.name, isFile: entry.isFile() }));
  return framesSetProblem(entries, async () => (await readManifest(join(path, MANIFEST_NAME))).names);
}

/** `frames/` → `frames`; `/` stays. */
export function withoutTrailingSeparators(path: string): string {
  if (parse(path).root === path) return path;
  return path.replace(sep === '/' ? /(?<=.)\/+$/ : /(?<=.)[\\/]+$/, '');
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Whether `path` is strictly inside `folder` (both real paths). */
function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

function entryKindOf(stats: Stats): EntryKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'folder';
  if (stats.isSymbolicLink()) return 'symbolic link';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'other';
}
