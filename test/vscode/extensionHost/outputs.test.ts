/** What happens when an output exists, and when two jobs run at once. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, test, teardown } from 'mocha';
import * as vscode from 'vscode';
import { decode, done, encode, FIXTURE, fixtureIn, listing, manifestOf, newFolder, resetSettings, sameBytes, setSettings } from './helpers';

suite('existing outputs and concurrent jobs', () => {
  teardown(resetSettings);

  test('"newName" keeps the existing output and numbers the new one', async () => {
    await setSettings({ ifOutputExists: 'newName' });
    const folder = await newFolder('new-name');
    const wav = await fixtureIn(folder);
    await done(encode(wav));
    assert.equal((await done(encode(wav))).fsPath, join(folder, 'pluck_frames (2)'));
    assert.equal((await done(encode(wav))).fsPath, join(folder, 'pluck_frames (3)'));
    // A file is numbered before its extension.
    const frames = vscode.Uri.file(join(folder, 'pluck_frames'));
    assert.equal((await done(decode(frames))).fsPath, join(folder, 'pluck_frames.wav'));
    assert.equal((await done(decode(frames))).fsPath, join(folder, 'pluck_frames (2).wav'));
    assert.deepEqual(await listing(folder), ['pluck.wav', 'pluck_frames', 'pluck_frames (2)', 'pluck_frames (2).wav', 'pluck_frames (3)', 'pluck_frames.wav']);
    await sameBytes(join(folder, 'pluck_frames (2).wav'), FIXTURE);
  });

  test('"overwrite" replaces the existing output once the new one is complete', async () => {
    await setSettings({ ifOutputExists: 'overwrite', width: 96, height: 96 });
    const folder = await newFolder('overwrite');
    const wav = await fixtureIn(folder);
    const frames = await done(encode(wav));
    assert.equal((await manifestOf(frames)).geometry.width, 96);
    await setSettings({ width: 48, height: 48 });
    assert.equal((await done(encode(wav))).fsPath, frames.fsPath);
    assert.equal((await manifestOf(frames)).geometry.width, 48);
    assert.deepEqual(await listing(folder), ['pluck.wav', 'pluck_frames']);
  });

  test('two jobs at once on the same WAV write two distinct outputs, each complete', async () => {
    await setSettings({ ifOutputExists: 'overwrite', width: 32, height: 32 });
    const folder = await newFolder('concurrent');
    const wav = await fixtureIn(folder);
    const outputs = await Promise.all([done(encode(wav)), done(encode(wav))]);
    assert.deepEqual(outputs.map((uri) => uri.fsPath).sort(), [join(folder, 'pluck_frames'), join(folder, 'pluck_frames (2)')]);
    const decoded = await Promise.all(outputs.map((frames) => done(decode(frames))));
    assert.deepEqual(decoded.map((uri) => uri.fsPath).sort(), [join(folder, 'pluck_frames (2).wav'), join(folder, 'pluck_frames.wav')]);
    for (const each of decoded) await sameBytes(each.fsPath, FIXTURE);
  });
});
