/** The house rule "lines ≤ 160 characters", over the code in src/ and test/, so that it stays kept. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../helpers/paths';

const LIMIT = 160;
const CODE = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.py', '.sh', '.css', '.html']);

function* codeFiles(folder: string): Generator<string> {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'fixtures') yield* codeFiles(path);
    } else if (CODE.has(extname(entry.name))) yield path;
  }
}

test(`no line of code in src/ or test/ is longer than ${LIMIT} characters`, () => {
  const long: string[] = [];
  for (const top of ['src', 'test']) {
    for (const file of codeFiles(join(PROJECT_ROOT, top))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          // Characters as people count them: a code point each, as an editor's column does.
          const length = [...line].length;
          if (length > LIMIT) long.push(`${relative(PROJECT_ROOT, file)}:${index + 1} (${length})`);
        });
    }
  }
  assert.deepEqual(long, [], `lines over ${LIMIT} characters:\n${long.join('\n')}`);
});
