import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../helpers/paths';

/** The deprecated toolkit stays in src/webview/views/, so that replacing it touches that folder only (docs/decisions.md §8). */
const VIEWS = 'src/webview/views/';
const IMPORTS_TOOLKIT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]@vscode\/webview-ui-toolkit\b/;
/** A toolkit element (`vscode-button`, `VSCODE-DROPDOWN`…); not a theme variable (`--vscode-…`) nor a package name (`@vscode/…`). */
const NAMES_TOOLKIT_ELEMENT = /(?<![\w@/.-])vscode-[a-z]/i;

function sources(folder: string): string[] {
  return readdirSync(join(PROJECT_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js|css|html)$/.test(entry.name))
    .map((entry) => relative(PROJECT_ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

function matching(files: string[], pattern: RegExp): string[] {
  return files.filter((file) => pattern.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')));
}

const files = [...sources('src'), ...sources('media')];

test('only views/toolkit.ts imports the toolkit', () => {
  assert.deepEqual(matching(files, IMPORTS_TOOLKIT), [`${VIEWS}toolkit.ts`]);
});

test('nothing outside src/webview/views/ names a toolkit element: not the keyboard, the screen, the page nor the stylesheet', () => {
  const naming = matching(files, NAMES_TOOLKIT_ELEMENT);
  assert.ok(
    naming.includes(`${VIEWS}toolbarPanel.ts`) && naming.includes(`${VIEWS}controls.ts`),
    `the pattern finds the views' elements: ${naming.join(', ')}`,
  );
  assert.deepEqual(
    naming.filter((file) => !file.startsWith(VIEWS)),
    [],
  );
});

test("the toolkit gets the page's nonce from the running script, before it loads", () => {
  const appended: Array<{ property: string | undefined; content: string | undefined }> = [];
  const meta = () => {
    const attributes = new Map<string, string>();
    return { setAttribute: (name: string, value: string) => attributes.set(name, value), attributes };
  };
  const run = (nonce: string | undefined) => {
    const path = require.resolve('../../../src/webview/views/toolkitNonce');
    delete require.cache[path];
    const document = {
      currentScript: nonce === undefined ? null : { nonce },
      createElement: (tag: string) => (assert.equal(tag, 'meta'), meta()),
      head: {
        append: (element: ReturnType<typeof meta>) =>
          appended.push({ property: element.attributes.get('property'), content: element.attributes.get('content') }),
      },
    };
    Object.assign(globalThis, { document });
    try {
      require(path);
    } finally {
      Reflect.deleteProperty(globalThis, 'document');
    }
  };
  run('N0nce');
  assert.deepEqual(appended, [{ property: 'csp-nonce', content: 'N0nce' }], 'FAST tags its :focus-visible probe with this');
  run(undefined);
  assert.equal(appended.length, 1, 'no nonce, no meta');
});
