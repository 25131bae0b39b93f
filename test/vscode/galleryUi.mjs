// UI tests of the samples gallery and the dataset browser in the real workbench (code-server +
// chromium), with the packaged .vsix: the gallery's clips, playing, auto-advance, the dataset's
// sources and filter, time to first image for 100,000 records, and screenshots in three themes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pcmWav } from '../helpers/pcmWav.cjs';
import { assertStereoLanes, until, watchWebviewOpening, workbench } from './steps.mjs';
import { PROJECT_ROOT } from './codeServer.mjs';

const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
const RATE = 8000;

const decayingTone = (frequency, amplitude, i) => Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / RATE) * Math.exp(-(i / RATE) * 2));

function toneWav(seconds, frequency) {
  const n = RATE * seconds;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(decayingTone(frequency, 12000, i), i * 2);
  return pcmWav(data, { sampleRate: RATE, channels: 1 });
}

/** Left a tone, right a quieter one a fifth higher: two lanes that differ. */
function stereoToneWav(seconds, frequency) {
  const n = RATE * seconds;
  const data = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    data.writeInt16LE(decayingTone(frequency, 12000, i), i * 4);
    data.writeInt16LE(decayingTone(frequency * 1.5, 3000, i), i * 4 + 2);
  }
  return pcmWav(data, { sampleRate: RATE, channels: 2 });
}

function encodeTo(wav, frames) {
  const args = [CLI, 'encode', wav, '--output', frames, '--width', '128', '--height', '128', '--expansion', '2'];
  const encoded = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(encoded.status, 0, encoded.stderr);
  rmSync(wav);
  return readdirSync(frames)
    .filter((n) => n.endsWith('.png'))
    .sort();
}

/** samples/: 6 independent images (no manifest); stereo/: 2 of stereo audio; data/: a dataset of the first; big/: 100,000 records. */
export function prepareGalleryWorkspace(workspace) {
  mkdirSync(workspace, { recursive: true });
  const frames = join(workspace, '.frames');
  writeFileSync(join(workspace, 'tone.wav'), toneWav(6, 330));
  const pngs = encodeTo(join(workspace, 'tone.wav'), frames);
  mkdirSync(join(workspace, 'samples'));
  pngs.slice(0, 6).forEach((name, i) => copyFileSync(join(frames, name), join(workspace, 'samples', `sample_${i}.png`)));
  const stereoFrames = join(workspace, '.stereo-frames');
  writeFileSync(join(workspace, 'stereo.wav'), stereoToneWav(1, 330));
  const stereoPngs = encodeTo(join(workspace, 'stereo.wav'), stereoFrames);
  mkdirSync(join(workspace, 'stereo'));
  stereoPngs.slice(0, 2).forEach((name, i) => copyFileSync(join(stereoFrames, name), join(workspace, 'stereo', `stereo_${i}.png`)));
  rmSync(stereoFrames, { recursive: true });
  const audio = { sampleFormat: 's16', channels: 1, sampleRate: RATE, bitsPerSample: 16, blockAlign: 2 };
  const bytes = 64 * 64 * 3;
  const description = (images, sources) => ({
    format: 'resonance-dataset',
    version: 1,
    audio,
    geometry: { width: 128, height: 128, expansion: 2 },
    layout: 'planes',
    compression: 'default',
    clip: { sampleFrames: bytes / 2, seconds: bytes / 2 / RATE, bytes, hopSampleFrames: bytes / 2, hopSeconds: bytes / 2 / RATE, tail: 'pad' },
    splits: { train: { folder: 'train', metadata: 'train/metadata.jsonl', images, sources, seconds: (images * bytes) / 2 / RATE } },
    sources: { total: sources, used: sources, failed: 0 },
    images,
    silentClips: 0,
    clippedSamples: 0,
    replacedSamples: 0,
    errors: 'errors.jsonl',
  });
  const sources = ['drums/kick.wav', 'bass/line.wav', 'keys/pad.wav'];
  for (const [folder, count] of [
    ['data', 9],
    ['big', 100_000],
  ]) {
    mkdirSync(join(workspace, folder, 'train'), { recursive: true });
    // The big dataset's records name its few files in turn: what is measured is the editor, not the disk.
    const files = Math.min(count, 30);
    for (let i = 0; i < files; i++) copyFileSync(join(frames, pngs[i % pngs.length]), join(workspace, folder, 'train', `k${i}.png`));
    const lines = [];
    for (let i = 0; i < count; i++)
      lines.push(
        JSON.stringify({
          file_name: `k${i % files}.png`,
          source: sources[i % 3],
          clip: Math.floor(i / 3),
          start_seconds: Math.floor(i / 3) * (bytes / 2 / RATE),
          duration_seconds: bytes / 2 / RATE,
        }),
      );
    writeFileSync(join(workspace, folder, 'train', 'metadata.jsonl'), lines.join('\n') + '\n');
    writeFileSync(join(workspace, folder, 'dataset.json'), JSON.stringify(description(count, 3), null, 2));
  }
  rmSync(frames, { recursive: true });
}

