/**
 * The frames editor's host side without VS Code: what it loads from the file it is opened on, the
 * audio and integrity it decodes, and, for every problem the codec reports on a folder or a WAV,
 * the advice the editor shows. The problems are produced by the real codec, so a reworded codec
 * message that would lose its advice fails here.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav, frameFileName, gridOf, MANIFEST_NAME, planFolder } from '../../src/codec';
import { decodePng } from '../../src/codec/png/pngReader';
import { encodePng } from '../../src/codec/png/pngWriter';
import { assumedFormatNotice, problemFor } from '../../src/extension/framesEditorAdvice';
import { framesEditorHtml } from '../../src/extension/framesEditorHtml';
import { L10N_BUNDLE_ELEMENT_ID } from '../../src/shared/protocol';
import { decodeSourceAudio, loadSource, offGridOfSource, renderSourceFrame, sourceOfPath, startImageOf } from '../../src/extension/framesEditorSource';
import { readWavFile } from '../../src/codec/wav/wavFile';
import { tempFolders } from '../helpers/tempDirs';
import { wavefileWav } from '../helpers/wavFiles';
import { FIXTURES } from '../helpers/paths';

const newFolder = tempFolders('frames-editor');
const FIXTURE = join(FIXTURES, 'pluck-pcm16.wav');
const GEOMETRY = { width: 48, height: 32, expansion: 2 };
const settings = { assume: {}, geometry: GEOMETRY };

/** A frames folder of the fixture: 13,228 data bytes in frames of 1,152 bytes, 12 frames. */
async function framesFolder(): Promise<{ root: string; folder: string; wav: string; frameCount: number }> {
  const root = await newFolder();
  const wav = join(root, 'pluck.wav');
  await writeFile(wav, await readFile(FIXTURE));
  const folder = join(root, 'pluck_frames');
  const { frameCount } = await encodeWav(wav, { geometry: GEOMETRY, output: folder, workers: 0 });
  return { root, folder, wav, frameCount };
}

async function problemOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return problemFor(error);
  }
  assert.fail('expected a failure');
}

describe('where the editor opens', () => {
  test('resonance.json and a PNG stand for their folder, starting at that PNG; a WAV for itself', () => {
    assert.deepEqual(sourceOfPath('/w/a_frames/resonance.json'), { kind: 'folder', folder: '/w/a_frames' });
    assert.deepEqual(sourceOfPath('/w/a_frames/frame_00007.PNG'), { kind: 'folder', folder: '/w/a_frames', startName: 'frame_00007.PNG' });
    assert.deepEqual(sourceOfPath('/w/Song.WAV'), { kind: 'wav', wav: '/w/Song.WAV' });
  });

  test('a folder loads its frames in order, starting at the PNG it was opened on', async () => {
    const { folder, frameCount } = await framesFolder();
    const source = await loadSource(sourceOfPath(join(folder, frameFileName(5, frameCount))), settings);
    assert.equal(source.kind, 'folder');
    assert.equal(source.title, 'pluck_frames');
    assert.equal(source.startFrame, 5);
    assert.equal(source.metadata, 'manifest');
    assert.equal(source.stream.frameCount, frameCount);
    assert.deepEqual(source.frameSize, { width: 48, height: 32 });
    assert.equal((await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings)).startFrame, 0);
  });

  test('a WAV shows the frames the settings would make, rendered in memory: nothing is written', async () => {
    const { root, wav, folder, frameCount } = await framesFolder();
    const before = (await readdir(root)).sort();
    const source = await loadSource(sourceOfPath(wav), settings);
    assert.equal(source.kind, 'wav');
    assert.equal(source.metadata, 'settings');
    assert.equal(source.stream.frameCount, frameCount);
    const png = await renderSourceFrame(source, 3);
    assert.equal(png.byteOffset, 0, 'a view of its own buffer, to post to the webview whole');
    assert.equal(png.buffer.byteLength, png.length);
    const written = decodePng(await readFile(join(folder, frameFileName(3, frameCount))), 'written');
    assert.deepEqual(decodePng(png, 'rendered').rgb, written.rgb, 'the same pixels as the encoded frame');
    assert.deepEqual((await readdir(root)).sort(), before);
    const audio = await decodeSourceAudio(source, join(root, 'unused.wav'), { assume: {} });
    assert.deepEqual(audio, { path: wav }, 'the WAV itself plays');
  });

  test("a WAV's frames follow the layout setting too", async () => {
    const { wav } = await framesFolder();
    const source = await loadSource(sourceOfPath(wav), { ...settings, layout: 'planes' });
    assert.equal(source.stream.layout, 'planes');
    const written = join(await newFolder(), 'planes');
    const { frameCount } = await encodeWav(wav, { geometry: GEOMETRY, layout: 'planes', output: written, workers: 0 });
    assert.equal(source.stream.frameCount, frameCount);
    assert.deepEqual(
      decodePng(await renderSourceFrame(source, 1), 'rendered').rgb,
      decodePng(await readFile(join(written, frameFileName(1, frameCount))), 'written').rgb,
    );
  });
});

