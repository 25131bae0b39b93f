// Installs the test VS Codes ahead of their stages: the engines floor, then the newest code-server
// (codeServer.mjs's ensureCodeServer, which does nothing for one already installed). scripts/test.mjs
// runs this in the background while the build, the unit tests and the Slurm stage run, so that the
// installs (mostly download and native builds, 1.5 and 3.5 minutes cold) do not add to the run.
//
// usage: node test/vscode/install.mjs [floor|newest]...   (default: both, one after the other)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['floor', 'newest'];
const self = fileURLToPath(import.meta.url);
if (process.env.RESONANCE_INSTALL_ONE) {
  // VSCODE_TARGET is read once, when codeServer.mjs loads, so each target is its own process.
  const { ensureCodeServer } = await import('./codeServer.mjs');
  ensureCodeServer({ browser: true });
} else {
  for (const target of targets) {
    const env = { ...process.env, RESONANCE_INSTALL_ONE: '1', RESONANCE_VSCODE: target === 'newest' ? 'newest' : '' };
    const status = spawnSync(process.execPath, [self], { stdio: 'inherit', env }).status;
    if (status !== 0) {
      console.error(`[vscode] installing the ${target} code-server failed (exit ${status})`);
      process.exit(1);
    }
  }
}
