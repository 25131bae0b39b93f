/**
 * Decode image to WAV and Decode each image to WAV on a model's samples: images without metadata
 * inside a dataset's folder decode by its dataset.json, each to its own WAV.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';
import { dataChunk, done, encode, FIXTURE, fixtureIn, manifestOf, newFolder, resetSettings, setSettings } from './helpers';

interface SamplesReport {
  output: string;
  decoded: number;
  failed: number;
  parametersFrom: string;
}

suite('decoding generated samples', () => {
  teardown(resetSettings);

  test("each image of a samples folder inside a dataset becomes its own WAV, by the dataset's parameters; one image alone too", async () => {
    await setSettings({ width: 32, height: 32, pixelExpansion: 1, layout: 'planes' });
    const folder = await newFolder('samples');
    const frames = await done(encode(await fixtureIn(folder)));
    const manifest = await manifestOf(frames);
    const wav = await readFile(FIXTURE);
    // A dataset.json as `resonance dataset build` writes it, for the fixture's format (s16 stereo 44.1 kHz).
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
      // Re-saved without the text chunk, as a model's pipeline writes images.
      const png = PNG.sync.read(await readFile(join(frames.fsPath, frame.file)));
      await writeFile(join(samples, `sample_${i}.png`), PNG.sync.write(png, { colorType: 2 }));
    }
    const report = await vscode.commands.executeCommand<SamplesReport>('resonance.decodeEachImage', vscode.Uri.file(samples));
    assert.equal(report.decoded, 3);
    assert.equal(report.failed, 0);
    assert.match(report.parametersFrom, /dataset\.json$/);
    assert.deepEqual((await readdir(`${samples}_wav`)).sort(), ['sample_0.wav', 'sample_1.wav', 'sample_2.wav']);
    const first = dataChunk(await readFile(join(`${samples}_wav`, 'sample_0.wav')));
    assert.ok(first.equals(dataChunk(wav).subarray(0, manifest.bytesPerFrame)), "the first sample's WAV holds the first frame's audio");
    const one = await vscode.commands.executeCommand<SamplesReport>('resonance.decodeImage', vscode.Uri.file(join(samples, 'sample_1.png')));
    assert.equal(one.decoded, 1);
    assert.equal(one.output, join(samples, 'sample_1.wav'));
    assert.ok(dataChunk(await readFile(one.output)).equals(dataChunk(wav).subarray(manifest.bytesPerFrame, 2 * manifest.bytesPerFrame)));
  });
});
