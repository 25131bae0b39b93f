/**
 * Channels, sample formats and G.711 against references worked out by hand: each conversion a
 * dataset build makes, checked sample by sample.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alawValue, g711Code, makeAudioFormat, mulawValue, toNumbers, type SampleFormat } from '../../../src/codec';
import { channelMix } from '../../../src/dataset/audio/channels';
import { SPEAKER_BITS as SPEAKERS } from '../../helpers/wavFiles';
import { convertRange, planConversion, type Conversion, type SourceReader, type TargetAudio } from '../../../src/dataset/audio/conversion';
import { encodeSamples, seededRandom, silenceByte } from '../../../src/dataset/audio/sampleEncoding';

/** Bytes of samples in a format, from integer sample values (or float values for f32/f64), interleaved. */
function samplesOf(format: SampleFormat, values: number[]): Uint8Array {
  const size = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8, alaw: 1, mulaw: 1 }[format];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (format === 'u8' || format === 'alaw' || format === 'mulaw') out[i] = v;
    else if (format === 's16') view.setInt16(2 * i, v, true);
    else if (format === 's24') {
      view.setUint16(3 * i, v & 0xffff, true);
      view.setInt8(3 * i + 2, v >> 16);
    } else if (format === 's32') view.setInt32(4 * i, v, true);
    else if (format === 'f32') view.setFloat32(4 * i, v, true);
    else view.setFloat64(8 * i, v, true);
  });
  return out;
}

function readerOf(bytes: Uint8Array, blockAlign: number): SourceReader {
  return (start, count) => bytes.subarray(start * blockAlign, (start + count) * blockAlign);
}

function convert(source: { format: SampleFormat; channels: number; rate: number; mask?: number }, values: number[], target: TargetAudio, frames?: number) {
  const format = makeAudioFormat(source.format, source.channels, source.rate);
  const bytes = samplesOf(source.format, values);
  const plan = planConversion(format, source.mask, values.length / source.channels, target);
  if ('refused' in plan) throw new Error(plan.refused);
  const count = frames ?? plan.outputFrames;
  const out = new Uint8Array(count * plan.target.blockAlign);
  const counts = { clipped: 0, replaced: 0 };
  convertRange(plan, readerOf(bytes, format.blockAlign), 0, count, out, counts);
  const numbers = new Float64Array(count * target.channels);
  toNumbers(out, target.sampleFormat, numbers);
  return { plan: plan as Conversion, out, counts, numbers: Array.from(numbers) };
}

