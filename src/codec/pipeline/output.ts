/**
 * How every output is written (a decoded WAV, a frames folder, a playback copy, the dataset's
 * files): it appears whole or not at all, and replaces nothing it was not allowed to.
 *
 * - Before any work, the target is checked: its folder must exist, and what stands at the target
 *   must be something Resonance may replace (../files/outputTargets.ts) and, without `overwrite`,
 *   nothing at all. Partial outputs that killed runs of this host left for the same target are
 *   removed.
 * - The output is written under a hidden partial name beside the target,
 *   `.NAME.partial-HOST-PID-RANDOM`, on the same file system; failure or cancellation removes it.
 * - The last step itself refuses to replace, whatever happens in between: a file is hard-linked to
 *   its name (which fails when the name exists), a folder is renamed onto an empty folder it has
 *   just claimed with mkdir (which fails when the name exists). With `overwrite`, a file is renamed
 *   over the old one in one step; a folder's predecessor is renamed aside first, then removed.
 * docs/decisions.md, section 6, gives the reasons and what each kind of crash leaves.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ResonanceError, type ErrorCode } from '../format/errors';
import { replaceProblem, withoutTrailingSeparators, type OutputKind } from '../files/outputTargets';
import { exists, toResonanceError } from '../files/systemErrors';

export interface OutputRequest {
  /** Where the output goes, as the user named it: errors name this path. */
  target: string;
  /** Replace what stands at the target, if it is something Resonance may replace. */
  overwrite: boolean;
  /** The files and folders the job reads: never replaced, nor anything holding them or inside them. */
  reads: readonly string[];
}

/** A file output being written: a partial file, open for reading and writing. */
export interface PartialFile {
  readonly path: string;
  readonly handle: FileHandle;
}

/** A folder output being written: a partial folder, created empty. */
export interface PartialFolder {
  readonly path: string;
}

export interface Output<P> {
  readonly target: string;
  /**
   * Runs `fill` on the partial output and, when it succeeds, gives the output its name. Whatever
   * fails, the partial is removed and the error rethrown; an error about the partial names the
   * target instead, so that no one reads a hidden name.
   */
  write<T>(fill: (partial: P) => Promise<T>): Promise<T>;
}

/** The output exists and the caller did not allow replacing it; the CLI and the extension ask or advise. */
function outputExistsError(path: string): ResonanceError {
  return new ResonanceError('OUTPUT_EXISTS', path, 'already exists');
}

export async function openFileOutput(request: OutputRequest): Promise<Output<PartialFile>> {
  const path = await checkTarget(request, 'file');
  return {
    target: request.target,
    write: (fill) =>
      writeThrough(request.target, path, async (partial) => {
        const handle = await open(partial, 'wx+');
        let result;
        try {
          result = await fill({ path: partial, handle });
        } catch (error) {
          await handle.close().catch(() => undefined);
          throw error;
        }
        // Some file systems (NFS) report a full disk only here.
        await handle.close();
        await commitFile(partial, path, request);
        return result;
      }),
  };
}

export async function openFolderOutput(request: OutputRequest): Promise<Output<PartialFolder>> {
  const path = await checkTarget(request, 'folder');
  return {
    target: request.target,
    write: (fill) =>
      writeThrough(request.target, path, async (partial) => {
        await mkdir(partial);
        const result = await fill({ path: partial });
        await commitFolder(partial, path, request);
        return result;
      }),
  };
}

/** Everything that can be refused is refused here, before any work; returns the target without a trailing separator. */
async function checkTarget(request: OutputRequest, kind: OutputKind): Promise<string> {
  const { target } = request;
  const path = withoutTrailingSeparators(target);
  if (kind === 'file' && path !== target) {
    // "-o out/": a folder to write in, it seems; a WAV output needs its file's name.
    const stats = await stat(path).catch(() => undefined);
    if (!stats)
      throw new ResonanceError('OUTPUT_FOLDER_MISSING', target, "no such folder, and the output is a WAV file: give the file's name, in a folder that exists");
    if (!stats.isDirectory())
      throw new ResonanceError('NOT_A_FOLDER', target, "is not a folder, and the output is a WAV file: give the file's name without the final separator");
  }
  // Checked first so that the error names the user's folder, not the hidden partial name inside it.
  await assertFolder(dirname(path));
  // Before the target is looked at: a partial removed may give an output back its name.
  await removeStalePartials(path);
  const problem = await replaceProblem(path, kind, request.reads);
  if (problem) throw new ResonanceError('OUTPUT_PROTECTED', target, problem);
  if (!request.overwrite && (await exists(path))) throw outputExistsError(target);
  return path;
}

