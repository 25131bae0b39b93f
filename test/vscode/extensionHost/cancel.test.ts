/** Cancelling a job removes what it had written. */
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { suite, test, teardown } from 'mocha';
import * as vscode from 'vscode';
import { encode, listing, newFolder, resetSettings, setSettings } from './helpers';

// Required where it stands in the project: it is plain CommonJS, not compiled with this suite.
const { sawtoothWav } = require(resolve(__dirname, '../../../test/helpers/pcmWav.cjs')) as typeof import('../../helpers/pcmWav.cjs');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

suite('cancelling', () => {
  teardown(resetSettings);

  test('cancelling an encode part-way leaves nothing behind', async () => {
    // Small frames make many files: the job runs long enough to be caught writing.
    await setSettings({ width: 32, height: 32 });
    const folder = await newFolder('cancel');
    const wav = vscode.Uri.file(join(folder, 'big.wav'));
    await writeFile(wav.fsPath, sawtoothWav(24 * 1024 * 1024));
    const cancellation = new vscode.CancellationTokenSource();
    const running = encode(wav, [wav], { cancellation: cancellation.token });
    const partial = await waitFor('the partial output to hold frames', async () => {
      const name = (await readdir(folder)).find((entry) => entry.startsWith('.big_frames.partial-'));
      if (!name) return undefined;
      const frames = (await readdir(join(folder, name)).catch(() => [])).filter((entry) => entry.endsWith('.png'));
      return frames.length > 0 ? name : undefined;
    });
    cancellation.cancel();
    const reports = await running;
    assert.deepEqual(reports.map((report) => report.outcome), ['cancelled'], `the job was still running when cancelled (${partial})`);
    assert.deepEqual(await listing(folder), ['big.wav']);
  });

  test('a job cancelled before it starts writes nothing', async () => {
    const folder = await newFolder('cancel-early');
    const wav = vscode.Uri.file(join(folder, 'short.wav'));
    await writeFile(wav.fsPath, sawtoothWav(4000));
    const cancellation = new vscode.CancellationTokenSource();
    cancellation.cancel();
    const reports = await encode(wav, [wav], { cancellation: cancellation.token });
    assert.deepEqual(reports.map((report) => report.outcome), ['cancelled']);
    assert.deepEqual(await listing(folder), ['short.wav']);
  });
});
