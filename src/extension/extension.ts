/** Entry point: activated lazily by the commands and the frames editor (see package.json). */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerFramesEditor } from './framesEditor';
import { JobRunner } from './jobs';
import { registerGalleryCommands } from './gallerySession';
import { useBundle } from './l10n';
import { registerSampleCommands } from './samplesCommands';

export function activate(context: vscode.ExtensionContext): void {
  useBundle(vscode.l10n.bundle);
  const log = vscode.window.createOutputChannel('Resonance', { log: true });
  context.subscriptions.push(
    log,
    registerCommands(new JobRunner(log), log),
    registerFramesEditor(context),
    registerSampleCommands(context, log),
    registerGalleryCommands(context),
  );
}

export function deactivate(): void {}
