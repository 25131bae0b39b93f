/**
 * The round-trip matrix: every input format the codec accepts × geometries (non-square, odd sizes,
 * expansion > 1) × data lengths around the frame size. Each case must come back byte-identical,
 * with every frame reported unchanged and the data bit-exact.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gridBytes, gridOf, readWavFile, type Geometry, type SampleFormat } from '../../../src/codec';
import { Prng } from '../../helpers/prng';
import { assertRoundTrip } from '../../helpers/roundTrip';
import { tempFolders } from '../../helpers/tempDirs';
import {
  buildWav,
  listInfo,
  TAG_ALAW,
  TAG_FLOAT,
  TAG_MULAW,
  TAG_PCM,
  wavefileWav,
  WAVEFILE_CODES,
  type FmtSpec,
  type WavefileCode,
  type WavSpec,
} from '../../helpers/wavFiles';

const newFolder = tempFolders('roundtrip');

const GEOMETRIES: Geometry[] = [
  { width: 7, height: 5, expansion: 1 }, // odd sizes, non-square: 105 bytes a frame
  { width: 12, height: 8, expansion: 2 }, // 72 bytes
  { width: 16, height: 16, expansion: 4 }, // 48 bytes
  { width: 3, height: 11, expansion: 1 }, // taller than wide: 99 bytes
];

const describeGeometry = (g: Geometry) => `${g.width}×${g.height} E=${g.expansion}`;

const SAMPLE_FORMAT_OF: Record<WavefileCode, SampleFormat> = {
  '8': 'u8',
  '16': 's16',
  '24': 's24',
  '32': 's32',
  '32f': 'f32',
  '64': 'f64',
  '8a': 'alaw',
  '8m': 'mulaw',
};

/** Whole sample frames: shorter than one frame, exactly one frame when it divides, just over one, several. */
function sampleFrameCounts(bytesPerFrame: number, blockAlign: number): Array<{ name: string; sampleFrames: number }> {
  const counts = [{ name: 'shorter than one frame', sampleFrames: Math.max(1, Math.floor((bytesPerFrame - 1) / blockAlign)) }];
  if (bytesPerFrame % blockAlign === 0) counts.push({ name: 'exactly one frame', sampleFrames: bytesPerFrame / blockAlign });
  counts.push({ name: 'just over one frame', sampleFrames: Math.ceil((bytesPerFrame + 1) / blockAlign) });
  counts.push({ name: 'three and a half frames', sampleFrames: Math.ceil((3.5 * bytesPerFrame) / blockAlign) });
  return counts;
}

describe('round trip of WAVs written by wavefile', { concurrency: 4 }, () => {
  const rates = [8000, 11025, 44100, 48000, 96000, 192000];
  let seed = 1;
  for (const code of Object.keys(WAVEFILE_CODES) as WavefileCode[]) {
    for (const channels of [1, 2, 6, 8]) {
      const sampleRate = rates[seed % rates.length];
      const caseSeed = seed++;
      // Stereo goes through every geometry; other channel counts through two, in turn, to keep the suite fast.
      const geometries = channels === 2 ? GEOMETRIES : [GEOMETRIES[caseSeed % 4], GEOMETRIES[(caseSeed + 1) % 4]];
      test(`wavefile '${code}', ${channels} channels, ${sampleRate} Hz`, async (t) => {
        const blockAlign = WAVEFILE_CODES[code] * channels;
        for (const geometry of geometries) {
          for (const { name, sampleFrames } of sampleFrameCounts(gridBytes(gridOf(geometry)), blockAlign)) {
            await t.test(`${describeGeometry(geometry)}, ${name} (${sampleFrames * blockAlign} bytes)`, async () => {
              const wav = wavefileWav(code, channels, sampleRate, sampleFrames, caseSeed * 1000 + sampleFrames);
              const { input } = await assertRoundTrip(await newFolder(), wav, geometry);
              const layout = await readWavFile(input);
              assert.equal(layout.format.sampleFormat, SAMPLE_FORMAT_OF[code]);
              assert.equal(layout.format.channels, channels);
              assert.equal(layout.format.sampleRate, sampleRate);
              assert.equal(layout.dataLength, sampleFrames * blockAlign);
            });
          }
        }
      });
    }
  }
});

