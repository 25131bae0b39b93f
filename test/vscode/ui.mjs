// UI tests in the real workbench (code-server + chromium through playwright-core): what a user does
// with the mouse, checked on screen and on disk, with a screenshot of every step.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sawtoothWav } from '../helpers/pcmWav.cjs';
import { workbench } from './steps.mjs';

/** The workspace the UI tests start from: a WAV with an upper-case extension, and a long one to cancel. */
export function prepareUiWorkspace(workspace, fixture) {
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'Pluck.WAV'), readFileSync(fixture));
  writeFileSync(join(workspace, 'long.wav'), sawtoothWav(32 * 1024 * 1024));
}

/**
 * Runs the steps in order; a step that fails stops the rest (they depend on it), and those count
 * as failed too. Returns the counts.
 */
export async function runUiTests({ page, server, workspace, fixture, shots }) {
  const { screenshot, explorerRow, contextMenu, runCommand, runSteps } = workbench(page, shots);
  const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
  const menuItems = async () => (await contextMenu.locator('.action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
  const rightClick = async (name) => {
    await explorerRow(name).click({ button: 'right' });
    await contextMenu.waitFor();
    await page.waitForTimeout(200); // the menu fades in and settles
  };
  const clearNotifications = async () => {
    await runCommand('Notifications: Clear All Notifications');
  };

  const steps = [
    ['the workbench opens on the workspace and the Explorer lists the WAV', async () => {
      await page.goto(server.folderUrl(workspace));
      await page.locator('.monaco-workbench').waitFor();
      await explorerRow('Pluck.WAV').waitFor({ timeout: 60_000 });
      await screenshot('workbench');
    }],
    ['the Command Palette lists the seven Resonance commands, their titles from package.nls.json', async () => {
      // Also waits for the installed extension's contributions, which the Explorer's menus need.
      // The palette lists what is registered when it opens: reopen it until the extension is.
      const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Resonance:' });
      for (let attempt = 0; attempt < 60; attempt++) {
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget input').fill('>Resonance:');
        if (await rows.nth(6).waitFor({ timeout: 1000 }).then(() => true, () => false)) break;
        await page.keyboard.press('Escape');
      }
      const titles = (await rows.allInnerTexts()).map((text) => text.split('\n')[0].trim()).sort();
      await screenshot('command-palette');
      await page.keyboard.press('Escape');
      assert.deepEqual(titles, [
        'Resonance: Audition samples',
        'Resonance: Build training dataset…',
        'Resonance: Decode each image to WAV',
        'Resonance: Decode folder to WAV',
        'Resonance: Decode image to WAV',
        'Resonance: Encode to images',
        'Resonance: Preview frames',
      ]);
    }],
    ['right-clicking Pluck.WAV shows Encode to images and Build training dataset… (and not the folder commands)', async () => {
      await rightClick('Pluck.WAV');
      const items = await menuItems();
      await screenshot('wav-context-menu');
      assert.ok(items.includes('Encode to images'), `menu: ${items.join(' | ')}`);
      assert.ok(items.includes('Build training dataset…'), `menu: ${items.join(' | ')}`);
      for (const other of ['Decode folder to WAV', 'Decode image to WAV', 'Decode each image to WAV', 'Audition samples']) {
        assert.ok(!items.includes(other), `menu: ${items.join(' | ')}`);
      }
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
      assert.ok(items.includes('Decode each image to WAV'), `menu: ${items.join(' | ')}`);
      assert.ok(items.includes('Audition samples'), `menu: ${items.join(' | ')}`);
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
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Pluck.WAV' }).waitFor({ timeout: 30_000 });
      const path = join(workspace, 'Pluck.WAV');
      await input.fill(path);
      await page.waitForFunction((wanted) => document.querySelector('.quick-input-widget input')?.value === wanted, path, { timeout: 5000 });
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
      await explorerRow('.vscode').waitFor({ timeout: 30_000 });
      const error = toast('must both be multiples of the pixel expansion 3');
      const dialog = page.locator('.monaco-dialog-box');
      // The workbench reads the new settings file on its own time. Until it has, the encode goes
      // ahead and asks about the existing output: cancel that and try again.
      for (let attempt = 0; attempt < 10; attempt++) {
        await rightClick('Pluck.WAV');
        await contextMenu.locator('.action-item', { hasText: 'Encode to images' }).click();
        const seen = await Promise.race([
          error.waitFor({ timeout: 10_000 }).then(() => 'error'),
          dialog.waitFor({ timeout: 10_000 }).then(() => 'dialog'),
        ]).catch(() => 'nothing');
        if (seen === 'error') break;
        if (seen === 'dialog') await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await page.waitForTimeout(500);
      }
      await error.waitFor({ timeout: 1000 });
      await screenshot('invalid-settings');
      assert.deepEqual(readdirSync(workspace).filter((name) => name.startsWith('Pluck_frames')).sort(), ['Pluck_frames', 'Pluck_frames ' +
        '(2)', 'Pluck_frames.wav']);
      await error.locator('.monaco-button', { hasText: 'Open Settings' }).click();
      await page.locator('.settings-editor').waitFor({ timeout: 30_000 });
      await page.locator('.settings-editor .setting-item', { hasText: 'Pixel Expansion' }).first().waitFor({ timeout: 30_000 });
      await screenshot('settings-editor');
    }],
    ['cancelling from the progress notification leaves nothing behind', async () => {
      await runCommand('View: Close All Editors');
      await clearNotifications();
      // 32 × 32 frames: over ten thousand of them for long.wav, so the job runs long enough to cancel.
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'resonance.width': 32, 'resonance.height': 32 }, null, 2));
      const progress = toast('Encoding long.wav');
      // Figures are grouped in thousands: "1,234 of 10,923 frames".
      const frameCount = async () => Number((await progress.innerText()).match(/[\d,]+ of ([\d,]+) frames/)?.[1].replaceAll(',', '') ?? 0);
      for (let attempt = 0; attempt < 10; attempt++) {
        await page.waitForTimeout(500);
        await rightClick('long.wav');
        await contextMenu.locator('.action-item', { hasText: 'Encode to images' }).click();
        await progress.waitFor({ timeout: 30_000 });
        const counting = () => /[\d,]+ of [\d,]+ frames?/.test(document.querySelector('.notifications-toasts')?.textContent ?? '');
        await page.waitForFunction(counting, undefined, { timeout: 30_000 });
        if ((await frameCount()) > 1000) break;
        // Still the old settings (a few large frames): let it finish, remove its output, try again.
        await progress.waitFor({ state: 'detached', timeout: 30_000 });
        rmSync(join(workspace, 'long_frames'), { recursive: true, force: true });
        await clearNotifications();
      }
      await screenshot('encoding-progress');
      assert.ok((await frameCount()) > 1000, 'the job runs with the new settings');
      assert.ok(readdirSync(workspace).some((name) => name.startsWith('.long_frames.partial-')), 'the job is writing its partial output');
      assert.equal(await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.partial-' }).count(), 0, 'partial outputs are hidden ' +
        'from the Explorer');
      await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await progress.waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('.statusbar', { hasText: 'encoding cancelled' }).waitFor({ timeout: 30_000 });
      await screenshot('cancelled');
      for (let wait = 0; wait < 50 && readdirSync(workspace).some((name) => name.includes('long_frames')); wait++) await page.waitForTimeout(100);
      assert.deepEqual(readdirSync(workspace).filter((name) => name.includes('long_frames')), []);
    }],
    ['Build training dataset… on a WAV: the quick pick shows the target, Enter builds the dataset beside it', async () => {
      await clearNotifications();
      await rightClick('Pluck.WAV');
      await contextMenu.locator('.action-item', { hasText: 'Build training dataset…' }).click();
      const build = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Build' }).first();
      await build.waitFor({ timeout: 30_000 });
      assert.match(await build.innerText(), /256 × 256, expansion 1, planes/);
      await screenshot('dataset-quick-pick');
      await page.keyboard.press('Enter');
      await toast('Built Pluck_dataset').waitFor({ timeout: 60_000 });
      await explorerRow('Pluck_dataset').waitFor({ timeout: 30_000 });
      await screenshot('dataset-built');
      const description = JSON.parse(readFileSync(join(workspace, 'Pluck_dataset', 'dataset.json'), 'utf8'));
      assert.deepEqual(description.geometry, { width: 256, height: 256, expansion: 1 });
    }],
    ['the walkthrough takes a new user from a WAV to auditioning samples, in five steps', async () => {
      await clearNotifications();
      await runCommand('Welcome: Open Walkthrough...');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Resonance' }).first().click();
      const titles = page.locator('.getting-started-step .step-title');
      await page.locator('.getting-started-step', { hasText: 'Turn a WAV into frames' }).first().waitFor({ timeout: 30_000 });
      await screenshot('walkthrough');
      const shown = (await titles.allInnerTexts()).map((text) => text.trim());
      for (const title of ['Turn a WAV into frames', 'Look at the frames', 'Build a training dataset', 'Decode what a model generates', 'Audition the ' +
        'samples']) {
        assert.ok(shown.includes(title), `walkthrough steps: ${shown.join(' | ')}`);
      }
    }],
  ];

  const { passed, failed } = await runSteps(steps);
  return { passed, failed };
}