describe('audio and integrity', () => {
  test('audio the webview cannot play (64-bit float) is played from a 32-bit float copy, for a WAV and for a folder', async () => {
    const root = await newFolder();
    const wav = join(root, 'float64.wav');
    await writeFile(wav, wavefileWav('64', 2, 8000, 3000, 11));
    const wavSource = await loadSource(sourceOfPath(wav), settings);
    const copy = await decodeSourceAudio(wavSource, join(root, 'copy.wav'), { assume: {} });
    assert.equal(copy.path, join(root, 'copy.wav'));
    assert.equal((await readWavFile(copy.path)).format.sampleFormat, 'f32');

    const folder = join(root, 'float64_frames');
    const { frameCount } = await encodeWav(wav, { geometry: GEOMETRY, output: folder, workers: 0 });
    const folderSource = await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings);
    const decoded = await decodeSourceAudio(folderSource, join(root, 'decoded.wav'), { assume: {} });
    assert.equal(decoded.path, join(root, 'decoded.wav'));
    const layout = await readWavFile(decoded.path);
    assert.equal(layout.format.sampleFormat, 'f32');
    assert.equal(layout.dataLength, 3000 * 2 * 4);
    assert.equal(decoded.integrity?.bitExact, true, 'the frames are still checked against the manifest');
    assert.equal(decoded.integrity?.unchanged, frameCount);
    assert.deepEqual((await readdir(root)).sort(), ['copy.wav', 'decoded.wav', 'float64.wav', 'float64_frames'], 'the intermediate decode is removed');
  });

  test('a folder decodes to the original audio, every frame unchanged', async () => {
    const { root, folder, frameCount } = await framesFolder();
    const source = await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings);
    const progress: number[] = [];
    const audio = await decodeSourceAudio(source, join(root, 'decoded.wav'), { assume: {}, onProgress: (p) => progress.push(p.framesDone) });
    assert.ok((await readFile(audio.path)).equals(await readFile(FIXTURE)));
    assert.deepEqual(audio.integrity, {
      frameCount,
      unchanged: frameCount,
      modified: [],
      unverified: 0,
      bitExact: true,
      offGrid: new Array(frameCount).fill(0),
    });
    assert.equal(progress[progress.length - 1], frameCount);
  });

  test('a frame whose pixels were changed is reported by its index', async () => {
    const { root, folder, frameCount } = await framesFolder();
    const file = join(folder, frameFileName(4, frameCount));
    const { rgb, header } = decodePng(await readFile(file), file);
    const pixels = new Uint8Array(gridOf(GEOMETRY).columns * gridOf(GEOMETRY).rows * 3);
    for (let row = 0, o = 0; row < 16; row++)
      for (let column = 0; column < 24; column++, o += 3)
        pixels.set(rgb.subarray((row * 2 * header.width + column * 2) * 3, (row * 2 * header.width + column * 2) * 3 + 3), o);
    pixels[0] ^= 0x40;
    await writeFile(file, encodePng(pixels, gridOf(GEOMETRY), { expansion: 2, compression: 'fast' }));
    const source = await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings);
    const audio = await decodeSourceAudio(source, join(root, 'decoded.wav'), { assume: {} });
    // Re-painted as uniform blocks: modified, but still on the grid.
    assert.deepEqual(audio.integrity, {
      frameCount,
      unchanged: frameCount - 1,
      modified: [4],
      unverified: 0,
      bitExact: false,
      offGrid: new Array(frameCount).fill(0),
    });
  });

  test('a frame edited inside a block is off the grid there, and only there', async () => {
    const { folder, wav, frameCount } = await framesFolder();
    const file = join(folder, frameFileName(6, frameCount));
    const { rgb, header } = decodePng(await readFile(file), file);
    const at = (3 * 2 * header.width + 5 * 2 + 1) * 3; // one image pixel of data pixel (column 5, row 3)
    rgb[at] ^= 0xff;
    await writeFile(file, encodePng(rgb, { columns: header.width, rows: header.height }, { expansion: 1, compression: 'fast' }));
    const source = await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings);
    const damaged = await offGridOfSource(source, 6);
    assert.deepEqual([damaged.columns, damaged.rows], [24, 16]);
    assert.equal(damaged.map.length, 24 * 16);
    assert.deepEqual(
      [...damaged.map.keys()].filter((cell) => damaged.map[cell] > 0),
      [3 * 24 + 5],
    );
    assert.ok(damaged.figure > 0);
    assert.equal((await offGridOfSource(source, 5)).figure, 0, 'the frames around it are untouched');
    const rendered = await offGridOfSource(await loadSource(sourceOfPath(wav), settings), 6);
    assert.equal(rendered.figure, 0, "a WAV's frames are rendered on the grid");
    await assert.rejects(offGridOfSource(source, frameCount), /has no frame/);
  });

  test('cancelling leaves no decoded audio behind', async () => {
    const { root, folder } = await framesFolder();
    const source = await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(decodeSourceAudio(source, join(root, 'decoded.wav'), { assume: {}, signal: abort.signal }), /cancelled/);
    assert.deepEqual(
      (await readdir(root)).filter((name) => name.includes('decoded')),
      [],
    );
  });
});

