/**
 * The samples gallery: Audition samples opens a folder of a model's samples in the gallery, and
 * its export writes the marked clips as WAVs through the codec, refusing to replace any file.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';
import { dataChunk, done, encode, FIXTURE, fixtureIn, manifestOf, newFolder, resetSettings, setSettings } from './helpers';

suite('samples gallery', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings();
  });

  async function samplesFolder(): Promise<{ samples: string; bytesPerFrame: number }> {
    await setSettings({ width: 32, height: 32, pixelExpansion: 1, layout: 'planes' });
    const folder = await newFolder('gallery');
    const frames = await done(encode(await fixtureIn(folder)));
    const manifest = await manifestOf(frames);
    const audio = { sampleFormat: 's16', channels: 2, sampleRate: 44100, bitsPerSample: 16, blockAlign: 4 };
    await writeFile(
      join(folder, 'dataset.json'),
      JSON.stringify({
        format: 'resonance-dataset',
        version: 1,
        audio,
        geometry: { width: 32, height: 32, expansion: 1 },
        layout: 'planes',
        clip: { bytes: manifest.bytesPerFrame },
      }),
    );
    const samples = join(folder, 'samples');
    await mkdir(samples);
    for (const [i, frame] of manifest.frames.slice(0, 3).entries()) {
      const png = PNG.sync.read(await readFile(join(frames.fsPath, frame.file)));
      await writeFile(join(samples, `sample_${i}.png`), PNG.sync.write(png, { colorType: 2 }));
    }
    return { samples, bytesPerFrame: manifest.bytesPerFrame };
  }

  test('Audition samples opens the folder as a gallery in the Resonance editor', async () => {
    const { samples } = await samplesFolder();
    await vscode.commands.executeCommand('resonance.auditionSamples', vscode.Uri.file(samples));
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor is open');
    assert.equal(input.viewType, 'resonance.framesOpenWith');
    assert.equal(input.uri.fsPath, join(samples, 'sample_0.png'));
  });

  test('export writes the marked clips as WAVs by the dataset above, and refuses to replace one', async () => {
    const { samples, bytesPerFrame } = await samplesFolder();
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
