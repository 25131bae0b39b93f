/**
 * Every bad input of issue 2 fails with a ResonanceError whose one-line message names the file
 * and the problem; nothing is left half-written beside the output; no existing output is replaced
 * without `overwrite`; and a cancelled job leaves nothing behind either.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelledError,
  compareWavs,
  decodeFolder,
  describeError,
  encodeWav,
  MANIFEST_NAME,
  readWavFile,
  ResonanceError,
  writeFloat32Wav,
  type DecodeOptions,
  type ErrorCode,
  type EncodeOptions,
} from '../../../src/codec';
import { assertRoundTrip } from '../../helpers/roundTrip';
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
async function assertFailsCleanly(
  job: () => Promise<unknown>,
  expected: { code: ErrorCode; file: string; problem: RegExp; watched: string },
): Promise<ResonanceError> {
  const before = await listTree(expected.watched);
  let caught: unknown;
  try {
    await job();
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof ResonanceError,
    `expected a ResonanceError, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`,
  );
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
    ['truncated in the fmt chunk', good.subarray(0, 30), /is truncated: the 'fmt ' chunk runs past the end of the file/, 'WAV_TRUNCATED'],
    ['truncated after the RIFF header', good.subarray(0, 12), /has no fmt chunk and no data chunk/, 'WAV_MALFORMED'],
    ['zero channels', withFmt(fmtBody(s16Stereo).fill(0, 2, 4)), /declares zero channels/, 'WAV_MALFORMED'],
    ['a sample rate of 0', withFmt(fmtBody(s16Stereo).fill(0, 4, 8)), /declares a sample rate of 0 Hz/, 'WAV_MALFORMED'],
    [
      'a block align that does not fit the channels',
      withFmt({ ...s16Stereo, blockAlign: 3 }),
      /has a block align of 3 bytes, which does not fit 2 channels/,
      'WAV_MALFORMED',
    ],
    ['a fmt chunk shorter than 16 bytes', withFmt(fmtBody(s16Stereo).subarray(0, 14)), /has a fmt chunk shorter than 16 bytes/, 'WAV_MALFORMED'],
    [
      'an EXTENSIBLE fmt chunk shorter than 40 bytes',
      withFmt(fmtBody({ ...s16Stereo, extensible: {} }).subarray(0, 24)),
      /WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes/,
      'WAV_MALFORMED',
    ],
    [
      'no data chunk',
      buildWav({ fmt: s16Stereo, data: Buffer.alloc(0), noData: true, after: [{ id: 'LIST', body: Buffer.from('INFO', 'latin1') }] }),
      /has no data chunk/,
      'WAV_MALFORMED',
    ],
    [
      'a data chunk before the fmt chunk',
      Buffer.concat([Buffer.from('RIFF\x18\x00\x00\x00WAVEdata\x04\x00\x00\x00abcd', 'latin1'), good.subarray(12, 36)]),
      /has its data chunk before any fmt chunk/,
      'WAV_MALFORMED',
    ],
    [
      'a truncated ds64 chunk',
      (() => {
        const rf64 = buildWav({ fmt: s16Stereo, data: Buffer.alloc(8), container: 'RF64' });
        rf64.writeUInt32LE(8, 16); // ds64 says it holds 8 bytes: too short for the 64-bit data size
        return Buffer.concat([rf64.subarray(0, 28), rf64.subarray(48)]);
      })(),
      /has a ds64 chunk too short to hold the 64-bit sizes/,
      'WAV_MALFORMED',
    ],
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
    await assertFailsCleanly(() => encodeDefault(join(folder, 'song.wav')), {
      code: 'NOT_A_FILE',
      file: join(folder, 'song.wav'),
      problem: /is a folder, not a WAV file/,
      watched: folder,
    });
  });

  test('a WAV that does not exist: a one-line message naming it', async () => {
    const folder = await newFolder();
    const missing = join(folder, 'missing.wav');
    const error = await encodeDefault(missing).then(() => undefined, (e: unknown) => e);
    assert.equal(describeError(error), `${missing}: no such file or folder`);
    assert.deepEqual(await readdir(folder), []);
  });
});

describe('a WAV whose data chunk declares more than the file holds', () => {
  const full = buildWav({ fmt: s16Stereo, data: new Prng(1).bytes(400) });
  const cut = full.subarray(0, 300);

  test('refused as truncated with strict (encode --strict)', async () => {
    const { folder, input } = await wavFile(cut);
    const problem = /is truncated: the data chunk declares 400 bytes but only 256 follow/;
    await assertFailsCleanly(() => readWavFile(input, { strict: true }), { code: 'WAV_TRUNCATED', file: input, problem, watched: folder });
    await assertFailsCleanly(() => encodeDefault(input, { strict: true }), { code: 'WAV_TRUNCATED', file: input, problem, watched: folder });
  });

  test('otherwise encoded as far as it goes, with a one-line warning naming the shortfall, and decoded byte for byte', async () => {
    const folder = await newFolder();
    const { encoded } = await assertRoundTrip(folder, cut, { width: 7, height: 5, expansion: 1 });
    assert.deepEqual(encoded.warnings, [
      `${join(folder, 'input.wav')}: is truncated: the data chunk declares 400 bytes but only 256 follow; read the 256 bytes there (144 missing)`,
    ]);
    assert.equal(encoded.dataLength, 256);
  });

  test('the placeholders of streaming writers, 0x7FFFF000 (SoX, espeak-ng) and 0x80000000 (arecord), run to the end of the file without a ' +
    'warning', async () => {
    for (const placeholder of [0x7ffff000, 0x80000000]) {
      const wav = buildWav({ fmt: { tag: TAG_PCM, channels: 1, sampleRate: 22050, bitsPerSample: 16 }, data: new Prng(placeholder).bytes(1000) });
      wav.writeUInt32LE(placeholder, 40);
      wav.writeUInt32LE(placeholder + 36, 4);
      const folder = await newFolder();
      const { encoded } = await assertRoundTrip(folder, wav, { width: 9, height: 4, expansion: 1 });
      assert.deepEqual(encoded.warnings, [], placeholder.toString(16));
      assert.equal(encoded.dataLength, 1000);
      // Strict takes them too: they are what those writers always write, not damage.
      assert.equal((await readWavFile(join(folder, 'input.wav'), { strict: true })).dataLength, 1000);
    }
  });

  test('a block align of 0 (8-bit mono, as Debian\'s tuxtype buzz.wav has) is inferred from the bits and channels, with a warning', async () => {
    const wav = buildWav({ fmt: { tag: TAG_PCM, channels: 1, sampleRate: 11025, bitsPerSample: 8, blockAlign: 0 }, data: new Prng(3).bytes(333) });
    const folder = await newFolder();
    const { encoded } = await assertRoundTrip(folder, wav, { width: 9, height: 4, expansion: 1 });
    assert.equal(encoded.audio.blockAlign, 1);
    assert.equal(encoded.audio.sampleFormat, 'u8');
    assert.deepEqual(encoded.warnings, [
      `${join(folder, 'input.wav')}: has a block align of 0; read as 1 byte per sample frame, from its 8 bits per sample and 1 channel`,
    ]);
  });
});

/** A RIFX file: RIFF with every number big-endian, samples included. */
function rifxOf(fmt: FmtSpec, data: Buffer): Buffer {
  const blockAlign = fmt.blockAlign ?? (fmt.bitsPerSample / 8) * fmt.channels;
  const body = Buffer.alloc(16);
  body.writeUInt16BE(fmt.tag, 0);
  body.writeUInt16BE(fmt.channels, 2);
  body.writeUInt32BE(fmt.sampleRate, 4);
  body.writeUInt32BE(fmt.sampleRate * blockAlign, 8);
  body.writeUInt16BE(blockAlign, 12);
  body.writeUInt16BE(fmt.bitsPerSample, 14);
  const chunk = (id: string, bytes: Buffer) => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32BE(bytes.length, 4);
    return Buffer.concat([header, bytes, Buffer.alloc(bytes.length & 1)]);
  };
  const riffBody = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', body), chunk('data', data)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFX', 0, 'latin1');
  riff.writeUInt32BE(riffBody.length, 4);
  return Buffer.concat([riff, riffBody]);
}