describe('problems, with what to do next', () => {
  test('a missing frame', async () => {
    const { folder, frameCount } = await framesFolder();
    await rm(join(folder, frameFileName(2, frameCount)));
    const problem = await problemOf(loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings));
    assert.match(problem.message, /frame_00002\.png: is listed in resonance\.json but missing from the folder$/);
    assert.equal(problem.code, 'FRAME_MISSING');
    assert.match(problem.advice, /Put the missing frame back/);
    assert.deepEqual(problem.actions, ['reload']);
  });

  test('frames of mixed sizes: the frames load, the audio reports the odd one', async () => {
    const { root, folder, frameCount } = await framesFolder();
    const other = join(root, 'other');
    await encodeWav(FIXTURE, { geometry: { width: 24, height: 16, expansion: 1 }, output: other, workers: 0 });
    await cp(join(other, frameFileName(1, 100)), join(folder, frameFileName(3, frameCount)));
    const source = await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings);
    const problem = await problemOf(decodeSourceAudio(source, join(root, 'decoded.wav'), { assume: {} }));
    assert.match(problem.message, /frame_00003\.png: is 24 × 16 where the first frame is 48 × 32: frames of mixed sizes/);
    assert.equal(problem.code, 'FRAME_SIZE_MISMATCH');
    assert.match(problem.advice, /must be the size of the first one/);
  });

  test('frames with no metadata: without a format to assume, the settings to set; with one, a notice', async () => {
    const { folder, frameCount } = await framesFolder();
    await rm(join(folder, MANIFEST_NAME));
    for (let i = 0; i < frameCount; i++) {
      const file = join(folder, frameFileName(i, frameCount));
      const { rgb, header } = decodePng(await readFile(file), file);
      await writeFile(file, encodePng(rgb, { columns: header.width, rows: header.height }, { expansion: 1, compression: 'fast' }));
    }
    const problem = await problemOf(loadSource(sourceOfPath(folder + '/resonance.json'), settings));
    assert.match(problem.message, /carry no Resonance metadata: give the sample rate, channels, sample format/);
    assert.deepEqual(problem.actions, ['openSettings', 'reload']);
    assert.equal(problem.settingsQuery, 'resonance.assume');
    const assume = { sampleRate: 11025, channels: 2, sampleFormat: 's16' as const, expansion: 2 };
    const source = await loadSource(sourceOfPath(folder + '/resonance.json'), { assume, geometry: {} });
    assert.equal(source.metadata, 'assumed');
    const notice = assumedFormatNotice(folder, source.stream);
    assert.match(notice.message, /read as s16, stereo, 11025 Hz at expansion 2, as the settings assume/);
    assert.deepEqual(notice.actions, ['openSettings']);
  });

  test('a damaged manifest: open it as text', async () => {
    const { folder } = await framesFolder();
    await writeFile(join(folder, MANIFEST_NAME), '{ "format": "resonance", ');
    const problem = await problemOf(planFolder(folder));
    assert.match(problem.message, /resonance\.json: is not valid JSON$/);
    assert.equal(problem.code, 'MANIFEST_INVALID');
    assert.deepEqual(problem.actions, ['openManifestAsText', 'reload']);
  });

  test('frames from a newer Resonance: update', async () => {
    const { folder } = await framesFolder();
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_NAME), 'utf8'));
    await writeFile(join(folder, MANIFEST_NAME), JSON.stringify({ ...manifest, version: 99 }));
    const problem = await problemOf(planFolder(folder));
    assert.equal(problem.code, 'MANIFEST_NEWER');
    assert.match(problem.advice, /update the extension/);
    assert.deepEqual(problem.actions, []);
  });

  test('a WAV with settings that make no frames: the settings to change', async () => {
    const { wav } = await framesFolder();
    const problem = await problemOf(loadSource(sourceOfPath(wav), { assume: {}, geometry: { width: 10, height: 10, expansion: 3 } }));
    assert.match(problem.message, /pluck\.wav: cannot be shown as frames: width 10 and height 10 must both be multiples of the pixel expansion 3/);
    assert.deepEqual(problem.actions, ['openSettings']);
    assert.match(problem.settingsQuery!, /resonance\.width/);
  });

  test('a file that is not a WAV', async () => {
    const root = await newFolder();
    const fake = join(root, 'notes.wav');
    await writeFile(fake, 'just text');
    const problem = await problemOf(loadSource(sourceOfPath(fake), settings));
    assert.match(problem.message, /notes\.wav: is not a WAV file/);
    assert.equal(problem.code, 'WAV_INVALID');
    assert.match(problem.advice, /uncompressed WAV files only/);
  });

  test('anything else still reads as one line with a next step', () => {
    const problem = problemFor(new Error('something odd\nwith a second line'));
    assert.equal(problem.message, 'something odd');
    assert.equal(problem.code, 'INTERNAL');
    assert.deepEqual(problem.actions, ['reload']);
  });
});

