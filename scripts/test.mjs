// `npm test`: type-checks and compiles, runs the unit tests with node's test runner, then the tests
// on a real one-node Slurm cluster (out/test/cluster/slurm.js), in a real VS Code (test/vscode/run.mjs:
// extension host and UI) twice, the engines floor and the newest code-server, and ends with one line
// "N passed, N failed" that counts every stage.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';

const run = (command, args, options = {}) => spawnSync(command, args, { stdio: 'inherit', ...options }).status ?? 1;
const totals = { passed: 0, failed: 0 };

function finish() {
  if (installer.exitCode === null) installer.kill();
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

// The test VS Codes install in the background (test/vscode/install.mjs) while the stages before them
// run: on two cores the unit tests keep one busy, and the installs are mostly download and native
// builds (decisions §28).
mkdirSync('out', { recursive: true });
const INSTALL_LOG = 'out/vscode-install.log';
const installStarted = performance.now();
const installLog = openSync(INSTALL_LOG, 'w');
const installer = spawn('node', ['test/vscode/install.mjs'], { stdio: ['ignore', installLog, installLog] });
const installing = new Promise((resolve) => {
  installer.on('error', () => resolve(1));
  installer.on('exit', (code) => resolve(code ?? 1));
});
closeSync(installLog);

// The layers are also checked each with only the types it may use: the pure format with neither
// Node's nor the DOM's, the webview without Node's, the Node side without the DOM's.
const LAYER_CHECKS = ['src/codec/format', 'src/webview', 'tsconfig.node.json'];
const built = () => run('npx', ['tsc', '-p', '.']) === 0 && run('npx', ['tsc', '-p', 'test/vscode']) === 0 && LAYER_CHECKS.every((project) => run('npx', ['tsc', '-p', project]) === 0);
if (!built() || run('node', ['scripts/build.mjs']) !== 0) {
  totals.failed++;
  console.error('the build failed');
  finish();
}

// ESLint (eslint.config.mjs: floating promises, unused code, explicit any), one counted stage.
if (run('npx', ['eslint', '.']) === 0) totals.passed++;
else {
  totals.failed++;
  console.error('ESLint found problems');
}

const unitStatus = run('node', ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=out/unit.tap', 'out/test/']);
const tap = readFileSync('out/unit.tap', 'utf8');
const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
totals.passed += count('pass');
totals.failed += count('fail') + (unitStatus !== 0 && count('fail') === 0 ? 1 : 0);
console.log(`unit tests: ${count('pass')} passed, ${count('fail')} failed`);

/** A stage that writes its own counts as {"passed": N, "failed": N}; a stage that dies without them counts as one failure. */
function countedStage(name, command, args, env = {}) {
  const results = `out/${name}-results.json`;
  rmSync(results, { force: true });
  const started = performance.now();
  const status = run(command, [...args, '--results', results], { env: { ...process.env, ...env } });
  console.log(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const counts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passed: 0, failed: 0 };
  totals.passed += counts.passed;
  totals.failed += counts.failed + (status !== 0 && counts.failed === 0 ? 1 : 0);
}

countedStage('slurm', 'node', ['out/test/cluster/slurm.js']);
// A failed background install is shown here; run.mjs then installs in the foreground, and fails with its own output.
const installStatus = await installing;
console.log(`vscode install (in the background): ${installStatus === 0 ? 'done' : 'FAILED'} after ${((performance.now() - installStarted) / 1000).toFixed(0)} s`);
if (installStatus !== 0) console.log(readFileSync(INSTALL_LOG, 'utf8'));
countedStage('vscode', 'node', ['test/vscode/run.mjs']);
// Every suite again on the newest code-server of the npm registry, where users are: it and the Node
// it needs come from the npm registry (codeServer.mjs). With the installs in the background this fits
// well under 20 minutes (decisions §33).
countedStage('vscode-newest', 'node', ['test/vscode/run.mjs'], { RESONANCE_VSCODE: 'newest' });

finish();
