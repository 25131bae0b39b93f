/** Runs first (files run in name order): the extension must not be active before it is used. */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { COMMAND, encode, EXTENSION_ID, newFolder } from './helpers';

suite('activation', () => {
  test('is lazy: nothing activates the extension until one of its commands runs', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    assert.equal(extension.isActive, false);
  });

  test('a command activates it and registers every command', async () => {
    // A folder is not a WAV file: the command activates the extension, then leaves the folder out.
    const reports = await encode(vscode.Uri.file(await newFolder('not-a-wav')));
    assert.deepEqual(reports, []);
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const id of Object.values(COMMAND)) assert.ok(commands.includes(id), `${id} is registered`);
  });
});
