/**
 * Every bad input of issue 2 fails with a ResonanceError whose one-line message names the file
 * and the problem; nothing is left half-written beside the output; no existing output is replaced
 * without `overwrite`; and a cancelled job leaves nothing behind either.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, decodeFolder, describeError, encodeWav, MANIFEST_NAME, readWavFile, ResonanceError, type DecodeOptions, type ErrorCode, type EncodeOptions } from '../../../src/codec';
import { assemblePng, readChunks, resaveWithPngjs, rgbOfPng } from '../../helpers/pngFiles';
import { Prng } from '../../helpers/prng';
import { listTree, tempFolders } from '../../helpers/tempDirs';
import { buildWav, fmtBody, TAG_ADPCM, TAG_FLOAT, TAG_PCM, type FmtSpec } from '../../helpers/wavFiles';

const newFolder = tempFolders('badinput');
const s16Stereo: FmtSpec = { tag: TAG_PCM, channels: 2, sampleRate: 44100, bitsPerSample: 16 };

/**
 * Runs a job that must fail, and checks the error names `file` and matches `problem` on one line,
 * and that `watched` (the output's parent folder) holds exactly what it held before.
 */
async function assertFailsCleanly(job: () => Promise<unknown>, expected: { code: ErrorCode; file: string; problem: RegExp; watched: string }): Promise<ResonanceError> {
  const before = await listTree(expected.watched);
  let caught: unknown;
  try {
    await job();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ResonanceError, `expected a ResonanceError, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  assert.equal(caught.code, expected.code, caught.message);
  assert.equal(caught.file, expected.file);
  assert.match(caught.problem, expected.problem);
  assert.equal(caught.message, `${expected.file}: ${caught.problem}`);
  assert.doesNotMatch(caught.message, /\n/);
  assert.equal(describeError(caught), caught.message);
  assert.deepEqual(await listTree(expected.watched), before, 'nothing left behind');
  return caught;
}

async function wavFile(bytes: Buffer | string): Promise<{ folder: string; input: string }> {
  const folder = await newFolder();
  const input = join(folder, 'input.wav');
  await writeFile(input, bytes);
  return { folder, input };
}

function encodeDefault(input: string, options: EncodeOptions = {}) {
  return encodeWav(input, { geometry: { width: 7, height: 5, expansion: 1 }, workers: 0, ...options });
}

describe('bad WAV input to encode', () => {
  const good = buildWav({ fmt: s16Stereo, data: new Prng(1).bytes(400) });
  const withFmt = (fmt: FmtSpec | Buffer) => buildWav({ fmt, data: Buffer.alloc(40) });
  const cases: Array<[string, Buffer | string, RegExp, ErrorCode]> = [
    ['not a WAV: a text file', 'hello, this is not audio\n', /is not a WAV file \(no RIFF\/WAVE header\)/, 'WAV_INVALID'],
    ['not a WAV: a RIFF file of another kind', Buffer.concat([Buffer.from('RIFF\x04\x00\x00\x00AVI ', 'latin1')]), /is not a WAV file/, 'WAV_INVALID'],
    ['an empty file', Buffer.alloc(0), /is empty, not a WAV file/, 'WAV_INVALID'],
    ['truncated in the data', good.subarray(0, 300), /is truncated: the data chunk declares 400 bytes but only 256 follow/, 'WAV_TRUNCATED'],
    ['truncated in the fmt chunk', good.subarray(0, 30), /is truncated: the 'fmt ' chunk runs past the end of the file/, 'WAV_TRUNCATED'],
    ['truncated after the RIFF header', good.subarray(0, 12), /has no fmt chunk and no data chunk/, 'WAV_MALFORMED'],
    ['unsupported format: Microsoft ADPCM (tag 2)', withFmt({ tag: TAG_ADPCM, channels: 1, sampleRate: 8000, bitsPerSample: 4, blockAlign: 256 }), /uses an unsupported sample format: format tag 0x0002 \(Microsoft ADPCM\)/, 'WAV_UNSUPPORTED'],
    ['unsupported format: MP3 inside EXTENSIBLE', withFmt({ tag: 0x55, channels: 2, sampleRate: 44100, bitsPerSample: 16, extensible: {} }), /uses an unsupported sample format: format tag 0x0055 \(MP3\)/, 'WAV_UNSUPPORTED'],
    ['unsupported format: 16-bit float', withFmt({ tag: TAG_FLOAT, channels: 1, sampleRate: 8000, bitsPerSample: 16 }), /uses an unsupported sample format: float with 2-byte samples/, 'WAV_UNSUPPORTED'],
    ['unsupported format: 40-bit PCM', withFmt({ tag: TAG_PCM, channels: 1, sampleRate: 8000, bitsPerSample: 40 }), /uses an unsupported sample format: PCM with 5-byte samples/, 'WAV_UNSUPPORTED'],
    ['big-endian RIFX', Buffer.concat([Buffer.from('RIFX', 'latin1'), good.subarray(4)]), /big-endian RIFX WAV files are not supported/, 'WAV_UNSUPPORTED'],
    ['zero channels', withFmt(fmtBody(s16Stereo).fill(0, 2, 4)), /declares zero channels/, 'WAV_MALFORMED'],
    ['a sample rate of 0', withFmt(fmtBody(s16Stereo).fill(0, 4, 8)), /declares a sample rate of 0 Hz/, 'WAV_MALFORMED'],
    ['a block align that does not fit the channels', withFmt({ ...s16Stereo, blockAlign: 3 }), /has a block align of 3 bytes, which does not fit 2 channels/, 'WAV_MALFORMED'],
    ['a fmt chunk shorter than 16 bytes', withFmt(fmtBody(s16Stereo).subarray(0, 14)), /has a fmt chunk shorter than 16 bytes/, 'WAV_MALFORMED'],
    ['an EXTENSIBLE fmt chunk shorter than 40 bytes', withFmt(fmtBody({ ...s16Stereo, extensible: {} }).subarray(0, 24)), /WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes/, 'WAV_MALFORMED'],
    ['no data chunk', buildWav({ fmt: s16Stereo, data: Buffer.alloc(0), noData: true, after: [{ id: 'LIST', body: Buffer.from('INFO', 'latin1') }] }), /has no data chunk/, 'WAV_MALFORMED'],
    ['a data chunk before the fmt chunk', Buffer.concat([Buffer.from('RIFF\x18\x00\x00\x00WAVEdata\x04\x00\x00\x00abcd', 'latin1'), good.subarray(12, 36)]), /has its data chunk before any fmt chunk/, 'WAV_MALFORMED'],
    ['a truncated ds64 chunk', (() => {
      const rf64 = buildWav({ fmt: s16Stereo, data: Buffer.alloc(8), container: 'RF64' });
      rf64.writeUInt32LE(8, 16); // ds64 says it holds 8 bytes: too short for the 64-bit data size
      return Buffer.concat([rf64.subarray(0, 28), rf64.subarray(48)]);
    })(), /has a ds64 chunk too short to hold the 64-bit sizes/, 'WAV_MALFORMED'],
  ];

  for (const [name, bytes, problem, code] of cases) {
    test(name, async () => {
      const { folder, input } = await wavFile(bytes);
      await assertFailsCleanly(() => readWavFile(input), { code, file: input, problem, watched: folder });
      await assertFailsCleanly(() => encodeDefault(input), { code, file: input, problem, watched: folder });
    });
  }

  test('a folder given as the WAV', async () => {
    const folder = await newFolder();
    await mkdir(join(folder, 'song.wav'));
    await assertFailsCleanly(() => encodeDefault(join(folder, 'song.wav')), { code: 'NOT_A_FILE', file: join(folder, 'song.wav'), problem: /is a folder, not a WAV file/, watched: folder });
  });

  test('a WAV that does not exist: a one-line message naming it', async () => {
    const folder = await newFolder();
    const missing = join(folder, 'missing.wav');
    const error = await encodeDefault(missing).then(() => undefined, (e: unknown) => e);
    assert.equal(describeError(error), `${missing}: no such file or folder`);
    assert.deepEqual(await readdir(folder), []);
  });
});

describe('bad geometry', () => {
  const wav = buildWav({ fmt: s16Stereo, data: Buffer.alloc(100) });
  const cases: Array<[string, { width: number; height: number; expansion: number }, RegExp]> = [
    ['width not a multiple of the expansion', { width: 10, height: 8, expansion: 4 }, /cannot be encoded: width 10 and height 8 must both be multiples of the pixel expansion 4/],
    ['height not a multiple of the expansion', { width: 9, height: 7, expansion: 3 }, /multiples of the pixel expansion 3/],
    ['a width of 0', { width: 0, height: 8, expansion: 1 }, /width must be a whole number from 1 to 16384, not 0/],
    ['a fractional height', { width: 8, height: 7.5, expansion: 1 }, /height must be a whole number from 1 to 16384, not 7.5/],
    ['an expansion of 0', { width: 8, height: 8, expansion: 0 }, /expansion must be a whole number from 1 to 256, not 0/],
    ['a side over the limit', { width: 20000, height: 8, expansion: 1 }, /width must be a whole number from 1 to 16384/],
  ];
  for (const [name, geometry, problem] of cases) {
    test(name, async () => {
      const { folder, input } = await wavFile(wav);
      await assertFailsCleanly(() => encodeWav(input, { geometry, workers: 0 }), { code: 'GEOMETRY_INVALID', file: input, problem, watched: folder });
    });
  }
});

interface Frames {
  folder: string;
  frames: string;
  names: string[];
}

async function framesOf(data: Buffer, options: { geometry?: { width: number; height: number; expansion: number } } = {}): Promise<Frames> {
  const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data }));
  const frames = join(folder, 'frames');
  await encodeWav(input, { output: frames, geometry: options.geometry ?? { width: 7, height: 5, expansion: 1 }, workers: 0 });
  const names = (await readdir(frames)).filter((n) => n.endsWith('.png')).sort();
  return { folder, frames, names };
}

describe('bad frames folders to decode', () => {
  const data = new Prng(2).bytes(105 * 6 + 10); // 7 frames of 7 × 5
  const decode = (folder: string, options: DecodeOptions = {}) => decodeFolder(folder, { workers: 0, ...options });

  test('an empty folder', async () => {
    const folder = await newFolder();
    await mkdir(join(folder, 'frames'));
    await assertFailsCleanly(() => decode(join(folder, 'frames')), { code: 'NO_FRAMES', file: join(folder, 'frames'), problem: /holds no PNG frames \(it is empty\)/, watched: folder });
  });

  test('a folder with files but no PNG frames', async () => {
    const folder = await newFolder();
    await mkdir(join(folder, 'frames'));
    await writeFile(join(folder, 'frames', 'readme.txt'), 'no frames here');
    await assertFailsCleanly(() => decode(join(folder, 'frames')), { code: 'NO_FRAMES', file: join(folder, 'frames'), problem: /holds no PNG frames$/, watched: folder });
  });

  test('a file given as the folder', async () => {
    const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data: Buffer.alloc(4) }));
    await assertFailsCleanly(() => decode(input, { output: join(folder, 'out.wav') }), { code: 'NOT_A_FOLDER', file: input, problem: /is not a folder of frames/, watched: folder });
  });

  for (const withManifest of [true, false]) {
    test(`frames of mixed sizes (${withManifest ? 'with' : 'without'} the manifest), over the worker pool`, async () => {
      const { folder, frames, names } = await framesOf(data);
      if (!withManifest) await rm(join(frames, MANIFEST_NAME));
      const third = join(frames, names[3]);
      const { rgb } = rgbOfPng(await readFile(third));
      await writeFile(third, resaveWithPngjs(Buffer.concat([rgb, Buffer.alloc(7 * 3)]), 7, 6, { colorType: 2, bitDepth: 8 }));
      await assertFailsCleanly(() => decode(frames, { workers: 2 }), { code: 'FRAME_SIZE_MISMATCH', file: third, problem: /is 7 × 6 where the first frame is 7 × 5: frames of mixed sizes/, watched: folder });
    });
  }

  test('a frame missing from the manifest’s list', async () => {
    const { folder, frames, names } = await framesOf(data);
    await rm(join(frames, names[2]));
    await assertFailsCleanly(() => decode(frames), { code: 'FRAME_MISSING', file: join(frames, names[2]), problem: /is listed in resonance\.json but missing from the folder/, watched: folder });
  });

  const corruptions: Array<[string, number, (png: Buffer) => Buffer, RegExp, ErrorCode]> = [
    ['a later frame that is not a PNG', 5, () => Buffer.from('GIF89a not a png', 'latin1'), /is not a PNG file/, 'PNG_INVALID'],
    ['the first frame that is not a PNG', 0, () => Buffer.from('text', 'latin1'), /is not a PNG file/, 'PNG_INVALID'],
    ['a frame with bad zlib data', 4, (png) => assemblePng(readChunks(png).map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: Buffer.from([0x78, 0x01, 0xff, 0xff, 0xff, 0xff]) } : c))), /is a corrupt PNG: its image data does not inflate/, 'PNG_CORRUPT'],
    ['a truncated frame', 6, (png) => png.subarray(0, png.length - 40), /is a corrupt PNG: its 'IDAT' chunk runs past the end of the file/, 'PNG_CORRUPT'],
    ['an empty frame', 2, () => Buffer.alloc(0), /is not a PNG file/, 'PNG_INVALID'],
  ];
  for (const [name, index, corrupt, problem, code] of corruptions) {
    for (const workers of [0, 2]) {
      test(`${name} (${workers ? 'worker pool' : 'inline'})`, async () => {
        const { folder, frames, names } = await framesOf(data);
        const path = join(frames, names[index]);
        await writeFile(path, corrupt(await readFile(path)));
        await assertFailsCleanly(() => decode(frames, { workers }), { code, file: path, problem, watched: folder });
      });
    }
  }

  test('a corrupt frame without the manifest', async () => {
    const { folder, frames, names } = await framesOf(data);
    await rm(join(frames, MANIFEST_NAME));
    const path = join(frames, names[3]);
    await writeFile(path, (await readFile(path)).subarray(0, 100));
    await assertFailsCleanly(() => decode(frames), { code: 'PNG_CORRUPT', file: path, problem: /is a corrupt PNG/, watched: folder });
  });

  const manifests: Array<[string, (text: string) => string, RegExp, ErrorCode]> = [
    ['corrupt manifest JSON', (text) => text.slice(0, text.length / 2), /is not valid JSON/, 'MANIFEST_INVALID'],
    ['a manifest that is not an object', () => '[1, 2, 3]', /is not a JSON object/, 'MANIFEST_INVALID'],
    ['a manifest of another program', (text) => text.replace('"format": "resonance"', '"format": "other"'), /is not a Resonance manifest/, 'MANIFEST_INVALID'],
    ['a manifest from a newer Resonance', (text) => text.replace('"version": 1', '"version": 7'), /is format version 7; this Resonance reads version 1: update Resonance/, 'MANIFEST_NEWER'],
    ['a manifest with a bad field', (text) => text.replace(/"frameCount": \d+/, '"frameCount": "seven"'), /has a bad "frameCount": expected a whole number of at least 1/, 'MANIFEST_INVALID'],
    ['a manifest listing a frame outside the folder', (text) => text.replace(/"frame_00001\.png"/, '"../frame_00001.png"'), /has a bad "frames\[1\]\.file": expected a PNG file name inside the folder/, 'MANIFEST_INVALID'],
    ['a manifest whose frame list and frame count disagree', (text) => text.replace(/"frameCount": \d+/, '"frameCount": 9'), /lists 7 frames but says "frameCount": 9/, 'MANIFEST_INCONSISTENT'],
  ];
  for (const [name, edit, problem, code] of manifests) {
    test(name, async () => {
      const { folder, frames } = await framesOf(data);
      const manifest = join(frames, MANIFEST_NAME);
      await writeFile(manifest, edit(await readFile(manifest, 'utf8')));
      await assertFailsCleanly(() => decode(frames), { code, file: manifest, problem, watched: folder });
    });
  }

  test('a frame whose text chunk is not valid JSON, without the manifest', async () => {
    const { folder, frames, names } = await framesOf(data);
    await rm(join(frames, MANIFEST_NAME));
    const first = join(frames, names[0]);
    const chunks = readChunks(await readFile(first)).map((c) => (c.type === 'tEXt' ? { type: 'tEXt', data: Buffer.from('resonance\0{"version": 1,', 'latin1') } : c));
    await writeFile(first, assemblePng(chunks));
    await assertFailsCleanly(() => decode(frames), { code: 'MANIFEST_INVALID', file: first, problem: /its resonance text chunk is not valid JSON/, watched: folder });
  });
});

describe('existing outputs', () => {
  test('an output in a folder that does not exist names that folder, not a temporary file', async () => {
    const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data: new Prng(6).bytes(300) }));
    const missing = join(folder, 'no-such-folder');
    await assertFailsCleanly(() => encodeDefault(input, { output: join(missing, 'frames') }), { code: 'OUTPUT_FOLDER_MISSING', file: missing, problem: /^no such folder to write the output in$/, watched: folder });
    await encodeDefault(input, { output: join(folder, 'frames') });
    await assertFailsCleanly(() => decodeFolder(join(folder, 'frames'), { output: join(missing, 'out.wav'), workers: 0 }), { code: 'OUTPUT_FOLDER_MISSING', file: missing, problem: /^no such folder to write the output in$/, watched: folder });
    await assertFailsCleanly(() => decodeFolder(join(folder, 'frames'), { output: join(input, 'out.wav'), workers: 0 }), { code: 'NOT_A_FOLDER', file: input, problem: /^is a file, not a folder to write the output in$/, watched: folder });
  });

  test('encode never replaces an existing frames folder without overwrite', async () => {
    const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data: new Prng(3).bytes(300) }));
    const output = join(folder, 'input_frames');
    const first = await encodeDefault(input, { geometry: { width: 4, height: 4, expansion: 1 } });
    const manifestBefore = await readFile(join(output, MANIFEST_NAME), 'utf8');
    const error = await assertFailsCleanly(() => encodeDefault(input), { code: 'OUTPUT_EXISTS', file: output, problem: /^already exists$/, watched: folder });
    assert.equal(error.code, 'OUTPUT_EXISTS');
    assert.equal(await readFile(join(output, MANIFEST_NAME), 'utf8'), manifestBefore);

    const result = await encodeDefault(input, { overwrite: true });
    assert.equal(result.output, output);
    const names = await readdir(output);
    assert.ok(result.frameCount < first.frameCount);
    assert.equal(names.filter((n) => n.endsWith('.png')).length, result.frameCount, 'none of the old frames is left');
    assert.deepEqual((await readdir(folder)).sort(), ['input.wav', 'input_frames']);
  });

  test('a folder Resonance did not write is never replaced, with overwrite or without', async () => {
    const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data: new Prng(3).bytes(300) }));
    const output = join(folder, 'input_frames');
    await mkdir(output);
    await writeFile(join(output, 'precious.txt'), 'keep me');
    for (const overwrite of [false, true]) {
      await assertFailsCleanly(() => encodeDefault(input, { overwrite }), { code: 'OUTPUT_PROTECTED', file: output, problem: /^holds no resonance\.json: Resonance replaces only a folder that holds a frames set and nothing else$/, watched: folder });
    }
    assert.equal(await readFile(join(output, 'precious.txt'), 'utf8'), 'keep me');
  });

  test('decode never replaces an existing WAV without overwrite, nor on failure with it', async () => {
    const { folder, frames, names } = await framesOf(new Prng(4).bytes(500));
    const output = join(folder, 'frames.wav');
    await writeFile(output, 'an existing file');
    const error = await assertFailsCleanly(() => decodeFolder(frames, { workers: 0 }), { code: 'OUTPUT_EXISTS', file: output, problem: /^already exists$/, watched: folder });
    assert.equal(error.code, 'OUTPUT_EXISTS');

    const last = join(frames, names[names.length - 1]);
    const good = await readFile(last);
    await writeFile(last, good.subarray(0, 60));
    await assertFailsCleanly(() => decodeFolder(frames, { workers: 0, overwrite: true }), { code: 'PNG_CORRUPT', file: last, problem: /is a corrupt PNG/, watched: folder });
    assert.equal(await readFile(output, 'utf8'), 'an existing file');

    await writeFile(last, good);
    await decodeFolder(frames, { workers: 0, overwrite: true });
    assert.equal((await readFile(output)).toString('latin1', 0, 4), 'RIFF');
  });
});

describe('cancellation', () => {
  const data = new Prng(5).bytes(105 * 40);

  async function assertCancelledCleanly(job: (signal: AbortSignal, abortSoon: () => void) => Promise<unknown>, watched: string): Promise<void> {
    const before = await listTree(watched);
    const controller = new AbortController();
    const error = await job(controller.signal, () => controller.abort()).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof CancelledError, `expected a CancelledError, got ${String(error)}`);
    assert.deepEqual(await listTree(watched), before, 'nothing left behind');
  }

  for (const workers of [0, 2]) {
    test(`encode cancelled after its third frame (${workers ? 'worker pool' : 'inline'})`, async () => {
      const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data }));
      let reports = 0;
      await assertCancelledCleanly(
        (signal, abort) => encodeDefault(input, { workers, signal, onProgress: (p) => (p.framesDone === 3 ? abort() : undefined, reports++) }),
        folder,
      );
      assert.ok(reports >= 3 && reports < 40, `stopped early (${reports} frames reported)`);
    });

    test(`decode cancelled after its third frame (${workers ? 'worker pool' : 'inline'})`, async () => {
      const { folder, frames } = await framesOf(data);
      let reports = 0;
      await assertCancelledCleanly(
        (signal, abort) => decodeFolder(frames, { workers, signal, onProgress: (p) => (p.framesDone === 3 ? abort() : undefined, reports++) }),
        folder,
      );
      assert.ok(reports >= 3 && reports < 40, `stopped early (${reports} frames reported)`);
    });
  }

  for (const workers of [0, 2]) {
    // Ctrl-C and VS Code's cancel button arrive as events: a job must let events in between frames.
    test(`decode cancelled by an event that arrives while it runs (${workers ? 'worker pool' : 'inline'})`, async () => {
      const { folder, frames } = await framesOf(data);
      let reports = 0;
      await assertCancelledCleanly(
        (signal, abort) => decodeFolder(frames, { workers, signal, onProgress: (p) => (p.framesDone === 3 ? setImmediate(abort) : undefined, reports++) }),
        folder,
      );
      assert.ok(reports >= 3 && reports < 40, `stopped early (${reports} frames reported)`);
    });
  }

  test('a signal aborted before the job starts makes nothing', async () => {
    const { folder, frames } = await framesOf(data);
    const input = join(folder, 'input.wav');
    await assertCancelledCleanly((signal, abort) => (abort(), encodeDefault(input, { signal })), folder);
    await assertCancelledCleanly((signal, abort) => (abort(), decodeFolder(frames, { signal, workers: 0 })), folder);
  });
});