describe('sample formats', () => {
  test('integer to a wider integer is exact: every value scaled by a power of two', () => {
    const s16 = [-32768, -1, 0, 1, 12345, 32767];
    assert.deepEqual(
      Array.from(new Int32Array(convert({ format: 's16', channels: 1, rate: 8000 }, s16, { sampleFormat: 's32', channels: 1, sampleRate: 8000 }).out.buffer)),
      s16.map((v) => v * 65536),
    );
    const s24 = convert({ format: 's16', channels: 1, rate: 8000 }, s16, { sampleFormat: 's24', channels: 1, sampleRate: 8000 });
    assert.deepEqual(s24.numbers.map((x) => x * 8388608), s16.map((v) => v * 256));
    const u8 = convert({ format: 'u8', channels: 1, rate: 8000 }, [0, 1, 127, 128, 255], { sampleFormat: 's16', channels: 1, sampleRate: 8000 });
    assert.deepEqual(Array.from(new Int16Array(u8.out.buffer)), [-32768, -32512, -256, 0, 32512]);
    const f64 = convert({ format: 's24', channels: 1, rate: 8000 }, [-8388608, 5, 8388607], { sampleFormat: 'f64', channels: 1, sampleRate: 8000 });
    assert.deepEqual(f64.numbers, [-1, 5 / 8388608, 8388607 / 8388608]);
  });

  test('float to integer rounds half away from zero and clips, counting what it clipped and replaced', () => {
    const values = [0.5 / 32768, -0.5 / 32768, 1.49 / 32768, 1, -1, 1.5, -2, Number.NaN, Number.POSITIVE_INFINITY];
    const { out, counts } = convert({ format: 'f64', channels: 1, rate: 8000 }, values, { sampleFormat: 's16', channels: 1, sampleRate: 8000 });
    assert.deepEqual(Array.from(new Int16Array(out.buffer)), [1, -1, 1, 32767, -32768, 32767, -32768, 0, 0]);
    assert.deepEqual(counts, { clipped: 3, replaced: 2 });
    const stereo = convert({ format: 'f64', channels: 2, rate: 8000 }, [0.5 / 32768, -2, -0.5 / 32768, Number.NaN, 1.49 / 32768, 1 / 32768], {
      sampleFormat: 's16',
      channels: 2,
      sampleRate: 8000,
    });
    assert.deepEqual(Array.from(new Int16Array(stereo.out.buffer)), [1, -32768, -1, 0, 1, 1]);
    assert.deepEqual(stereo.counts, { clipped: 1, replaced: 1 });
  });

  test('a float source in its own format is kept, less what is not a number', () => {
    const { numbers, counts } = convert({ format: 'f32', channels: 1, rate: 8000 }, [0.25, -3, Number.NaN], {
      sampleFormat: 'f32',
      channels: 1,
      sampleRate: 8000,
    });
    assert.deepEqual(numbers, [0.25, -3, 0]);
    assert.deepEqual(counts, { clipped: 0, replaced: 1 });
  });

  test('to a narrower integer: rounded, or with TPDF dither within one step of it, unbiased and repeatable', () => {
    const n = 20000;
    const values = Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 0.37) * 3000000));
    const source = samplesOf('s24', values);
    const numbers = new Float64Array(n);
    toNumbers(source, 's24', numbers);
    const plain = new Uint8Array(2 * n);
    const dithered = new Uint8Array(2 * n);
    const again = new Uint8Array(2 * n);
    const counts = { clipped: 0, replaced: 0 };
    encodeSamples([numbers], 0, n, 's16', plain, counts);
    encodeSamples([numbers], 0, n, 's16', dithered, counts, seededRandom(7));
    encodeSamples([numbers], 0, n, 's16', again, counts, seededRandom(7));
    assert.deepEqual(again, dithered);
    const exact = Array.from(numbers, (x) => x * 32768);
    const rounded = new Int16Array(plain.buffer);
    const noisy = new Int16Array(dithered.buffer);
    let sum = 0;
    let squares = 0;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(rounded[i] - exact[i]) <= 0.5);
      const error = noisy[i] - exact[i];
      assert.ok(Math.abs(error) < 1.5, `sample ${i}: ${error}`);
      sum += error;
      squares += error * error;
      if (noisy[i] !== rounded[i]) changed++;
    }
    assert.ok(Math.abs(sum / n) < 0.02, `mean error ${sum / n}`);
    // TPDF of ±1 LSB (variance 1/6) plus rounding (1/12): 1/4 of a step squared.
    assert.ok(Math.abs(squares / n - 0.25) < 0.02, `error power ${squares / n}`);
    assert.ok(changed > n / 4);
  });

  test('A-law and µ-law through the G.711 tables: every code comes back as itself, silence as its code', () => {
    for (let code = 0; code < 256; code++) {
      assert.equal(g711Code('alaw', alawValue(code)), code);
      assert.equal(g711Code('mulaw', mulawValue(code)), code === 0x7f ? 0xff : code, `µ-law ${code}`);
    }
    const { out } = convert({ format: 's16', channels: 1, rate: 8000 }, [0, 32767, -32768, 1000], { sampleFormat: 'mulaw', channels: 1, sampleRate: 8000 });
    assert.deepEqual(Array.from(out), [0xff, 0x80, 0x00, g711Code('mulaw', 1000)]);
    assert.equal(silenceByte('alaw'), 0xd5);
    assert.equal(alawValue(0xd5), 8);
  });

  test('past the end of the source, the target format\'s silence: 0x80 for u8, the G.711 silence codes, zeros else', () => {
    for (const [format, silence] of [['u8', 0x80], ['alaw', 0xd5], ['mulaw', 0xff], ['s16', 0], ['f32', 0]] as const) {
      const { out } = convert({ format: 's16', channels: 1, rate: 8000 }, [1000, 2000], { sampleFormat: format, channels: 1, sampleRate: 8000 }, 5);
      const size = out.length / 5;
      assert.deepEqual(Array.from(out.subarray(2 * size)), new Array(3 * size).fill(silence), format);
    }
  });

  test('the same format, channels and rate: the bytes as they are', () => {
    const values = [1, -2, 3, 32767, -32768, 0];
    const { out, plan } = convert({ format: 's16', channels: 2, rate: 44100 }, values, { sampleFormat: 's16', channels: 2, sampleRate: 44100 });
    assert.equal(plan.copiesBytes, true);
    assert.deepEqual(out, samplesOf('s16', values));
    assert.deepEqual(plan.steps, []);
  });
});

