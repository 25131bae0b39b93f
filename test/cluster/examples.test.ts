/**
 * The recipes in examples/ for engines these tests do not run: the Kubernetes Indexed Job manifest,
 * read as YAML, with the fields a shard build depends on; and a shard told its index by Kubernetes'
 * environment, as the manifest's pods are.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { CLI, ensureBuilt, finished, ROOT, tempFolder } from '../cli/harness';
import { clusterCorpus } from './corpus';

interface Container { command: string[]; env?: { name: string; value: string }[]; volumeMounts: { name: string; mountPath: string }[] }

test('the Kubernetes Indexed Job: one pod per shard, told the shard count, all on one ReadWriteMany volume', async () => {
  const documents = parseAllDocuments(await readFile(join(ROOT, 'examples', 'kubernetes', 'dataset-job.yaml'), 'utf8'));
  for (const document of documents) assert.deepEqual(document.errors, []);
  const [job, claim] = documents.map((document) => document.toJS());
  assert.equal(job.kind, 'Job');
  assert.equal(job.spec.completionMode, 'Indexed', 'only an Indexed Job sets JOB_COMPLETION_INDEX');
  assert.ok(job.spec.parallelism <= job.spec.completions);
  const [container] = job.spec.template.spec.containers as Container[];
  const shards = container.env?.find((variable) => variable.name === 'RESONANCE_SHARDS')?.value;
  assert.equal(Number(shards), job.spec.completions, 'RESONANCE_SHARDS must equal completions, or indices past it are refused');
  assert.deepEqual(container.command.slice(0, 3), ['resonance', 'dataset', 'build']);
  assert.ok(!container.command.includes('--shard'), 'the shard comes from JOB_COMPLETION_INDEX, the same command for every pod');
  const output = container.command[container.command.indexOf('-o') + 1];
  const mount = container.volumeMounts[0];
  assert.ok(output.startsWith(`${mount.mountPath}/`), 'the dataset is written on the shared volume');
  const volume = job.spec.template.spec.volumes.find((entry: { name: string }) => entry.name === mount.name);
  assert.equal(volume.persistentVolumeClaim.claimName, claim.metadata.name);
  assert.equal(claim.kind, 'PersistentVolumeClaim');
  assert.deepEqual(claim.spec.accessModes, ['ReadWriteMany'], 'every pod mounts the volume at once');
  assert.equal(job.spec.template.spec.restartPolicy, 'Never', 'a failed pod is retried as a new pod with the same index');
});

test('a shard told by Kubernetes says so in its summary, and in --json', async () => {
  ensureBuilt();
  const folder = await tempFolder();
  await clusterCorpus(folder);
  const env: NodeJS.ProcessEnv = { ...process.env, JOB_COMPLETION_INDEX: '1', RESONANCE_SHARDS: '2' };
  delete env.SLURM_ARRAY_TASK_ID;
  delete env.RESONANCE_SHARD;
  const args = ['dataset', 'build', 'corpus', '-o', 'ds', '--size', '16', '--workers', '0'];
  const build = (...more: string[]) => finished(spawn(process.execPath, [CLI, ...args, ...more], { cwd: folder, env }));
  const run = await build('--json');
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual([result.shard, result.shardFrom], [{ index: 1, count: 2 }, 'Kubernetes (JOB_COMPLETION_INDEX)']);
  const again = await build();
  assert.match(again.stdout, /^corpus → ds \(shard 1 of 2, from Kubernetes \(JOB_COMPLETION_INDEX\)\)$/m);
});
