/**
 * The CLI's outputs under what issue 10 threw at them, with real processes: --force on what it must
 * never replace (the current, home and root folders among them), SIGTERM and SIGHUP handled as
 * Ctrl-C, what SIGKILL leaves removed by the next run, and errors of a full disk, a read-only file
 * system, a folder the user may not write in and a name that is not UTF-8, each one line naming the
 * user's own path.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { makeAudioFormat } from '../../src/codec/format/audioFormat';
import { canonicalContainer } from '../../src/codec/wav/wavFile';
import { CLI, ensureBuilt, finished, fixtureCopy, lines, runBinary, tempFolder, type Run } from './harness';

before(ensureBuilt);

const SMALL = ['--width', '16', '--height', '16'];

function assertFailure(run: Run, code: number, line: string): void {
  assert.equal(run.code, code, `exit status; stderr: ${run.stderr}`);
  assert.deepEqual(lines(run.stderr), [line]);
  assert.doesNotMatch(run.stderr, /partial-|\bE[A-Z]{3,}\b/, 'neither a hidden name nor raw Node text');
}

/** A WAV of `length` data bytes of noise in `folder`: with 16 × 16 frames, thousands of them, seconds of work. */
async function noiseWav(folder: string, length = 3_000_000): Promise<string> {
  const { header } = canonicalContainer(makeAudioFormat('s16', 2, 44100), length);
  const path = join(folder, 'noise.wav');
  await writeFile(path, Buffer.concat([header, randomBytes(length)]));
  return path;
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

const partialsIn = async (folder: string) => (await readdir(folder)).filter((name) => name.includes('.partial-'));

/** Starts a job and waits until its partial output holds work: a frame for encode, the header and more for decode. */
async function startedJob(args: string[], cwd: string): Promise<{ child: ReturnType<typeof spawn>; run: Promise<Run>; partial: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = finished(child);
  let partial = '';
  await until(async () => {
    [partial = ''] = await partialsIn(cwd);
    if (!partial) return false;
    const stats = await stat(join(cwd, partial)).catch(() => undefined);
    if (!stats) return false;
    return stats.isDirectory() ? (await readdir(join(cwd, partial))).some((name) => name.endsWith('.png')) : stats.size > 1000;
  });
  return { child, run, partial };
}

describe('signals', () => {
  for (const [signal, status, command] of [
    ['SIGTERM', 143, 'encode'],
    ['SIGHUP', 129, 'decode'],
    ['SIGTERM', 143, 'decode'],
    ['SIGHUP', 129, 'encode'],
  ] as const) {
    test(`${signal} stops a${command === 'encode' ? 'n' : ''} ${command} as Ctrl-C does: partial output removed, exit ${status}`, async () => {
      const folder = await tempFolder();
      await noiseWav(folder);
      if (command === 'decode') assert.equal((await runBinary(['encode', 'noise.wav', ...SMALL, '--workers', '0'], folder)).code, 0);
      const before = (await readdir(folder)).sort();
      const job = await startedJob(command === 'encode' ? ['encode', 'noise.wav', ...SMALL] : ['decode', 'noise_frames'], folder);
      job.child.kill(signal);
      assertFailure(await job.run, status, `resonance ${command}: interrupted by ${signal}; the partial output was removed`);
      assert.deepEqual((await readdir(folder)).sort(), before, 'no output and no partial output');
    });
  }
});

describe('what SIGKILL leaves', () => {
  for (const command of ['encode', 'decode'] as const) {
    test(`a killed ${command}'s partial carries its host and pid, and the next run to that output removes it`, async () => {
      const folder = await tempFolder();
      await noiseWav(folder, 1_500_000);
      if (command === 'decode') assert.equal((await runBinary(['encode', 'noise.wav', ...SMALL, '--workers', '0'], folder)).code, 0);
      const args = command === 'encode' ? ['encode', 'noise.wav', ...SMALL] : ['decode', 'noise_frames'];
      const job = await startedJob(args, folder);
      job.child.kill('SIGKILL');
      const killed = await job.run;
      assert.equal(killed.signal, 'SIGKILL');
      const target = command === 'encode' ? 'noise_frames' : 'noise_frames.wav';
      assert.deepEqual(await partialsIn(folder), [job.partial], 'the partial is left behind');
      assert.match(
        job.partial,
        new RegExp(`^\\.${target.replace('.', '\\.')}\\.partial-${encodeURIComponent(hostname()).replace(/[.]/g, '\\.')}-${job.child.pid}-[0-9a-f]{8}$`),
      );

      // A run writing elsewhere leaves it; the next run to the same output removes it.
      assert.equal((await runBinary([...args, '-o', command === 'encode' ? 'elsewhere' : 'elsewhere.wav', '--workers', '0'], folder)).code, 0);
      assert.deepEqual(await partialsIn(folder), [job.partial]);
      const rerun = await runBinary([...args, '--workers', '0'], folder);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.deepEqual(await partialsIn(folder), [], 'removed by the run to the same output');
      if (command === 'decode') assert.deepEqual(await readFile(join(folder, target)), await readFile(join(folder, 'noise.wav')));
    });
  }
});

describe('racing processes', () => {
  test('10 rounds of 3 decode processes to one output: one succeeds, the others say it exists, the survivor intact', async () => {
    const folder = await tempFolder();
    const sources: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const { header } = canonicalContainer(makeAudioFormat('s16', 1, 8000), 20_000);
      sources.push(Buffer.concat([header, randomBytes(20_000)]));
      await writeFile(join(folder, `in${i}.wav`), sources[i]);
      assert.equal((await runBinary(['encode', `in${i}.wav`, ...SMALL, '--workers', '0'], folder)).code, 0);
    }
    for (let round = 0; round < 10; round++) {
      const runs = await Promise.all([0, 1, 2].map((i) => runBinary(['decode', `in${i}_frames`, '-o', `out${round}.wav`, '--workers', '0'], folder)));
      const winners = runs.flatMap((run, i) => (run.code === 0 ? [i] : []));
      assert.equal(winners.length, 1, `round ${round}: ${runs.map((run) => run.stderr).join(' | ')}`);
      for (const run of runs) if (run.code !== 0) assertFailure(run, 1, `resonance decode: out${round}.wav already exists; use --force to replace it`);
      assert.deepEqual(await readFile(join(folder, `out${round}.wav`)), sources[winners[0]]);
    }
    assert.deepEqual(await partialsIn(folder), []);
  });
});

