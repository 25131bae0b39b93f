/**
 * Fuzz: real WAV bytes, real PNG frames and real manifests, mutated a few thousand times with a
 * seeded PRNG (bit flips, truncations, inserted and deleted bytes, random chunk sizes, odd JSON
 * values). Every failure must be a ResonanceError: never a TypeError, a RangeError or a crash.
 * The parsers take most rounds; fewer go through whole encodes and decodes, which must also
 * leave nothing behind and never return wrong data without flagging it. Hostile mutations too:
 * format tags Resonance cannot interpret, a block align of 0, RIFX, streaming placeholders, PNGs
 * declaring huge images, thousands of empty IDAT chunks, junk after IEND, large text chunks, a
 * frame swapped for a FIFO. Each case has a time limit (a hang fails), and the process's resident
 * memory is checked after each test: input that says "allocate gigabytes" must not get them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFolder, encodeWav, MANIFEST_NAME, readWavFile, ResonanceError } from '../../../src/codec';
import { parseFrameRecord } from '../../../src/codec/format/manifest';
import { readManifest } from '../../../src/codec/files/manifestFile';
import { decodePng, readPngHeader } from '../../../src/codec/png/pngReader';
import { interlacedRgbPng, palettePng, readChunks, resaveWithPngjs, rgbOfPng } from '../../helpers/pngFiles';
import { flipBits, mutateBytes, mutateJson, mutatePngStructure, mutateWavFields } from '../../helpers/mutate';
import { crc32 } from 'node:zlib';
import { Prng } from '../../helpers/prng';
import { listTree, tempFolders } from '../../helpers/tempDirs';
import { buildWav, listInfo, TAG_FLOAT, TAG_PCM } from '../../helpers/wavFiles';
import { FIXTURES } from '../../helpers/paths';

const newFolder = tempFolders('fuzz');
const SEED = 20240611;

/** A case that has not settled after this long is a hang. */
const CASE_TIMEOUT_MS = 15_000;
/** Resident memory the fuzz rounds may add to the test process: a case that allocated what its input declared would take gigabytes. */
const RSS_GROWTH_LIMIT = 600 * 1024 * 1024;
const rssAtStart = process.memoryUsage().rss;

function assertMemoryBounded(what: string): void {
  const rss = process.memoryUsage().rss;
  assert.ok(rss - rssAtStart < RSS_GROWTH_LIMIT, `${what}: resident memory grew by ${Math.round((rss - rssAtStart) / 2 ** 20)} MiB`);
}

