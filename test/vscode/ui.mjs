// UI tests in the real workbench (code-server + chromium through playwright-core): what a user does
// with the mouse, checked on screen and on disk, with a screenshot of every step.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace the UI tests start from: a WAV with an upper-case extension, and a long one to cancel. */
export function prepareUiWorkspace(workspace, fixture) {
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'Pluck.WAV'), readFileSync(fixture));
  writeFileSync(join(workspace, 'long.wav'), sawtoothWav(32 * 1024 * 1024));
}

/** A 16-bit stereo WAV of `dataLength` bytes. */
export function sawtoothWav(dataLength) {
  const wav = Buffer.alloc(44 + dataLength);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + dataLength, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(2, 22);
  wav.writeUInt32LE(44100, 24);
  wav.writeUInt32LE(44100 * 4, 28);
  wav.writeUInt16LE(4, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(dataLength, 40);
  for (let i = 44; i < wav.length; i++) wav[i] = i & 0xff;
  return wav;
}

/**
 * Runs the steps in order; a step that fails stops the rest (they depend on it), and those count
 * as failed too. Returns the counts.
 */
export async function runUiTests({ page, server, workspace, fixture, shots }) {
  mkdirSync(shots, { recursive: true });
  let shot = 0;
  const screenshot = async (name) => {
    await page.waitForTimeout(300); // menus and toasts fade in
    await page.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-${name}.png`) });
  };
  const explorerRow = (name) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
  const contextMenu = page.locator('.context-view .monaco-menu');
  const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
  const menuItems = async () => (await contextMenu.locator('.action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
  const rightClick = async (name) => {
    await explorerRow(name).click({ button: 'right' });
    await contextMenu.waitFor();
  };
  const clearNotifications = async () => {
    await runCommand('Notifications: Clear All Notifications');
  };
  const runCommand = async (title) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
  };

  const steps = [
    ['the workbench opens on the workspace and the Explorer lists the WAV', async () => {
      await page.goto(server.folderUrl(workspace));
      await page.locator('.monaco-workbench').waitFor();
      await explorerRow('Pluck.WAV').waitFor({ timeout: 60_000 });
      await screenshot('workbench');
    }],
    ['right-clicking Pluck.WAV shows Encode to images (and not the folder commands)', async () => {
      await rightClick('Pluck.WAV');
      const items = await menuItems();
      await screenshot('wav-context-menu');
      assert.ok(items.includes('Encode to images'), `menu: ${items.join(' | ')}`);
      assert.ok(!items.includes('Decode folder to WAV'), `menu: ${items.join(' | ')}`);
    }],
    ['clicking Encode to images makes the frames folder appear, with a notification', async () => {
      await contextMenu.locator('.action-item', { hasText: 'Encode to images' }).click();
      await explorerRow('Pluck_frames').waitFor({ timeout: 30_000 });
      await toast('Encoded Pluck.WAV into').waitFor({ timeout: 30_000 });
      await screenshot('encoded');
      assert.ok(existsSync(join(workspace, 'Pluck_frames', 'resonance.json')), 'resonance.json is on disk');
    }],
    ['right-clicking the frames folder shows Decode folder to WAV and Preview frames', async () => {
      await clearNotifications();
      await rightClick('Pluck_frames');
      const items = await menuItems();
      await screenshot('folder-context-menu');
      assert.ok(items.includes('Decode folder to WAV'), `menu: ${items.join(' | ')}`);
      assert.ok(items.includes('Preview frames'), `menu: ${items.join(' | ')}`);
      assert.ok(!items.includes('Encode to images'), `menu: ${items.join(' | ')}`);
    }],
    ['clicking Decode folder to WAV makes the WAV appear, bit-exact', async () => {
      await contextMenu.locator('.action-item', { hasText: 'Decode folder to WAV' }).click();
      await explorerRow('Pluck_frames.wav').waitFor({ timeout: 30_000 });
      await toast('bit-exact').waitFor({ timeout: 30_000 });
      await screenshot('decoded');
      assert.ok(readFileSync(join(workspace, 'Pluck_frames.wav')).equals(readFileSync(fixture)), 'the decoded WAV is the original, byte for byte');
    }],
    ['from the Command Palette, Encode to images asks for the file, then whether to replace the existing output', async () => {
      await clearNotifications();
      await runCommand('Resonance: Encode to images');
      // code-server's open dialog is a quick pick with the path as text.
      const input = page.locator('.quick-input-widget input');
      await page.waitForFunction(() => document.querySelector('.quick-input-widget input')?.value.endsWith('/'));
      await input.fill(join(workspace, 'Pluck.WAV'));
      await screenshot('open-dialog');
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      await screenshot('output-exists-dialog');
      await dialog.locator('.monaco-button', { hasText: 'Keep Both' }).click();
      await explorerRow('Pluck_frames (2)').waitFor({ timeout: 30_000 });
      await toast('Encoded Pluck.WAV into').waitFor({ timeout: 30_000 });
      await screenshot('kept-both');
    }],
    ['width and height that are not multiples of the expansion: an error with Open Settings, and nothing written', async () => {
      await clearNotifications();
      mkdirSync(join(workspace, '.vscode'), { recursive: true });
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'resonance.width': 100, 'resonance.pixelExpansion': 3 }, null, 2));
      const error = toast('must both be multiples of the pixel expansion 3');
      // The workbench notices the settings file on its own time: try until it refuses.
      for (let attempt = 0; attempt < 20 && !(await error.isVisible()); attempt++) {
        await rightClick('Pluck.WAV');
        await contextMenu.locator('.action-item', { hasText: 'Encode to images' }).click();
        await error.waitFor({ timeout: 1500 }).catch(() => {});
        if (!(await error.isVisible())) {
          await clearNotifications();
          for (const name of readdirSync(workspace).filter((entry) => entry.startsWith('Pluck_frames (3)'))) rmSync(join(workspace, name), { recursive: true, force: true });
        }
      }
      await error.waitFor({ timeout: 1000 });
      await screenshot('invalid-settings');
      assert.deepEqual(readdirSync(workspace).filter((name) => name.startsWith('Pluck_frames')).sort(), ['Pluck_frames', 'Pluck_frames (2)', 'Pluck_frames.wav']);
      await error.locator('.monaco-button', { hasText: 'Open Settings' }).click();
      await page.locator('.settings-editor').waitFor({ timeout: 30_000 });
      await page.locator('.settings-editor .setting-item', { hasText: 'Pixel Expansion' }).first().waitFor({ timeout: 30_000 });
      await screenshot('settings-editor');
    }],
    ['cancelling from the progress notification leaves nothing behind', async () => {
      await runCommand('View: Close All Editors');
      await clearNotifications();
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'resonance.width': 32, 'resonance.height': 32 }, null, 2));
      await page.waitForTimeout(1500); // the workbench reads the settings file
      await rightClick('long.wav');
      await contextMenu.locator('.action-item', { hasText: 'Encode to images' }).click();
      const progress = toast('Encoding long.wav');
      await progress.waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => /\d+ of \d+ frames/.test(document.querySelector('.notifications-toasts')?.textContent ?? ''), undefined, { timeout: 30_000 });
      await screenshot('encoding-progress');
      assert.ok(readdirSync(workspace).some((name) => name.startsWith('.long_frames.partial-')), 'the job is writing its partial output');
      await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await progress.waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('.statusbar', { hasText: 'encoding cancelled' }).waitFor({ timeout: 30_000 });
      await screenshot('cancelled');
      for (let wait = 0; wait < 50 && readdirSync(workspace).some((name) => name.includes('long_frames')); wait++) await page.waitForTimeout(100);
      assert.deepEqual(readdirSync(workspace).filter((name) => name.includes('long_frames')), []);
    }],
  ];

  let passed = 0;
  let failed = 0;
  let stopped = false;
  for (const [name, run] of steps) {
    if (stopped) {
      console.log(`  - ${name} (not run: an earlier step failed)`);
      failed++;
      continue;
    }
    try {
      await run();
      console.log(`  ✔ ${name}`);
      passed++;
    } catch (error) {
      console.log(`  ✘ ${name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
      await page.screenshot({ path: join(shots, `failed-${String(shot + 1).padStart(2, '0')}.png`) }).catch(() => {});
      failed++;
      stopped = true;
    }
  }
  return { passed, failed };
}
