// A real VS Code for tests and `npm start`: code-server from npm, installed in its own prefix
// (.vscode-test/, git-ignored), started hermetically on 127.0.0.1 and stopped by process group;
// Debian's chromium driven by playwright-core for the tests. Two VS Codes: by default code-server
// 4.100.3 (VS Code 1.100.3, the engines floor) on this Node; with RESONANCE_VSCODE=newest the newest
// code-server on the npm registry, on the Node major it asks for (24 today, newer than these
// machines have), brought as the npm registry's `node` package, which ships Node's binaries.
// Used by test/vscode/run.mjs, scripts/start.mjs and the frames editor's UI tests.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const VSCODE_TARGET = process.env.RESONANCE_VSCODE === 'newest' ? 'newest' : 'floor';
const FLOOR_CODE_SERVER_VERSION = '4.100.3';
export const PLAYWRIGHT_VERSION = '1.65.1';
export const PREFIX = join(PROJECT_ROOT, '.vscode-test', VSCODE_TARGET === 'newest' ? 'code-server-newest' : 'code-server');
/** The newest code-server's own Node, from the npm registry's `node` package: its bin/ goes first on the PATH. */
const NODE_PREFIX = join(PROJECT_ROOT, '.vscode-test', 'node');
export const CHROMIUM = '/usr/bin/chromium';
const CODE_SERVER_BIN = join(PREFIX, 'node_modules', '.bin', 'code-server');
const INSTALLED_MARKER = join(PREFIX, 'installed.json');

/** What code-server's native modules need to build, and ripgrep to stand in for a GitHub download. */
const APT_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'ripgrep'];
const RIPGREP_VERSION_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const log = (message) => console.log(`[vscode] ${message}`);

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function missingPrerequisites({ browser }) {
  const missing = [];
  if (!commandExists('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
  if (!commandExists('c++') || !commandExists('make')) missing.push('build-essential');
  if (!commandExists('python3')) missing.push('python3');
  if (!commandExists('pkg-config')) missing.push('pkg-config');
  if (browser && !existsSync(CHROMIUM)) missing.push('chromium');
  return missing;
}

/** Installs the Debian packages code-server needs (and chromium for tests) when they are missing. */
export function ensurePrerequisites({ browser = false } = {}) {
  const missing = missingPrerequisites({ browser });
  if (missing.length === 0) return;
  const canApt = process.getuid?.() === 0 && commandExists('apt-get');
  const packages = [...new Set([...missing.filter((name) => !APT_PACKAGES.includes(name)), ...APT_PACKAGES.filter((name) => missing.includes(name))])];
  if (!canApt) throw new Error(`missing system packages: ${packages.join(' ')} (install them with: sudo apt-get install ${packages.join(' ')})`);
  log(`installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
  ]) {
    if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) throw new Error(`apt-get ${args[0]} failed`);
  }
}

const installed = () => (existsSync(CODE_SERVER_BIN) && existsSync(INSTALLED_MARKER) ? JSON.parse(readFileSync(INSTALLED_MARKER, 'utf8')) : undefined);

function npmView(spec, field) {
  const view = spawnSync('npm', ['view', spec, field, '--json'], { encoding: 'utf8' });
  return view.status === 0 && view.stdout.trim() ? JSON.parse(view.stdout) : undefined;
}

/** The code-server to run, and the Node major it needs when that is not this Node's (undefined then). */
function wantedCodeServer() {
  if (VSCODE_TARGET === 'floor') return { codeServer: FLOOR_CODE_SERVER_VERSION, playwrightCore: PLAYWRIGHT_VERSION };
  const version = npmView('code-server', 'version');
  if (!version) {
    const previous = installed();
    if (previous) {
      log(`the npm registry did not answer: using the code-server ${previous.codeServer} installed before`);
      return previous;
    }
    throw new Error('cannot ask the npm registry for the newest code-server (npm view code-server version failed)');
  }
  const engine = String(npmView(`code-server@${version}`, 'engines.node') ?? '').match(/\d+/)?.[0];
  const node = engine && engine !== process.versions.node.split('.')[0] ? engine : undefined;
  return { codeServer: version, playwrightCore: PLAYWRIGHT_VERSION, ...(node ? { node } : {}) };
}

/** Node's bin/ folder and headers for the given major, from the npm registry's `node` package, installed once. */
function ensureNode(major) {
  const packageDir = join(NODE_PREFIX, 'node_modules', 'node');
  const marker = join(NODE_PREFIX, 'installed.json');
  if (!existsSync(marker) || JSON.parse(readFileSync(marker, 'utf8')).major !== major) {
    log(`installing Node ${major} from the npm registry's node package into ${NODE_PREFIX}`);
    rmSync(NODE_PREFIX, { recursive: true, force: true });
    mkdirSync(NODE_PREFIX, { recursive: true });
    // `node` installs the binaries of node-<platform>-<arch> (of the same version) in its postinstall.
    writeFileSync(
      join(NODE_PREFIX, 'package.json'),
      `${JSON.stringify({ private: true, dependencies: { node: `^${major}` }, allowScripts: { node: true } }, null, 2)}\n`,
    );
    const install = spawnSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund'], {
      cwd: NODE_PREFIX,
      stdio: 'inherit',
      env: withoutNpmVariables(process.env),
    });
    if (install.status !== 0) throw new Error(`installing the node package failed (npm exit code ${install.status})`);
    writeFileSync(marker, JSON.stringify({ major }));
  }
  const platformDir = [join(packageDir, 'node_modules'), join(NODE_PREFIX, 'node_modules')]
    .flatMap((dir) => [`node-${process.platform}-${process.arch}`].map((name) => join(dir, name)))
    .find((dir) => existsSync(join(dir, 'bin', 'node')));
  if (!platformDir) throw new Error(`the node package installed no node-${process.platform}-${process.arch} binaries under ${NODE_PREFIX}`);
  return { bin: join(platformDir, 'bin'), headers: platformDir };
}

