// Tests in a real VS Code: (a) mocha inside the extension host, with the extension loaded from the
// project (extensionDevelopmentPath); (b) Playwright UI tests against the packaged .vsix installed
// in code-server. Installs code-server on first use; screenshots go to test-output/vscode/.
//
// usage: node test/vscode/run.mjs [--only SUITE[,SUITE…]] [--results FILE]; suites: ext-host, ui, frames-editor, gallery
// env:   PORT (default 8765): where code-server listens, on 127.0.0.1
//        RESONANCE_VSCODE=newest: the newest code-server on the npm registry instead of the engines floor (codeServer.mjs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { dirname, join } from 'node:path';
import { describeCodeServer, ensureCodeServer, launchBrowser, PROJECT_ROOT, startCodeServer } from './codeServer.mjs';
import { framesEditorUiTests } from './framesEditorUi.mjs';
import { galleryUiTests } from './galleryUi.mjs';
import { prepareUiWorkspace, runUiTests } from './ui.mjs';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const resultsFile = args.includes('--results') ? args[args.indexOf('--results') + 1] : undefined;
const PORT = Number(process.env.PORT ?? 8765);
const OUTPUT = join(PROJECT_ROOT, 'test-output', 'vscode');
const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'pluck-pcm16.wav');
const EXTENSION_TESTS = join(PROJECT_ROOT, 'out', 'vscode-test', 'extensionHost', 'index.js');
const EXT_HOST_TIMEOUT_MS = 5 * 60_000;

const totals = { passed: 0, failed: 0 };
const cleanups = [];
let stopping = false;

async function cleanUp() {
  while (cleanups.length > 0) await cleanups.pop()().catch((error) => console.error(`cleanup: ${error.message}`));
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await cleanUp();
    process.exit(130);
  });
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed`);
}

/** A run folder for one code-server: its HOME, TMPDIR, settings and workspace; removed afterwards. */
function newRunDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `resonance-${name}-`));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function withServerAndBrowser(runDir, options, body) {
  const server = await startCodeServer({ port: PORT, runDir, ...options });
  cleanups.push(() => server.stop());
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  try {
    return await body(server, browser.page);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function extensionHostTests() {
  console.log('\n[vscode] extension-host tests (mocha in code-server\'s extension host)');
  run('npx', ['tsc', '-p', 'test/vscode']);
  const runDir = newRunDir('ext-host');
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace);
  return withServerAndBrowser(runDir, { extensionDevelopment: true }, async (server, page) => {
    const lines = [];
    let finish;
    const exitCode = new Promise((resolve) => (finish = resolve));
    // The workbench calls these in extension-test mode: the log, then the exit code.
    await page.exposeFunction('codeAutomationLog', (_type, logArgs) => {
      const line = format(...logArgs);
      lines.push(line);
      if (!line.startsWith('RESONANCE_RESULTS ')) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await page.goto(server.folderUrl(workspace, server.developmentPayload(PROJECT_ROOT, EXTENSION_TESTS)));
    const timeout = new Promise((resolve) => setTimeout(resolve, EXT_HOST_TIMEOUT_MS, 'timeout'));
    const code = await Promise.race([exitCode, timeout]);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'extension-host-tests.png') }).catch(() => {});
    const summary = lines.find((line) => line.startsWith('RESONANCE_RESULTS '));
    if (!summary) {
      console.log(`[vscode] the extension-host tests did not report (exit: ${code}); see the log above`);
      return { passed: 0, failed: 1 };
    }
    const counts = JSON.parse(summary.slice('RESONANCE_RESULTS '.length));
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  });
}

/** The files in the .vsix: what the extension needs, nothing else. */
function checkVsix(vsix) {
  const listing = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
  if (listing.status !== 0) throw new Error(`cannot list ${vsix}: ${listing.stderr}`);
  const files = listing.stdout.trim().split('\n');
  const bundles = ['extension.js', 'frameWorker.js', 'webview.js', 'spectrumWorker.js'].map((name) => `extension/dist/${name}`);
  const needed = ['extension/package.json', ...bundles, 'extension/media/framesEditor.css', 'extension/readme.md', 'extension/LICENSE.txt'];
  const missing = needed.filter((file) => !files.some((each) => each.toLowerCase() === file.toLowerCase()));
  const unwanted = files.filter((file) => /\.map$|\.ts$|(^|\/)(node_modules|src|test|out|bench|scripts|\.vscode-test|test-output)\//.test(file));
  return { files, missing, unwanted };
}

async function uiTests() {
  console.log('\n[vscode] UI tests (Playwright on code-server with the packaged .vsix)');
  const runDir = newRunDir('ui');
  const vsix = join(runDir, 'resonance.vsix');
  run('npm', ['run', 'package', '--', '--out', vsix]);
  const counts = { passed: 0, failed: 0 };
  const { files, missing, unwanted } = checkVsix(vsix);
  if (missing.length === 0 && unwanted.length === 0) {
    console.log(`  ✔ the .vsix holds the bundles and nothing else (${files.length} files, ${(readFileSync(vsix).length / 1024).toFixed(0)} KiB)`);
    counts.passed++;
  } else {
    console.log(`  ✘ the .vsix: missing ${JSON.stringify(missing)}, unwanted ${JSON.stringify(unwanted)}`);
    counts.failed++;
  }
  const workspace = join(runDir, 'workspace');
  prepareUiWorkspace(workspace, FIXTURE);
  const shots = join(OUTPUT, 'ui');
  rmSync(shots, { recursive: true, force: true });
  const ui = await withServerAndBrowser(runDir, { vsix }, (server, page) => runUiTests({ page, server, workspace, fixture: FIXTURE, shots }));
  return { passed: counts.passed + ui.passed, failed: counts.failed + ui.failed };
}

async function main() {
  ensureCodeServer({ browser: true });
  console.log(`[vscode] ${describeCodeServer()}`);
  if (only === undefined || only.includes('ext-host')) {
    const counts = await extensionHostTests();
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
  if (only === undefined || only.includes('ui')) {
    const counts = await uiTests();
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
  if (only === undefined || only.includes('gallery')) {
    const packageVsix = (vsix) => run('npm', ['run', 'package', '--', '--out', vsix]);
    const counts = await galleryUiTests({ runDir: newRunDir('gallery'), shots: join(OUTPUT, 'gallery'), packageVsix, withServerAndBrowser });
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
  if (only === undefined || only.includes('frames-editor')) {
    const packageVsix = (vsix) => run('npm', ['run', 'package', '--', '--out', vsix]);
    const counts = await framesEditorUiTests({ runDir: newRunDir('frames-editor'), shots: join(OUTPUT, 'frames-editor'), packageVsix, withServerAndBrowser });
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
}

try {
  await main();
} catch (error) {
  console.error(`[vscode] ${error.stack ?? error}`);
  totals.failed++;
} finally {
  await cleanUp();
}
console.log(`[vscode] ${totals.passed} passed, ${totals.failed} failed`);
if (resultsFile) {
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(totals));
}
process.exit(totals.failed > 0 ? 1 : 0);
