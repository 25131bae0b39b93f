/**
 * Decode image to WAV and Decode each image to WAV on a model's samples: images without metadata
 * inside a dataset's folder decode by its dataset.json, each to its own WAV.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import * as vscode from 'vscode';
import { dataChunk, FIXTURE, resetSettings, samplesInDataset } from './helpers';

interface SamplesReport {
  output: string;
  decoded: number;
  failed: number;
  parametersFrom: string;
}

suite('decoding generated samples', () => {
  teardown(resetSettings);

  test("each image of a samples folder inside a dataset becomes its own WAV, by the dataset's parameters; one image alone too", async () => {
    const { samples, bytesPerFrame } = await samplesInDataset('samples');
    const wav = await readFile(FIXTURE);
    const report = await vscode.commands.executeCommand<SamplesReport>('resonance.decodeEachImage', vscode.Uri.file(samples));
    assert.equal(report.decoded, 3);
    assert.equal(report.failed, 0);
    assert.match(report.parametersFrom, /dataset\.json$/);
    assert.deepEqual((await readdir(`${samples}_wav`)).sort(), ['sample_0.wav', 'sample_1.wav', 'sample_2.wav']);
    const first = dataChunk(await readFile(join(`${samples}_wav`, 'sample_0.wav')));
    assert.ok(first.equals(dataChunk(wav).subarray(0, bytesPerFrame)), "the first sample's WAV holds the first frame's audio");
    const one = await vscode.commands.executeCommand<SamplesReport>('resonance.decodeImage', vscode.Uri.file(join(samples, 'sample_1.png')));
    assert.equal(one.decoded, 1);
    assert.equal(one.output, join(samples, 'sample_1.wav'));
    assert.ok(dataChunk(await readFile(one.output)).equals(dataChunk(wav).subarray(bytesPerFrame, 2 * bytesPerFrame)));
  });
});
