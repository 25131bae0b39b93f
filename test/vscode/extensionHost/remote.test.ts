/**
 * Uris of other schemes (remote and virtual workspaces) go through vscode.workspace.fs: the same
 * commands on an in-memory file system give the same frames and the same bytes back.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { decode, done, encode, FIXTURE } from './helpers';
import { MemFs } from './memFs';

const SCHEME = 'resonance-test';

suite('other file systems', () => {
  const memFs = new MemFs();
  let registration: vscode.Disposable;
  const at = (path: string) => vscode.Uri.from({ scheme: SCHEME, path });
  const stagingFolders = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('resonance-')).sort();

  suiteSetup(async () => {
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, memFs, { isCaseSensitive: true });
    await vscode.workspace.fs.createDirectory(at('/music'));
    await vscode.workspace.fs.writeFile(at('/music/pluck.wav'), await readFile(FIXTURE));
  });

  suiteTeardown(() => registration.dispose());

  test('encode and decode round-trip through workspace.fs, leaving no temporary copies', async () => {
    const before = await stagingFolders();
    const frames = await done(encode(at('/music/pluck.wav')));
    assert.equal(frames.toString(), at('/music/pluck_frames').toString());
    const manifest = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(frames, 'resonance.json')))) as {
      frames: Array<{ file: string }>;
    };
    for (const { file } of manifest.frames) assert.ok(memFs.paths().includes(`/music/pluck_frames/${file}`), `${file} is in the in-memory folder`);

    const decoded = await done(decode(frames));
    assert.equal(decoded.toString(), at('/music/pluck_frames.wav').toString());
    assert.ok(Buffer.from(await vscode.workspace.fs.readFile(decoded)).equals(await readFile(FIXTURE)), 'the same bytes back');
    assert.deepEqual(memFs.paths().filter((path) => path.includes('.partial-')), [], 'no partial outputs left');
    assert.deepEqual(await stagingFolders(), before, 'no staging folders left');
  });

  test('"overwrite" through workspace.fs replaces a frames folder, but not a folder of the user\'s', async () => {
    await vscode.workspace.getConfiguration('resonance').update('ifOutputExists', 'overwrite', vscode.ConfigurationTarget.Global);
    try {
      await vscode.workspace.fs.createDirectory(at('/mine'));
      await vscode.workspace.fs.writeFile(at('/mine/pluck.wav'), await readFile(FIXTURE));
      await vscode.workspace.fs.createDirectory(at('/mine/pluck_frames'));
      await vscode.workspace.fs.writeFile(at('/mine/pluck_frames/notes.txt'), new TextEncoder().encode('mine'));
      const [refused] = await encode(at('/mine/pluck.wav'));
      assert.equal(refused.outcome, 'failed');
      assert.equal(
        refused.message,
        `${at('/mine/pluck_frames').toString(true)}: holds no resonance.json: Resonance replaces only a folder that holds a frames set and nothing else`,
      );
      assert.ok(memFs.paths().includes('/mine/pluck_frames/notes.txt'));
      await vscode.workspace.fs.delete(at('/mine/pluck_frames/notes.txt'));
      // Now empty: nothing to lose, replaced; then a frames folder, replaced again.
      await done(encode(at('/mine/pluck.wav')));
      await done(encode(at('/mine/pluck.wav')));
      assert.deepEqual(memFs.paths().filter((path) => path.includes('.partial-')), []);
    } finally {
      await vscode.workspace.getConfiguration('resonance').update('ifOutputExists', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a failure names the file by its Uri, not by a temporary path', async () => {
    await vscode.workspace.fs.createDirectory(at('/broken_frames'));
    await vscode.workspace.fs.writeFile(at('/broken_frames/frame_0.png'), new TextEncoder().encode('not a png'));
    const [report] = await decode(at('/broken_frames'));
    assert.equal(report.outcome, 'failed');
    assert.match(report.message ?? '', new RegExp(`^${SCHEME}:/broken_frames/frame_0\\.png: `));
    assert.ok(!memFs.paths().some((path) => path.startsWith('/broken_frames.wav') || path.includes('.partial-')));
  });
});