describe('formats Resonance cannot interpret: byte for byte in the bytes layout, refused where sample values are needed', () => {
  const ima = Buffer.concat([fmtBody({ tag: 0x0011, channels: 1, sampleRate: 8000, bitsPerSample: 4, blockAlign: 256 }), Buffer.from([2, 0, 0xf9, 0x01])]);
  ima.writeUInt16LE(2, 16); // cbSize, then samples per block
  const cases: Array<[string, Buffer, RegExp]> = [
    [
      'Microsoft ADPCM (tag 2)',
      buildWav({ fmt: { tag: TAG_ADPCM, channels: 1, sampleRate: 8000, bitsPerSample: 4, blockAlign: 256 }, data: new Prng(10).bytes(256 * 5) }),
      /Microsoft ADPCM \(format tag 0x0002\)/,
    ],
    [
      'IMA ADPCM (tag 0x11) with its extra fmt bytes',
      buildWav({ fmt: ima, data: new Prng(11).bytes(256 * 3), before: [{ id: 'fact', body: Buffer.from([0, 6, 0, 0]) }] }),
      /IMA ADPCM \(format tag 0x0011\)/,
    ],
    [
      'GSM 6.10 (tag 0x31)',
      buildWav({ fmt: { tag: 0x0031, channels: 1, sampleRate: 8000, bitsPerSample: 0, blockAlign: 65 }, data: new Prng(12).bytes(65 * 7) }),
      /GSM 6\.10 \(format tag 0x0031\)/,
    ],
    [
      'MP3 inside EXTENSIBLE',
      buildWav({ fmt: { tag: 0x55, channels: 2, sampleRate: 44100, bitsPerSample: 16, extensible: {} }, data: new Prng(13).bytes(40) }),
      /MP3 \(format tag 0x0055\)/,
    ],
    [
      '16-bit float',
      buildWav({ fmt: { tag: TAG_FLOAT, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, data: new Prng(14).bytes(40) }),
      /IEEE float of 16 bits \(format tag 0x0003\)/,
    ],
    [
      '40-bit PCM',
      buildWav({ fmt: { tag: TAG_PCM, channels: 1, sampleRate: 8000, bitsPerSample: 40 }, data: new Prng(15).bytes(200) }),
      /PCM of 40 bits \(format tag 0x0001\)/,
    ],
    [
      '64-bit PCM, stereo',
      buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 64 }, data: new Prng(16).bytes(160) }),
      /PCM of 64 bits \(format tag 0x0001\)/,
    ],
    ['big-endian RIFX, 16-bit stereo', rifxOf(s16Stereo, new Prng(17).bytes(400)), /PCM of 16 bits \(format tag 0x0001\), big-endian/],
  ];
  for (const [name, wav, described] of cases) {
    test(name, async () => {
      const folder = await newFolder();
      const { input, frames, output } = await assertRoundTrip(folder, wav, { width: 7, height: 5, expansion: 1 });
      const layout = await readWavFile(input);
      assert.equal(layout.format.sampleFormat, 'opaque');
      const manifest = JSON.parse(await readFile(join(frames, MANIFEST_NAME), 'utf8'));
      assert.equal(manifest.version, 2, 'a manifest of opaque audio is version 2, which a Resonance of version 1 refuses as newer');
      assert.equal(manifest.audio.sampleFormat, 'opaque');
      // Without the manifest, frame 0's record carries the header: still byte for byte.
      await rm(join(frames, MANIFEST_NAME));
      await rm(output);
      await decodeFolder(frames, { output, workers: 0 });
      assert.ok((await readFile(output)).equals(wav));
      // What needs sample values refuses it, saying what Resonance reads and what to do.
      const advice =
        new RegExp(
          /whose samples Resonance cannot read, so it cannot .*; Resonance reads 8\/16\/24\/32-bit PCM, 32\/64-bit float, A-law and µ-law /.source +
            /.*convert it to PCM first, e\.g\. ffmpeg -i IN\.wav -c:a pcm_s16le OUT\.wav, or sox IN\.wav -e signed -b 16 OUT\.wav/.source,
        );
      const error = await assertFailsCleanly(() => encodeDefault(input, { layout: 'planes', output: join(folder, 'planes') }), {
        code: 'WAV_UNSUPPORTED',
        file: input,
        problem: advice,
        watched: folder,
      });
      assert.match(error.problem, described);
      await assertFailsCleanly(() => compareWavs(input, output), { code: 'WAV_UNSUPPORTED', file: input, problem: advice, watched: folder });
      await assertFailsCleanly(() => writeFloat32Wav(input, join(folder, 'play.wav')), {
        code: 'WAV_UNSUPPORTED',
        file: input,
        problem: advice,
        watched: folder,
      });
    });
  }

  test('with neither the manifest nor frame 0, no header can be made up for opaque audio: refused, saying where the header is', async () => {
    const folder = await newFolder();
    const { frames } = await assertRoundTrip(folder, cases[0][1], { width: 7, height: 5, expansion: 1 });
    await rm(join(frames, MANIFEST_NAME));
    await rm(join(frames, 'frame_00000.png'));
    await assertFailsCleanly(() => decodeFolder(frames, { output: join(folder, 'out2.wav'), workers: 0 }), {
      code: 'WAV_UNSUPPORTED',
      file: frames,
      problem: /cannot have a WAV header made up for it.*its original header is in resonance\.json, or in frame 0/,
      watched: folder,
    });
  });
});

