/** WAV bytes to the samples of each channel, for every format a browser plays and the host's float32 copies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipSamples } from '../../../src/webview/spectrum/clipSamples';
import { ResonanceError } from '../../../src/codec/format';

/** A RIFF/WAVE file: fmt (tag, channels, rate, bytes a sample), any extra chunks before the data, the data. */
function wav(tag: number, channels: number, rate: number, bytes: number, data: Uint8Array, options: { extra?: Uint8Array; extensible?: boolean } = {}) {
  const fmtSize = options.extensible ? 40 : 16;
  const fmt = Buffer.alloc(8 + fmtSize);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(fmtSize, 4);
  fmt.writeUInt16LE(options.extensible ? 0xfffe : tag, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * channels * bytes, 16);
  fmt.writeUInt16LE(channels * bytes, 20);
  fmt.writeUInt16LE(bytes * 8, 22);
  if (options.extensible) {
    fmt.writeUInt16LE(22, 24);
    fmt.writeUInt16LE(bytes * 8, 26);
    fmt.writeUInt16LE(tag, 32);
  }
  const head = Buffer.alloc(8);
  head.write('data', 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), fmt, options.extra ?? Buffer.alloc(0), head, data, Buffer.alloc(data.length & 1)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return new Uint8Array(Buffer.concat([riff, body]));
}

test('16-bit stereo: each channel apart (left, right), on the ±1 scale; the rate and the duration', async () => {
  const data = Buffer.alloc(3 * 4);
  [16384, -16384, 32767, 32767, -32768, 0].forEach((v, i) => data.writeInt16LE(v, 2 * i));
  const clip = await clipSamples(wav(1, 2, 8000, 2, data), 'song.wav');
  assert.deepEqual(
    clip.channels.map((c) => [...c]),
    [
      [0.5, 32767 / 32768, -1],
      [-0.5, 32767 / 32768, 0],
    ],
  );
  assert.equal(clip.sampleRate, 8000);
  assert.equal(clip.duration, 3 / 8000);
});

test('more channels and other encodings keep each channel too: 24-bit 3-channel, float stereo', async () => {
  const s24 = Buffer.alloc(2 * 9);
  [4194304, -4194304, 0, -8388608, 8388607, 2097152].forEach((v, i) => s24.writeIntLE(v, 3 * i, 3));
  const three = await clipSamples(wav(1, 3, 48000, 3, s24), 'x.wav');
  assert.deepEqual(
    three.channels.map((c) => [...c]),
    [
      [0.5, -1],
      [-0.5, 8388607 / 8388608],
      [0, 0.25],
    ],
  );
  const f32 = Buffer.alloc(2 * 8);
  [0.25, -0.75, 1, 0].forEach((v, i) => f32.writeFloatLE(v, 4 * i));
  const stereo = await clipSamples(wav(3, 2, 8000, 4, f32), 'x.wav');
  assert.deepEqual(
    stereo.channels.map((c) => [...c]),
    [
      [0.25, 1],
      [-0.75, 0],
    ],
  );
});

test('every format a page meets: u8, s24, s32, f32 (plain and EXTENSIBLE), f64, A-law, µ-law', async () => {
  const cases: Array<[string, number, number, (b: Buffer) => void, number, boolean?]> = [
    ['u8', 1, 1, (b) => b.writeUInt8(192, 0), 0.5],
    ['s24', 1, 3, (b) => b.writeIntLE(-4194304, 0, 3), -0.5],
    ['s32', 1, 4, (b) => b.writeInt32LE(1073741824, 0), 0.5],
    ['f32', 3, 4, (b) => b.writeFloatLE(0.25, 0), 0.25],
    ['f32 EXTENSIBLE', 3, 4, (b) => b.writeFloatLE(-0.25, 0), -0.25, true],
    ['f64', 3, 8, (b) => b.writeDoubleLE(0.125, 0), 0.125],
    ['A-law', 6, 1, (b) => b.writeUInt8(0xd5, 0), 8 / 32768],
    ['µ-law', 7, 1, (b) => b.writeUInt8(0xff, 0), 0],
  ];
  for (const [name, tag, bytes, write, expected, extensible] of cases) {
    const data = Buffer.alloc(bytes);
    write(data);
    const clip = await clipSamples(wav(tag, 1, 44100, bytes, data, { extensible }), 'x.wav');
    const [mono] = clip.channels;
    assert.equal(clip.channels.length, 1, name);
    assert.equal(mono.length, 1, name);
    assert.ok(Math.abs(mono[0] - expected) < 1e-6, `${name}: ${mono[0]} for ${expected}`);
  }
});

test('chunks before the data (an odd-sized LIST with its pad byte) are stepped over; bytes at an odd offset in their buffer are read', async () => {
  const extra = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.alloc(1)]);
  const data = Buffer.alloc(4);
  data.writeInt16LE(-16384, 0);
  data.writeInt16LE(8192, 2);
  assert.deepEqual([...(await clipSamples(wav(1, 1, 8000, 2, data, { extra }), 'x.wav')).channels[0]], [-0.5, 0.25]);
  const bytes = wav(1, 1, 8000, 2, data);
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.deepEqual([...(await clipSamples(shifted.subarray(1), 'x.wav')).channels[0]], [-0.5, 0.25]);
});

test('NaN and huge float samples do not spoil the picture: NaN is 0, the rest clipped to ±1', async () => {
  const data = Buffer.alloc(12);
  data.writeFloatLE(Number.NaN, 0);
  data.writeFloatLE(3.4e38, 4);
  data.writeFloatLE(-Infinity, 8);
  assert.deepEqual([...(await clipSamples(wav(3, 1, 8000, 4, data), 'x.wav')).channels[0]], [0, 1, -1]);
});

test('a data chunk that says more than follows gives the samples that are there', async () => {
  const bytes = wav(1, 1, 8000, 2, Buffer.alloc(8));
  const view = new DataView(bytes.buffer);
  view.setUint32(40, 0x7ffff000, true);
  assert.equal((await clipSamples(bytes, 'x.wav')).channels[0].length, 4);
});

test('what cannot be drawn is refused with a code and the file name', async () => {
  const refused = (bytes: Uint8Array, code: string) =>
    assert.rejects(clipSamples(bytes, 'song.wav'), (error: unknown) => {
      return error instanceof ResonanceError && error.code === code && error.message.startsWith('song.wav: ');
    });
  await refused(new Uint8Array(Buffer.from('not a wav at all')), 'WAV_INVALID');
  await refused(wav(0x11, 1, 8000, 1, Buffer.alloc(4)), 'WAV_UNSUPPORTED');
  const noData = wav(1, 1, 8000, 2, Buffer.alloc(0)).subarray(0, 36);
  await refused(noData, 'WAV_MALFORMED');
});

test('a long clip decodes in slices with a pause between them, to the same samples', async () => {
  const frames = (1 << 19) * 2 + 5;
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames * 2; i++) data.writeInt16LE(((i * 7919) % 65536) - 32768, 2 * i);
  let pauses = 0;
  const paused = await clipSamples(wav(1, 2, 44100, 2, data), 'long.wav', async () => void pauses++);
  assert.equal(pauses, 2);
  assert.deepEqual(paused.channels, (await clipSamples(wav(1, 2, 44100, 2, data), 'long.wav')).channels);
  assert.equal(paused.channels[0][3], data.readInt16LE(12) / 32768);
  assert.equal(paused.channels[1][frames - 1], data.readInt16LE(4 * frames - 2) / 32768);
});
