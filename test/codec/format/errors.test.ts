import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CancelledError, ERROR_CODES, errorData, errorFromData, ResonanceError } from '../../../src/codec/format/errors';
import { toResonanceError } from '../../../src/codec/files/systemErrors';
import { PROJECT_ROOT } from '../../helpers/paths';
import { fixtureCopy, runInProcess } from '../../cli/harness';

/** What the CLI itself answers, with --json, for a failure: the code it prints and the status it exits with. */
async function failure(args: string[], signal?: AbortSignal): Promise<{ code: string; status: number }> {
  const run = await runInProcess([...args, '--json'], { signal });
  return { code: (JSON.parse(run.stdout) as { error: { code: string } }).error.code, status: run.code };
}

test("the README's table lists every error code with its exit status and meaning, and nothing else", async () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (.+) \|$/gm)].map(([, code, status, meaning]) => ({ code, status: Number(status), meaning }));
  assert.deepEqual(rows.map((r) => r.code).sort(), Object.keys(ERROR_CODES).sort());
  for (const row of rows) assert.equal(row.meaning, ERROR_CODES[row.code as keyof typeof ERROR_CODES], row.code);
  // The statuses as the CLI exits with them: a usage error, an interruption, and any other code, which all exit alike.
  const wav = await fixtureCopy('ff_list_s16_stereo.wav');
  const aborted = new AbortController();
  aborted.abort();
  const runs = [await failure(['encode', wav, '--bogus']), await failure(['encode', wav], aborted.signal), await failure(['info', `${wav}.missing`])];
  assert.deepEqual(runs.map((run) => run.code), ['USAGE', 'CANCELLED', 'FILE_NOT_FOUND']);
  const other = runs[2].status;
  for (const row of rows) assert.equal(row.status, runs.find((run) => run.code === row.code)?.status ?? other, row.code);
});

test('an error crosses a thread or a message as data and comes back with its code, file and problem', () => {
  const error = new ResonanceError('PNG_CORRUPT', '/f/frame_00003.png', 'is a corrupt PNG: it ends before its IEND chunk');
  const back = errorFromData(JSON.parse(JSON.stringify(errorData(error))));
  assert.ok(back instanceof ResonanceError);
  assert.deepEqual([back.code, back.file, back.problem, back.message], [error.code, error.file, error.problem, error.message]);
  assert.ok(errorFromData(errorData(new CancelledError())) instanceof CancelledError);
  assert.equal(errorFromData({ code: 'NOT_A_CODE' as never, file: 'x', problem: 'y' }).code, 'INTERNAL');
  assert.equal(errorFromData(undefined).code, 'INTERNAL');
});

test("Node's system errors become coded errors naming their path, anything else INTERNAL on one line", () => {
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/a.wav'"), { code: 'ENOENT', path: '/x/a.wav', syscall: 'open' });
  assert.deepEqual([toResonanceError(enoent).code, toResonanceError(enoent).message], ['FILE_NOT_FOUND', '/x/a.wav: no such file or folder']);
  const erofs = Object.assign(new Error('EROFS'), { code: 'EROFS', path: '/ro/out.wav', syscall: 'open' });
  assert.equal(toResonanceError(erofs).code, 'READ_ONLY');
  const odd = Object.assign(new Error('EXDEV: cross-device link'), { code: 'EXDEV', path: '/a', syscall: 'rename' });
  assert.deepEqual([toResonanceError(odd).code, toResonanceError(odd).message], ['IO_ERROR', '/a: rename failed (EXDEV)']);
  const fault = toResonanceError(new TypeError('x is undefined\n    at somewhere'));
  assert.deepEqual([fault.code, fault.message], ['INTERNAL', 'x is undefined']);
});
