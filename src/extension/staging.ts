/**
 * The codec works on local paths. A `file:` Uri is one already (the fast path). Any other scheme
 * (a virtual or remote file system the extension host cannot open directly) goes through
 * `vscode.workspace.fs`: the input is copied to a local temporary folder, the codec runs there, and
 * the output is copied back under a hidden name and renamed into place, so it appears whole or not
 * at all, as the codec's own outputs do.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import {
  CancelledError,
  entryKindProblem,
  MANIFEST_NAME,
  framesSetProblem,
  keptProblem,
  readManifest,
  replaceProblem,
  ResonanceError,
  type EntryKind,
  type FrameNames,
} from '../codec';
import type { JobKind } from './outputNames';
import { fileTypeOf, nameOf, parentOf } from './uris';

/** A job's input and output as paths the codec can use. */
export interface Stage {
  readonly inputPath: string;
  readonly outputPath: string;
  /** Whether the codec may replace what is at outputPath. */
  readonly codecOverwrite: boolean;
  /** Once the codec has succeeded: makes the output appear at its Uri. */
  publish(signal: AbortSignal): Promise<void>;
  /** Removes the temporary copies, whatever happened. */
  dispose(): Promise<void>;
  /** Rewrites temporary paths in a message into the Uris the user knows. */
  userFacing(message: string): string;
}

export function isLocal(uri: vscode.Uri): boolean {
  return uri.scheme === 'file';
}

/**
 * Why what stands at `target` may not be replaced by the job's output, or undefined when it may
 * (or nothing is there): the codec's rule for local files, the same rule through workspace.fs for others.
 */
export async function replaceProblemAt(kind: JobKind, input: vscode.Uri, target: vscode.Uri): Promise<string | undefined> {
  const outputKind = kind === 'encode' ? 'folder' : 'file';
  if (isLocal(input) && isLocal(target)) return replaceProblem(target.fsPath, outputKind, [input.fsPath]);
  const type = await fileTypeOf(target);
  if (type === undefined) return undefined;
  if (sameFileSystem(input, target)) {
    const within = (inner: vscode.Uri, outer: vscode.Uri) => inner.path.startsWith(outer.path.endsWith('/') ? outer.path : `${outer.path}/`);
    if (target.path === input.path) return keptProblem('is', 'the input of this job');
    if (within(input, target)) return keptProblem('holds', `${input.toString(true)}, the input of this job`);
    if (kind === 'decode' && within(target, input)) return keptProblem('is inside', `${input.toString(true)}, the input of this job`);
  }
  const problem = entryKindProblem(outputKind, entryKindOf(type));
  if (problem || outputKind === 'file') return problem;
  const entries = (await vscode.workspace.fs.readDirectory(target)).map(([name, entryType]) => ({ name, isFile: entryType === vscode.FileType.File }));
  return framesSetProblem(entries, () => remoteManifestFrames(vscode.Uri.joinPath(target, MANIFEST_NAME)));
}

/** The frames a manifest on another file system lists: read through a local copy, as the codec reads only local files. */
async function remoteManifestFrames(manifest: vscode.Uri): Promise<FrameNames> {
  const folder = await mkdtemp(join(tmpdir(), 'resonance-manifest-'));
  try {
    const copy = join(folder, MANIFEST_NAME);
    await writeFile(copy, await vscode.workspace.fs.readFile(manifest));
    return (await readManifest(copy)).names;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function sameFileSystem(a: vscode.Uri, b: vscode.Uri): boolean {
  return a.scheme === b.scheme && a.authority === b.authority;
}

function entryKindOf(type: vscode.FileType): EntryKind {
  if (type & vscode.FileType.SymbolicLink) return 'symbolic link';
  if (type === vscode.FileType.File) return 'file';
  if (type === vscode.FileType.Directory) return 'folder';
  return 'other';
}

export async function stageJob(kind: JobKind, input: vscode.Uri, target: vscode.Uri, overwrite: boolean, signal: AbortSignal): Promise<Stage> {
  if (isLocal(input) && isLocal(target)) {
    return {
      inputPath: input.fsPath,
      outputPath: target.fsPath,
      codecOverwrite: overwrite,
      publish: async () => {},
      dispose: async () => {},
      userFacing: (message) => message,
    };
  }
  const temp = await mkdtemp(join(tmpdir(), 'resonance-'));
  const inputFolder = join(temp, 'in');
  const outputFolder = join(temp, 'out');
  const stage: Stage = {
    inputPath: join(inputFolder, nameOf(input)),
    outputPath: join(outputFolder, nameOf(target)),
    codecOverwrite: false,
    publish: (publishSignal) =>
      publish(stage.outputPath, target, overwrite, publishSignal, async () => {
        // Checked again at the last moment: something else may have taken the name since the start.
        const problem = overwrite ? await replaceProblemAt(kind, input, target) : undefined;
        if (problem) throw new ResonanceError('OUTPUT_PROTECTED', target.toString(true), problem);
      }),
    dispose: () => rm(temp, { recursive: true, force: true }),
    userFacing: (message) =>
      message
        .split(inputFolder + sep).join(withSlash(parentOf(input)))
        .split(outputFolder + sep).join(withSlash(parentOf(target))),
  };
  try {
    await mkdir(outputFolder, { recursive: true });
    if (kind === 'encode') await copyFileIn(input, stage.inputPath);
    else await copyFolderIn(input, stage.inputPath, signal);
    return stage;
  } catch (error) {
    await stage.dispose();
    throw error;
  }
}

function withSlash(uri: vscode.Uri): string {
  const text = uri.toString(true);
  return text.endsWith('/') ? text : `${text}/`;
}

async function copyFileIn(source: vscode.Uri, path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, await vscode.workspace.fs.readFile(source));
}

/** Copies the folder's files (not its subfolders: frames sit at the top level) to `path`. */
async function copyFolderIn(source: vscode.Uri, path: string, signal: AbortSignal): Promise<void> {
  await mkdir(path, { recursive: true });
  for (const [name, type] of await vscode.workspace.fs.readDirectory(source)) {
    if (signal.aborted) throw new CancelledError();
    if (type & vscode.FileType.File) await writeFile(join(path, name), await vscode.workspace.fs.readFile(vscode.Uri.joinPath(source, name)));
  }
}

/** Copies a local file or folder (one level deep) to `target` through a hidden partial name; `beforeRename` may still refuse. */
async function publish(localPath: string, target: vscode.Uri, overwrite: boolean, signal: AbortSignal, beforeRename: () => Promise<void>): Promise<void> {
  const partial = vscode.Uri.joinPath(parentOf(target), `.${nameOf(target)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    const entries = await readdir(localPath, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (entries === undefined) {
      await vscode.workspace.fs.writeFile(partial, await readFile(localPath));
    } else {
      await vscode.workspace.fs.createDirectory(partial);
      for (const entry of entries) {
        if (signal.aborted) throw new CancelledError();
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(partial, entry.name), await readFile(join(localPath, entry.name)));
      }
    }
    if (signal.aborted) throw new CancelledError();
    await beforeRename();
    await vscode.workspace.fs.rename(partial, target, { overwrite });
  } catch (error) {
    await vscode.workspace.fs.delete(partial, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    if (error instanceof vscode.FileSystemError && error.code === 'FileExists')
      throw new ResonanceError('OUTPUT_EXISTS', target.toString(true), 'already exists');
    throw error;
  }
}
