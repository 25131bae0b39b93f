// Bundles every entry point with esbuild. `--watch` rebuilds on change; `--production` minifies.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  // The CLI, the extension and the frame worker sit side by side in dist/: the pool finds the worker
  // by __dirname. Everything but `vscode` is bundled, so the .vsix needs no node_modules.
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { frameWorker: 'src/codec/pipeline/frameWorker.ts', datasetWorker: 'src/dataset/datasetWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The frames editor's webview: one browser script with the webview UI toolkit bundled in.
  { bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', sourcemap: !production, minify: production, logLevel: 'warning', entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'dist' },
  // The samples gallery and dataset browser: its own page script, so the sequence editor's page stays as small.
  { bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', sourcemap: !production, minify: production, logLevel: 'warning', entryPoints: { gallery: 'src/webview/gallery/main.ts' }, outdir: 'dist' },
  // The spectrum worker: the STFT off the page's thread, loaded by the page from beside webview.js.
  { bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', sourcemap: !production, minify: production, logLevel: 'warning', entryPoints: { spectrumWorker: 'src/webview/spectrum/spectrumWorker.ts' }, outdir: 'dist' },
];

if (watch) {
  await Promise.all(builds.map(async (options) => (await esbuild.context(options)).watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

// libwebp's WebAssembly, which @cwasm/webp reads from beside its code: beside the bundles here.
mkdirSync('dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('@cwasm/webp/webp.wasm'), 'dist/webp.wasm');
