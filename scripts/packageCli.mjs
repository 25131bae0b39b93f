// `npm run package:cli`: the command-line tool alone, as resonance-cli-VERSION.tgz, for machines
// with Node.js and no VS Code (training boxes). The CLI and its worker threads are bundled with
// every dependency, so the package has no dependencies to fetch: `npm install -g ./resonance-cli-*.tgz`
// works offline. `--out DIR` writes the tarball there instead of the project folder.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outIndex = process.argv.indexOf('--out');
const destination = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : root;
const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stage = join(root, 'out', 'cli-package');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  outdir: stage,
};
// The same entry points as scripts/build.mjs, side by side: the pools find their workers by __dirname.
await esbuild.build({ ...node, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } });
await esbuild.build({ ...node, entryPoints: { frameWorker: 'src/codec/pipeline/frameWorker.ts', datasetWorker: 'src/dataset/datasetWorker.ts' } });
// libwebp's WebAssembly, read by @cwasm/webp from beside its (bundled) code.
copyFileSync(createRequire(join(root, 'package.json')).resolve('@cwasm/webp/webp.wasm'), join(stage, 'webp.wasm'));
copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));

const manifest = {
  name: 'resonance-cli',
  version: project.version,
  description: `${project.description} The command-line tool, without VS Code.`,
  license: project.license,
  keywords: project.keywords,
  bin: { resonance: 'cli.js' },
  engines: { node: project.engines.node },
  files: ['*.js', '*.txt', '*.wasm', 'LICENSE', 'README.md'],
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(
  join(stage, 'README.md'),
  [
    '# resonance-cli',
    '',
    `The \`resonance\` command of Resonance ${project.version}: WAV audio into PNG frames and back, bit-exact, and training`,
    'datasets of such images. Everything is bundled: it needs Node.js 20 or later and nothing else.',
    '',
    '    npm install -g ./resonance-cli-' + project.version + '.tgz',
    '    resonance --help',
    '',
  ].join('\n'),
);

mkdirSync(destination, { recursive: true });
const pack = spawnSync('npm', ['pack', '--pack-destination', destination, '--json'], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (pack.status !== 0) process.exit(pack.status ?? 1);
const [{ filename, files }] = JSON.parse(pack.stdout);
console.log(`${join(destination, filename)}: ${files.map((file) => file.path).join(', ')}`);
