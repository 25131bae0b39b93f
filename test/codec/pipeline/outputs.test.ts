/**
 * Issue 10's data safety: what an output may replace (and everything it may not, refused before any
 * work with one line), a last step that never replaces under any race, --force replacing without a
 * mixture, partial outputs named by host and process and removed once their process is gone, and
 * errors about the partial naming the user's output.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import fsPromises = require('node:fs/promises');
import { lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import {
  decodeFolder,
  encodeWav,
  framesSetProblem,
  MANIFEST_NAME,
  readManifest,
  replaceProblem,
  ResonanceError,
  toResonanceError,
  type DecodeOptions,
  type EncodeOptions,
  type ErrorCode,
} from '../../../src/codec';
import { openFileOutput } from '../../../src/codec/pipeline/output';
import { Prng } from '../../helpers/prng';
import { listTree, tempFolders } from '../../helpers/tempDirs';
import { buildWav, TAG_PCM } from '../../helpers/wavFiles';

const newFolder = tempFolders('outputs');
const GEOMETRY = { width: 4, height: 4, expansion: 1 };
const HOST = encodeURIComponent(hostname());

function wavOf(seed: number, length = 300): Buffer {
  return buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 16 }, data: new Prng(seed).bytes(length) });
}

async function wavIn(folder: string, name = 'input.wav', seed = 1): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, wavOf(seed));
  return path;
}

function encode(input: string, options: EncodeOptions = {}) {
  return encodeWav(input, { geometry: GEOMETRY, workers: 0, ...options });
}

function decode(folder: string, options: DecodeOptions = {}) {
  return decodeFolder(folder, { workers: 0, ...options });
}

/** A frames folder encoded from a WAV of `seed`; the WAV stays beside it. */
async function framesIn(folder: string, name = 'frames', seed = 1): Promise<{ frames: string; wav: string }> {
  const wav = await wavIn(folder, `${name}.source.wav`, seed);
  const frames = join(folder, name);
  await encode(wav, { output: frames });
  return { frames, wav };
}

/** A snapshot of everything under `folder`: names, kinds and file contents, links by where they point. */
async function snapshot(folder: string): Promise<string[]> {
  const entries: string[] = [];
  for (const name of await listTree(folder)) {
    const path = join(folder, name);
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) entries.push(`${name} -> ${await readlink(path)}`);
    else if (stats.isFile()) entries.push(`${name}: ${(await readFile(path)).toString('base64')}`);
    else entries.push(`${name} (${stats.isDirectory() ? 'folder' : 'special'})`);
  }
  return entries;
}