describe('--force on what Resonance never replaces', () => {
  test('the current folder, a folder holding it, the home folder and the root are refused before any work', async () => {
    const home = join(await tempFolder(), 'home');
    const project = join(home, 'project');
    const work = join(project, 'work');
    await mkdir(work, { recursive: true });
    const wav = await fixtureCopy('pluck-pcm16.wav');
    const input = join(work, 'in.wav');
    await writeFile(input, await readFile(wav));
    const env = { ...process.env, HOME: home };
    const run = (args: string[]) => finished(spawn(process.execPath, [CLI, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    const cases: Array<[string[], string]> = [
      [['encode', input, '-o', '.', '--force'], 'resonance encode: .: is the current folder: Resonance never replaces it'],
      [['encode', input, '-o', `${work}/`, '--force'], `resonance encode: ${work}/: is the current folder: Resonance never replaces it`],
      [['encode', input, '-o', '..', '--force'], 'resonance encode: ..: holds the current folder: Resonance never replaces it'],
      [['encode', input, '-o', '../..', '--force'], 'resonance encode: ../..: is the home folder: Resonance never replaces it'],
      [['encode', input, '-o', '/', '--force'], 'resonance encode: /: is the root folder: Resonance never replaces it'],
      [
        ['encode', input, '-o', '~', '--force'],
        'resonance encode: ~: holds no resonance.json: Resonance replaces only a folder that holds a frames set and nothing else',
      ],
      [['encode', 'in.wav', '-o', 'in.wav', '--force'], 'resonance encode: in.wav: is the input of this job: Resonance never replaces it'],
    ];
    // A folder literally named ~ (the shell expands ~, Resonance does not).
    await mkdir(join(work, '~'));
    await writeFile(join(work, '~', 'notes.txt'), 'mine');
    const before = (await readdir(dirname(home))).sort();
    for (const [args, line] of cases) {
      assertFailure(await run(args), 1, line);
      assert.deepEqual((await readdir(work)).sort(), ['in.wav', '~']);
    }
    assert.deepEqual((await readdir(dirname(home))).sort(), before, 'no partial beside any of them');

    // Decoding: the frames folder, a folder tree, and a FIFO.
    assert.equal((await run(['encode', 'in.wav', ...SMALL])).code, 0);
    await mkdir(join(work, 'tree', 'sub'), { recursive: true });
    await writeFile(join(work, 'tree', 'sub', 'notes.txt'), 'mine');
    assert.equal(spawnSync('mkfifo', [join(work, 'pipe.wav')]).status, 0);
    assertFailure(
      await run(['decode', 'in_frames', '-o', 'in_frames', '--force']),
      1,
      'resonance decode: in_frames: is the input of this job: Resonance never replaces it',
    );
    assertFailure(
      await run(['decode', 'in_frames', '-o', 'tree', '--force']),
      1,
      "resonance decode: tree: is a folder, and the output is a WAV file: give the file's name (a folder is never replaced by a file)",
    );
    assertFailure(
      await run(['decode', 'in_frames', '-o', 'pipe.wav', '--force']),
      1,
      'resonance decode: pipe.wav: is a FIFO (named pipe): Resonance replaces only a regular file',
    );
    assertFailure(
      await run(['decode', 'in_frames', '-o', 'newdir/']),
      1,
      "resonance decode: newdir/: no such folder, and the output is a WAV file: give the file's name, in a folder that exists",
    );
    assert.equal(await readFile(join(work, 'tree', 'sub', 'notes.txt'), 'utf8'), 'mine');
    assert.deepEqual((await readdir(work)).sort(), ['in.wav', 'in_frames', 'pipe.wav', 'tree', '~']);
  });
});

describe('errors of the file system name the output', () => {
  /** Mounts a tmpfs with `options` on `folder`; false where mounting is not allowed. */
  function mountTmpfs(folder: string, options: string): boolean {
    return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', folder]).status === 0;
  }

  test('a full disk: NO_SPACE naming the output, nothing left on it', async (t) => {
    const folder = await tempFolder();
    await noiseWav(folder, 400_000);
    const disk = join(folder, 'disk');
    await mkdir(disk);
    if (!mountTmpfs(disk, 'size=256k')) return t.skip('mounting a tmpfs needs root');
    try {
      assertFailure(
        await runBinary(['encode', 'noise.wav', '-o', 'disk/frames', '--compression', 'fast'], folder),
        1,
        'resonance encode: disk/frames: cannot be written: no space left on the device',
      );
      assert.equal((await runBinary(['encode', 'noise.wav', '-o', 'frames', '--compression', 'fast'], folder)).code, 0);
      assertFailure(
        await runBinary(['decode', 'frames', '-o', 'disk/out.wav'], folder),
        1,
        'resonance decode: disk/out.wav: cannot be written: no space left on the device',
      );
      assert.deepEqual(await readdir(disk), [], 'nothing left on the full disk');
    } finally {
      spawnSync('umount', [disk]);
    }
  });

  test('a read-only file system: READ_ONLY naming the output', async (t) => {
    const folder = await tempFolder();
    await noiseWav(folder, 10_000);
    const disk = join(folder, 'disk');
    await mkdir(disk);
    if (!mountTmpfs(disk, 'ro')) return t.skip('mounting a tmpfs needs root');
    try {
      assertFailure(
        await runBinary(['encode', 'noise.wav', '-o', 'disk/frames'], folder),
        1,
        'resonance encode: disk/frames: cannot be written: the file system is read-only',
      );
      assert.equal((await runBinary(['encode', 'noise.wav', '-o', 'frames'], folder)).code, 0);
      assertFailure(
        await runBinary(['decode', 'frames', '-o', 'disk/out.wav'], folder),
        1,
        'resonance decode: disk/out.wav: cannot be written: the file system is read-only',
      );
    } finally {
      spawnSync('umount', [disk]);
    }
  });

  test('a folder the user may not write in: PERMISSION_DENIED naming the output', async (t) => {
    if (process.getuid?.() !== 0 || spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0)
      return t.skip('needs root and runuser to run as another user');
    const folder = await tempFolder();
    await chmod(folder, 0o755);
    await noiseWav(folder, 10_000);
    assert.equal((await runBinary(['encode', 'noise.wav', '-o', 'frames'], folder)).code, 0);
    await chmod(join(folder, 'noise.wav'), 0o644);
    const asNobody = (args: string[]) =>
      finished(spawn('runuser', ['-u', 'nobody', '--', process.execPath, CLI, ...args], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] }));
    assertFailure(await asNobody(['encode', 'noise.wav', '-o', 'mine']), 1, 'resonance encode: mine: cannot be written: permission denied');
    assertFailure(await asNobody(['decode', 'frames', '-o', 'mine.wav']), 1, 'resonance decode: mine.wav: cannot be written: permission denied');
    assert.deepEqual((await readdir(folder)).sort(), ['frames', 'noise.wav']);
  });

  test('a name that is not UTF-8: UNREADABLE_NAME, not "no such file"', async () => {
    const folder = await tempFolder();
    await writeFile(Buffer.from(`${folder}/\xff.wav`, 'latin1'), await readFile(await fixtureCopy('pluck-pcm16.wav')));
    const run = await finished(
      spawn('sh', ['-c', `exec "$0" "$1" encode "$(printf '\\377.wav')"`, process.execPath, CLI], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    assertFailure(run, 1, 'resonance encode: \uFFFD.wav: the name is not valid UTF-8, so it cannot be opened; rename the file');
    const json = await finished(
      spawn('sh', ['-c', `exec "$0" "$1" info "$(printf '\\377.wav')" --json`, process.execPath, CLI], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    assert.equal(JSON.parse(json.stdout).error.code, 'UNREADABLE_NAME');
  });
});

describe('figures read right', () => {
  test('thousands are grouped and one is singular: "1,000 of 1,000 frames", "1 byte per sample frame"', async () => {
    const folder = await tempFolder();
    const { header } = canonicalContainer(makeAudioFormat('u8', 1, 8000), 3000);
    await writeFile(join(folder, 'mono.wav'), Buffer.concat([header, randomBytes(3000)]));
    const info = await runBinary(['info', 'mono.wav', '--width', '1', '--height', '1'], folder);
    assert.match(info.stdout, /\(8 bits per sample, 1 byte per sample frame\)/);
    assert.match(info.stdout, /1,000 frames at 1 × 1, expansion 1, layout bytes \(3 bytes per frame\)/);
    assert.equal((await runBinary(['encode', 'mono.wav', '--width', '1', '--height', '1', '--workers', '0'], folder)).code, 0);
    const decoded = await runBinary(['decode', 'mono_frames', '--workers', '0'], folder);
    assert.match(decoded.stdout, /^ {2}frames {2}1,000 of 1,000 frames unchanged$/m);
    assert.match(decoded.stdout, /^ {2}read {4}1,000 frames in /m);

    const manifest = join(folder, 'mono_frames', 'resonance.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"blockAlign": 1', '"blockAlign": 2'));
    assertFailure(
      await runBinary(['decode', 'mono_frames', '-o', 'again.wav'], folder),
      1,
      `resonance decode: ${join('mono_frames', 'resonance.json')}: has a bad "audio.blockAlign": expected 1 for 1 channel of u8`,
    );
  });
});
