/**
 * readWavFile (where the samples are, what they are, what surrounds them) on the real fixtures,
 * hand-built containers and a sparse RF64 file over 4 GiB; canonicalContainer's headers byte by
 * byte, read back by readWavFile and by wavefile.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { open, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { makeAudioFormat, readWavFile, ResonanceError, SAMPLE_FORMATS, type AudioFormat } from '../../../src/codec';
import { canonicalContainer } from '../../../src/codec/wav/wavFile';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';
import { buildWav, fmtBody, listInfo, TAG_FLOAT, TAG_PCM, type FmtSpec } from '../../helpers/wavFiles';
import { FIXTURES } from '../../helpers/paths';

const newFolder = tempFolders('wav');
const GiB = 2 ** 30;

describe('readWavFile on the real fixtures', () => {
  // Offsets and sizes read off the files' chunk lists by hand.
  const cases = [
    { file: 'ff_list_s16_stereo.wav', sampleFormat: 's16', channels: 2, sampleRate: 48000, bitsPerSample: 16, dataOffset: 78, dataLength: 249600 },
    { file: 'ff_f32_stereo.wav', sampleFormat: 'f32', channels: 2, sampleRate: 96000, bitsPerSample: 32, dataOffset: 114, dataLength: 384000 },
    { file: 'pluck-pcm8.wav', sampleFormat: 'u8', channels: 2, sampleRate: 11025, bitsPerSample: 8, dataOffset: 142, dataLength: 6614 },
    { file: 'pluck-pcm16.wav', sampleFormat: 's16', channels: 2, sampleRate: 11025, bitsPerSample: 16, dataOffset: 142, dataLength: 13228 },
    { file: 'pluck-pcm24.wav', sampleFormat: 's24', channels: 2, sampleRate: 11025, bitsPerSample: 24, dataOffset: 142, dataLength: 19842 },
    { file: 'pluck-pcm32.wav', sampleFormat: 's32', channels: 2, sampleRate: 11025, bitsPerSample: 32, dataOffset: 142, dataLength: 26456 },
  ] as const;
  for (const c of cases) {
    test(c.file, async () => {
      const path = join(FIXTURES, c.file);
      const bytes = await readFile(path);
      const layout = await readWavFile(path);
      assert.equal(layout.format.sampleFormat, c.sampleFormat);
      assert.equal(layout.format.channels, c.channels);
      assert.equal(layout.format.sampleRate, c.sampleRate);
      assert.equal(layout.format.bitsPerSample, c.bitsPerSample);
      assert.equal(layout.container, 'RIFF');
      assert.equal(layout.dataOffset, c.dataOffset);
      assert.equal(layout.dataLength, c.dataLength);
      assert.equal(layout.fileSize, bytes.length);
      assert.ok(layout.header.equals(bytes.subarray(0, c.dataOffset)));
      assert.ok(layout.trailer.equals(bytes.subarray(c.dataOffset + c.dataLength)));
      assert.equal(bytes.toString('latin1', c.dataOffset - 8, c.dataOffset - 4), 'data');
    });
  }

  test('the LIST fixture really has its LIST chunk before the data (the wavefile trap)', async () => {
    const bytes = await readFile(join(FIXTURES, 'ff_list_s16_stereo.wav'));
    assert.equal(bytes.toString('latin1', 36, 40), 'LIST');
    assert.equal(bytes.toString('latin1', 70, 74), 'data');
  });

  test('the float fixture really is EXTENSIBLE float (wavefile reads it as integers)', async () => {
    const bytes = await readFile(join(FIXTURES, 'ff_f32_stereo.wav'));
    assert.equal(bytes.readUInt16LE(20), 0xfffe);
    assert.equal(bytes.readUInt16LE(44), TAG_FLOAT);
    assert.notEqual(new WaveFile(bytes).bitDepth, '32f');
  });
});

describe('readWavFile on hand-built containers', () => {
  const s16: FmtSpec = { tag: TAG_PCM, channels: 2, sampleRate: 44100, bitsPerSample: 16 };

  async function layoutOf(wav: Buffer) {
    const path = join(await newFolder(), 'x.wav');
    await writeFile(path, wav);
    return readWavFile(path);
  }

  test('odd-length data: the pad byte and the chunks after it are the trailer', async () => {
    const data = new Prng(1).bytes(101);
    const cue = { id: 'cue ', body: Buffer.alloc(4) };
    const wav = buildWav({ fmt: s16, data, after: [listInfo({ INAM: 'x' }), cue] });
    const layout = await layoutOf(wav);
    assert.equal(layout.dataOffset, 44);
    assert.equal(layout.dataLength, 101);
    assert.equal(layout.trailer.length, wav.length - 44 - 101);
    assert.equal(layout.trailer[0], 0, 'the pad byte comes first');
    assert.equal(layout.trailer.toString('latin1', 1, 5), 'LIST');
  });

  test('streaming sizes 0 and 0xFFFFFFFF: the data runs to the end of the file', async () => {
    for (const sizes of ['zero', 'unknown'] as const) {
      const wav = buildWav({ fmt: s16, data: new Prng(2).bytes(333), sizes, padOddData: false });
      const layout = await layoutOf(wav);
      assert.equal(layout.dataLength, 333, sizes);
      assert.equal(layout.trailer.length, 0);
    }
  });

  test('RF64 and BW64 take the data size from ds64', async () => {
    for (const container of ['RF64', 'BW64'] as const) {
      const wav = buildWav({ fmt: s16, data: new Prng(3).bytes(64), container, after: [listInfo({ INAM: 'after' })] });
      const layout = await layoutOf(wav);
      assert.equal(layout.container, container);
      assert.equal(layout.dataOffset, 12 + 36 + 24 + 8);
      assert.equal(layout.dataLength, 64);
      assert.equal(layout.trailer.toString('latin1', 0, 4), 'LIST');
    }
  });

  test('EXTENSIBLE: the sub-format decides the sample format, the valid bits the significant bits', async () => {
    const cases: Array<[FmtSpec, string, number]> = [
      [{ tag: TAG_FLOAT, channels: 2, sampleRate: 48000, bitsPerSample: 32, extensible: {} }, 'f32', 32],
      [{ tag: TAG_FLOAT, channels: 1, sampleRate: 48000, bitsPerSample: 64, extensible: {} }, 'f64', 64],
      [{ tag: TAG_PCM, channels: 6, sampleRate: 48000, bitsPerSample: 24, extensible: { validBits: 20 } }, 's24', 20],
      [{ tag: TAG_PCM, channels: 8, sampleRate: 48000, bitsPerSample: 32, extensible: { validBits: 24 } }, 's32', 24],
      [{ tag: TAG_PCM, channels: 2, sampleRate: 48000, bitsPerSample: 16, extensible: { validBits: 0 } }, 's16', 16],
    ];
    for (const [fmt, sampleFormat, bits] of cases) {
      const layout = await layoutOf(buildWav({ fmt, data: Buffer.alloc(48) }));
      assert.equal(layout.format.sampleFormat, sampleFormat);
      assert.equal(layout.format.bitsPerSample, bits);
      assert.equal(layout.format.channels, fmt.channels);
    }
  });

  test('PCM with fewer significant bits than its container (12 bits in 16) is s16', async () => {
    const layout = await layoutOf(buildWav({ fmt: { tag: TAG_PCM, channels: 1, sampleRate: 8000, bitsPerSample: 12, blockAlign: 2 }, data: Buffer.alloc(10) }));
    assert.equal(layout.format.sampleFormat, 's16');
    assert.equal(layout.format.bitsPerSample, 12);
  });

  test('a fmt chunk longer than 40 bytes and an unknown chunk before it are skipped over', async () => {
    const fmt = Buffer.concat([fmtBody(s16), Buffer.alloc(7)]);
    const wav = buildWav({ fmt, data: Buffer.alloc(8) });
    const withJunkFirst = Buffer.concat([wav.subarray(0, 12), Buffer.from('JUNK\x03\x00\x00\x00abc\x00', 'latin1'), wav.subarray(12)]);
    withJunkFirst.writeUInt32LE(withJunkFirst.length - 8, 4);
    const layout = await layoutOf(withJunkFirst);
    assert.equal(layout.format.sampleFormat, 's16');
    assert.equal(layout.dataLength, 8);
    assert.equal(layout.dataOffset, withJunkFirst.length - 8);
  });
});

describe('files over 4 GiB', () => {
  test('a sparse RF64 file over 4 GiB: readWavFile gives the 64-bit data length from ds64', async () => {
    const path = join(await newFolder(), 'big.wav');
    const dataLength = 5 * GiB + 6;
    const header = buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 48000, bitsPerSample: 16 }, data: Buffer.alloc(0), container: 'RF64' });
    header.writeBigUInt64LE(BigInt(dataLength), 12 + 8 + 8); // ds64 data size
    const trailer = buildWav({
      fmt: { tag: TAG_PCM, channels: 1, sampleRate: 1, bitsPerSample: 8 },
      data: Buffer.alloc(0),
      after: [listInfo({ INAM: 'tail' })],
    }).subarray(44);
    await writeFile(path, header);
    await truncate(path, header.length + dataLength);
    const handle = await open(path, 'r+');
    await handle.write(trailer, 0, trailer.length, header.length + dataLength);
    await handle.close();

    const layout = await readWavFile(path);
    assert.equal(layout.container, 'RF64');
    assert.equal(layout.dataOffset, header.length);
    assert.equal(layout.dataLength, dataLength);
    assert.ok(layout.trailer.equals(trailer));
    assert.equal(layout.fileSize, header.length + dataLength + trailer.length);
  });

  test('a sparse RIFF file over 4 GiB with a streaming size of 0xFFFFFFFF: the data runs to the end', async () => {
    const path = join(await newFolder(), 'stream.wav');
    const header = buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 48000, bitsPerSample: 16 }, data: Buffer.alloc(0), sizes: 'unknown' });
    await writeFile(path, header);
    await truncate(path, header.length + 4 * GiB + 100);
    const layout = await readWavFile(path);
    assert.equal(layout.dataLength, 4 * GiB + 100);
    assert.equal(layout.trailer.length, 0);
  });

  test('an RF64 file whose ds64 claims more data than the file holds is truncated: refused when strict, else read as far as it goes with a ' +
    'warning', async () => {
    const path = join(await newFolder(), 'short.wav');
    const wav = buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 48000, bitsPerSample: 16 }, data: Buffer.alloc(100), container: 'RF64' });
    wav.writeBigUInt64LE(BigInt(5 * GiB), 12 + 8 + 8);
    await writeFile(path, wav);
    await assert.rejects(
      readWavFile(path, { strict: true }),
      (e: unknown) => e instanceof ResonanceError && e.code === 'WAV_TRUNCATED' && e.file === path && /truncated/.test(e.problem),
    );
    const layout = await readWavFile(path);
    assert.equal(layout.dataLength, 100);
    assert.deepEqual(layout.warnings, [
      `${path}: is truncated: the data chunk declares ${5 * GiB} bytes but only 100 follow; read the 100 bytes there (${5 * GiB - 100} missing)`,
    ]);
  });
});

describe('canonicalContainer', () => {
  test('mono and stereo PCM get the classic 44-byte header, identical to a hand-built one', () => {
    for (const [channels, rate, format] of [[1, 8000, 'u8'], [2, 44100, 's16'], [2, 11025, 's24'], [1, 96000, 's32']] as const) {
      const audio = makeAudioFormat(format, channels, rate);
      const data = Buffer.alloc(audio.blockAlign * 10);
      const { header, trailer } = canonicalContainer(audio, data.length);
      const expected = buildWav({ fmt: { tag: TAG_PCM, channels, sampleRate: rate, bitsPerSample: audio.blockAlign * 8 / channels }, data });
      assert.ok(header.equals(expected.subarray(0, 44)), `${format} ${channels} channels`);
      assert.equal(trailer.length, 0);
    }
  });

  test('odd-length data gets a pad byte, counted in the RIFF size', () => {
    const { header, trailer } = canonicalContainer(makeAudioFormat('u8', 1, 8000), 7);
    assert.deepEqual([...trailer], [0]);
    assert.equal(header.readUInt32LE(4), header.length - 8 + 7 + 1);
    assert.equal(header.readUInt32LE(header.length - 4), 7);
  });

  test('float, A-law and µ-law get an 18-byte fmt and a fact chunk with the sample frame count', () => {
    for (const [format, tag] of [['f32', 3], ['f64', 3], ['alaw', 6], ['mulaw', 7]] as const) {
      const audio = makeAudioFormat(format, 2, 48000);
      const { header } = canonicalContainer(audio, audio.blockAlign * 25);
      assert.equal(header.toString('latin1', 12, 16), 'fmt ');
      assert.equal(header.readUInt32LE(16), 18);
      assert.equal(header.readUInt16LE(20), tag);
      assert.equal(header.readUInt16LE(36), 0, 'cbSize');
      assert.equal(header.toString('latin1', 38, 42), 'fact');
      assert.equal(header.readUInt32LE(46), 25);
      assert.equal(header.toString('latin1', 50, 54), 'data');
    }
  });

  test('more than two channels, or fewer valid bits than the container, give WAVE_FORMAT_EXTENSIBLE', () => {
    const six = canonicalContainer(makeAudioFormat('s24', 6, 48000), 18 * 4).header;
    assert.equal(six.readUInt16LE(20), 0xfffe);
    assert.equal(six.readUInt16LE(22), 6);
    assert.equal(six.readUInt16LE(34), 24);
    assert.equal(six.readUInt16LE(36), 22);
    assert.equal(six.readUInt16LE(38), 24);
    assert.equal(six.readUInt32LE(40), 0x3f);
    assert.equal(six.subarray(44, 60).toString('hex'), '0100000000001000800000aa00389b71');

    const twentyBit: AudioFormat = { ...makeAudioFormat('s24', 2, 48000), bitsPerSample: 20 };
    const narrow = canonicalContainer(twentyBit, 60).header;
    assert.equal(narrow.readUInt16LE(20), 0xfffe);
    assert.equal(narrow.readUInt16LE(38), 20);
  });

  test('data over 4 GiB gets an RF64 header with ds64, and reads back through readWavFile', async () => {
    const dataLength = 2 ** 32 + 5;
    const audio = makeAudioFormat('s16', 2, 48000);
    const { header, trailer } = canonicalContainer(audio, dataLength);
    assert.equal(header.toString('latin1', 0, 4), 'RF64');
    assert.equal(header.readUInt32LE(4), 0xffffffff);
    assert.equal(header.toString('latin1', 8, 16), 'WAVEds64');
    assert.equal(header.readUInt32LE(16), 28);
    const fileSize = header.length + dataLength + trailer.length;
    assert.equal(header.readBigUInt64LE(20), BigInt(fileSize - 8), 'ds64 RIFF size');
    assert.equal(header.readBigUInt64LE(28), BigInt(dataLength), 'ds64 data size');
    assert.equal(header.readBigUInt64LE(36), BigInt(Math.floor(dataLength / 4)), 'ds64 sample count');
    assert.equal(header.readUInt32LE(44), 0, 'ds64 table length');
    assert.equal(header.toString('latin1', 48, 52), 'fmt ');
    assert.equal(header.toString('latin1', header.length - 8, header.length - 4), 'data');
    assert.equal(header.readUInt32LE(header.length - 4), 0xffffffff);
    assert.deepEqual([...trailer], [0]);

    const path = join(await newFolder(), 'canonical-big.wav');
    await writeFile(path, header);
    await truncate(path, header.length + dataLength);
    const handle = await open(path, 'a');
    await handle.write(trailer);
    await handle.close();
    const layout = await readWavFile(path);
    assert.equal(layout.container, 'RF64');
    assert.equal(layout.dataLength, dataLength);
    assert.equal(layout.dataOffset, header.length);
    assert.deepEqual(layout.format, audio);
  });

  test('RIFF up to a file of exactly 0xFFFFFFFF bytes, RF64 beyond', () => {
    const audio = makeAudioFormat('s16', 2, 48000);
    const largestRiffData = 0xffffffff - 44;
    assert.equal(canonicalContainer(audio, largestRiffData - 1).header.toString('latin1', 0, 4), 'RIFF');
    assert.equal(canonicalContainer(audio, largestRiffData + 1).header.toString('latin1', 0, 4), 'RF64');
  });

  test('every canonical header reads back through readWavFile and wavefile', async () => {
    const folder = await newFolder();
    for (const sampleFormat of SAMPLE_FORMATS) {
      for (const channels of [1, 2, 6, 8]) {
        const audio = makeAudioFormat(sampleFormat, channels, 22050);
        const data = new Prng(channels).bytes(audio.blockAlign * 9 + (sampleFormat === 'u8' ? 1 : 0));
        const { header, trailer } = canonicalContainer(audio, data.length);
        const wav = Buffer.concat([header, data, trailer]);
        const path = join(folder, `${sampleFormat}-${channels}.wav`);
        await writeFile(path, wav);
        const layout = await readWavFile(path);
        assert.deepEqual(layout.format, audio, `${sampleFormat} × ${channels}`);
        assert.equal(layout.dataOffset, header.length);
        assert.equal(layout.dataLength, data.length);

        const wavefile = new WaveFile(wav);
        const fmt = wavefile.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number; blockAlign: number };
        assert.equal(fmt.numChannels, channels);
        assert.equal(fmt.sampleRate, 22050);
        assert.equal(fmt.blockAlign, audio.blockAlign);
        assert.equal(fmt.bitsPerSample, audio.bitsPerSample);
        assert.equal((wavefile.data as { chunkSize: number }).chunkSize, data.length);
      }
    }
  });
});