/** Hand-built containers wavefile cannot write, each a function of the data bytes. */
const s16Stereo: FmtSpec = { tag: TAG_PCM, channels: 2, sampleRate: 44100, bitsPerSample: 16 };
const CONTAINERS: Array<{ name: string; format: SampleFormat; channels: number; spec: (data: Buffer) => WavSpec }> = [
  { name: 'EXTENSIBLE PCM 16-bit stereo', format: 's16', channels: 2, spec: (data) => ({ fmt: { ...s16Stereo, extensible: { channelMask: 3 } }, data }) },
  {
    name: 'EXTENSIBLE PCM 20 valid bits in 24, 6 channels',
    format: 's24',
    channels: 6,
    spec: (data) => ({ fmt: { tag: TAG_PCM, channels: 6, sampleRate: 48000, bitsPerSample: 24, extensible: { validBits: 20, channelMask: 0x3f } }, data }),
  },
  {
    name: 'EXTENSIBLE PCM 24 valid bits in 32, 8 channels',
    format: 's32',
    channels: 8,
    spec: (data) => ({ fmt: { tag: TAG_PCM, channels: 8, sampleRate: 96000, bitsPerSample: 32, extensible: { validBits: 24, channelMask: 0xff } }, data }),
  },
  {
    name: 'EXTENSIBLE float 32-bit stereo',
    format: 'f32',
    channels: 2,
    spec: (data) => ({
      fmt: { tag: TAG_FLOAT, channels: 2, sampleRate: 96000, bitsPerSample: 32, extensible: { channelMask: 3 } },
      data,
      before: [{ id: 'fact', body: u32(Math.floor(data.length / 8)) }],
    }),
  },
  {
    name: 'EXTENSIBLE float 64-bit, 6 channels',
    format: 'f64',
    channels: 6,
    spec: (data) => ({ fmt: { tag: TAG_FLOAT, channels: 6, sampleRate: 48000, bitsPerSample: 64, extensible: { channelMask: 0x3f } }, data }),
  },
  {
    name: 'EXTENSIBLE A-law mono',
    format: 'alaw',
    channels: 1,
    spec: (data) => ({ fmt: { tag: TAG_ALAW, channels: 1, sampleRate: 8000, bitsPerSample: 8, extensible: {} }, data }),
  },
  {
    name: 'EXTENSIBLE µ-law stereo',
    format: 'mulaw',
    channels: 2,
    spec: (data) => ({ fmt: { tag: TAG_MULAW, channels: 2, sampleRate: 8000, bitsPerSample: 8, extensible: {} }, data }),
  },
  { name: 'RF64 with ds64', format: 's16', channels: 2, spec: (data) => ({ fmt: s16Stereo, data, container: 'RF64' }) },
  {
    name: 'RF64 with LIST before and a chunk after the data',
    format: 's16',
    channels: 2,
    spec: (data) => ({ fmt: s16Stereo, data, container: 'RF64', before: [listInfo({ ISFT: 'Lavf60' })], after: [{ id: 'cue ', body: u32(0) }] }),
  },
  {
    name: 'BW64 with ds64',
    format: 'f32',
    channels: 1,
    spec: (data) => ({
      fmt: { tag: TAG_FLOAT, channels: 1, sampleRate: 48000, bitsPerSample: 32 },
      data,
      container: 'BW64',
      before: [{ id: 'bext', body: Buffer.alloc(602, 0x20) }],
    }),
  },
  {
    name: 'LIST/INFO before the data (as ffmpeg writes)',
    format: 's16',
    channels: 2,
    spec: (data) => ({ fmt: s16Stereo, data, before: [listInfo({ ISFT: 'Lavf60.16.100' })] }),
  },
  {
    name: 'LIST/INFO and other chunks after the data',
    format: 's16',
    channels: 2,
    spec: (data) => ({
      fmt: s16Stereo,
      data,
      after: [listInfo({ INAM: 'pluck', IART: 'someone' }), { id: 'id3 ', body: Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x01\x00', 'latin1') }],
    }),
  },
  {
    name: 'chunks with odd sizes and pad bytes on both sides',
    format: 'u8',
    channels: 1,
    spec: (data) => ({
      fmt: { tag: TAG_PCM, channels: 1, sampleRate: 22050, bitsPerSample: 8 },
      data,
      before: [{ id: 'JUNK', body: Buffer.alloc(27) }, listInfo({ ICMT: 'odd' })],
      after: [{ id: 'smpl', body: Buffer.alloc(9, 7) }],
    }),
  },
  {
    name: 'odd-length data without its pad byte at the end of the file',
    format: 's24',
    channels: 1,
    spec: (data) => ({ fmt: { tag: TAG_PCM, channels: 1, sampleRate: 44100, bitsPerSample: 24 }, data, padOddData: false }),
  },
  {
    name: 'streaming recorder: RIFF and data sizes 0',
    format: 's16',
    channels: 2,
    spec: (data) => ({ fmt: s16Stereo, data, sizes: 'zero', padOddData: false }),
  },
  {
    name: 'streaming recorder: RIFF and data sizes 0xFFFFFFFF',
    format: 's16',
    channels: 2,
    spec: (data) => ({ fmt: s16Stereo, data, sizes: 'unknown', padOddData: false, before: [listInfo({ ISFT: 'rec' })] }),
  },
  {
    name: 'streaming recorder: RF64 with its ds64 sizes and data size left 0',
    format: 's16',
    channels: 2,
    spec: (data) => ({ fmt: s16Stereo, data, container: 'RF64', sizes: 'zero', padOddData: false }),
  },
  {
    name: 'streaming recorder: RF64 with its ds64 sizes left 0 and data size 0xFFFFFFFF',
    format: 's16',
    channels: 2,
    spec: (data) => ({ fmt: s16Stereo, data, container: 'RF64', sizes: 'unknown', padOddData: false }),
  },
];

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value, 0);
  return b;
}