/** Runs `attempt`; a ResonanceError is a pass, anything else thrown fails with what to replay, and so does a case that does not settle. */
async function expectResonanceErrorOnly<T>(what: string, attempt: () => T | Promise<T>): Promise<T | ResonanceError> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const hang = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS)),
    );
    return await Promise.race([Promise.resolve().then(attempt), hang]);
  } catch (error) {
    if (error instanceof ResonanceError) {
      assert.doesNotMatch(error.message, /\n/, `${what}: one line`);
      return error;
    }
    assert.fail(`${what}: threw ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A real fixture with its data cut to `keep` bytes and its sizes fixed: real headers, small files. */
function shortened(bytes: Buffer, dataOffset: number, dataLength: number, keep: number): Buffer {
  const out = Buffer.concat([bytes.subarray(0, dataOffset + keep), bytes.subarray(dataOffset + dataLength)]);
  out.writeUInt32LE(out.length - 8, 4);
  out.writeUInt32LE(keep, dataOffset - 4);
  return out;
}

async function wavCorpus(): Promise<Buffer[]> {
  const read = (name: string) => readFile(join(FIXTURES, name));
  const s16 = { tag: TAG_PCM, channels: 2, sampleRate: 44100, bitsPerSample: 16 };
  const prng = new Prng(SEED);
  return [
    await read('pluck-pcm8.wav'),
    await read('pluck-pcm24.wav'),
    shortened(await read('ff_list_s16_stereo.wav'), 78, 249600, 2000),
    shortened(await read('ff_f32_stereo.wav'), 114, 384000, 2000),
    buildWav({ fmt: s16, data: prng.bytes(300), container: 'RF64', before: [listInfo({ ISFT: 'x' })], after: [{ id: 'cue ', body: Buffer.alloc(4) }] }),
    buildWav({
      fmt: { tag: TAG_FLOAT, channels: 6, sampleRate: 48000, bitsPerSample: 32, extensible: { channelMask: 0x3f } },
      data: prng.bytes(480),
      before: [{ id: 'fact', body: Buffer.alloc(4) }],
    }),
    buildWav({ fmt: s16, data: prng.bytes(201), after: [listInfo({ INAM: 'odd' })] }),
    buildWav({ fmt: s16, data: prng.bytes(200), sizes: 'unknown' }),
  ];
}

/** The frame re-saved by another tool with a few pixel bytes changed. */
function changedPixels(png: Buffer, prng: Prng): { bytes: Buffer; how: string } {
  const { rgb, width, height } = rgbOfPng(png);
  const changes = prng.between(1, 3);
  for (let i = 0; i < changes; i++) rgb[prng.below(rgb.length)] ^= 1 << prng.below(8);
  return { bytes: resaveWithPngjs(rgb, width, height, { colorType: 2, bitDepth: 8 }), how: `${changes} pixel bytes changed and re-saved` };
}

describe('fuzz', () => {
  test('readWavFile on mutated WAV files', async () => {
    const corpus = await wavCorpus();
    const folder = await newFolder();
    const path = join(folder, 'fuzz.wav');
    const prng = new Prng(SEED + 1);
    let accepted = 0;
    for (let round = 0; round < 1500; round++) {
      const { bytes, how } = round % 3 === 2 ? mutateWavFields(prng.pick(corpus), prng) : mutateBytes(prng.pick(corpus), 'riff', prng);
      await writeFile(path, bytes);
      const result = await expectResonanceErrorOnly(`WAV round ${round} (${how})`, () => readWavFile(path));
      if (result instanceof ResonanceError) {
        assert.equal(result.file, path);
        continue;
      }
      accepted++;
      assert.ok(result.dataOffset + result.dataLength <= bytes.length, `round ${round}: the data lies inside the file`);
      assert.equal(result.header.length, result.dataOffset);
      assert.equal(result.header.length + result.dataLength + result.trailer.length, bytes.length);
    }
    assert.ok(accepted > 100 && accepted < 1400, `a mix of accepted (${accepted}) and refused files`);
    assertMemoryBounded('WAV rounds');
  });

  test('decodePng and readPngHeader on mutated frames', async () => {
    const folder = await newFolder();
    const input = join(folder, 'in.wav');
    await writeFile(input, buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 16 }, data: new Prng(SEED + 2).bytes(600) }));
    const corpus: Buffer[] = [];
    for (const [geometry, compression] of [
      [{ width: 9, height: 7, expansion: 1 }, 'default'],
      [{ width: 12, height: 8, expansion: 2 }, 'default'],
      [{ width: 9, height: 7, expansion: 1 }, 'small'],
    ] as const) {
      const frames = join(folder, `frames-${corpus.length}`);
      await encodeWav(input, { output: frames, geometry, compression, workers: 0 });
      const names = (await readdir(frames)).filter((n) => n.endsWith('.png')).sort();
      corpus.push(await readFile(join(frames, names[0])), await readFile(join(frames, names[names.length - 1])));
    }
    const { rgb, width, height } = rgbOfPng(corpus[0]);
    corpus.push(
      resaveWithPngjs(rgb, width, height, { colorType: 6, bitDepth: 8, alpha: (p) => p % 256 }),
      resaveWithPngjs(rgb, width, height, { colorType: 2, bitDepth: 16 }),
      resaveWithPngjs(rgb, width, height, { colorType: 0, bitDepth: 8 }),
      interlacedRgbPng(rgb, width, height),
      palettePng(Buffer.alloc(rgb.length, 7), width, height, { bitDepth: 4, interlaced: true }),
    );
    const prng = new Prng(SEED + 3);
    let accepted = 0;
    for (let round = 0; round < 1800; round++) {
      const { bytes, how } = round % 4 === 3 ? mutatePngStructure(prng.pick(corpus), prng, crc32) : mutateBytes(prng.pick(corpus), 'png', prng);
      const decoded = await expectResonanceErrorOnly(`PNG round ${round} (${how})`, () => decodePng(bytes, 'fuzz.png'));
      if (!(decoded instanceof ResonanceError)) {
        accepted++;
        assert.equal(decoded.rgb.length, decoded.header.width * decoded.header.height * 3);
      }
      const prefix = bytes.subarray(0, prng.below(bytes.length + 1));
      await expectResonanceErrorOnly(`PNG header round ${round} (${how})`, () => readPngHeader(prefix, 'fuzz.png'));
    }
    assert.ok(accepted > 50 && accepted < 1750, `a mix of accepted (${accepted}) and refused frames`);
    assertMemoryBounded('PNG rounds');
  });

  test('readManifest and parseFrameRecord on mutated JSON', async () => {
    const folder = await newFolder();
    const input = join(folder, 'in.wav');
    await writeFile(
      input,
      buildWav({ fmt: { tag: TAG_PCM, channels: 1, sampleRate: 8000, bitsPerSample: 8 }, data: Buffer.alloc(300, 1), before: [listInfo({ ISFT: 'x' })] }),
    );
    const frames = join(folder, 'frames');
    await encodeWav(input, { output: frames, geometry: { width: 7, height: 5, expansion: 1 }, workers: 0 });
    const manifest = await readFile(join(frames, MANIFEST_NAME), 'utf8');
    const records = [];
    for (const name of ['frame_00000.png', 'frame_00001.png']) {
      const text = readChunks(await readFile(join(frames, name))).find((c) => c.type === 'tEXt')!.data.toString('latin1');
      records.push(text.slice(text.indexOf('\0') + 1));
    }
    const manifestPath = join(folder, 'm.json');
    await writeFile(manifestPath, manifest);
    await readManifest(manifestPath);
    records.forEach((r) => parseFrameRecord(r, 'f.png'));

    const prng = new Prng(SEED + 4);
    for (let round = 0; round < 1500; round++) {
      if (round % 3 === 0) {
        const { text, how } = mutateJson(prng.pick(records), prng);
        const result = await expectResonanceErrorOnly(`record round ${round} (${how})`, () => parseFrameRecord(text, 'f.png'));
        if (result instanceof ResonanceError) assert.equal(result.file, 'f.png');
      } else {
        const { text, how } = mutateJson(manifest, prng);
        await writeFile(manifestPath, text);
        const result = await expectResonanceErrorOnly(`manifest round ${round} (${how})`, () => readManifest(manifestPath));
        if (result instanceof ResonanceError) assert.equal(result.file, manifestPath);
      }
    }
  });

  test('whole decodes of frames folders with one file mutated', async () => {
    const folder = await newFolder();
    const input = join(folder, 'in.wav');
    const wav = buildWav({
      fmt: { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 16 },
      data: new Prng(SEED + 5).bytes(700),
      before: [listInfo({ ISFT: 'x' })],
      after: [listInfo({ INAM: 'y' })],
    });
    await writeFile(input, wav);
    const templates: Array<{ frames: string; names: string[] }> = [];
    for (const [name, geometry] of [['e1', { width: 9, height: 7, expansion: 1 }], ['e2', { width: 12, height: 8, expansion: 2 }]] as const) {
      const frames = join(folder, name);
      await encodeWav(input, { output: frames, geometry, workers: 0 });
      templates.push({ frames, names: (await readdir(frames)).sort() });
    }
    const output = join(folder, 'out.wav');
    const prng = new Prng(SEED + 6);
    let decoded = 0;
    let flagged = 0;
    for (let round = 0; round < 120; round++) {
      const { frames, names } = prng.pick(templates);
      const target = prng.pick(names);
      const path = join(frames, target);
      const original = await readFile(path);
      const manifestPath = join(frames, MANIFEST_NAME);
      const manifest = await readFile(manifestPath);
      const removeManifest = target !== MANIFEST_NAME && prng.below(4) === 0;
      // A fifth of the frames stay valid PNGs with changed pixels, so that some decodes succeed with changes to report; a tenth become FIFOs.
      const choice = prng.below(10);
      const fifo = target !== MANIFEST_NAME && choice === 9;
      const { bytes, how } =
        target === MANIFEST_NAME
          ? { bytes: Buffer.from(mutateJson(original.toString('utf8'), prng).text), how: 'mutated' }
          : fifo
            ? { bytes: Buffer.alloc(0), how: 'replaced by a FIFO' }
            : choice < 2
              ? changedPixels(original, prng)
              : choice < 4
                ? flipBits(original, prng)
                : choice < 6
                  ? mutatePngStructure(original, prng, crc32)
                  : mutateBytes(original, 'png', prng);
      if (fifo) {
        await rm(path);
        execFileSync('mkfifo', [path]);
      } else {
        await writeFile(path, bytes);
      }
      if (removeManifest) await rm(manifestPath);
      const what = `decode round ${round} (${target} ${how}${removeManifest ? ', manifest removed' : ''})`;
      const before = await listTree(folder);
      const result = await expectResonanceErrorOnly(what, () => decodeFolder(frames, { output, workers: round % 20 === 0 ? 2 : 0 }));
      if (result instanceof ResonanceError) {
        assert.deepEqual(await listTree(folder), before, `${what}: nothing left behind`);
        if (fifo) assert.equal(result.code, 'NOT_A_FILE', what);
      } else {
        decoded++;
        const back = await readFile(output);
        // "Exact" is never said of a file that is not the original, whatever was mutated, the manifest included.
        if (result.bitExact === true) assert.ok(back.equals(wav), `${what}: said exact, but the file differs`);
        // With the manifest intact, data that differs from the original is never passed off as unchanged.
        if (target !== MANIFEST_NAME && !removeManifest && !back.equals(wav)) {
          assert.ok(result.modified.length > 0, `${what}: different data must be reported as modified frames`);
          flagged++;
        }
        await rm(output);
      }
      await rm(path);
      await writeFile(path, original);
      await writeFile(manifestPath, manifest);
    }
    assert.ok(decoded > 10 && decoded < 110, `a mix of decoded (${decoded}) and refused folders`);
    assert.ok(flagged > 0, 'some decodes had changed pixels to report');
    assertMemoryBounded('decode rounds');
  });

  test('whole encodes of mutated WAVs: whatever is accepted round-trips byte-identical', async () => {
    const corpus = await wavCorpus();
    const folder = await newFolder();
    const input = join(folder, 'in.wav');
    const frames = join(folder, 'frames');
    const output = join(folder, 'out.wav');
    const prng = new Prng(SEED + 7);
    let encoded = 0;
    for (let round = 0; round < 160; round++) {
      const { bytes, how } = round % 2 === 1 ? mutateWavFields(prng.pick(corpus), prng) : mutateBytes(prng.pick(corpus), 'riff', prng);
      await writeFile(input, bytes);
      const what = `encode round ${round} (${how})`;
      const result = await expectResonanceErrorOnly(what, () =>
        encodeWav(input, { output: frames, geometry: { width: 30, height: 20, expansion: 1 }, workers: 0 }),
      );
      if (result instanceof ResonanceError) {
        assert.deepEqual(await listTree(folder), ['in.wav'], `${what}: nothing left behind`);
        continue;
      }
      encoded++;
      const decoded = await decodeFolder(frames, { output, workers: 0 });
      assert.equal(decoded.bitExact, true, what);
      assert.ok((await readFile(output)).equals(bytes), `${what}: byte-identical`);
      await rm(frames, { recursive: true });
      await rm(output);
    }
    assert.ok(encoded > 10 && encoded < 150, `a mix of encoded (${encoded}) and refused files`);
    assertMemoryBounded('encode rounds');
  });
});
