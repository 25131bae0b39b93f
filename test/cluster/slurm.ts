/**
 * The Slurm stage of `npm test` (not a node:test file, so that the unit tests do not start a
 * cluster): a real one-node Slurm (Debian's slurm-wlm and munge, as root) runs ONE 4-task array
 * of the project's own examples/slurm/build-dataset.sbatch, each task taking its shard from
 * Slurm's environment; then `resonance dataset finish`, and the dataset must equal a one-machine
 * build byte for byte. One array job only: sbatch --wait polls, so each job costs about 10 s.
 * Under CI=true a missing Slurm is a failure; elsewhere the stage is skipped with the reason.
 * Writes {"passed": N, "failed": N} to the file after --results.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesOf } from '../helpers/datasets';
import { CLI, ensureBuilt, ROOT, runBinary, tempFolder } from '../cli/harness';
import { clusterCorpus } from './corpus';

const results = process.argv[process.argv.indexOf('--results') + 1];
const report = (passed: number, failed: number): void => {
  if (process.argv.includes('--results')) writeFileSync(results, JSON.stringify({ passed, failed }));
};
const shell = (command: string, args: string[], options: { cwd?: string } = {}) => spawnSync(command, args, { encoding: 'utf8', ...options });

function missing(): string | undefined {
  for (const program of ['sbatch', 'slurmctld', 'slurmd', 'munged']) {
    if (shell('sh', ['-c', `command -v ${program}`]).status !== 0) return `${program} is not installed (apt-get install slurm-wlm munge)`;
  }
  if (process.getuid?.() !== 0) return 'the one-node cluster runs as root';
  return undefined;
}

async function check(): Promise<void> {
  ensureBuilt();
  const folder = await tempFolder();
  await clusterCorpus(folder);
  const options = '--size 16 --validation 0.25';
  const whole = await runBinary(['dataset', 'build', 'corpus', '-o', 'whole', ...options.split(' '), '--workers', '0'], folder);
  assert.equal(whole.code, 0, whole.stderr);
  const script = join(ROOT, 'examples', 'slurm', 'build-dataset.sbatch');
  const exported = `ALL,INPUT=${join(folder, 'corpus')},DATASET=${join(folder, 'sharded')},RESONANCE=${process.execPath} ${CLI},RESONANCE_OPTIONS=${options}`;
  const started = Date.now();
  const array = shell('sbatch', ['--wait', '--array=0-3', `--chdir=${folder}`, `--output=${folder}/task-%a.out`, `--export=${exported}`, script]);
  const outputs = [0, 1, 2, 3].map((task) => {
    try {
      return readFileSync(join(folder, `task-${task}.out`), 'utf8');
    } catch {
      return `(task ${task} wrote no output)`;
    }
  });
  assert.equal(array.status, 0, `sbatch --wait: ${array.stderr}\n${outputs.join('\n')}`);
  console.log(`slurm: the 4-task array job took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Each task must have taken its shard from Slurm's environment, as a site's tasks would.
  const fromSlurm = (task: number) => new RegExp(`shard ${task} of 4, from Slurm \\(SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT\\)`);
  outputs.forEach((output, task) => assert.match(output, fromSlurm(task), output));
  const finish = await runBinary(['dataset', 'finish', 'sharded'], folder);
  assert.equal(finish.code, 0, finish.stderr);
  assert.deepEqual(await filesOf(join(folder, 'sharded')), await filesOf(join(folder, 'whole')));
}

async function main(): Promise<void> {
  const reason = missing();
  if (reason) {
    if (process.env.CI === 'true') {
      console.error(`slurm stage: ${reason}; under CI=true this is a failure`);
      report(0, 1);
      process.exit(1);
    }
    console.log(`slurm stage skipped: ${reason}`);
    report(0, 0);
    return;
  }
  const started = Date.now();
  const start = shell(join(ROOT, 'test', 'cluster', 'start-slurm.sh'), []);
  if (start.status !== 0) {
    console.error(`slurm did not start: ${start.stderr}`);
    report(0, 1);
    process.exit(1);
  }
  const run = start.stdout.trim();
  try {
    await check();
    console.log(`slurm stage: passed in ${((Date.now() - started) / 1000).toFixed(1)} s, cluster start and stop included`);
    report(1, 0);
  } catch (error) {
    console.error(`slurm stage failed: ${error instanceof Error ? error.message : String(error)}`);
    report(0, 1);
    process.exitCode = 1;
  } finally {
    shell(join(ROOT, 'test', 'cluster', 'stop-slurm.sh'), [run]);
  }
}

void main();