/** A job that must be refused before any work: no progress reported, nothing under `watched` changed. */
async function assertRefused(
  job: (onProgress: () => void) => Promise<unknown>,
  expected: { code: ErrorCode; file: string; problem: RegExp; watched: string },
): Promise<void> {
  const before = await snapshot(expected.watched);
  let progressed = false;
  const error = await job(() => (progressed = true)).then(
    () => assert.fail('the job succeeded'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ResonanceError, String(error));
  assert.equal(error.code, expected.code, error.message);
  assert.equal(error.file, expected.file);
  assert.match(error.problem, expected.problem);
  assert.doesNotMatch(error.message, /\n|partial-/);
  assert.equal(progressed, false, 'refused before any work');
  assert.deepEqual(await snapshot(expected.watched), before, 'nothing changed');
}

describe('what --force may replace, and what it never replaces', () => {
  const PROTECTED = 'OUTPUT_PROTECTED';

  test('decode replaces only a regular file: never a folder tree, an empty folder, a link, a FIFO, a socket or a device', async () => {
    const folder = await newFolder();
    const { frames } = await framesIn(folder);
    const tree = join(folder, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'sub', 'notes.txt'), 'keep me');
    await mkdir(join(folder, 'empty'));
    await writeFile(join(folder, 'pointed.wav'), 'the file a link points to');
    await symlink('pointed.wav', join(folder, 'link.wav'));
    await symlink('tree', join(folder, 'folder-link'));
    assert.equal(spawnSync('mkfifo', [join(folder, 'fifo.wav')]).status, 0);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(folder, 'socket.wav'), resolve));
    const device = spawnSync('mknod', [join(folder, 'null.wav'), 'c', '1', '3']).status === 0;
    try {
      const cases: Array<[string, RegExp]> = [
        ['tree', /^is a folder, and the output is a WAV file: give the file's name \(a folder is never replaced by a file\)$/],
        ['tree/', /^is a folder, and the output is a WAV file/],
        ['empty', /^is a folder, and the output is a WAV file/],
        ['link.wav', /^is a symbolic link: Resonance replaces neither a link nor what it points to$/],
        ['folder-link', /^is a symbolic link/],
        ['folder-link/', /^is a symbolic link/],
        ['fifo.wav', /^is a FIFO \(named pipe\): Resonance replaces only a regular file$/],
        ['socket.wav', /^is a socket: Resonance replaces only a regular file$/],
        ...(device ? [['null.wav', /^is a device: Resonance replaces only a regular file$/] as [string, RegExp]] : []),
      ];
      for (const [name, problem] of cases) {
        for (const overwrite of [true, false]) {
          const target = join(folder, name);
          await assertRefused((onProgress) => decode(frames, { output: target, overwrite, onProgress }), {
            code: PROTECTED,
            file: target,
            problem,
            watched: folder,
          });
        }
      }
    } finally {
      server.close();
    }
    assert.ok((await lstat(join(folder, 'fifo.wav'))).isFIFO(), 'the FIFO is still a FIFO');
  });

  test('decode never replaces the frames it reads, anything inside their folder, or a folder holding them', async () => {
    const folder = await newFolder();
    const { frames } = await framesIn(folder);
    const names = await readdir(frames);
    const cases: Array<[string, RegExp]> = [
      [frames, /^is the input of this job: Resonance never replaces it$/],
      [`${frames}/`, /^is the input of this job/],
      [join(frames, names.find((n) => n.endsWith('.png'))!), new RegExp(`^is inside ${frames}, the input of this job: Resonance never replaces it$`)],
      [join(frames, MANIFEST_NAME), /^is inside .*, the input of this job/],
      [join(frames, '..', basename(frames)), /^is the input of this job/],
      [folder, new RegExp(`^holds ${frames}, the input of this job: Resonance never replaces it$`)],
    ];
    for (const [target, problem] of cases) {
      await assertRefused((onProgress) => decode(frames, { output: target, overwrite: true, onProgress }), {
        code: PROTECTED,
        file: target,
        problem,
        watched: folder,
      });
    }
    // A link to the folder that is decoded, as the folder: the same folder.
    await symlink(frames, join(folder, 'same'));
    const viaLink = join(folder, 'same', names[0]);
    await assertRefused((onProgress) => decode(join(folder, 'same'), { output: join(frames, names[0]), overwrite: true, onProgress }), {
      code: PROTECTED,
      file: join(frames, names[0]),
      problem: /is inside/,
      watched: folder,
    });
    await assertRefused((onProgress) => decode(frames, { output: viaLink, overwrite: true, onProgress }), {
      code: PROTECTED,
      file: viaLink,
      problem: /is inside/,
      watched: folder,
    });
  });

  test('encode never replaces its input, a folder holding it, or a file, link or FIFO', async () => {
    const folder = await newFolder();
    const input = await wavIn(folder);
    await writeFile(join(folder, 'file'), 'a file');
    await symlink(folder, join(folder, 'loop'));
    assert.equal(spawnSync('mkfifo', [join(folder, 'fifo')]).status, 0);
    const cases: Array<[string, RegExp]> = [
      [input, /^is the input of this job: Resonance never replaces it$/],
      [folder, new RegExp(`^holds ${input}, the input of this job: Resonance never replaces it$`)],
      [dirname(folder), /^holds .*, the input of this job/],
      [join(folder, 'file'), /^is a file, and the output is a folder of frames: Resonance replaces only a folder that holds a frames set and nothing else$/],
      [join(folder, 'loop'), /^is a symbolic link: Resonance replaces neither a link nor what it points to$/],
      [join(folder, 'fifo'), /^is a FIFO \(named pipe\), and the output is a folder of frames/],
    ];
    for (const [target, problem] of cases) {
      for (const overwrite of [true, false]) {
        await assertRefused((onProgress) => encode(input, { output: target, overwrite, onProgress }), {
          code: PROTECTED,
          file: target,
          problem,
          watched: folder,
        });
      }
    }
    const link = join(folder, 'frames-link');
    await mkdir(join(folder, 'real-frames'));
    await symlink('real-frames', link);
    await assertRefused((onProgress) => encode(input, { output: link, overwrite: true, onProgress }), {
      code: PROTECTED,
      file: link,
      problem: /^is a symbolic link/,
      watched: folder,
    });
  });

  test('encode replaces a folder only when it holds a frames set and nothing else', async () => {
    const folder = await newFolder();
    const input = await wavIn(folder, 'input.wav', 7);
    const target = join(folder, 'out');
    const fresh = async () => {
      await rm(target, { recursive: true, force: true });
      await framesIn(folder, 'out', 3);
      return (await readdir(target)).filter((n) => n.endsWith('.png'));
    };
    const spoilers: Array<[string, (pngs: string[]) => Promise<unknown>, RegExp]> = [
      [
        'another file',
        () => writeFile(join(target, 'notes.txt'), 'mine'),
        /^holds notes\.txt, which is not a frame its resonance\.json lists: Resonance replaces only a folder that holds a frames set and nothing else$/,
      ],
      ['a hidden file', () => writeFile(join(target, '.keep'), ''), /^holds \.keep, which is not a frame/],
      ['a PNG the manifest does not list', () => writeFile(join(target, 'frame_99999.png'), 'png'), /^holds frame_99999\.png, which is not a frame/],
      ['a subfolder', () => mkdir(join(target, 'sub')), /^holds sub, which is not a frame/],
      [
        'a subfolder named like a frame',
        async (pngs) => (await rm(join(target, pngs[0])), await mkdir(join(target, pngs[0]))),
        /^holds frame_\d+\.png, which is not a frame/,
      ],
      [
        'a frame that is a link to another',
        async (pngs) => (await rm(join(target, pngs[0])), await symlink(pngs[1], join(target, pngs[0]))),
        /^holds frame_\d+\.png, which is not a frame/,
      ],
      ['no manifest', () => rm(join(target, MANIFEST_NAME)), /^holds no resonance\.json: /],
      [
        'a manifest that is not one',
        () => writeFile(join(target, MANIFEST_NAME), '{"format": "other"}'),
        /^holds a resonance\.json that is not a valid Resonance manifest: /,
      ],
      [
        'a manifest that is a folder',
        async () => (await rm(join(target, MANIFEST_NAME)), await mkdir(join(target, MANIFEST_NAME))),
        /^holds no resonance\.json: /,
      ],
    ];
    for (const [name, spoil, problem] of spoilers) {
      await spoil(await fresh());
      for (const overwrite of [true, false]) {
        await assertRefused((onProgress) => encode(input, { output: target, overwrite, onProgress }), {
          code: PROTECTED,
          file: target,
          problem,
          watched: folder,
        }).catch((error: Error) => {
          throw new Error(`${name}: ${error.message}`);
        });
      }
    }

    // A frames set, whole or missing some of its frames, and an empty folder are replaced.
    for (const prepare of [
      async () => undefined,
      async (names: string[]) => rm(join(target, names[0])),
      async () => (await rm(target, { recursive: true }), await mkdir(target)),
    ]) {
      await prepare(await fresh());
      const result = await encode(input, { output: target, overwrite: true });
      await decode(target, { output: join(folder, 'check.wav') });
      assert.deepEqual(await readFile(join(folder, 'check.wav')), await readFile(input), 'the new frames replaced the old');
      assert.equal((await readdir(target)).length, result.frameCount + 1);
      await rm(join(folder, 'check.wav'));
    }
    assert.deepEqual((await readdir(folder)).sort(), ['input.wav', 'out', 'out.source.wav'], 'nothing left beside it');
  });

  test('framesSetProblem: the rule on a listing, as the extension applies it through VS Code\'s file system too', async () => {
    const folder = await newFolder();
    const { frames } = await framesIn(folder);
    const manifest = await readFile(join(frames, MANIFEST_NAME), 'utf8');
    const listed = (await readdir(frames)).filter((n) => n.endsWith('.png')).map((name) => ({ name, isFile: true }));
    // The rule reads the listed frames through the codec's manifest reader, as both callers do.
    const scratch = join(folder, 'scratch.json');
    const namesOf = (text: string) => async () => {
      await writeFile(scratch, text);
      return (await readManifest(scratch)).names;
    };
    const read = namesOf(manifest);
    assert.equal(await framesSetProblem([], read), undefined, 'an empty folder');
    assert.equal(await framesSetProblem([{ name: MANIFEST_NAME, isFile: true }, ...listed], read), undefined, 'a frames set');
    assert.equal(await framesSetProblem([{ name: MANIFEST_NAME, isFile: true }, ...listed.slice(1)], read), undefined, 'a frames set missing a frame');
    assert.match(
      (await framesSetProblem(
        [
          { name: MANIFEST_NAME, isFile: true },
          { ...listed[0], isFile: false },
        ],
        read,
      ))!,
      /^holds frame_\d+\.png, which is not a frame/,
    );
    assert.match((await framesSetProblem([{ name: MANIFEST_NAME, isFile: false }, ...listed], read))!, /^holds no resonance\.json/);
    assert.match((await framesSetProblem(listed, read))!, /^holds no resonance\.json/);
    assert.match((await framesSetProblem([{ name: MANIFEST_NAME, isFile: true }], namesOf('not json')))!, /is not a valid Resonance manifest/);
    // A manifest that lists a file not named as a PNG is no manifest of Resonance's.
    const renamed = manifest.replace(listed[0].name, 'notes.txt');
    assert.match(
      (await framesSetProblem(
        [
          { name: MANIFEST_NAME, isFile: true },
          { name: 'notes.txt', isFile: true },
        ],
        namesOf(renamed),
      ))!,
      /is not a valid Resonance manifest/,
    );
  });

  test('replaceProblem names nothing to refuse where nothing stands', async () => {
    const folder = await newFolder();
    assert.equal(await replaceProblem(join(folder, 'absent'), 'file', []), undefined);
    assert.equal(await replaceProblem(join(folder, 'absent'), 'folder', []), undefined);
    await writeFile(join(folder, 'a.wav'), 'old');
    assert.equal(await replaceProblem(join(folder, 'a.wav'), 'file', [join(folder, 'frames')]), undefined, 'a regular file, not the input');
  });

  test('-o DIR/ for a WAV: a folder that does not exist is named as such, and none is created', async () => {
    const folder = await newFolder();
    const { frames } = await framesIn(folder);
    const target = join(folder, 'newdir') + '/';
    await assertRefused((onProgress) => decode(frames, { output: target, onProgress }), {
      code: 'OUTPUT_FOLDER_MISSING',
      file: target,
      problem: /^no such folder, and the output is a WAV file: give the file's name, in a folder that exists$/,
      watched: folder,
    });
    const fileAsFolder = join(folder, 'frames.source.wav') + '/';
    await assertRefused((onProgress) => decode(frames, { output: fileAsFolder, onProgress }), {
      code: 'NOT_A_FOLDER',
      file: fileAsFolder,
      problem: /^is not a folder, and the output is a WAV file/,
      watched: folder,
    });
    // A folder output may be named with its final separator.
    const encoded = await encode(join(folder, 'frames.source.wav'), { output: join(folder, 'made') + '/' });
    assert.equal(encoded.frameCount, (await readdir(join(folder, 'made'))).length - 1);
  });
});