describe('the start frame sent with the document', () => {
  test("a folder's is the file of the frame it starts on, a copy that owns its buffer", async () => {
    const { folder, frameCount } = await framesFolder();
    const source = await loadSource(sourceOfPath(join(folder, frameFileName(5, frameCount))), settings);
    const png = await startImageOf(source);
    assert.ok(png);
    assert.deepEqual(Buffer.from(png), await readFile(join(folder, frameFileName(5, frameCount))));
    assert.equal(png.byteOffset, 0);
    assert.equal(png.buffer.byteLength, png.length);
  });

  test("a WAV's is its first frame rendered", async () => {
    const { wav } = await framesFolder();
    const source = await loadSource(sourceOfPath(wav), settings);
    assert.deepEqual(await startImageOf(source), await renderSourceFrame(source, 0));
  });

  test('none when the frame is larger than the limit or cannot be read: the page loads it like the others', async () => {
    const { folder, frameCount } = await framesFolder();
    const source = await loadSource(sourceOfPath(join(folder, MANIFEST_NAME)), settings);
    const size = (await readFile(join(folder, frameFileName(0, frameCount)))).length;
    assert.ok(await startImageOf(source, size));
    assert.equal(await startImageOf(source, size - 1), undefined);
    await rm(join(folder, frameFileName(0, frameCount)));
    assert.equal(await startImageOf(source), undefined);
  });
});

