/** Preview frames opens the frames editor (resonance.frames) on a folder's manifest. */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { COMMAND, done, encode, EXTENSION_ID, fixtureIn, FRAMES_VIEW_TYPE, newFolder } from './helpers';

interface CustomEditorContribution {
  viewType: string;
  selector: Array<{ filenamePattern: string }>;
  priority?: string;
}

suite('preview', () => {
  test('the frames editor is the default editor of resonance.json', () => {
    const editors = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.customEditors as CustomEditorContribution[];
    const frames = editors.find((editor) => editor.viewType === FRAMES_VIEW_TYPE);
    assert.ok(frames, `${FRAMES_VIEW_TYPE} is contributed`);
    assert.deepEqual(frames.selector, [{ filenamePattern: 'resonance.json' }]);
    assert.equal(frames.priority, 'default');
  });

  test('Preview frames on a frames folder opens its resonance.json in the frames editor', async () => {
    const frames = await done(encode(await fixtureIn(await newFolder('preview'))));
    await vscode.commands.executeCommand(COMMAND.preview, frames);
    const deadline = Date.now() + 20_000;
    let input: unknown;
    while (Date.now() < deadline) {
      input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      if (input instanceof vscode.TabInputCustom) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor is active');
    assert.equal(input.viewType, FRAMES_VIEW_TYPE);
    assert.equal(input.uri.toString(), vscode.Uri.joinPath(frames, 'resonance.json').toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