describe('the last step never replaces, under any race', () => {
  const ROUNDS = 40;
  const RACERS = 4;

  test(`${ROUNDS} rounds of ${RACERS} decodes to one output: exactly one succeeds, the others fail OUTPUT_EXISTS, the survivor intact`, async () => {
    const folder = await newFolder();
    const sources = await Promise.all(Array.from({ length: RACERS }, (_, i) => framesIn(folder, `frames${i}`, 10 + i)));
    const originals = await Promise.all(sources.map(({ wav }) => readFile(wav)));
    for (let round = 0; round < ROUNDS; round++) {
      const target = join(folder, `round${round}.wav`);
      const outcomes = await Promise.allSettled(sources.map(({ frames }) => decode(frames, { output: target })));
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      assert.equal(winners.length, 1, `round ${round}: exactly one succeeded`);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assert.equal((outcome.reason as ResonanceError).code, 'OUTPUT_EXISTS', String(outcome.reason));
      }
      assert.deepEqual(await readFile(target), originals[winners[0]], `round ${round}: the survivor's bytes`);
    }
    assert.deepEqual((await readdir(folder)).filter((name) => name.includes('.partial-')), [], 'no partial left');
  });

  test(`${ROUNDS} rounds of ${RACERS} encodes to one folder: exactly one succeeds, the others fail OUTPUT_EXISTS, the survivor intact`, async () => {
    const folder = await newFolder();
    const inputs = await Promise.all(Array.from({ length: RACERS }, (_, i) => wavIn(folder, `in${i}.wav`, 20 + i)));
    for (let round = 0; round < ROUNDS; round++) {
      const target = join(folder, `round${round}`);
      const outcomes = await Promise.allSettled(inputs.map((input) => encode(input, { output: target })));
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      assert.equal(winners.length, 1, `round ${round}: exactly one succeeded`);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assert.equal((outcome.reason as ResonanceError).code, 'OUTPUT_EXISTS', String(outcome.reason));
      }
      await decode(target, { output: `${target}.wav` });
      assert.deepEqual(await readFile(`${target}.wav`), await readFile(inputs[winners[0]]), `round ${round}: the survivor's frames`);
    }
    assert.deepEqual((await readdir(folder)).filter((name) => name.includes('.partial-')), [], 'no partial left');
  });

  test('with --force, racing decodes all succeed and the name always holds one complete WAV, never a mixture', async () => {
    const folder = await newFolder();
    const sources = await Promise.all(Array.from({ length: RACERS }, (_, i) => framesIn(folder, `frames${i}`, 30 + i)));
    const originals = await Promise.all(sources.map(({ wav }) => readFile(wav)));
    const target = join(folder, 'out.wav');
    await writeFile(target, originals[0]);
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        const bytes = await readFile(target);
        assert.ok(originals.some((original) => original.equals(bytes)), 'every read finds one whole WAV');
        reads++;
      }
    })();
    for (let round = 0; round < ROUNDS / 4; round++) {
      await Promise.all(sources.map(({ frames }) => decode(frames, { output: target, overwrite: true })));
    }
    reading = false;
    await reader;
    assert.ok(reads > 0);
    assert.deepEqual((await readdir(folder)).filter((name) => name.includes('.partial-')), [], 'no partial left');
  });

  test('with --force, racing encodes all end with one complete frames set and nothing moved aside', async () => {
    const folder = await newFolder();
    const inputs = await Promise.all(Array.from({ length: RACERS }, (_, i) => wavIn(folder, `in${i}.wav`, 40 + i)));
    const originals = await Promise.all(inputs.map((input) => readFile(input)));
    const target = join(folder, 'out');
    for (let round = 0; round < ROUNDS / 4; round++) {
      const outcomes = await Promise.allSettled(inputs.map((input) => encode(input, { output: target, overwrite: true })));
      // A forced replace can still meet another's output arriving between its two renames.
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') assert.equal((outcome.reason as ResonanceError).code, 'OUTPUT_EXISTS', String(outcome.reason));
      assert.ok(outcomes.some((outcome) => outcome.status === 'fulfilled'));
      await decode(target, { output: join(folder, 'check.wav'), overwrite: true });
      const bytes = await readFile(join(folder, 'check.wav'));
      assert.ok(originals.some((original) => original.equals(bytes)), `round ${round}: one input's frames, whole`);
    }
    assert.deepEqual((await readdir(folder)).filter((name) => name.includes('.partial-')), [], 'no partial or old output left');
  });

  test('a frames set another job swaps in while it is looked at is judged by what stands there after, not by a mix of the two', async (t) => {
    const folder = await newFolder();
    const target = join(folder, 'out');
    await writeFile(join(folder, 'long.wav'), wavOf(61, 900));
    await encode(join(folder, 'long.wav'), { output: target });
    const { frames: shorter } = await framesIn(folder, 'shorter', 62);
    const realReaddir = fsPromises.readdir;
    const swapOnce = (swap: () => Promise<void>) => {
      let swapped = false;
      t.mock.method(fsPromises, 'readdir', async (...args: Parameters<typeof fsPromises.readdir>) => {
        const entries = await realReaddir(...args);
        if (!swapped && args[0] === target) {
          swapped = true;
          await swap(); // between the listing and the manifest's reading
        }
        return entries;
      });
    };
    // The listing is of the longer set, the manifest of the shorter one that replaced it.
    swapOnce(async () => {
      await fsPromises.rename(target, join(folder, 'aside'));
      await fsPromises.rename(shorter, target);
    });
    assert.equal(await replaceProblem(target, 'folder', []), undefined);
    t.mock.restoreAll();
    // Moved away before its manifest was read: nothing stands there.
    swapOnce(() => fsPromises.rename(target, join(folder, 'gone')));
    assert.equal(await replaceProblem(target, 'folder', []), undefined);
    t.mock.restoreAll();
    // What stays is judged as before: a stranger in a frames set is refused.
    await writeFile(join(folder, 'gone', 'notes.txt'), 'mine');
    assert.match((await replaceProblem(join(folder, 'gone'), 'folder', [])) ?? '', /holds notes\.txt, which is not a frame/);
  });

  test('on a file system without hard links, a file output claims its name first: still never replaced', async (t) => {
    const folder = await newFolder();
    const sources = await Promise.all(Array.from({ length: RACERS }, (_, i) => framesIn(folder, `frames${i}`, 50 + i)));
    const originals = await Promise.all(sources.map(({ wav }) => readFile(wav)));
    // FAT and exFAT answer link() with EPERM.
    t.mock.method(fsPromises, 'link', async () => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM', syscall: 'link' });
    });
    for (let round = 0; round < ROUNDS / 4; round++) {
      const target = join(folder, `round${round}.wav`);
      const outcomes = await Promise.allSettled(sources.map(({ frames }) => decode(frames, { output: target })));
      const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
      assert.equal(winners.length, 1, `round ${round}: exactly one succeeded`);
      for (const outcome of outcomes) if (outcome.status === 'rejected') assert.equal((outcome.reason as ResonanceError).code, 'OUTPUT_EXISTS');
      assert.deepEqual(await readFile(target), originals[winners[0]]);
    }
    assert.deepEqual((await readdir(folder)).filter((name) => name.includes('.partial-')), []);
  });
});

