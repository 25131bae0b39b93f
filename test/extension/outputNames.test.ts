/** Output names and places: the codec's defaults, numbered names, the output folder setting, claims. */
import assert from 'node:assert/strict';
import { posix, win32 } from 'node:path';
import { describe, test } from 'node:test';
import { defaultOutputName, firstFreeName, outputFolderFor, OutputsInUse } from '../../src/extension/outputNames';

/** The `n`th name firstFreeName tries: the one it gives when the n - 1 before it are taken. */
function numberedName(name: string, n: number, isFile: boolean): Promise<string | undefined> {
  let asked = 0;
  return firstFreeName(name, isFile, () => ++asked < n);
}

describe('default output names', () => {
  test('match the codec and the CLI', () => {
    assert.equal(defaultOutputName('encode', 'song.wav'), 'song_frames');
    assert.equal(defaultOutputName('encode', 'Song.WAV'), 'Song_frames');
    assert.equal(defaultOutputName('encode', 'take.2.wav'), 'take.2_frames');
    assert.equal(defaultOutputName('decode', 'song_frames'), 'song_frames.wav');
    assert.equal(defaultOutputName('decode', 'song_frames (2)'), 'song_frames (2).wav');
  });
});

describe('numbered names', () => {
  test('number a folder after its whole name and a file before its extension', async () => {
    assert.equal(await numberedName('song_frames', 1, false), 'song_frames');
    assert.equal(await numberedName('song_frames', 2, false), 'song_frames (2)');
    assert.equal(await numberedName('take.2_frames', 3, false), 'take.2_frames (3)');
    assert.equal(await numberedName('song_frames.wav', 2, true), 'song_frames (2).wav');
    assert.equal(await numberedName('.hidden', 2, true), '.hidden (2)');
    assert.equal(await numberedName('noextension', 2, true), 'noextension (2)');
  });

  test('the first free name skips every taken one, whether on disk or claimed', async () => {
    const taken = new Set(['song_frames', 'song_frames (2)', 'song_frames (4)']);
    assert.equal(await firstFreeName('song_frames', false, (name) => taken.has(name)), 'song_frames (3)');
    assert.equal(await firstFreeName('song_frames.wav', true, async () => false), 'song_frames.wav');
  });

  test('gives up after 9,999 names rather than loop for ever', async () => {
    let asked = 0;
    const all = await firstFreeName('x', false, () => {
      asked++;
      return true;
    });
    assert.equal(all, undefined);
    assert.equal(asked, 9999);
  });
});

describe('output folder setting', () => {
  const local = { inputFolder: '/data/audio', workspaceFolder: '/data', home: '/home/me', path: posix };

  test('empty: beside the input', () => {
    assert.equal(outputFolderFor('', local), '/data/audio');
  });

  test('relative: against the workspace folder, or the input folder outside any workspace', () => {
    assert.equal(outputFolderFor('frames', local), '/data/frames');
    assert.equal(outputFolderFor('../out/./frames', local), '/out/frames');
    assert.equal(outputFolderFor('frames', { ...local, workspaceFolder: undefined }), '/data/audio/frames');
  });

  test('absolute and home-relative paths are used as they are', () => {
    assert.equal(outputFolderFor('/srv/frames/', local), '/srv/frames/');
    assert.equal(outputFolderFor('~/datasets', local), '/home/me/datasets');
    assert.equal(outputFolderFor('~', local), '/home/me');
  });

  test('`~` is an ordinary name where there is no home (other file systems)', () => {
    assert.equal(outputFolderFor('~/datasets', { ...local, home: undefined }), '/data/~/datasets');
  });

  test('Windows paths follow Windows rules', () => {
    const windows = { inputFolder: 'C:\\data\\audio', workspaceFolder: 'C:\\data', home: 'C:\\Users\\me', path: win32 };
    assert.equal(outputFolderFor('D:\\frames', windows), 'D:\\frames');
    assert.equal(outputFolderFor('frames\\out', windows), 'C:\\data\\frames\\out');
    assert.equal(outputFolderFor('~\\datasets', windows), 'C:\\Users\\me\\datasets');
  });
});

describe('outputs in use', () => {
  test('a claimed output cannot be claimed again until it is released', () => {
    const inUse = new OutputsInUse();
    assert.equal(inUse.claim('file:///a/song_frames'), true);
    assert.equal(inUse.has('file:///a/song_frames'), true);
    assert.equal(inUse.claim('file:///a/song_frames'), false);
    inUse.release('file:///a/song_frames');
    assert.equal(inUse.has('file:///a/song_frames'), false);
    assert.equal(inUse.claim('file:///a/song_frames'), true);
  });
});
