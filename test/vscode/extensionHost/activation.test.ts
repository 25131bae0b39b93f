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

  test('every command a menu or a walkthrough step names is registered, and the walkthrough opens with its titles resolved', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: {
        menus: Record<string, Array<{ command: string }>>;
        walkthroughs: Array<{ id: string; title: string; steps: Array<{ description: string }> }>;
      };
    };
    const registered = await vscode.commands.getCommands(true);
    const named = [
      ...Object.values(manifest.contributes.menus).flatMap((items) => items.map((item) => item.command)),
      ...manifest.contributes.walkthroughs.flatMap((walkthrough) =>
        walkthrough.steps.flatMap((step) => [...step.description.matchAll(/\(command:([\w.-]+)/g)].map((m) => m[1])),
      ),
    ];
    assert.ok(named.includes(COMMAND.buildDataset));
    for (const id of new Set(named)) assert.ok(registered.includes(id), `${id} is registered`);
    // VS Code replaced the %keys% with package.nls.json's strings.
    assert.equal(manifest.contributes.walkthroughs[0].title, 'Get started with Resonance');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${manifest.contributes.walkthroughs[0].id}`, false);
  });
});