export async function runGalleryUiTests({ page, server, workspace, shots }) {
  const { screenshot, explorerRow, quickInput, runCommand, menuCommand, runSteps } = workbench(page, shots);
  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const cells = webview.locator('[data-testid="gallery-cell"]');
  const audio = () => webview.locator('[data-testid="gallery-audio"]').evaluate((a) => ({ time: a.currentTime, paused: a.paused }));
  const audition = (folder) => menuCommand(folder, 'Audition samples');
  const openFile = async (path) => {
    // F1 then a path without '>': the quick input searches files (Ctrl+P is the browser's).
    const input = await quickInput();
    await input.fill(path);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'dataset.json' }).first().waitFor();
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
  };
  const closeEditors = () => runCommand('View: Close All Editors');
  const legend = webview.locator('[data-testid="gallery-parameters"]');

  /**
   * Opens `path` as openFile does and times the way to its first image, split as the frames
   * editor suite splits it: until the webview's frame appears in the workbench, until VS Code's
   * webview host writes the page into it, and the editor's own part, from that page to the first
   * image (wall-clock, taken inside the pages).
   */
  const timedOpen = async (path) => {
    const openTimes = await watchWebviewOpening(page, 'keydown', 'Enter');
    await openFile(path);
    await webview.locator('.gallery[data-mode="dataset"]').waitFor({ timeout: 60_000 });
    const inPage = await until(
      () =>
        webview.locator('body').evaluate(() => {
          const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
          const shown = at('resonance:first-image');
          const placeholder = performance.getEntriesByType('navigation')[0];
          if (shown === undefined || !placeholder) return undefined;
          const indexed = at('resonance:indexed');
          return {
            written: performance.timeOrigin + placeholder.domContentLoadedEventEnd,
            shown: performance.timeOrigin + shown,
            scriptToImage: performance.getEntriesByName('resonance:time-to-first-image')[0].duration,
            scriptToIndexed: indexed === undefined ? undefined : indexed - at('resonance:script-start'),
            marks: performance
              .getEntriesByType('mark')
              .map((m) => `${m.name.replace('resonance:', '')} ${Math.round(m.startTime - at('resonance:script-start'))}`)
              .join(', '),
          };
        }),
      'the first image',
      60_000,
    );
    const { start: enter, frame } = await openTimes();
    const ms = (value) => (value === undefined ? undefined : Math.round(value));
    return {
      total: ms(inPage.shown - enter),
      toFrame: ms(frame - enter),
      frameToPage: ms(inPage.written - frame),
      pageToImage: ms(inPage.shown - inPage.written),
      scriptToImage: ms(inPage.scriptToImage),
      scriptToIndexed: ms(inPage.scriptToIndexed),
      marks: inPage.marks,
    };
  };
  const figures = {};

  const steps = [
    [
      'Audition samples opens the folder as a gallery with one clip per image',
      async () => {
        await page.goto(server.folderUrl(workspace));
        await page.locator('.monaco-workbench').waitFor();
        await explorerRow('samples').waitFor({ timeout: 60_000 });
        await audition('samples');
        await webview.locator('.gallery').waitFor({ timeout: 30_000 });
        await until(async () => (await webview.locator('[data-testid="gallery-count"]').innerText()).startsWith('6 clips'), '6 clips');
        assert.equal(await cells.count(), 6);
        // The samples are Resonance frames: their own frame records decode them, and the page says so.
        assert.equal(await legend.getAttribute('data-origin'), 'images');
        const origin = /the images' own Resonance metadata, as sample_0\.png carries; images without it: the resonance\.assume settings/;
        assert.match(await legend.locator('legend').innerText(), origin);
        await screenshot('samples-opened');
      },
    ],
    [
      'Enter plays the selected clip and its time advances; its level shows',
      async () => {
        await webview.locator('[data-testid="gallery-grid"]').focus();
        await webview.locator('[data-testid="gallery-grid"]').press('Enter');
        await until(async () => (await audio()).time > 0.05, 'the clip to play');
        assert.equal(await webview.locator('[data-testid="gallery-now"]').innerText(), 'sample_0.png');
        await until(async () => /dBFS/.test(await webview.locator('.gallery-level').innerText()), 'the level');
        assert.equal(await webview.locator('[data-testid="gallery-decoded-by"]').innerText(), 'Decoded by its own Resonance metadata');
      },
    ],
    [
      "the playing clip's waveform and spectrogram are drawn, with the playhead on them at the audio's time",
      async () => {
        const spectrogram = webview.locator('#spectrogram');
        await until(async () => (await spectrogram.getAttribute('data-drawn')) !== null, "the clip's spectrogram drawn", 30_000);
        await until(async () => (await webview.locator('#waveform canvas').getAttribute('data-drawn')) !== null, "the clip's waveform drawn");
        for (const panel of ['#spectrogram', '#waveform']) {
          const differing = await webview.locator(`${panel} canvas`).evaluate((canvas) => {
            const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
            let count = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) count++;
            return count / (data.length / 4);
          });
          assert.ok(differing > 0.05, `${panel} is not blank: ${differing}`);
        }
        const playheadAt = async (fraction) => {
          await webview.locator('[data-testid="gallery-audio"]').evaluate((a, f) => {
            a.pause();
            a.currentTime = a.duration * f;
          }, fraction);
          await page.waitForTimeout(200);
          return spectrogram.locator('.strip-playhead').evaluate((e) => parseFloat(e.style.left));
        };
        // The clip's WAV fetched once: the <audio> plays the page's copy, and the clip (mono) is one lane.
        const source = await webview.locator('[data-testid="gallery-audio"]').evaluate((a) => a.currentSrc);
        assert.ok(source.startsWith('blob:'), `the clip plays from the page's one fetch: ${source}`);
        assert.equal(await spectrogram.getAttribute('data-lanes'), '1');
        const early = await playheadAt(0.1);
        const late = await playheadAt(0.8);
        assert.ok(late > early, `the playhead moved right with the time: ${early} → ${late}`);
        // A click on the spectrogram seeks there.
        const box = await spectrogram.boundingBox();
        await spectrogram.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
        await until(async () => {
          const { time } = await audio();
          const duration = await webview.locator('[data-testid="gallery-audio"]').evaluate((a) => a.duration);
          return Math.abs(time / duration - 0.25) < 0.1;
        }, 'the seek by a click on the spectrogram');
      },
    ],
    [
      'auto-advance plays the next clip when one ends',
      async () => {
        await webview.locator('[data-control="gallery-auto-advance"]').click();
        assert.equal(await webview.locator('[data-control="gallery-auto-advance"]').getAttribute('aria-pressed'), 'true');
        // The first clip may have ended already: play it again from the start, and let it end.
        await webview.locator('[data-testid="gallery-audio"]').evaluate((a) => {
          a.currentTime = 0;
          return a.play();
        });
        await until(async () => (await webview.locator('[data-testid="gallery-now"]').innerText()) === 'sample_1.png', 'the next clip', 20_000);
        await webview.locator('[data-control="gallery-auto-advance"]').click();
        assert.equal(await webview.locator('#clip-1').getAttribute('aria-selected'), 'true');
        await webview.locator('[data-testid="gallery-grid"]').press('m');
        await until(async () => (await webview.locator('[data-testid="gallery-count"]').innerText()).includes('1 marked'), 'a mark');
        await screenshot('samples-playing');
        await closeEditors();
      },
    ],
    [
      'a stereo clip in the gallery: a lane a channel in the waveform and the spectrogram',
      async () => {
        await audition('stereo');
        await until(async () => (await webview.locator('[data-testid="gallery-count"]').innerText()).startsWith('2 clips'), '2 clips');
        await webview.locator('[data-testid="gallery-grid"]').focus();
        await webview.locator('[data-testid="gallery-grid"]').press('Enter');
        await until(async () => (await webview.locator('[data-testid="gallery-now"]').innerText()) === 'stereo_0.png', 'the stereo clip to play');
        for (const panel of ['#waveform', '#spectrogram']) {
          const strip = webview.locator(panel);
          const canvas = strip.locator('canvas');
          await until(async () => (await (panel === '#waveform' ? canvas : strip).getAttribute('data-drawn')) !== null, `${panel} drawn`, 30_000);
          // The right channel is quieter and a fifth higher: its lane draws other pixels than the left's.
          await assertStereoLanes(strip, panel);
        }
        await screenshot('samples-stereo');
        await closeEditors();
      },
    ],
    [
      'the dataset browser lists the sources and filters by one',
      async () => {
        await openFile('data/dataset.json');
        await webview.locator('.gallery[data-mode="dataset"]').waitFor({ timeout: 30_000 });
        const sources = await webview.locator('[data-testid="gallery-sources"] li').allInnerTexts();
        assert.deepEqual(sources, ['drums/kick.wav', 'bass/line.wav', 'keys/pad.wav']);
        assert.match(await legend.locator('legend').innerText(), /own Resonance metadata, as k0\.png carries; images without it: data\/dataset\.json/);
        await until(async () => (await cells.count()) === 9, '9 clips');
        await webview.locator('[data-testid="gallery-filter"]').fill('bass');
        await until(async () => (await webview.locator('[data-testid="gallery-count"]').innerText()).startsWith('3 clips'), 'the filter');
        await until(async () => (await cells.count()) === 3, '3 cells');
        assert.match(await cells.first().getAttribute('aria-label'), /bass\/line\.wav at/);
        await cells.first().click();
        await until(async () => (await audio()).time > 0.02, 'the clip to play');
        await screenshot('dataset-filtered');
        await closeEditors();
      },
    ],
    [
      'a dataset of 100,000 images: time to first image, and only the visible cells exist',
      async () => {
        const open = await timedOpen('big/dataset.json');
        figures.firstImage100k = open;
        console.log(
          `    100,000-image dataset: first image ${open.scriptToImage} ms after the page's script start ` +
            `(index complete ${open.scriptToIndexed ?? 'after that'} ms after it); whole open ${open.total} ms after Enter: ` +
            `${open.toFrame} ms until the webview's frame appears, ${open.frameToPage} ms until VS Code writes the page, ` +
            `${open.pageToImage} ms from the page to the first image`,
        );
        console.log(`    marks after the script start: ${open.marks}`);
        const count = await cells.count();
        assert.ok(count > 0 && count < 200, `${count} cells exist`);
        assert.ok((await webview.locator('[data-testid="gallery-count"]').innerText()).startsWith('100000 clips'));
        await until(async () => (await webview.locator('[data-testid="gallery-indexing"]').isHidden()), 'the whole index', 60_000);
        assert.deepEqual(await webview.locator('[data-testid="gallery-sources"] li').allInnerTexts(), ['drums/kick.wav', 'bass/line.wav', 'keys/pad.wav']);
        await webview.locator('[data-testid="gallery-filter"]').fill('keys');
        await until(async () => (await webview.locator('[data-testid="gallery-count"]').innerText()).startsWith('33333 clips'), 'the filtered count');
        await until(async () => /keys\/pad\.wav at/.test(await cells.first().getAttribute('aria-label')), 'the filtered cells');
        await closeEditors();
      },
    ],
    [
      'screenshots in dark, light and high-contrast themes',
      async () => {
        for (const [theme, name] of [
          ['Dark Modern', 'dark'],
          ['Light Modern', 'light'],
          ['Dark High Contrast', 'high-contrast'],
        ]) {
          await runCommand('Preferences: Color Theme', theme);
          await page.waitForTimeout(500);
          await openFile('data/dataset.json');
          await webview.locator('.gallery').waitFor({ timeout: 30_000 });
          await until(async () => (await cells.count()) === 9, '9 clips');
          await cells.nth(1).click();
          await until(async () => (await audio()).time > 0.05, 'playing');
          figures[name] = await screenshot(`theme-${name}`);
          await closeEditors();
        }
        await runCommand('Preferences: Color Theme', 'Dark Modern');
      },
    ],
  ];
  const { passed, failed } = await runSteps(steps);
  return { passed, failed, figures };
}

export async function galleryUiTests({ runDir, shots, packageVsix, withServerAndBrowser }) {
  console.log('\n[vscode] gallery UI tests (Playwright on code-server with the packaged .vsix)');
  const vsix = join(runDir, 'resonance.vsix');
  packageVsix(vsix);
  const workspace = join(runDir, 'workspace');
  prepareGalleryWorkspace(workspace);
  rmSync(shots, { recursive: true, force: true });
  return withServerAndBrowser(runDir, { vsix }, (server, page) => runGalleryUiTests({ page, server, workspace, shots }));
}