describe('the page', () => {
  test('a strict policy: scripts and styles only by nonce, images, media and fetches only from the webview origin, workers only from blob:', () => {
    const parts = { cspSource: 'https://*.vscode-cdn.net', script: '', style: '', title: 't', loadingText: 'Loading…', language: 'en', nonce: 'abc123' };
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(framesEditorHtml(parts));
    assert.ok(meta, 'the page has its policy');
    const csp = meta[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    assert.equal(
      csp,
      "default-src 'none'; img-src https://*.vscode-cdn.net blob:; media-src https://*.vscode-cdn.net blob:; " +
        'connect-src https://*.vscode-cdn.net; worker-src blob:; ' +
        "script-src 'nonce-abc123'; style-src 'nonce-abc123'; font-src https://*.vscode-cdn.net",
    );
    assert.doesNotMatch(csp, /unsafe/);
  });

  test('the page carries its script and stylesheet inline under the nonce and escapes what it is given', () => {
    const html = framesEditorHtml({
      cspSource: 'https://x',
      script: 'main();',
      style: 'body { margin: 0 }',
      title: 'a <b> & "c"',
      loadingText: 'Loading…',
      language: 'en',
      nonce: 'N0nce',
    });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="N0nce">main\(\);<\/script>/);
    assert.match(html, /<style nonce="N0nce">body \{ margin: 0 \}<\/style>/);
    assert.doesNotMatch(html, /<link|\ssrc=/, 'nothing loaded from elsewhere');
    // The toolkit's views hand it the nonce themselves (test/webview/views/toolkit.test.ts): the page knows nothing of it.
    assert.doesNotMatch(html, /csp-nonce|vscode-/);
    assert.match(html, /<title>a &#60;b&#62; &#38; &#34;c&#34;<\/title>/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
  });

  test('the spectrum worker rides along as text the page does not run, before the script that starts it', () => {
    const parts = { cspSource: 'https://x', script: 'main();', style: '', title: 't', loadingText: 'Loading…', language: 'en', nonce: 'N' };
    const html = framesEditorHtml({ ...parts, workerScript: 'onmessage = () => "</script>";' });
    const worker = '<script type="text/plain" id="spectrum-worker-source" nonce="N">onmessage = () => "<\\/script>";</script>';
    assert.ok(html.includes(worker), html);
    assert.ok(html.indexOf(worker) < html.indexOf('<script nonce="N">main();'));
  });

  test('script and stylesheet text cannot close their element early, and the script still means the same', () => {
    const source = 'const tag = "</script><b>"; const t = `</SCRIPT >`; const r = /<\\/script/.source;';
    const html = framesEditorHtml({
      cspSource: 'https://x',
      script: source,
      style: '.a::after { content: "</style>" }',
      title: 't',
      loadingText: 'Loading…',
      language: 'en',
      nonce: 'N',
    });
    assert.equal(html.match(/<\/script/gi)?.length, 1, 'only the closing tag');
    assert.equal(html.match(/<\/style/gi)?.length, 1, 'only the closing tag');
    const open = '<script nonce="N">';
    const inline = html.slice(html.indexOf(open) + open.length, html.lastIndexOf('</script>'));
    assert.deepEqual(new Function(`${inline}; return [tag, t, r];`)(), new Function(`${source}; return [tag, t, r];`)());
  });

  test("the page is in VS Code's language and carries its string bundle as data no message can break out of", () => {
    const parts = { cspSource: 'https://x', script: 'main();', style: '', title: 'Frames', nonce: 'N' };
    const english = framesEditorHtml({ ...parts, loadingText: 'Loading frames…', language: 'en' });
    assert.doesNotMatch(english, new RegExp(L10N_BUNDLE_ELEMENT_ID), 'no bundle, no element');
    const bundle = { 'Loading frames…': 'Chargement des images…', 'Frame {0}': '</script><script>alert(1)</script> {0}' };
    const french = framesEditorHtml({ ...parts, loadingText: 'Chargement des images…', language: 'fr', l10nBundle: bundle });
    assert.match(french, /<html lang="fr">/);
    assert.match(french, /aria-busy="true">Chargement des images…<\/div>/);
    const data = french.match(new RegExp(`<script type="application/json" id="${L10N_BUNDLE_ELEMENT_ID}">(.*?)</script>`));
    assert.ok(data, 'the bundle element');
    assert.deepEqual(JSON.parse(data[1]), bundle);
    assert.equal(french.match(/<script nonce/g)?.length, 1, 'the message did not open a script');
  });
});
