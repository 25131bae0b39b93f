/**
 * The house rule "no exports kept only for tests" (issue 11, item 8): every value a file in src/
 * exports is used by another file of src/ (or of bench/, whose measurements `npm run bench` runs),
 * unless the file is an entry point of scripts/build.mjs, whose exports VS Code or Node call, or the
 * value is part of the codec library's public API: what src/codec/index.ts exports (README: "a
 * TypeScript codec library"; the file says it is the API for anyone scripting). A
 * test goes through the code that uses a helper, so that it tests what runs; types are left out,
 * as they name the parameters and results of functions that are used.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { PROJECT_ROOT } from '../helpers/paths';

/** The value exports, as `file: name`, declared in src/ and used by no other file of src/ or bench/. */
function testOnlyExports(
  root: string,
  fileNames: readonly string[],
  options: ts.CompilerOptions,
  entries: ReadonlySet<string>,
  publicApi: ReadonlySet<string> = new Set(),
): string[] {
  const program = ts.createProgram({ rootNames: fileNames, options: { ...options, noEmit: true } });
  const checker = program.getTypeChecker();
  const relativeName = (file: string): string => relative(root, file).split(sep).join('/');
  const original = (symbol: ts.Symbol): ts.Symbol => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const usedBy = new Map<ts.Symbol, Set<string>>();
  const ours = program.getSourceFiles().filter((file) => !file.isDeclarationFile && !relativeName(file.fileName).startsWith('node_modules/'));
  for (const file of ours) {
    const name = relativeName(file.fileName);
    if (!name.startsWith('src/') && !name.startsWith('bench/')) continue;
    const visit = (node: ts.Node): void => {
      // `export … from` passes a name on without using it: an index's re-export is no use.
      if (ts.isExportDeclaration(node)) return;
      if (ts.isIdentifier(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        if (symbol) {
          const target = original(symbol);
          if (!usedBy.has(target)) usedBy.set(target, new Set());
          usedBy.get(target)?.add(name);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  // What a public entry exports is used by the library's users, wherever in src/ it is declared.
  const published = new Set<ts.Symbol>();
  for (const file of ours) {
    const module = publicApi.has(relativeName(file.fileName)) ? checker.getSymbolAtLocation(file) : undefined;
    for (const exported of module ? checker.getExportsOfModule(module) : []) published.add(original(exported));
  }
  const found: string[] = [];
  for (const file of ours) {
    const name = relativeName(file.fileName);
    const module = checker.getSymbolAtLocation(file);
    if (!name.startsWith('src/') || entries.has(name) || !module) continue;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = original(exported);
      const declaration = symbol.declarations?.[0];
      if (!declaration || declaration.getSourceFile() !== file || !(symbol.flags & ts.SymbolFlags.Value)) continue;
      if (published.has(symbol)) continue;
      if (![...(usedBy.get(symbol) ?? [])].some((user) => user !== name)) found.push(`${name}: ${exported.name}`);
    }
  }
  return found.sort();
}

/** The entry points esbuild bundles, as scripts/build.mjs names them. */
function entryPoints(): Set<string> {
  const build = readFileSync(join(PROJECT_ROOT, 'scripts', 'build.mjs'), 'utf8');
  return new Set([...build.matchAll(/entryPoints: \{([^}]*)\}/g)].flatMap((match) => [...match[1].matchAll(/'([^']+\.ts)'/g)].map((path) => path[1])));
}

test('the check finds an export that only a test uses, and not one that another source file uses, an entry point or the public API', () => {
  const root = mkdtempSync(join(tmpdir(), 'resonance-exports-'));
  try {
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'test'));
    const files = {
      'src/helpers.ts': 'export const used = 1;\nexport function onlyForTests(): number { return used; }\nexport type Kind = number;\n',
      'src/index.ts': "export { onlyForTests } from './helpers';\n",
      'src/main.ts': "import { used } from './helpers';\nexport function activate(): number { return used; }\n",
      'test/helpers.test.ts': "import { onlyForTests } from '../src/helpers';\nimport { activate } from '../src/main';\nonlyForTests(); activate();\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
    const names = Object.keys(files).map((name) => join(root, name));
    const options = { strict: true, module: ts.ModuleKind.CommonJS, noLib: true, types: [] };
    assert.deepEqual(testOnlyExports(root, names, options, new Set(['src/main.ts'])), ['src/helpers.ts: onlyForTests']);
    assert.deepEqual(testOnlyExports(root, names, options, new Set()), ['src/helpers.ts: onlyForTests', 'src/main.ts: activate']);
    assert.deepEqual(testOnlyExports(root, names, options, new Set(['src/main.ts']), new Set(['src/index.ts'])), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('no value exported from src/ is used only by tests', () => {
  const config = ts.getParsedCommandLineOfConfigFile(join(PROJECT_ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  assert.ok(config, 'tsconfig.json parses');
  const entries = entryPoints();
  const listed = `entry points read from scripts/build.mjs: ${[...entries].join(', ')}`;
  assert.ok(entries.has('src/extension/extension.ts') && entries.has('src/cli/main.ts'), listed);
  const found = testOnlyExports(PROJECT_ROOT, config.fileNames, config.options, entries, new Set(['src/codec/index.ts']));
  assert.deepEqual(found, [], 'exported for tests only: test through the caller, or un-export');
});