describe('round trip of hand-built containers', { concurrency: 4 }, () => {
  let seed = 100;
  for (const container of CONTAINERS) {
    const caseSeed = seed++;
    const geometries = [GEOMETRIES[caseSeed % 3], GEOMETRIES[(caseSeed + 1) % 3]];
    test(container.name, async (t) => {
      for (const geometry of geometries) {
        const bytesPerFrame = gridBytes(gridOf(geometry));
        // Exact byte lengths, whole sample frames or not: the codec carries bytes, not samples.
        for (const length of [1, bytesPerFrame, bytesPerFrame + 1, 2 * bytesPerFrame + 3]) {
          await t.test(`${describeGeometry(geometry)}, ${length} data bytes`, async () => {
            const data = new Prng(caseSeed * 7919 + length).bytes(length);
            const wav = buildWav(container.spec(data));
            const { input } = await assertRoundTrip(await newFolder(), wav, geometry);
            const layout = await readWavFile(input);
            assert.equal(layout.format.sampleFormat, container.format);
            assert.equal(layout.format.channels, container.channels);
            assert.equal(layout.dataLength, length, 'the data length the container declares');
            assert.ok(layout.header.length + length + layout.trailer.length === wav.length);
          });
        }
      }
    });
  }

  test('an empty data chunk still makes one (all padding) frame', async () => {
    const wav = buildWav({ fmt: s16Stereo, data: Buffer.alloc(0), before: [listInfo({ INAM: 'silence' })] });
    const { decoded } = await assertRoundTrip(await newFolder(), wav, GEOMETRIES[0]);
    assert.equal(decoded.dataLength, 0);
  });

  test('a data size of 0 followed by bytes is a streaming header: the data runs to the end of the file', async () => {
    // The rule; an empty data chunk with chunks after it reads the same way, and still round-trips.
    const wav = buildWav({ fmt: s16Stereo, data: Buffer.alloc(0), after: [listInfo({ INAM: 'after' })] });
    const { decoded } = await assertRoundTrip(await newFolder(), wav, GEOMETRIES[0]);
    assert.equal(decoded.dataLength, wav.length - 44);
  });
});

describe('round trip through the worker pool', () => {
  test('many frames over two workers, each compression preset, expansion 1 and 3', async () => {
    const data = new Prng(42).bytes(40 * 105 + 17);
    const wav = buildWav({ fmt: s16Stereo, data, before: [listInfo({ ISFT: 'pool' })], after: [{ id: 'cue ', body: u32(0) }] });
    for (const compression of ['fast', 'default', 'small'] as const) {
      await assertRoundTrip(await newFolder(), wav, { width: 7, height: 5, expansion: 1 }, { workers: 2, compression });
      await assertRoundTrip(await newFolder(), wav, { width: 21, height: 15, expansion: 3 }, { workers: 2, compression });
    }
  });

  test('default worker count (one per core)', async () => {
    const wav = wavefileWav('24', 2, 48000, 400, 9);
    const { decoded } = await assertRoundTrip(await newFolder(), wav, { width: 10, height: 6, expansion: 2 }, { workers: undefined });
    assert.ok(decoded.frameCount > 1);
  });
});
