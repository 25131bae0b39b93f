/**
 * Memory bounded whatever the input says: each limit of docs/format.md refuses what is beyond it
 * with LIMIT_EXCEEDED before allocating for it, and input that merely looks large (junk after
 * IEND, unknown manifest fields, a million empty chunks) is read without holding it. The peaks
 * themselves are measured with GNU time (docs/decisions.md); here, what is refused and what is not.
 */
import assert from 'node:assert/strict';
import { open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { compareWavs, decodeFolder, encodeWav, MANIFEST_NAME, planFolder, readWavFile, ResonanceError, type ErrorCode } from '../../../src/codec';
import { LIMITS } from '../../../src/codec/format/limits';
import { framePoolFor } from '../../../src/codec/pipeline/framePool';
import { decodePng } from '../../../src/codec/png/pngReader';
import { assemblePng, readChunks } from '../../helpers/pngFiles';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';
import { buildWav, TAG_PCM } from '../../helpers/wavFiles';

const newFolder = tempFolders('limits');
const GUARD = { timeout: 60_000 };
const s16 = { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 16 };

async function assertRefused(job: () => unknown, code: ErrorCode, file: string, problem: RegExp): Promise<void> {
  await assert.rejects(async () => job(), (error: unknown) => {
    assert.ok(error instanceof ResonanceError, String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.file, file);
    assert.match(error.problem, problem);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

/** A small PNG that declares `width` × `height` pixels: a few bytes of deflate that would inflate to gigabytes. */
function declaredPng(width: number, height: number, colorType = 2, bitDepth = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const chunks = [{ type: 'IHDR', data: ihdr }];
  if (colorType === 3) chunks.push({ type: 'PLTE', data: Buffer.alloc(6) });
  return assemblePng([...chunks, { type: 'IDAT', data: deflateSync(Buffer.alloc(1 << 20)) }, { type: 'IEND', data: Buffer.alloc(0) }]);
}

async function framesOf(geometry = { width: 7, height: 5, expansion: 1 }): Promise<{ folder: string; frames: string; output: string }> {
  const folder = await newFolder();
  const input = join(folder, 'in.wav');
  await writeFile(input, buildWav({ fmt: s16, data: new Prng(1).bytes(105 * 3 + 7) }));
  const frames = join(folder, 'frames');
  await encodeWav(input, { output: frames, geometry, workers: 0 });
  return { folder, frames, output: join(folder, 'out.wav') };
}

describe('frames larger than the limit are refused before their image is allocated', () => {
  for (const [name, png] of [
    ['RGB declaring 16384 × 16384', declaredPng(16384, 16384)],
    ['RGB declaring 30000 × 30000', declaredPng(30000, 30000)],
    ['a 1-bit palette declaring 32768 × 32768', declaredPng(32768, 32768, 3, 1)],
  ] as const) {
    test(name, GUARD, async () => {
      await assertRefused(
        () => decodePng(png, 'big.png'),
        'LIMIT_EXCEEDED',
        'big.png',
        /pixels: a frame of \d+ × \d+ pixels is larger than Resonance handles: at most 4,194,304 pixels/,
      );
      const { frames, output } = await framesOf();
      const frame = join(frames, 'frame_00001.png');
      await writeFile(frame, png);
      await assertRefused(() => decodeFolder(frames, { output, workers: 0 }), 'LIMIT_EXCEEDED', frame, /larger than Resonance handles/);
    });
  }

  test('encoding at 16384 × 16384 is refused before any work', GUARD, async () => {
    const folder = await newFolder();
    const input = join(folder, 'in.wav');
    await writeFile(input, buildWav({ fmt: s16, data: Buffer.alloc(400) }));
    await assertRefused(
      () => encodeWav(input, { geometry: { width: 16384, height: 16384 }, workers: 0 }),
      'LIMIT_EXCEEDED',
      input,
      /^cannot be encoded: a frame of 16384 × 16384 pixels is larger than Resonance handles/,
    );
    await assert.doesNotReject(
      encodeWav(input, { output: join(folder, 'wide'), geometry: { width: 16384, height: 256 }, workers: 0 }),
      'a long thin frame of the same area is fine',
    );
  });

  test('a manifest declaring 16384 × 16384 frames over small ones is refused', GUARD, async () => {
    const { frames, output } = await framesOf();
    const path = join(frames, MANIFEST_NAME);
    const manifest = JSON.parse(await readFile(path, 'utf8'));
    manifest.geometry = { width: 16384, height: 16384, expansion: 1 };
    await writeFile(path, JSON.stringify(manifest));
    await assertRefused(() => decodeFolder(frames, { output, workers: 0 }), 'LIMIT_EXCEEDED', path, /has a geometry beyond the limit/);
  });
});

describe('PNG files read no further than their image may need', () => {
  test('a gigabyte after IEND is never read: the frame decodes', GUARD, async () => {
    const { frames, output } = await framesOf();
    const frame = join(frames, 'frame_00002.png');
    const size = (await readFile(frame)).length;
    await truncate(frame, size + 2 ** 30);
    const result = await decodeFolder(frames, { output, workers: 0 });
    assert.equal(result.bitExact, true);
  });

  test('a text chunk of 9 MiB is refused', GUARD, async () => {
    const { frames, output } = await framesOf();
    const frame = join(frames, 'frame_00001.png');
    const chunks = readChunks(await readFile(frame));
    await writeFile(
      frame,
      assemblePng([chunks[0], { type: 'tEXt', data: Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(9 * 2 ** 20, 0x41)]) }, ...chunks.slice(1)]),
    );
    await assertRefused(() => decodeFolder(frames, { output, workers: 0 }), 'LIMIT_EXCEEDED', frame, /./);
  });

  test('a million empty IDAT chunks: refused as more than the image needs, without a list of them', GUARD, async () => {
    const { frames, output } = await framesOf();
    const frame = join(frames, 'frame_00001.png');
    const chunks = readChunks(await readFile(frame));
    const empty = assemblePng([{ type: 'IDAT', data: Buffer.alloc(0) }]).subarray(8);
    const many = Buffer.alloc(empty.length * 1_000_000);
    for (let at = 0; at < many.length; at += empty.length) empty.copy(many, at);
    const png = await readFile(frame);
    const idatAt = png.indexOf('IDAT', 0, 'latin1') - 4;
    await writeFile(frame, Buffer.concat([png.subarray(0, idatAt), many, png.subarray(idatAt)]));
    await assertRefused(() => decodeFolder(frames, { output, workers: 0 }), 'LIMIT_EXCEEDED', frame, /goes on past the \d+ bytes a PNG of its size may take/);
    // In memory the same chunks decode: walked, not listed.
    const decoded = decodePng(Buffer.concat([png.subarray(0, idatAt), many.subarray(0, empty.length * 200_000), png.subarray(idatAt)]), 'f.png');
    assert.equal(decoded.header.width, 7);
    void chunks;
  });
});

describe('WAV files', () => {
  test('chunks of more than 16 MiB around the data are refused', GUARD, async () => {
    const folder = await newFolder();
    const path = join(folder, 'big-list.wav');
    const junk = { id: 'JUNK', body: Buffer.alloc(LIMITS.sideChunkBytes) };
    await writeFile(path, buildWav({ fmt: s16, data: Buffer.alloc(40), before: [junk] }));
    await assertRefused(() => readWavFile(path), 'LIMIT_EXCEEDED', path, /has more than 16 MiB of chunks around its data/);
    await writeFile(path, buildWav({ fmt: s16, data: Buffer.alloc(40), after: [junk] }));
    await assertRefused(() => readWavFile(path), 'LIMIT_EXCEEDED', path, /has more than 16 MiB of chunks around its data/);
  });

  test('a million empty chunks before the data are walked through', GUARD, async () => {
    const folder = await newFolder();
    const path = join(folder, 'chunky.wav');
    const wav = buildWav({ fmt: s16, data: new Prng(2).bytes(400) });
    const empty = Buffer.from('JUNK\0\0\0\0', 'latin1');
    const many = Buffer.alloc(empty.length * 1_000_000);
    for (let at = 0; at < many.length; at += empty.length) empty.copy(many, at);
    await writeFile(path, Buffer.concat([wav.subarray(0, 36), many, wav.subarray(36)]));
    const layout = await readWavFile(path);
    assert.equal(layout.dataLength, 400);
    assert.equal(layout.dataOffset, 36 + many.length + 8);
  });

  test('compare reads a 65,535-channel WAV a few sample frames at a time', GUARD, async () => {
    const folder = await newFolder();
    const path = join(folder, 'wide.wav');
    await writeFile(path, buildWav({ fmt: { tag: TAG_PCM, channels: 65535, sampleRate: 8000, bitsPerSample: 8 }, data: new Prng(3).bytes(65535 * 3) }));
    const result = await compareWavs(path, path);
    assert.equal(result.sampleFrames, 3);
    assert.equal(result.identical, true);
  });
});

describe('the manifest', () => {
  test('an unknown field of 64 MB is skipped without being kept; a header over the limit is refused', GUARD, async () => {
    const { frames, output } = await framesOf();
    const path = join(frames, MANIFEST_NAME);
    const text = await readFile(path, 'utf8');
    const handle = await open(path, 'w');
    await handle.write('{\n  "notes": "');
    const block = Buffer.alloc(2 ** 20, 0x61);
    for (let i = 0; i < 64; i++) await handle.write(block);
    await handle.write('",');
    await handle.write(text.slice(1));
    await handle.close();
    assert.equal((await decodeFolder(frames, { output, workers: 0 })).bitExact, true);
    await rm(output);
    const manifest = JSON.parse(text);
    manifest.source.header = 'A'.repeat(4 * Math.ceil(LIMITS.sideChunkBytes / 3) + 4);
    await writeFile(path, JSON.stringify(manifest));
    await assertRefused(() => planFolder(frames), 'LIMIT_EXCEEDED', path, /has a "source\.header" longer than \d+ characters/);
  });

  test('a number of a thousand digits, a key of a million characters and values nested a thousand deep', GUARD, async () => {
    const { frames } = await framesOf();
    const path = join(frames, MANIFEST_NAME);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace(/"frameCount": \d+/, `"frameCount": ${'9'.repeat(1000)}`));
    await assertRefused(() => planFolder(frames), 'LIMIT_EXCEEDED', path, /has a number longer than 64 characters in "frameCount"/);
    await writeFile(path, text.replace('{', `{ "${'k'.repeat(1_000_000)}": 1,`));
    await assert.doesNotReject(planFolder(frames), 'a long unknown key is skipped');
    await writeFile(path, text.replace('{', `{ "deep": ${'['.repeat(1000)}${']'.repeat(1000)},`));
    await assertRefused(() => planFolder(frames), 'LIMIT_EXCEEDED', path, /nests its values deeper than 64 levels/);
  });

  test('a small manifest, read whole, is judged as the stream judges it: a key given twice, an escaped key, an over-long number run', GUARD, async () => {
    const { frames, output } = await framesOf();
    const path = join(frames, MANIFEST_NAME);
    const text = await readFile(path, 'utf8');
    // JSON.parse keeps the last of a key given twice: the first's over-long name must still be refused.
    await writeFile(path, text.replace('"source": {', `"source": {\n    "name": "${'n'.repeat(LIMITS.manifestStringChars + 1)}",`));
    await assertRefused(() => planFolder(frames), 'LIMIT_EXCEEDED', path, /has a "source\.name" longer than 4096 characters/);
    // An escaped key is the key it spells: two frame lists.
    await writeFile(path, text.replace('{', '{ "fr\\u0061mes": [],'));
    await assertRefused(() => planFolder(frames), 'MANIFEST_INVALID', path, /has two "frames" lists/);
    // An unknown field of a long run of digits in a string is no number: the manifest stands.
    await writeFile(path, text.replace('{', `{ "notes": "${'7'.repeat(100)}",`));
    assert.equal((await decodeFolder(frames, { output, workers: 0 })).bitExact, true);
    await rm(output);
    // A manifest past the size read whole streams, and stands too.
    await writeFile(path, text.replace('{', `{ "notes": "${'x'.repeat(5 * 1024 * 1024)}",`));
    assert.equal((await decodeFolder(frames, { output, workers: 0 })).bitExact, true);
  });

  test('a frame count over the limit is refused', GUARD, async () => {
    const { frames } = await framesOf();
    const path = join(frames, MANIFEST_NAME);
    const manifest = JSON.parse(await readFile(path, 'utf8'));
    manifest.frameCount = LIMITS.frames + 1;
    manifest.dataLength = manifest.frameCount * manifest.bytesPerFrame;
    await writeFile(path, JSON.stringify(manifest));
    await assertRefused(() => planFolder(frames), 'LIMIT_EXCEEDED', path, /more than the 10000000 Resonance takes in one stream/);
  });
});

test('worker threads: never more than eight, and fewer for large frames, whatever is asked', async () => {
  const pools = [framePoolFor(1000, 768 * 768 * 3, 256), framePoolFor(1000, 2048 * 2048 * 3, 256), framePoolFor(1000, 768 * 768 * 3, 0)];
  try {
    assert.ok(pools[0].size <= 8 && pools[0].size >= 1, `${pools[0].size}`);
    assert.equal(pools[1].size, 1);
    assert.equal(pools[2].size, 0);
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
});
