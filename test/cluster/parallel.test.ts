/**
 * The GNU parallel recipe of docs/scaling.md, run as written: four shards at once on this machine,
 * then finish, byte for byte the same as a one-machine build. Under CI=true a missing `parallel`
 * is a failure; elsewhere the test is skipped with the reason.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { filesOf } from '../helpers/datasets';
import { CLI, ensureBuilt, runBinary, tempFolder } from '../cli/harness';
import { clusterCorpus } from './corpus';

before(ensureBuilt);

const present = spawnSync('parallel', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = !present && process.env.CI !== 'true' ? 'GNU parallel is not installed (apt-get install parallel)' : false;

test('parallel -j 4 … --shard {}/4 ::: 0 1 2 3, then finish, equals a one-machine build', { skip }, async () => {
  assert.ok(present, 'GNU parallel is needed under CI=true (.ci/run installs it)');
  const folder = await tempFolder();
  await clusterCorpus(folder);
  const options = ['--size', '16', '--validation', '0.25', '--workers', '0'];
  const whole = await runBinary(['dataset', 'build', 'corpus', '-o', 'whole', ...options], folder);
  assert.equal(whole.code, 0, whole.stderr);
  const build = `${process.execPath} ${CLI} dataset build corpus -o sharded ${options.join(' ')} --shard {}/4`;
  const run = spawnSync('parallel', ['--will-cite', '--halt', 'now,fail=1', '-j', '4', build, ':::', '0', '1', '2', '3'], { cwd: folder, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /shard 3 of 4, from --shard/);
  const finish = await runBinary(['dataset', 'finish', 'sharded'], folder);
  assert.equal(finish.code, 0, finish.stderr);
  assert.deepEqual(await filesOf(join(folder, 'sharded')), await filesOf(join(folder, 'whole')));
});
