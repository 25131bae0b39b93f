/** Small Uri helpers that work for every scheme, through `vscode.workspace.fs`. */
import { posix } from 'node:path';
import * as vscode from 'vscode';

export function nameOf(uri: vscode.Uri): string {
  return posix.basename(uri.path);
}

export function parentOf(uri: vscode.Uri): vscode.Uri {
  return uri.with({ path: posix.dirname(uri.path) });
}

/** What is at `uri`, or undefined when nothing is. */
export async function fileTypeOf(uri: vscode.Uri): Promise<vscode.FileType | undefined> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type;
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  return (await fileTypeOf(uri)) !== undefined;
}

export function isWav(uri: vscode.Uri): boolean {
  return /\.wav$/i.test(uri.path);
}
