/**
 * The CLI package (`npm run package:cli`) as a training machine gets it: installed with
 * `npm install -g` into a prefix of its own, run from a folder outside the project with only Node.js on
 * the PATH, so nothing can come from the project's node_modules or dist/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { sineWav } from '../helpers/datasets';
import { FIXTURES, ROOT, tempFolder } from './harness';

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

test('the CLI package installs with npm install -g and its resonance round-trips, builds a dataset and decodes an image of it', async () => {
  const folder = await tempFolder();
  const version = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version as string;
  // Only Node.js's own folder (node and npm) and the system's: no project tools, no NODE_PATH.
  const env = { PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':'), HOME: folder, npm_config_cache: join(folder, 'npm-cache') };
  run(process.execPath, [join(ROOT, 'scripts', 'packageCli.mjs'), '--out', folder], ROOT, { ...process.env });
  const tarball = join(folder, `resonance-cli-${version}.tgz`);
  const listing = run('tar', ['-tzf', tarball], folder, env).stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(listing, [
    'package/LICENSE',
    'package/README.md',
    'package/cli.js',
    'package/datasetWorker.js',
    'package/frameWorker.js',
    'package/package.json',
    'package/webp.wasm',
  ]);

  run('npm', ['install', '-g', '--prefix', join(folder, 'prefix'), tarball, '--offline', '--no-audit', '--no-fund'], folder, env);
  const installed = JSON.parse(await readFile(join(folder, 'prefix', 'lib', 'node_modules', 'resonance-cli', 'package.json'), 'utf8'));
  assert.equal(installed.dependencies, undefined, 'everything is bundled');
  assert.deepEqual(installed.bin, { resonance: 'cli.js' });
  const resonance = join(folder, 'prefix', 'bin', 'resonance');
  const work = join(folder, 'work');
  await mkdir(work);

  // A round trip, byte for byte, on worker threads: frames over 8 MB never run inline, so this needs the packaged frameWorker.js.
  await writeFile(join(work, 'song.wav'), sineWav({ rate: 44100, channels: 2, bits: 16, seconds: 52, hz: 440 }));
  run(resonance, ['encode', 'song.wav', '--width', '1700', '--height', '1700', '--compression', 'fast', '--workers', '2'], work, env);
  assert.equal((await readdir(join(work, 'song_frames'))).filter((name) => name.endsWith('.png')).length, 2);
  run(resonance, ['decode', 'song_frames', '-o', 'back.wav', '--workers', '2'], work, env);
  assert.deepEqual(await readFile(join(work, 'back.wav')), await readFile(join(work, 'song.wav')));

  // A dataset of a mixed corpus, resampled and mixed down (the resampler's WebAssembly), on worker threads.
  await mkdir(join(work, 'corpus'));
  await writeFile(join(work, 'corpus', 'a.wav'), sineWav({ rate: 22050, channels: 2, bits: 16, seconds: 0.5, hz: 440 }));
  await copyFile(join(FIXTURES, 'ff_f32_stereo.wav'), join(work, 'corpus', 'b.wav'));
  const built = JSON.parse(
    run(
      resonance,
      ['dataset', 'build', 'corpus', '-o', 'ds', '--size', '32', '--sample-rate', '16000', '--channels', '1', '--format', 's16', '--workers', '2', '--json'],
      work,
      env,
    ).stdout,
  );
  assert.equal(built.sources.failed, 0);
  assert.ok(built.images > 2, `${built.images} images`);
  const description = JSON.parse(await readFile(join(work, 'ds', 'dataset.json'), 'utf8'));
  const images = (await readdir(join(work, 'ds', 'train'))).filter((name) => name.endsWith('.png'));
  assert.equal(images.length, built.images);

  // One image decoded on its own, as a sample a model generated would be: its text chunk carries the format.
  await mkdir(join(work, 'sample'));
  await copyFile(join(work, 'ds', 'train', images[0]), join(work, 'sample', images[0]));
  const decoded = JSON.parse(run(resonance, ['decode', 'sample', '-o', 'sample.wav', '--json'], work, env).stdout);
  assert.deepEqual(decoded.audio, description.audio);
  assert.equal(decoded.dataLength, description.clip.bytes);
  assert.equal((await readFile(join(work, 'sample.wav'))).length, 44 + description.clip.bytes);
});