describe('bad geometry', () => {
  const wav = buildWav({ fmt: s16Stereo, data: Buffer.alloc(100) });
  const cases: Array<[string, { width: number; height: number; expansion: number }, RegExp]> = [
    [
      'width not a multiple of the expansion',
      { width: 10, height: 8, expansion: 4 },
      /cannot be encoded: width 10 and height 8 must both be multiples of the pixel expansion 4/,
    ],
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
    await assertFailsCleanly(() => decode(join(folder, 'frames')), {
      code: 'NO_FRAMES',
      file: join(folder, 'frames'),
      problem: /holds no PNG frames \(it is empty\)/,
      watched: folder,
    });
  });

  test('a folder with files but no PNG frames', async () => {
    const folder = await newFolder();
    await mkdir(join(folder, 'frames'));
    await writeFile(join(folder, 'frames', 'readme.txt'), 'no frames here');
    await assertFailsCleanly(() => decode(join(folder, 'frames')), {
      code: 'NO_FRAMES',
      file: join(folder, 'frames'),
      problem: /holds no PNG frames$/,
      watched: folder,
    });
  });

  test('a file given as the folder', async () => {
    const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data: Buffer.alloc(4) }));
    await assertFailsCleanly(() => decode(input, { output: join(folder, 'out.wav') }), {
      code: 'NOT_A_FOLDER',
      file: input,
      problem: /is not a folder of frames/,
      watched: folder,
    });
  });

  for (const withManifest of [true, false]) {
    test(`frames of mixed sizes (${withManifest ? 'with' : 'without'} the manifest), over the worker pool`, async () => {
      const { folder, frames, names } = await framesOf(data);
      if (!withManifest) await rm(join(frames, MANIFEST_NAME));
      const third = join(frames, names[3]);
      const { rgb } = rgbOfPng(await readFile(third));
      await writeFile(third, resaveWithPngjs(Buffer.concat([rgb, Buffer.alloc(7 * 3)]), 7, 6, { colorType: 2, bitDepth: 8 }));
      await assertFailsCleanly(() => decode(frames, { workers: 2 }), {
        code: 'FRAME_SIZE_MISMATCH',
        file: third,
        problem: /is 7 × 6 where the first frame is 7 × 5: frames of mixed sizes/,
        watched: folder,
      });
    });
  }

  test('a frame missing from the manifest’s list', async () => {
    const { folder, frames, names } = await framesOf(data);
    await rm(join(frames, names[2]));
    await assertFailsCleanly(() => decode(frames), {
      code: 'FRAME_MISSING',
      file: join(frames, names[2]),
      problem: /is listed in resonance\.json but missing from the folder/,
      watched: folder,
    });
  });

  const corruptions: Array<[string, number, (png: Buffer) => Buffer, RegExp, ErrorCode]> = [
    ['a later frame that is not a PNG', 5, () => Buffer.from('GIF89a not a png', 'latin1'), /is not a PNG file/, 'PNG_INVALID'],
    ['the first frame that is not a PNG', 0, () => Buffer.from('text', 'latin1'), /is not a PNG file/, 'PNG_INVALID'],
    [
      'a frame with bad zlib data',
      4,
      (png) => assemblePng(readChunks(png).map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: Buffer.from([0x78, 0x01, 0xff, 0xff, 0xff, 0xff]) } : c))),
      /is a corrupt PNG: its image data does not inflate/,
      'PNG_CORRUPT',
    ],
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
    [
      'a manifest from a newer Resonance',
      (text) => text.replace('"version": 1', '"version": 7'),
      /is format version 7; this Resonance reads versions 1 and 2: update Resonance/,
      'MANIFEST_NEWER',
    ],
    [
      'a manifest with a bad field',
      (text) => text.replace(/"frameCount": \d+/, '"frameCount": "seven"'),
      /has a bad "frameCount": expected a whole number of at least 1/,
      'MANIFEST_INVALID',
    ],
    [
      'a manifest listing a frame outside the folder',
      (text) => text.replace(/"frame_00001\.png"/, '"../frame_00001.png"'),
      /has a bad "frames\[1\]\.file": expected a PNG file name inside the folder/,
      'MANIFEST_INVALID',
    ],
    [
      'a manifest whose frame list and frame count disagree',
      (text) => text.replace(/"frameCount": \d+/, '"frameCount": 9'),
      /lists 7 frames but says "frameCount": 9/,
      'MANIFEST_INCONSISTENT',
    ],
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
    const chunks = readChunks(await readFile(first)).map((c) =>
      c.type === 'tEXt' ? { type: 'tEXt', data: Buffer.from('resonance\0{"version": 1,', 'latin1') } : c,
    );
    await writeFile(first, assemblePng(chunks));
    await assertFailsCleanly(() => decode(frames), {
      code: 'MANIFEST_INVALID',
      file: first,
      problem: /its resonance text chunk is not valid JSON/,
      watched: folder,
    });
  });
});