async function assertFolder(folder: string): Promise<void> {
  let stats;
  try {
    stats = await stat(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ResonanceError('OUTPUT_FOLDER_MISSING', folder, 'no such folder to write the output in');
    throw error;
  }
  if (!stats.isDirectory()) throw new ResonanceError('NOT_A_FOLDER', folder, 'is a file, not a folder to write the output in');
}

async function writeThrough<T>(target: string, path: string, write: (partial: string) => Promise<T>): Promise<T> {
  const partial = partialPathFor(path);
  try {
    return await write(partial);
  } catch (error) {
    // The partial is removed whatever failed; a failure to remove it must not hide why.
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw aboutTarget(error, partial, target);
  }
}

// Hard links are missing on FAT and exFAT (EPERM) and on some network and FUSE file systems.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

async function commitFile(partial: string, path: string, request: OutputRequest): Promise<void> {
  if (request.overwrite) {
    // Checked again at the last moment: something else may have taken the name since the start.
    await assertReplaceable(path, 'file', request);
    // One rename replaces a file in one step: the old output or the new one, at every instant.
    await rename(partial, path).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EISDIR' || error.code === 'ENOTEMPTY') await assertReplaceable(path, 'file', request);
      throw error;
    });
    return;
  }
  try {
    await link(partial, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw outputExistsError(request.target);
    if (!NO_HARD_LINKS.has(code)) throw error;
    // Without hard links: claim the name with an exclusive create, then rename over the claim.
    // The name then holds an empty file for an instant, and after a crash in that instant.
    const claimed = await open(path, 'wx').catch((claimError: NodeJS.ErrnoException) => {
      throw claimError.code === 'EEXIST' ? outputExistsError(request.target) : claimError;
    });
    await claimed.close();
    await rename(partial, path);
    return;
  }
  // The output has its name; a partial name left by a failure here is removed by a later run.
  await unlink(partial).catch(() => undefined);
}

/** Tries this often when other jobs keep taking the name between the steps of a forced replace. */
const FORCED_ATTEMPTS = 10;

