// `npm start`: builds the extension, installs the test VS Code (code-server) on first use, and
// serves it on http://127.0.0.1:PORT with the extension loaded from this folder and a demo
// workspace holding WAV files. Ctrl-C stops it and removes the demo workspace.
// env: PORT (default 8765)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, PROJECT_ROOT, startCodeServer } from '../test/vscode/codeServer.mjs';
import { createDemoWorkspace } from './demoWorkspace.mjs';

const PORT = Number(process.env.PORT ?? 8765);

if (spawnSync('node', ['scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' }).status !== 0) {
  console.error('the build failed');
  process.exit(1);
}
ensureCodeServer();

const runDir = mkdtempSync(join(tmpdir(), 'resonance-start-'));
const workspace = createDemoWorkspace(join(runDir, 'demo'));
let server;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server…');
  await server?.stop();
  rmSync(runDir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  server = await startCodeServer({ port: PORT, runDir, extensionDevelopment: true });
} catch (error) {
  console.error(error.message);
  await stop(1);
}
const url = server.folderUrl(workspace, server.developmentPayload(PROJECT_ROOT));
console.log(`
Resonance is running in VS Code (code-server) with a demo workspace: ${workspace}
Open this URL in a browser on this machine (it listens on 127.0.0.1 only):

  ${url}

Right-click a .wav in the Explorer and choose Encode to images; right-click the frames folder for
Decode folder to WAV and Preview frames. After changing the code: npm run build, then reload the
window. code-server's log: ${join(runDir, 'code-server.log')}
Press Ctrl-C to stop.
`);
const { code, signal } = await server.exited;
if (!stopping) {
  console.error(`code-server stopped by itself (exit code ${code}, signal ${signal}); see its log above`);
  await stop(1);
}
