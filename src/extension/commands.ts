/**
 * The commands. From the Explorer they get the clicked resource and the selection; from the
 * Command Palette nothing, and then they ask with an open dialog. Inputs of the wrong kind in a
 * mixed selection are left out and logged.
 */
import * as vscode from 'vscode';
import { frameNamesOf, MANIFEST_NAME } from '../codec';
import { FRAMES_VIEW_TYPE } from '../shared/protocol';
import { COMMAND } from './commandIds';
import { buildDatasetCommand } from './datasetCommand';
import { display, type JobReport, type JobRunner, type RunOptions } from './jobs';
import type { JobKind } from './outputNames';
import { fileTypeOf, isWav } from './uris';

/** Registers the commands; disposing the result unregisters them. */
export function registerCommands(runner: JobRunner, log: vscode.LogOutputChannel): vscode.Disposable {
  const job =
    (kind: JobKind) =>
    async (clicked?: unknown, selected?: unknown, options?: unknown): Promise<JobReport[]> => {
      const inputs = await inputsFor(kind, clicked, selected, log);
      return inputs.length === 0 ? [] : runner.run(kind, inputs, runOptionsFrom(options));
    };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND.encode, job('encode')),
    vscode.commands.registerCommand(COMMAND.decode, job('decode')),
    vscode.commands.registerCommand(COMMAND.preview, (target?: unknown) => previewFrames(target)),
    vscode.commands.registerCommand(COMMAND.buildDataset, (clicked?: unknown, selected?: unknown, options?: unknown) =>
      buildDatasetCommand(log, clicked, selected, options),
    ),
  );
}

/** The explorer passes (clicked, selection); other callers pass one Uri or nothing. */
function givenUris(clicked: unknown, selected: unknown): vscode.Uri[] {
  const uris =
    Array.isArray(selected) && selected.length > 0 && selected.every((each) => each instanceof vscode.Uri)
      ? selected
      : clicked instanceof vscode.Uri
        ? [clicked]
        : [];
  return [...new Map(uris.map((uri) => [uri.toString(), uri])).values()];
}

async function inputsFor(kind: JobKind, clicked: unknown, selected: unknown, log: vscode.LogOutputChannel): Promise<vscode.Uri[]> {
  const given = givenUris(clicked, selected);
  if (given.length === 0) return (await askForInputs(kind)) ?? [];
  const accepted: vscode.Uri[] = [];
  const rejected: string[] = [];
  for (const uri of given) {
    const type = await fileTypeOf(uri);
    const fits =
      kind === 'encode'
        ? type !== undefined && (type & vscode.FileType.File) !== 0 && isWav(uri)
        : type !== undefined && (type & vscode.FileType.Directory) !== 0;
    if (fits) accepted.push(uri);
    else rejected.push(display(uri));
  }
  const expected = kind === 'encode' ? vscode.l10n.t('a WAV file') : vscode.l10n.t('a folder of frames');
  for (const each of rejected) log.info(`${kind}: left out ${each}, which is not ${expected}`);
  if (accepted.length === 0) void vscode.window.showErrorMessage(vscode.l10n.t('{0}: is not {1}.', rejected[0], expected));
  return accepted;
}

async function askForInputs(kind: JobKind): Promise<vscode.Uri[] | undefined> {
  const defaultUri = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (kind === 'encode') {
    return vscode.window.showOpenDialog({
      title: vscode.l10n.t('Encode WAV files to images'),
      openLabel: vscode.l10n.t('Encode to images'),
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: true,
      filters: { [vscode.l10n.t('WAV audio')]: ['wav', 'WAV'] },
      defaultUri,
    });
  }
  return vscode.window.showOpenDialog({
    title: vscode.l10n.t('Decode folders of frames to WAV'),
    openLabel: vscode.l10n.t('Decode to WAV'),
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: true,
    defaultUri,
  });
}

function runOptionsFrom(value: unknown): RunOptions {
  const cancellation = (value as RunOptions | undefined)?.cancellation;
  return cancellation && typeof cancellation.onCancellationRequested === 'function' ? { cancellation } : {};
}

/**
 * Opens the frames editor on a folder (through its manifest, or its first frame when it has none),
 * on a manifest, a PNG or a WAV.
 */
async function previewFrames(target: unknown): Promise<void> {
  const uri =
    target instanceof vscode.Uri
      ? target
      : (
          await vscode.window.showOpenDialog({
            title: vscode.l10n.t('Preview a folder of frames'),
            openLabel: vscode.l10n.t('Preview frames'),
            canSelectFiles: false,
            canSelectFolders: true,
            canSelectMany: false,
            defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
          })
        )?.[0];
  if (!uri) return;
  const type = await fileTypeOf(uri);
  if (type === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: no such file or folder', display(uri)));
    return;
  }
  let document = uri;
  if (type & vscode.FileType.Directory && (await fileTypeOf(vscode.Uri.joinPath(uri, MANIFEST_NAME))) !== undefined) {
    // The usual case: no need to list a folder of thousands of frames to find its manifest.
    document = vscode.Uri.joinPath(uri, MANIFEST_NAME);
  } else if (type & vscode.FileType.Directory) {
    const entries = await vscode.workspace.fs.readDirectory(uri);
    const files = entries.filter(([, entryType]) => entryType & vscode.FileType.File).map(([name]) => name);
    const frames = frameNamesOf(files);
    const first = frames[0];
    if (first === undefined) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0}: holds no frames to preview (no {1} and no PNG files)', display(uri), MANIFEST_NAME));
      return;
    }
    document = vscode.Uri.joinPath(uri, first);
  }
  await vscode.commands.executeCommand('vscode.openWith', document, FRAMES_VIEW_TYPE);
}