describe('partial outputs', () => {
  test('are named .NAME.partial-HOST-PID-RANDOM beside the target while the job runs', async () => {
    const folder = await newFolder();
    const input = await wavIn(folder);
    const seen: string[] = [];
    await encode(input, { output: join(folder, 'out'), onProgress: () => seen.push(...readdirSync(folder)) });
    const partials = [...new Set(seen.filter((name) => name.includes('.partial-')))];
    assert.equal(partials.length, 1);
    assert.match(partials[0], new RegExp(`^\\.out\\.partial-${HOST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${process.pid}-[0-9a-f]{8}$`));
  });

  test('a long name is shortened in its partial, which stays within 255 bytes', async () => {
    const folder = await newFolder();
    const { frames } = await framesIn(folder);
    const target = join(folder, `${'é'.repeat(120)}.wav`);
    const output = await openFileOutput({ target, overwrite: false, reads: [frames] });
    await output.write(async ({ path }) => {
      assert.ok(Buffer.byteLength(basename(path)) <= 255 - '.old'.length, basename(path));
      assert.match(basename(path), /^\.é+\.partial-/);
    });
    assert.ok((await lstat(target)).isFile());
  });

  test('what a gone process of this host left for the same target is removed; nothing else is', async () => {
    const folder = await newFolder();
    const input = await wavIn(folder);
    const gone = await pidOfFinishedProcess();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const stale = [`.out.partial-${HOST}-${gone}-0123abcd`, `.out.partial-${HOST}-${gone}-89abcdef`];
      const kept = [
        `.out.partial-${HOST}-${process.pid}-0123abcd`, // this process: alive
        `.out.partial-${HOST}-${live.pid}-0123abcd`, // another live process
        `.out.partial-${HOST}x-${gone}-0123abcd`, // another host
        `.out.partial-other.example-${gone}-0123abcd`, // another host
        `.other.partial-${HOST}-${gone}-0123abcd`, // another target
        `.out.partial-${HOST}-${gone}-0123abcd.bak`, // not a partial's name
        `.out.partial-${HOST}-${gone}`, // not a partial's name
        `.out.partial-notes`,
        'out.partial-x',
      ];
      await mkdir(join(folder, stale[0]));
      await writeFile(join(folder, stale[0], 'frame_00000.png'), 'half');
      await writeFile(join(folder, stale[1]), 'half a WAV');
      for (const name of kept) await writeFile(join(folder, name), name);
      await encode(input, { output: join(folder, 'out') });
      const names = await readdir(folder);
      for (const name of stale) assert.ok(!names.includes(name), `${name} removed`);
      for (const name of kept) assert.equal(await readFile(join(folder, name), 'utf8'), name, `${name} kept`);
    } finally {
      live.kill();
    }
  });

  test('a frames folder a killed --force replace had moved aside goes back to its name, or away once the new one is in', async () => {
    const folder = await newFolder();
    const input = await wavIn(folder, 'input.wav', 60);
    const gone = await pidOfFinishedProcess();
    const out = join(folder, 'out');
    const { frames: old, wav: oldWav } = await framesIn(folder, 'old', 61);
    await fsPromises.rename(old, join(folder, `.out.partial-${HOST}-${gone}-0123abcd.old`));
    // The name is free: the old output comes back to it, and the new job finds it there.
    await assert.rejects(encode(input, { output: out }), (error: ResonanceError) => error.code === 'OUTPUT_EXISTS');
    await decode(out, { output: join(folder, 'back.wav') });
    assert.deepEqual(await readFile(join(folder, 'back.wav')), await readFile(oldWav));
    // The name holds an output: what was moved aside is removed.
    const { frames: older } = await framesIn(folder, 'older', 62);
    await fsPromises.rename(older, join(folder, `.out.partial-${HOST}-${gone}-4567abcd.old`));
    await encode(input, { output: out, overwrite: true });
    assert.deepEqual((await readdir(folder)).filter((name) => name.includes('.partial-')), []);
    await decode(out, { output: join(folder, 'back.wav'), overwrite: true });
    assert.deepEqual(await readFile(join(folder, 'back.wav')), await readFile(input));
  });
});

