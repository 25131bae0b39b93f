/**
 * "Exact" is earned: decoding says the data is the original's only when every frame matches its
 * checksum and the whole data matches the manifest's SHA-256; a manifest that contradicts itself
 * (its data length, its header, its frame count, the original's size) is refused before any work;
 * and without the manifest the result says what was checked and what could not be.
 */
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeFolder, encodeWav, MANIFEST_NAME, ResonanceError, type ErrorCode } from '../../../src/codec';
import { runCli } from '../../../src/cli/cli';
import { Prng } from '../../helpers/prng';
import { listTree, tempFolders } from '../../helpers/tempDirs';
import { buildWav, listInfo, TAG_PCM } from '../../helpers/wavFiles';

const newFolder = tempFolders('exact');
const wav = buildWav({
  fmt: { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 16 },
  data: new Prng(5).bytes(105 * 4 + 10),
  before: [listInfo({ ISFT: 'x' })],
});

/** A manifest as parsed JSON, edited field by field below to make it contradict itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field, at any depth, is set to a wrong value
type Manifest = Record<string, any>;

async function encoded(): Promise<{ folder: string; frames: string; output: string; manifestPath: string; manifest: Manifest }> {
  const folder = await newFolder();
  const input = join(folder, 'in.wav');
  await writeFile(input, wav);
  const frames = join(folder, 'frames');
  await encodeWav(input, { output: frames, geometry: { width: 7, height: 5, expansion: 1 }, workers: 0 });
  const manifestPath = join(frames, MANIFEST_NAME);
  return { folder, frames, output: join(folder, 'out.wav'), manifestPath, manifest: JSON.parse(await readFile(manifestPath, 'utf8')) };
}

async function cliDecode(frames: string, output: string): Promise<string> {
  let stdout = '';
  const code = await runCli(['decode', frames, '-o', output], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => undefined } });
  assert.equal(code, 0);
  return stdout;
}

test('an unchanged folder: exact, and the result says on what', async () => {
  const { frames, output } = await encoded();
  const result = await decodeFolder(frames, { output, workers: 0 });
  assert.equal(result.bitExact, true);
  assert.deepEqual(result.checks, { frameChecksums: 5, dataSha256: 'match', header: 'original' });
  await rm(output);
  assert.match(await cliDecode(frames, output), /exact +yes: every frame matches its checksum and the data the original's SHA-256/);
});

test('a wrong data checksum in the manifest: frames unchanged, but not exact, and said so', async () => {
  const { frames, output, manifestPath, manifest } = await encoded();
  manifest.source.dataSha256 = 'ab'.repeat(32);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  const result = await decodeFolder(frames, { output, workers: 0 });
  assert.equal(result.unchanged, 5);
  assert.equal(result.bitExact, false);
  assert.equal(result.checks.dataSha256, 'mismatch');
  await rm(output);
  assert.match(await cliDecode(frames, output), /exact +no: every frame matches its checksum, but the data does not match the SHA-256 in resonance\.json/);
  const json = JSON.parse(await runJson(frames, output));
  assert.equal(json.bitExact, false);
  assert.equal(json.checks.dataSha256, 'mismatch');
});

test('16 MiB of data, hashed on a thread of its own: exact when it is, a wrong checksum said so', async () => {
  const folder = await newFolder();
  const input = join(folder, 'in.wav');
  await writeFile(input, buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 44100, bitsPerSample: 16 }, data: new Prng(9).bytes(16 * 1024 * 1024 + 4) }));
  const frames = join(folder, 'frames');
  const output = join(folder, 'out.wav');
  await encodeWav(input, { output: frames, geometry: { width: 256, height: 256, expansion: 1 } });
  const result = await decodeFolder(frames, { output });
  assert.equal(result.bitExact, true);
  assert.deepEqual(await readFile(output), await readFile(input));
  await rm(output);
  const manifestPath = join(frames, MANIFEST_NAME);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  manifest.source.dataSha256 = 'ab'.repeat(32);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  const changed = await decodeFolder(frames, { output });
  assert.equal(changed.checks.dataSha256, 'mismatch');
  assert.equal(changed.bitExact, false);
});

async function runJson(frames: string, output: string): Promise<string> {
  await rm(output, { force: true });
  let stdout = '';
  await runCli(['decode', frames, '-o', output, '--json'], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => undefined } });
  return stdout;
}

describe('a manifest that contradicts itself is refused before any work, naming what disagrees', () => {
  const cases: Array<[string, (m: Manifest) => void, ErrorCode, RegExp]> = [
    [
      'a data length its frames do not make',
      (m) => (m.dataLength -= 105),
      'MANIFEST_INCONSISTENT',
      /says 5 frames, but 325 data bytes make 4 frames of 105 bytes/,
    ],
    [
      'a header that declares less data than the manifest',
      (m) => {
        const header = Buffer.from(m.source.header, 'base64');
        header.writeUInt32LE(428, header.length - 4);
        m.source.header = header.toString('base64');
      },
      'MANIFEST_INCONSISTENT',
      /its "source\.header" declares 428 bytes of data, not the 430 of dataLength/,
    ],
    [
      'an original size that is not header, data and trailer',
      (m) => (m.source.size += 1),
      'MANIFEST_INCONSISTENT',
      /says the original file was \d+ bytes, but its header, data and trailer make \d+/,
    ],
    [
      'a header that is not a WAV',
      (m) => (m.source.header = Buffer.alloc(Buffer.from(m.source.header, 'base64').length, 0x41).toString('base64')),
      'MANIFEST_INCONSISTENT',
      /its "source\.header" is not the header of a WAV file: it is not a WAV file/,
    ],
    [
      'a header of another channel count',
      (m) => {
        const header = Buffer.from(m.source.header, 'base64');
        header.writeUInt16LE(1, 22);
        m.source.header = header.toString('base64');
      },
      'MANIFEST_INCONSISTENT',
      /its "source\.header" declares/,
    ],
    ['a header of another container', (m) => (m.source.container = 'RF64'), 'MANIFEST_INCONSISTENT', /says the original was a RF64 file/],
    ['a frame count its list does not have', (m) => m.frames.pop(), 'MANIFEST_INCONSISTENT', /lists 4 frames but says "frameCount": 5/],
  ];
  for (const [name, edit, code, problem] of cases) {
    test(name, async () => {
      const { folder, frames, output, manifestPath, manifest } = await encoded();
      edit(manifest);
      await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
      const before = await listTree(folder);
      await assert.rejects(decodeFolder(frames, { output, workers: 0 }), (error: unknown) => {
        assert.ok(error instanceof ResonanceError, String(error));
        assert.equal(error.code, code, error.message);
        assert.equal(error.file, manifestPath);
        assert.match(error.problem, problem);
        return true;
      });
      assert.deepEqual(await listTree(folder), before);
    });
  }
});

test('without the manifest: frames checked against their own checksums, "exact" unknown, and the summary says why', async () => {
  const { frames, output } = await encoded();
  await rm(join(frames, MANIFEST_NAME));
  const result = await decodeFolder(frames, { output, workers: 0 });
  assert.equal(result.bitExact, undefined);
  assert.deepEqual(result.checks, { frameChecksums: 5, dataSha256: 'unavailable', header: 'original' });
  await rm(output);
  assert.match(
    await cliDecode(frames, output),
    /exact +unknown: 5 of 5 frames checked against their own checksums; without resonance\.json there is no checksum of the whole data/,
  );
});

test("frame 0's header copy that contradicts its record is refused too", async () => {
  const { frames, output } = await encoded();
  await rm(join(frames, MANIFEST_NAME));
  const first = join(frames, 'frame_00000.png');
  const png = await readFile(first);
  // The record's dataLength, a byte more: no longer what the header declares.
  const text = png.toString('latin1');
  const edited = text.replace(/"dataLength":430/, '"dataLength":431');
  assert.notEqual(edited, text);
  const { assemblePng, readChunks } = await import('../../helpers/pngFiles');
  const chunks = readChunks(Buffer.from(edited, 'latin1')).map((c) => ({ type: c.type, data: c.data }));
  await writeFile(first, assemblePng(chunks));
  await assert.rejects(
    decodeFolder(frames, { output, workers: 0 }),
    (error: unknown) =>
      error instanceof ResonanceError &&
      error.code === 'MANIFEST_INCONSISTENT' &&
      error.file === first &&
      /resonance text chunk's "source\.header" declares 430 bytes of data, not the 431 of dataLength/.test(error.problem),
  );
});