async function commitFolder(partial: string, path: string, request: OutputRequest): Promise<void> {
  for (let attempt = 0; attempt < FORCED_ATTEMPTS; attempt++) {
    if (request.overwrite && (await exists(path))) {
      await assertReplaceable(path, 'folder', request);
      const aside = `${partial}.old`;
      // Two renames: in between, the old output is complete under `aside`, the new under `partial`.
      try {
        await rename(path, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // another job moved it first
        throw error;
      }
      let placed = true;
      try {
        await rename(partial, path);
      } catch (error) {
        if (!isTaken(error)) {
          await rename(aside, path).catch(() => undefined);
          throw error;
        }
        // Another job's output arrived in between: the one moved aside was being replaced anyway.
        placed = false;
      }
      await rm(aside, { recursive: true, force: true });
      if (placed) return;
      continue;
    }
    try {
      await mkdir(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (request.overwrite) continue;
      throw outputExistsError(request.target);
    }
    try {
      // A rename replaces an empty folder (the one just claimed) but never a folder with anything in it.
      await rename(partial, path);
      return;
    } catch (error) {
      await rmdir(path).catch(() => undefined);
      if (!isTaken(error)) throw error;
      if (!request.overwrite) throw outputExistsError(request.target);
    }
  }
  throw outputExistsError(request.target);
}

function isTaken(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST';
}

async function assertReplaceable(path: string, kind: OutputKind, request: OutputRequest): Promise<void> {
  const problem = await replaceProblem(path, kind, request.reads);
  if (problem) throw new ResonanceError('OUTPUT_PROTECTED', request.target, problem);
}

// Writes fail without naming a file when the descriptor is all the system call had.
const PATHLESS_WRITE_ERRORS = new Set<ErrorCode>(['NO_SPACE', 'READ_ONLY']);

const WRITE_PROBLEMS: Partial<Record<ErrorCode, string>> = {
  READ_ONLY: 'cannot be written: the file system is read-only',
  PERMISSION_DENIED: 'cannot be written: permission denied',
};

/** An error about the partial output, or a pathless one that can only be the writing's, as one about the target. */
function aboutTarget(error: unknown, partial: string, target: string): unknown {
  const system = error as NodeJS.ErrnoException | undefined;
  const isSystemError = typeof system?.code === 'string' && typeof system.syscall === 'string';
  if (!(error instanceof ResonanceError) && !isSystemError) return error;
  const coded = toResonanceError(error);
  const aboutPartial = coded.file.startsWith(partial) || (coded.file === '' && PATHLESS_WRITE_ERRORS.has(coded.code));
  if (!aboutPartial) return error;
  return new ResonanceError(coded.code, target, WRITE_PROBLEMS[coded.code] ?? `cannot be written: ${coded.problem}`);
}

// Partial names: `.NAME.partial-HOST-PID-RANDOM`, and `….old` for an output being replaced. The
// host and process let a run tell which partials are of a process of its own host that is gone
// (a file system may be shared by several machines); nothing else is ever removed.

const HOST = encodeURIComponent(hostname());
const PARTIAL_TAIL = /^(\d+)-[0-9a-f]{8}(\.old)?$/;
/** Bytes a file name may have on common file systems (NAME_MAX). */
const MAX_NAME_BYTES = 255;

/** `.NAME.partial-HOST-`, NAME cut short enough for the longest name made from it to fit. */
function partialPrefix(name: string): string {
  const fixed = `..partial-${HOST}-${'9'.repeat(10)}-${'f'.repeat(8)}.old`;
  let kept = name;
  while (kept.length > 0 && Buffer.byteLength(kept) + Buffer.byteLength(fixed) > MAX_NAME_BYTES) kept = [...kept].slice(0, -1).join('');
  return `.${kept}.partial-${HOST}-`;
}

/** The partial name to write `path` under: for outputs of their own, such as a dataset's files. */
export function partialPathFor(path: string): string {
  return join(dirname(path), `${partialPrefix(basename(path))}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Writes one small output file whole, synchronously, for workers that write many (a dataset's
 * images, the WAVs of generated samples): under a partial name, then given its name by the same
 * last step as openFileOutput's, which never replaces unless `replace`. The caller has checked,
 * before any work, that a name it may replace holds something Resonance may replace.
 */
export function writeWholeFileSync(path: string, bytes: Uint8Array, replace: boolean): void {
  const partial = partialPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(partial, 'wx');
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    closeSync(fd);
    fd = undefined;
    if (replace) renameSync(partial, path);
    else giveNameSync(partial, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(partial, { force: true });
    throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? outputExistsError(path) : aboutTarget(toResonanceError(error, partial), partial, path);
  }
}

function giveNameSync(partial: string, path: string): void {
  try {
    linkSync(partial, path);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    closeSync(openSync(path, 'wx'));
    renameSync(partial, path);
    return;
  }
  unlinkSync(partial);
}

const ANY_PARTIAL = new RegExp(`^\\..+\\.partial-${HOST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)-[0-9a-f]{8}$`);

/**
 * Removes, in `folder`, every partial of this host whose process is gone: for a writer of many
 * files into one folder (a dataset), one clean-up per folder instead of one per file.
 */
export async function removeStalePartialsIn(folder: string): Promise<void> {
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const match = ANY_PARTIAL.exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    await rm(join(folder, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Removes what killed runs of this host left for `path`: partials whose process is gone. A
 * folder a `--force` replace had moved aside goes back to its name if that is still free.
 * Best effort: a partial that cannot be removed must not stop the job.
 */
async function removeStalePartials(path: string): Promise<void> {
  const folder = dirname(path);
  const prefix = partialPrefix(basename(path));
  const names = await readdir(folder).catch(() => []);
  for (const name of names) {
    const tail = name.startsWith(prefix) ? PARTIAL_TAIL.exec(name.slice(prefix.length)) : null;
    if (!tail || isRunning(Number(tail[1]))) continue;
    const stale = join(folder, name);
    try {
      if (tail[2] && !(await exists(path))) await rename(stale, path);
      else await rm(stale, { recursive: true, force: true });
    } catch {
      // Left for a later run, or for the user.
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
