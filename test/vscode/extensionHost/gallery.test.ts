/**
 * The samples gallery: Audition samples opens a folder of a model's samples in the gallery, and
 * its export writes the marked clips as WAVs through the codec, refusing to replace any file.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import * as vscode from 'vscode';
import { dataChunk, FIXTURE, resetSettings, samplesInDataset } from './helpers';

suite('samples gallery', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings();
  });

  test('Audition samples opens the folder as a gallery in the Resonance editor', async () => {
    const { samples } = await samplesInDataset('gallery');
    await vscode.commands.executeCommand('resonance.auditionSamples', vscode.Uri.file(samples));
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor is open');
    assert.equal(input.viewType, 'resonance.framesOpenWith');
    assert.equal(input.uri.fsPath, join(samples, 'sample_0.png'));
  });

  test('export writes the marked clips as WAVs by the dataset above, and refuses to replace one', async () => {
    const { samples, bytesPerFrame } = await samplesInDataset('gallery');
    const out = vscode.Uri.file(join(samples, '..', 'kept'));
    const result = await vscode.commands.executeCommand<{ written: number }>(
      'resonance.exportSamples',
      vscode.Uri.file(samples),
      ['sample_2.png', 'sample_0.png'],
      out,
    );
    assert.equal(result.written, 2);
    assert.deepEqual((await readdir(out.fsPath)).sort(), ['sample_0.wav', 'sample_2.wav']);
    const wav = await readFile(FIXTURE);
    assert.ok(dataChunk(await readFile(join(out.fsPath, 'sample_2.wav'))).equals(dataChunk(wav).subarray(2 * bytesPerFrame, 3 * bytesPerFrame)));
    const before = await readFile(join(out.fsPath, 'sample_0.wav'));
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('resonance.exportSamples', vscode.Uri.file(samples), ['sample_0.png', 'sample_1.png'], out)),
      /already exists/,
    );
    assert.deepEqual((await readdir(out.fsPath)).sort(), ['sample_0.wav', 'sample_2.wav'], 'nothing written when one output is taken');
    assert.ok((await readFile(join(out.fsPath, 'sample_0.wav'))).equals(before));
  });
});
