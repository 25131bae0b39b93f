// A smoke run of `npm run bench` in its quick mode, so the benchmark never rots. It asserts only that
// the run completes and prints its table: timings are the benchmark's business, not a test's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCH = join(__dirname, '..', '..', 'bench', 'bench.js');

test('the bench runs in quick mode and prints its table with every row', () => {
  const run = spawnSync(process.execPath, [BENCH, '--quick'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^machine: .+ cores, node v/m);
  for (const work of ['encode, expansion 1', 'decode, expansion 1', 'encode, expansion 4', 'decode, expansion 4']) {
    assert.match(run.stdout, new RegExp(`^\\| ${work} \\| \\d+ \\|`, 'm'), `a row for ${work}`);
  }
  assert.doesNotMatch(run.stdout, /DIFFERS|FAILED/, 'every round trip is exact and every frame valid');
});