describe('channels', () => {
  const rate = 8000;
  const s16 = (v: number) => Math.round(v * 32768);

  test('mono to N by copying, N to mono by the mean', () => {
    const copy = convert({ format: 's16', channels: 1, rate }, [100, -200], { sampleFormat: 's16', channels: 3, sampleRate: rate });
    assert.deepEqual(Array.from(new Int16Array(copy.out.buffer)), [100, 100, 100, -200, -200, -200]);
    const mean = convert({ format: 's16', channels: 3, rate }, [300, 600, 900, -1, -2, 0], { sampleFormat: 's16', channels: 1, sampleRate: rate });
    assert.deepEqual(Array.from(new Int16Array(mean.out.buffer)), [600, -1]);
  });

  test('5.1 and 7.1 named by their masks go to stereo by ITU-R BS.775: centre and surrounds at −3 dB, the LFE left out', () => {
    const mask51 = SPEAKERS.FL | SPEAKERS.FR | SPEAKERS.FC | SPEAKERS.LFE | SPEAKERS.BL | SPEAKERS.BR;
    const g = Math.SQRT1_2;
    // One channel sounding at a time, at 0.25 of full scale: where does it go?
    const expected51 = [[0.25, 0], [0, 0.25], [0.25 * g, 0.25 * g], [0, 0], [0.25 * g, 0], [0, 0.25 * g]];
    for (let channel = 0; channel < 6; channel++) {
      const frame = Array.from({ length: 6 }, (_, c) => (c === channel ? 8192 : 0));
      const { out } = convert({ format: 's16', channels: 6, rate, mask: mask51 }, frame, { sampleFormat: 's16', channels: 2, sampleRate: rate });
      assert.deepEqual(Array.from(new Int16Array(out.buffer)), expected51[channel].map(s16), `channel ${channel}`);
    }
    const mask71 = mask51 | SPEAKERS.SL | SPEAKERS.SR;
    const mix = channelMix(8, 2, mask71);
    assert.ok(!('refused' in mix));
    assert.deepEqual(mix.weights, [[1, 0, g, 0, g, 0, g, 0], [0, 1, g, 0, 0, g, 0, g]]);
  });

  test('layouts without a standard downmix are refused with the reason', () => {
    assert.match((channelMix(6, 2, undefined) as { refused: string }).refused, /without a speaker mask that names them/);
    assert.match((channelMix(6, 2, 0x3) as { refused: string }).refused, /without a speaker mask that names them/);
    assert.match(
      (channelMix(3, 2, SPEAKERS.FL | SPEAKERS.FR | SPEAKERS.TFL) as { refused: string }).refused,
      /speakers \(TFL\) outside the ITU-R BS\.775 downmix/,
    );
    assert.match((channelMix(2, 6, undefined) as { refused: string }).refused, /has 2 channels, which cannot become 6/);
  });
});
