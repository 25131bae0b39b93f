// What every UI suite (ui.mjs, framesEditorUi.mjs, galleryUi.mjs) does in the workbench: steps run
// in order, numbered screenshots, the Command Palette, the Explorer's rows and context menu.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Polls `condition` until it returns something truthy (which it returns); a throw counts as not yet. */
export async function until(condition, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The workbench on `page`, with screenshots numbered in `shots`. */
export function workbench(page, shots) {
  mkdirSync(shots, { recursive: true });
  let shot = 0;
  const screenshot = async (name) => {
    await page.waitForTimeout(300); // menus, toasts and the webview's redraw settle
    const path = join(shots, `${String(++shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path });
    return path;
  };
  const explorerRow = (name) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
  const contextMenu = page.locator('.context-view .monaco-menu');
  /** A quick-pick row whose label is exactly `label` (fuzzy matching lists look-alikes first). */
  const quickPickRow = (label) =>
    page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
      .first();
  /** Opens the quick input (F1) with the workbench focused, and returns its text field. */
  const quickInput = async () => {
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 0; attempt < 3; attempt++) {
      // Keys typed while a webview has focus reach the page inside it first: focus the workbench. A
      // mouse click, not a locator's, since a modal may cover the title bar (below).
      const titlebar = await page.locator('.part.titlebar').boundingBox();
      await page.mouse.click(titlebar.x + 200, titlebar.y + 10);
      await page.keyboard.press('F1');
      if (await input.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
      // VS Code 1.139 opens some editors (Settings) in a modal, which keeps F1 to itself: Escape closes it.
      await page.keyboard.press('Escape');
    }
    await input.waitFor();
    return input;
  };
  /** Runs `title` from the Command Palette; `pick` is then chosen in the quick pick it opens. */
  const runCommand = async (title, pick) => {
    const input = await quickInput();
    await input.fill(`>${title}`);
    await quickPickRow(title).click();
    if (pick) {
      await input.fill(pick);
      await quickPickRow(pick).click();
    }
  };
  /** The Explorer only renders the rows in view: folders opened by earlier steps push rows out. */
  const revealRow = async (row) => {
    if (await explorerRow(row).isVisible()) return;
    await page.locator('.explorer-folders-view').hover(); // the pane's actions show on hover
    await page.locator('.action-label[aria-label="Collapse Folders in Explorer"]').click();
    await explorerRow(row).waitFor();
  };
  /** Right-clicks an Explorer row until its menu has `item` (the extension's items appear once its host is up) and leaves the menu open. */
  const menuEntry = async (row, item) => {
    const entry = contextMenu.locator('.action-item', { hasText: item });
    await revealRow(row);
    for (let attempt = 0; ; attempt++) {
      await explorerRow(row).click({ button: 'right' });
      await contextMenu.waitFor();
      if (await entry.first().waitFor({ timeout: 1000 }).then(() => true, () => false)) return entry.first();
      if (attempt === 30) throw new Error(`the menu of ${row} has no ${item}`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  };
  /** Right-clicks an Explorer row and clicks a menu item. */
  const menuCommand = async (row, item) => {
    const entry = await menuEntry(row, item);
    await page.waitForTimeout(300); // the menu fades in; a click before that is lost
    await entry.click();
  };
  /** Runs the suite's steps, a screenshot of the screen where one fails. */
  const run = (steps) => runSteps(steps, () => page.screenshot({ path: join(shots, `failed-${String(shot + 1).padStart(2, '0')}.png`) }));
  return { screenshot, explorerRow, contextMenu, quickPickRow, quickInput, runCommand, revealRow, menuEntry, menuCommand, runSteps: run };
}

// Runs UI test steps in order, each printed as passed or failed; after the first failure the rest
// are counted as failed without running, since each step builds on the screen the last one left.
async function runSteps(steps, screenshotFailure) {
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
      await screenshotFailure().catch(() => {});
      failed++;
      stopped = true;
    }
  }
  return { passed, failed };
}

/**
 * Times, in the workbench's page, how a webview opens: `start` at the first `event` (only that
 * key's, if `key` is given) and `frame` when a webview frame that was not there before appears
 * after it (wall-clock, so polling adds nothing). Returns a function that reads them.
 */
export async function watchWebviewOpening(page, event, key) {
  await page.evaluate(
    ([event, key]) => {
      const now = () => performance.timeOrigin + performance.now();
      const times = (window.resonanceOpenTimes = {});
      window.addEventListener(event, (e) => (key === undefined || e.key === key) && (times.start ??= now()), { capture: true });
      const before = new Set(document.querySelectorAll('iframe.webview'));
      const observer = new MutationObserver(() => {
        if (times.start === undefined || [...document.querySelectorAll('iframe.webview')].every((frame) => before.has(frame))) return;
        times.frame = now();
        observer.disconnect();
      });
      observer.observe(document.body, { childList: true, subtree: true });
    },
    [event, key],
  );
  return () => page.evaluate(() => window.resonanceOpenTimes);
}

/**
 * Checks that `strip`, a waveform or spectrogram panel drawn for a stereo clip whose channels differ,
 * shows them as two lanes, left above right, named so on the strip and for screen readers, and that
 * the lanes' pixels differ. `what` names the strip in failures.
 */
export async function assertStereoLanes(strip, what) {
  assert.equal(await strip.getAttribute('data-lanes'), '2', `${what}: two lanes`);
  const described = await strip.evaluate((e) => document.getElementById(e.getAttribute('aria-describedby')).textContent);
  assert.equal(described, '2 lanes, top to bottom: left, right.');
  assert.deepEqual(await strip.locator('.strip-lane-label').allInnerTexts(), ['L', 'R']);
  const halves = await strip.locator('canvas').evaluate((canvas) => {
    const half = Math.floor(canvas.height / 2) - 1;
    const context = canvas.getContext('2d');
    const top = context.getImageData(0, 0, canvas.width, half).data;
    const bottom = context.getImageData(0, canvas.height - half, canvas.width, half).data;
    let differing = 0;
    for (let i = 0; i < top.length; i += 4) if (top[i] !== bottom[i] || top[i + 1] !== bottom[i + 1] || top[i + 2] !== bottom[i + 2]) differing++;
    return differing / (top.length / 4);
  });
  assert.ok(halves > 0.05, `${what}: the lanes differ: ${halves}`);
}