describe('existing outputs', () => {
  test('an output in a folder that does not exist names that folder, not a temporary file', async () => {
    const { folder, input } = await wavFile(buildWav({ fmt: s16Stereo, data: new Prng(6).bytes(300) }));
    const missing = join(folder, 'no-such-folder');
    await assertFailsCleanly(() => encodeDefault(input, { output: join(missing, 'frames') }), {
      code: 'OUTPUT_FOLDER_MISSING',
      file: missing,
      problem: /^no such folder to write the output in$/,
      watched: folder,
    });
    await encodeDefault(input, { output: join(folder, 'frames') });
    await assertFailsCleanly(() => decodeFolder(join(folder, 'frames'), { output: join(missing, 'out.wav'), workers: 0 }), {
      code: 'OUTPUT_FOLDER_MISSING',
      file: missing,
      problem: /^no such folder to write the output in$/,
      watched: folder,
    });
    await assertFailsCleanly(() => decodeFolder(join(folder, 'frames'), { output: join(input, 'out.wav'), workers: 0 }), {
      code: 'NOT_A_FOLDER',
      file: input,
      problem: /^is a file, not a folder to write the output in$/,
      watched: folder,
    });
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
      await assertFailsCleanly(() => encodeDefault(input, { overwrite }), {
        code: 'OUTPUT_PROTECTED',
        file: output,
        problem: /^holds no resonance\.json: Resonance replaces only a folder that holds a frames set and nothing else$/,
        watched: folder,
      });
    }
    assert.equal(await readFile(join(output, 'precious.txt'), 'utf8'), 'keep me');
  });

  test('decode never replaces an existing WAV without overwrite, nor on failure with it', async () => {
    const { folder, frames, names } = await framesOf(new Prng(4).bytes(500));
    const output = join(folder, 'frames.wav');
    await writeFile(output, 'an existing file');
    const error = await assertFailsCleanly(() => decodeFolder(frames, { workers: 0 }), {
      code: 'OUTPUT_EXISTS',
      file: output,
      problem: /^already exists$/,
      watched: folder,
    });
    assert.equal(error.code, 'OUTPUT_EXISTS');

    const last = join(frames, names[names.length - 1]);
    const good = await readFile(last);
    await writeFile(last, good.subarray(0, 60));
    await assertFailsCleanly(() => decodeFolder(frames, { workers: 0, overwrite: true }), {
      code: 'PNG_CORRUPT',
      file: last,
      problem: /is a corrupt PNG/,
      watched: folder,
    });
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
