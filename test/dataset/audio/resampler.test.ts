/**
 * The resampler against its design: sines measured by FFT and by a least-squares fit, for the
 * rate pairs datasets meet. Flat within 0.1 dB up to 0.9 × the lower Nyquist frequency; what would
 * alias (going down) and the images (going up) below −100 dB relative to a full-scale sine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Resampler } from '../../../src/dataset/audio/resampler';
import { sineLevelDb, strongestOtherDb } from '../../helpers/spectrum';

const MEASURED = 16384;

/** Output samples [start, start + MEASURED) of a full-scale sine of `hz` resampled from `fromRate` to `toRate`. */
function resampledSine(fromRate: number, toRate: number, hz: number, start = Math.floor(toRate / 4)): Float64Array {
  const resampler = new Resampler(fromRate, toRate);
  const span = resampler.inputSpan(start, start + MEASURED);
  const input = new Float64Array(span.end - span.start);
  for (let i = 0; i < input.length; i++) input[i] = Math.sin((2 * Math.PI * hz * (span.start + i)) / fromRate);
  const out = new Float64Array(MEASURED);
  resampler.process(input, span.start, start, out);
  return out;
}

const PAIRS: Array<[number, number]> = [
  [44100, 16000],
  [48000, 44100],
  [44100, 48000],
  [16000, 44100],
  [22050, 48000],
  [96000, 44100],
  [8000, 48000],
  [44100, 47999], // no small ratio: the interpolated table
];

for (const [from, to] of PAIRS) {
  describe(`${from} → ${to} Hz`, () => {
    const nyquist = Math.min(from, to) / 2;

    test('flat within 0.1 dB up to 0.9 × the lower Nyquist frequency, with nothing else above −100 dB', () => {
      for (const fraction of [0.01, 0.25, 0.5, 0.75, 0.9]) {
        const hz = fraction * nyquist;
        const out = resampledSine(from, to, hz);
        const level = sineLevelDb(out, hz, to);
        assert.ok(Math.abs(level) <= 0.1, `${hz.toFixed(0)} Hz comes out at ${level.toFixed(4)} dB`);
        const other = strongestOtherDb(out, to, [hz]);
        assert.ok(other.db < -100, `${hz.toFixed(0)} Hz: a component at ${other.hz.toFixed(0)} Hz of ${other.db.toFixed(1)} dB`);
      }
    });

    if (from > to) {
      test('what lies above the output Nyquist frequency does not alias: below −100 dB everywhere', () => {
        for (const hz of [nyquist, nyquist + (from / 2 - nyquist) * 0.1, (nyquist + from / 2) / 2, from / 2 - 10]) {
          const out = resampledSine(from, to, hz);
          const other = strongestOtherDb(out, to, []);
          assert.ok(other.db < -100, `${hz.toFixed(0)} Hz in: ${other.db.toFixed(1)} dB at ${other.hz.toFixed(0)} Hz out`);
        }
      });
    }
  });
}

test('any range computes what one pass would: ranges from anywhere, of any length, agree sample for sample', () => {
  const resampler = new Resampler(44100, 16000);
  const inputLength = 20000;
  const input = Float64Array.from({ length: inputLength }, (_, i) => Math.sin(i * 0.01) * Math.cos(i * 0.0003));
  const whole = rangeOf(resampler, input, 0, resampler.outputLength(inputLength));
  for (const [start, length] of [[0, 1], [100, 333], [7000, 255], [resampler.outputLength(inputLength) - 50, 50]]) {
    assert.deepEqual(rangeOf(resampler, input, start, length), whole.subarray(start, start + length));
  }
});

test('the output lasts as long as the input, to the nearest sample, and a constant passes as it is', () => {
  assert.equal(new Resampler(44100, 16000).outputLength(44100), 16000);
  assert.equal(new Resampler(16000, 44100).outputLength(1), 3);
  assert.equal(new Resampler(48000, 44100).outputLength(480), 441);
  const resampler = new Resampler(48000, 44100);
  const span = resampler.inputSpan(0, 1000);
  const out = new Float64Array(1000);
  resampler.process(new Float64Array(span.end - span.start).fill(0.5), span.start, 0, out);
  // Within single precision, which the filter's arithmetic runs in.
  for (const value of out) assert.ok(Math.abs(value - 0.5) < 1e-6, String(value));
});

test('rates that are not whole positive numbers are refused', () => {
  assert.throws(() => new Resampler(0, 16000), RangeError);
  assert.throws(() => new Resampler(44100.5, 16000), RangeError);
});

/** Output [start, start + length) of `input` (samples 0 … n − 1, silence around them). */
function rangeOf(resampler: Resampler, input: Float64Array, start: number, length: number): Float64Array {
  const span = resampler.inputSpan(start, start + length);
  const padded = new Float64Array(span.end - span.start);
  for (let i = 0; i < padded.length; i++) padded[i] = input[span.start + i] ?? 0;
  const out = new Float64Array(length);
  resampler.process(padded, span.start, start, out);
  return out;
}