/**
 * The environment without the npm_* variables of an `npm test` this runs under: npm reads them as
 * its own configuration, and code-server's postinstall judges the Node it runs on by
 * npm_config_user_agent, which an outer npm on Node 20 would have set to "node/v20" (measured: the
 * newest code-server refused to install under `npm test`, and installed when run directly).
 */
function withoutNpmVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/** The environment code-server and its installs run in: the newest one's own Node first on the PATH. */
function codeServerEnv(base = process.env) {
  const node = installed()?.node;
  return node ? { ...base, PATH: `${ensureNode(node).bin}:${base.PATH ?? ''}` } : base;
}

/** The VS Code the tests run, for their logs: `code-server 4.100.3 (VS Code 1.100.3) on Node v20.20.2`. */
export function describeCodeServer() {
  const env = codeServerEnv();
  const nodeVersion = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
  const versionOf = (path) => JSON.parse(readFileSync(join(PREFIX, 'node_modules', 'code-server', path), 'utf8')).version;
  return `code-server ${versionOf('package.json')} (VS Code ${versionOf('lib/vscode/package.json')}) on Node ${nodeVersion}`;
}

/** Installs code-server and playwright-core into PREFIX unless they are already there. */
export function ensureCodeServer({ browser = false } = {}) {
  ensurePrerequisites({ browser });
  const wanted = wantedCodeServer();
  if (JSON.stringify(installed()) === JSON.stringify(wanted)) return;
  log(
    `installing code-server ${wanted.codeServer}${wanted.node ? ` (on Node ${wanted.node})` : ''} and playwright-core ${PLAYWRIGHT_VERSION} into ` +
      `${PREFIX} (a minute or two, once)`,
  );
  const node = wanted.node ? ensureNode(wanted.node) : undefined;
  const started = Date.now();
  rmSync(PREFIX, { recursive: true, force: true });
  mkdirSync(PREFIX, { recursive: true });
  // npm 11 runs dependencies' install scripts only when package.json allows them. code-server's
  // postinstall installs VS Code's own dependencies (node-pty, @parcel/watcher, kerberos, ...) with
  // a nested `npm install` in its lib/vscode project, which has no policy of its own and builds them;
  // argon2 (password auth, unused with `auth: none`) is loaded at start-up, so it is built too.
  writeFileSync(
    join(PREFIX, 'package.json'),
    JSON.stringify(
      {
        private: true,
        description: 'The VS Code the Resonance tests and `npm start` run (see test/vscode/codeServer.mjs).',
        dependencies: { 'code-server': wanted.codeServer, 'playwright-core': PLAYWRIGHT_VERSION },
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    ) + '\n',
  );
  // @vscode/ripgrep's postinstall downloads rg from GitHub, unless its cache (under TMPDIR) has it:
  // hand it Debian's rg instead.
  const seed = mkdtempSync(join(tmpdir(), 'resonance-rg-seed-'));
  try {
    mkdirSync(join(seed, RIPGREP_VERSION_DIR));
    const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
    copyFileSync(rg, join(seed, 'rg'));
    if (spawnSync('tar', ['czf', join(seed, RIPGREP_VERSION_DIR, RIPGREP_ARCHIVE), '-C', seed, 'rg']).status !== 0)
      throw new Error('could not pack rg for the ripgrep cache');
    const env = {
      ...withoutNpmVariables(process.env),
      // npm itself (`#!/usr/bin/env node`), the install scripts and node-gyp run on code-server's Node.
      ...(node ? { PATH: `${node.bin}:${process.env.PATH ?? ''}` } : {}),
      TMPDIR: seed,
      // code-server's postinstall stops as root without unsafe_perm; node-pty runs `npx node-gyp`,
      // which must not prompt; nodedir builds native modules against the installed headers.
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_nodedir: node ? node.headers : '/usr',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    const install = spawnSync('npm', ['install', '--no-package-lock'], { cwd: PREFIX, stdio: 'inherit', env });
    if (install.status !== 0 || !existsSync(CODE_SERVER_BIN))
      throw new Error(`installing code-server failed (npm exit code ${install.status}); see the output above`);
  } finally {
    rmSync(seed, { recursive: true, force: true });
  }
  writeFileSync(INSTALLED_MARKER, JSON.stringify(wanted));
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** The default user settings of a test or demo VS Code: quiet, no telemetry, no updates, no git. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'remote.autoForwardPorts': false,
};

/**
 * What lets the workbench honour the `payload` of extension development and tests. In VS Code 1.139
 * (not yet in 1.100) a built web workbench ignores extensionDevelopmentPath and extensionTestsPath in
 * the URL unless the server runs with VS Code's `--enable-smoke-test-driver`: without it the extension
 * host starts with neither the project's extension nor its tests, and nothing ever reports back.
 * code-server passes VS Code options through with `--vscode-option` in the releases that need it;
 * older ones (4.100.3) have neither the option nor the check. Only for extension development: the
 * same switch also keeps notifications out of toasts (they go to the bell), which the UI tests read.
 */
function developmentArgs(env, extensionDevelopment) {
  if (!extensionDevelopment) return [];
  const help = spawnSync(CODE_SERVER_BIN, ['--help'], { env, encoding: 'utf8' });
  return /--vscode-option\b/.test(help.stdout ?? '') ? ['--vscode-option', 'enable-smoke-test-driver'] : [];
}

/**
 * A hermetic code-server: its own HOME, TMPDIR, user data and extensions under `runDir`, bound to
 * 127.0.0.1 only (webviews need a secure context, which loopback is), in a process group of its
 * own so that stopping it stops its extension host and file watcher too. `extensionDevelopment`:
 * the workbench is to load an extension (and tests) from folderUrl's payload (developmentPayload).
 */
export async function startCodeServer({
  port,
  runDir,
  settings = {},
  vsix,
  extensionDevelopment = false,
  log: logFile = join(runDir, 'code-server.log'),
  stdio = 'file',
}) {
  const home = join(runDir, 'home');
  const temp = join(runDir, 'tmp');
  const userData = join(runDir, 'user');
  const extensions = join(runDir, 'extensions');
  for (const folder of [home, temp, join(userData, 'User'), extensions]) mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(runDir, 'config.yaml'),
    [
      `bind-addr: 127.0.0.1:${port}`,
      'auth: none',
      'cert: false',
      'disable-telemetry: true',
      'disable-update-check: true',
      'disable-workspace-trust: true',
      '',
    ].join('\n'),
  );
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  const env = {
    ...codeServerEnv(),
    HOME: home,
    TMPDIR: temp,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  const args = [
    '--config',
    join(runDir, 'config.yaml'),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    ...developmentArgs(env, extensionDevelopment),
  ];
  if (vsix) {
    const installed = spawnSync(CODE_SERVER_BIN, [...args, '--install-extension', vsix], { env, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`code-server could not install ${vsix}: ${installed.stderr || installed.stdout}`);
  }
  if (await isListening(port)) throw new Error(`something is already listening on 127.0.0.1:${port}: set PORT to a free port`);
  const output = stdio === 'inherit' ? 'inherit' : openSync(logFile, 'a');
  const child = spawn(CODE_SERVER_BIN, args, { env, detached: true, stdio: ['ignore', output, output] });
  let exited = false;
  const exit = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolveExit({ code, signal });
    }),
  );
  const stopGroup = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', stopGroup);
  const server = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    temp,
    /** The workbench URL for a folder, optionally with workbench payload (extension development, tests). */
    folderUrl(folder, payload) {
      const query = `folder=${encodeURIComponent(folder)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
      return `${this.url}/?${query}`;
    },
    /** Extension development (and tests) for code-server: paths on the server, as vscode-remote Uris. */
    developmentPayload(extensionPath, testsPath) {
      const payload = [['extensionDevelopmentPath', `vscode-remote://${this.host}${extensionPath}`]];
      if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${this.host}${testsPath}`]);
      return payload;
    },
    /** Stops code-server and everything it started; waits for it, then kills what is left. */
    async stop() {
      process.removeListener('exit', stopGroup);
      if (!exited) stopGroup();
      const timeout = new Promise((done) => setTimeout(done, 5000, 'timeout'));
      if ((await Promise.race([exit, timeout])) === 'timeout') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      // The group may outlive its leader for a moment: make sure no member is left.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // nothing left
      }
    },
    exited: exit,
  };
  const deadline = Date.now() + 30_000;
  while (!(await healthy(server.url))) {
    if (exited || Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not start on ${server.url}${stdio === 'file' ? `; see ${logFile}` : ''}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return server;
}

async function healthy(url) {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}

function isListening(port) {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Debian's chromium through playwright-core (from the code-server prefix), in a fresh profile. */
export async function launchBrowser({ profileDir, viewport = { width: 1400, height: 900 }, colorScheme } = {}) {
  const { chromium } = createRequire(join(PREFIX, 'package.json'))('playwright-core');
  const profile = profileDir ?? mkdtempSync(join(tmpdir(), 'resonance-chromium-'));
  // Chromium writes crash reports and caches under HOME whatever the profile: keep them in the profile.
  const home = join(profile, 'home');
  mkdirSync(home, { recursive: true });
  const context = await chromium.launchPersistentContext(join(profile, 'data'), {
    executablePath: CHROMIUM,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
    headless: true,
    viewport,
    colorScheme,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      if (!profileDir) rmSync(profile, { recursive: true, force: true });
    },
  };
}
