/** What happens when an output exists, and when two jobs run at once. */
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
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

  test('"overwrite" refuses, before any work, what Resonance could not have written there', async () => {
    await setSettings({ ifOutputExists: 'overwrite', width: 32, height: 32 });
    const folder = await newFolder('overwrite-protected');
    const wav = await fixtureIn(folder);
    // A folder of the user's where the frames would go.
    await mkdir(join(folder, 'pluck_frames'));
    await writeFile(join(folder, 'pluck_frames', 'notes.txt'), 'mine');
    const [encoded] = await encode(wav);
    assert.equal(encoded.outcome, 'failed');
    assert.equal(
      encoded.message,
      `${join(folder, 'pluck_frames')}: holds no resonance.json: Resonance replaces only a folder that holds a frames set and nothing else`,
    );
    assert.equal(await readFile(join(folder, 'pluck_frames', 'notes.txt'), 'utf8'), 'mine');

    // A folder where the WAV would go: never replaced by a file.
    await rm(join(folder, 'pluck_frames'), { recursive: true });
    const frames = await done(encode(wav));
    await mkdir(join(folder, 'pluck_frames.wav', 'sub'), { recursive: true });
    const [decoded] = await decode(frames);
    assert.equal(decoded.outcome, 'failed');
    assert.match(decoded.message ?? '', /pluck_frames\.wav: is a folder, and the output is a WAV file/);
    assert.deepEqual(await listing(join(folder, 'pluck_frames.wav')), ['sub']);
    // A link standing there: neither it nor what it points to is replaced.
    await rm(join(folder, 'pluck_frames.wav'), { recursive: true });
    await writeFile(join(folder, 'elsewhere.wav'), 'mine');
    await symlink('elsewhere.wav', join(folder, 'pluck_frames.wav'));
    const [linked] = await decode(frames);
    assert.equal(linked.outcome, 'failed');
    assert.match(linked.message ?? '', /pluck_frames\.wav: is a symbolic link: Resonance replaces neither a link nor what it points to$/);
    assert.equal(await readFile(join(folder, 'elsewhere.wav'), 'utf8'), 'mine');
    assert.deepEqual(await listing(folder), ['elsewhere.wav', 'pluck.wav', 'pluck_frames', 'pluck_frames.wav']);
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
