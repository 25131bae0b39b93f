/** Build training dataset…: a folder of WAVs in, a dataset folder beside it, through the command's real quick pick. */
import assert from 'node:assert/strict';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import * as vscode from 'vscode';
import { COMMAND, FIXTURE, newFolder, resetSettings, setSettings } from './helpers';

interface DatasetReport {
  outcome: string;
  output?: vscode.Uri;
  message?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the command and drives its quick picks with the workbench's own commands, one per step, as keys would. */
async function buildThroughPicks(target: vscode.Uri, steps: string[], options?: unknown): Promise<DatasetReport> {
  let settled = false;
  const report = Promise.resolve(vscode.commands.executeCommand<DatasetReport>(COMMAND.buildDataset, target, [target], options)).finally(
    () => (settled = true),
  );
  for (const step of steps) {
    await pause(400);
    if (settled) break;
    await vscode.commands.executeCommand(step);
  }
  return report;
}

const ACCEPT = 'workbench.action.acceptSelectedQuickOpenItem';
const NEXT = 'workbench.action.quickOpenSelectNext';

async function corpus(name: string): Promise<vscode.Uri> {
  const folder = await newFolder(name);
  const corpusFolder = join(folder, 'corpus');
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(corpusFolder));
  await copyFile(FIXTURE, join(corpusFolder, 'one.wav'));
  await copyFile(join(FIXTURE, '..', 'pluck-pcm24.wav'), join(corpusFolder, 'two.WAV'));
  return vscode.Uri.file(corpusFolder);
}

suite('build training dataset', () => {
  teardown(resetSettings);

  test('Enter in the quick pick builds with the dataset settings, beside the folder, converting a mixed corpus to the target', async () => {
    await setSettings({ 'dataset.size': 64, 'dataset.sampleFormat': 's16', 'dataset.sampleRate': 16000, 'dataset.channels': 1 });
    const input = await corpus('dataset');
    const report = await buildThroughPicks(input, [ACCEPT]);
    assert.equal(report.outcome, 'done', report.message);
    assert.equal(report.output?.fsPath, `${input.fsPath}_dataset`);
    const description = JSON.parse(await readFile(join(report.output.fsPath, 'dataset.json'), 'utf8'));
    assert.deepEqual(description.geometry, { width: 64, height: 64, expansion: 1 });
    assert.equal(description.layout, 'planes');
    assert.deepEqual([description.audio.sampleFormat, description.audio.channels, description.audio.sampleRate], ['s16', 1, 16000]);
    assert.equal(description.sources.used, 2);
    const images = (await readdir(join(report.output.fsPath, 'train'))).filter((name) => name.endsWith('.png'));
    assert.equal(images.length, description.images);
    const metadata = (await readFile(join(report.output.fsPath, 'train', 'metadata.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(metadata.length, images.length);
    assert.match(report.message ?? '', new RegExp(`^Built corpus_dataset: ${images.length} images of 64 × 64 from 2 sources\\.$`));
  });

  test('the quick pick changes the image size for this build only', async () => {
    await setSettings({ 'dataset.size': 64, 'dataset.sampleFormat': 's16', 'dataset.sampleRate': 11025, 'dataset.channels': 2 });
    const input = await corpus('dataset-size');
    // Down to "Image size…", accept; the sizes list the current (64) first: down to 128, accept; then Build.
    const report = await buildThroughPicks(input, [NEXT, ACCEPT, NEXT, ACCEPT, ACCEPT]);
    assert.equal(report.outcome, 'done', report.message);
    const description = JSON.parse(await readFile(join(report.output!.fsPath, 'dataset.json'), 'utf8'));
    assert.deepEqual(description.geometry, { width: 128, height: 128, expansion: 1 });
    assert.equal(vscode.workspace.getConfiguration('resonance').get('dataset.size'), 64);
  });

  test('a mixed corpus with no target format set is refused before anything is written, listing the formats', async () => {
    const input = await corpus('dataset-mixed');
    const report = await buildThroughPicks(input, [ACCEPT]);
    assert.equal(report.outcome, 'failed');
    assert.match(report.message ?? '', /s16.*s24|s24.*s16/);
    assert.deepEqual(await readdir(join(input.fsPath, '..')), ['corpus']);
  });

  test('a cancelled build says so', async () => {
    await setSettings({ 'dataset.size': 64, 'dataset.sampleFormat': 's16', 'dataset.sampleRate': 16000, 'dataset.channels': 1 });
    const input = await corpus('dataset-cancel');
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const report = await buildThroughPicks(input, [ACCEPT], { cancellation: source.token });
    assert.equal(report.outcome, 'cancelled');
  });

  test('settings that cannot make a dataset are refused with the setting named', async () => {
    await setSettings({ 'dataset.size': 100, 'dataset.expansion': 3 });
    const report = await vscode.commands.executeCommand<DatasetReport>(COMMAND.buildDataset, await corpus('dataset-refused'));
    assert.equal(report.outcome, 'refused');
    assert.match(report.message ?? '', /resonance\.dataset\.size or resonance\.dataset\.expansion/);
  });
});