describe('errors about the output name the user\'s path, never the partial', () => {
  test('a frame that is a folder, or deleted while the folder is decoded, is named', async () => {
    for (const workers of [0, 2]) {
      const folder = await newFolder();
      const wav = await wavIn(folder, 'input.wav', 70);
      const frames = join(folder, 'frames');
      await encodeWav(wav, { output: frames, geometry: { width: 2, height: 2, expansion: 1 }, workers: 0 });
      const names = (await readdir(frames)).filter((n) => n.endsWith('.png')).sort();
      const asFolder = join(frames, names[1]);
      await rm(asFolder);
      await mkdir(asFolder);
      await assert.rejects(decode(frames, { workers }), (error: ResonanceError) => {
        assert.equal(error.code, 'NOT_A_FILE');
        assert.equal(error.message, `${asFolder}: is a folder, not a PNG frame`);
        return true;
      });
      await rm(asFolder, { recursive: true });
      await writeFile(asFolder, await readFile(join(frames, names[0])));
      const deleted = join(frames, names[names.length - 1]);
      const before = await listTree(folder);
      await assert.rejects(
        decode(frames, { workers, onProgress: (progress) => (progress.framesDone === 1 ? rmSync(deleted) : undefined) }),
        (error: ResonanceError) => {
          assert.equal(error.code, 'FRAME_MISSING');
          assert.equal(error.message, `${deleted}: was removed while the folder was being decoded`);
          return true;
        },
      );
      assert.deepEqual(await listTree(folder), before.filter((name) => name !== join('frames', basename(deleted))), 'no output and no partial left');
    }
  });

  test('a name that is not UTF-8 is said to be unreadable, not missing', async () => {
    const folder = await newFolder();
    await assert.rejects(encode(join(folder, '\uFFFD.wav')), (error: unknown) => {
      const coded = toResonanceError(error);
      assert.equal(coded.code, 'UNREADABLE_NAME');
      assert.equal(coded.message, `${join(folder, '\uFFFD.wav')}: the name is not valid UTF-8, so it cannot be opened; rename the file`);
      return true;
    });
    // A frame whose name is not UTF-8, in a folder without a manifest: listed, but not openable by that name.
    const { frames } = await framesIn(folder);
    await rm(join(frames, MANIFEST_NAME));
    const first = (await readdir(frames)).sort()[0];
    await fsPromises.rename(join(frames, first), Buffer.concat([Buffer.from(`${frames}/frame_`), Buffer.from([0xff]), Buffer.from('.png')]));
    await assert.rejects(decode(frames), (error: unknown) => {
      const coded = toResonanceError(error);
      assert.equal(coded.code, 'UNREADABLE_NAME');
      assert.equal(coded.file, join(frames, 'frame_\uFFFD.png'));
      return true;
    });
  });
});

/** The pid of a process that has exited (pids are not reused that soon). */
async function pidOfFinishedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}
