/** The spectrogram's columns against sines of known frequency and level, and the pixel mappings both ways. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  barRows,
  FLOOR_RANGE,
  formatHz,
  frequencyOfEdge,
  frequencyTicks,
  isFloorDb,
  laneRows,
  MAX_LANES,
  paintDb,
  rowOfFrequency,
  spectrogramPalette,
  timeAtX,
  timeForKey,
  waveformPeaks,
  xOfTime,
} from '../../../src/webview/spectrum/mapping';
import { SpectrogramLanes } from '../../../src/webview/spectrum/stft';

/** The FFT size a mono clip gets at this rate and height, its columns `samplesPerColumn` apart (a second unless told). */
function fftSizeFor(sampleRate: number, height: number, samplesPerColumn = sampleRate): number {
  return new SpectrogramLanes([new Float32Array(Math.round(samplesPerColumn))], sampleRate, { width: 1, height, scale: 'linear' }).fftSize;
}

function sine(hz: number, amplitude: number, sampleRate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return out;
}

/** Column x of a row-major block `count` wide. */
function column(db: Float32Array, count: number, height: number, x: number): number[] {
  return Array.from({ length: height }, (_, y) => db[y * count + x]);
}

describe('spectrogram columns', () => {
  test('a sine lights the row of its frequency at its level in dB, on both axes', () => {
    const sampleRate = 8000;
    for (const scale of ['linear', 'log'] as const) {
      for (const [hz, amplitude] of [[1000, 1], [250, 0.1], [3000, 0.5]] as const) {
        const view = { width: 20, height: 64, scale };
        const columns = new SpectrogramLanes([sine(hz, amplitude, sampleRate, 1)], sampleRate, view, 512);
        const values = column(columns.columns(0, 20), 20, 64, 10);
        const loudest = values.indexOf(Math.max(...values));
        assert.ok(Math.abs(loudest - rowOfFrequency(hz, 64, 4000, scale)) <= 1, `${scale} ${hz} Hz: row ${loudest}`);
        assert.ok(Math.abs(values[loudest] - 20 * Math.log10(amplitude)) < 0.5, `${scale} ${hz} Hz at ${values[loudest]} dB`);
        const far = values.filter((_, y) => Math.abs(y - loudest) > 8);
        assert.ok(Math.max(...far) < values[loudest] - 50, `${scale} ${hz} Hz: rows far away are 50 dB down (${Math.max(...far)} dB)`);
      }
    }
  });

  test('columns follow time: a tone that starts halfway is dark before and bright after', () => {
    const sampleRate = 8000;
    const samples = new Float32Array(sampleRate * 2);
    samples.set(sine(1000, 0.5, sampleRate, 1), sampleRate);
    const columns = new SpectrogramLanes([samples], sampleRate, { width: 40, height: 32, scale: 'linear' }, 256);
    const db = columns.columns(0, 40);
    const row = rowOfFrequency(1000, 32, 4000, 'linear');
    const silence = new SpectrogramLanes([new Float32Array(samples.length)], sampleRate, { width: 40, height: 32, scale: 'linear' }, 256).columns(0, 40);
    assert.equal(db[row * 40 + 5], silence[row * 40 + 5], 'silence is at the floor');
    assert.ok(silence[row * 40 + 5] < FLOOR_RANGE.min, 'the floor lies below every floor the panel offers');
    assert.ok(db[row * 40 + 35] > -7, `the tone after halfway: ${db[row * 40 + 35]} dB`);
  });

  test('a range of columns is the same as those columns of the whole', () => {
    const samples = sine(440, 0.3, 8000, 0.5);
    const view = { width: 30, height: 16, scale: 'log' as const };
    const whole = new SpectrogramLanes([samples], 8000, view, 256).columns(0, 30);
    const part = new SpectrogramLanes([samples], 8000, view, 256).columns(10, 17);
    for (let y = 0; y < 16; y++) for (let i = 0; i < 7; i++) assert.equal(part[y * 7 + i], whole[y * 30 + 10 + i]);
  });

  test('refuses an FFT size that is not a power of two; the size follows the rate and the height', () => {
    assert.throws(() => new SpectrogramLanes([new Float32Array(10)], 8000, { width: 1, height: 1, scale: 'log' }, 300), RangeError);
    assert.equal(fftSizeFor(44100, 256), 2048);
    assert.equal(fftSizeFor(8000, 100), 512);
    assert.equal(fftSizeFor(8000, 256), 1024);
    assert.equal(fftSizeFor(192000, 256), 8192);
    // Columns closer than half a 46 ms frame (a 10 s clip across 1,026 columns: 430 samples apart) get half the frame.
    assert.equal(fftSizeFor(44100, 64, 441000 / 1026), 1024);
    assert.equal(fftSizeFor(44100, 64, 26460000 / 1026), 2048);
    assert.equal(fftSizeFor(44100, 256, 441000 / 1026), 1024);
  });

  test('lanes: each channel its own picture at its own rows, NaN between them, the same as each channel alone', () => {
    const left = sine(500, 0.5, 8000, 0.5);
    const right = sine(2500, 0.05, 8000, 0.5);
    const view = { width: 24, height: 40, scale: 'linear' as const };
    const lanes = new SpectrogramLanes([left, right], 8000, view);
    const [top, bottom] = laneRows(40, 2);
    assert.deepEqual([top, bottom], [
      { top: 0, rows: 19 },
      { top: 21, rows: 19 },
    ]);
    const db = lanes.columns(0, 24);
    const alone = (samples: Float32Array) => new SpectrogramLanes([samples], 8000, { ...view, height: 19 }, lanes.fftSize).columns(0, 24);
    assert.deepEqual(db.subarray(0, 19 * 24), alone(left));
    assert.deepEqual(db.subarray(21 * 24), alone(right));
    assert.ok(db.subarray(19 * 24, 21 * 24).every(Number.isNaN));
    const part = lanes.columns(5, 9);
    for (let y = 0; y < 40; y++) for (let i = 0; i < 4; i++) assert.ok(Object.is(part[y * 4 + i], db[y * 24 + 5 + i]), `row ${y}`);
    // The quieter right channel reads quieter in its own lane: nothing of the left leaks into it.
    const peak = (from: number, to: number) => Math.max(...db.subarray(from * 24, to * 24));
    assert.ok(Math.abs(peak(0, 19) - peak(21, 40) - 20) < 1, `${peak(0, 19)} against ${peak(21, 40)}`);
  });

  test('one channel is one lane over the whole height; more than MAX_LANES channels draw the first MAX_LANES', () => {
    assert.deepEqual(laneRows(128, 1), [{ top: 0, rows: 128 }]);
    const eight = laneRows(128, 12);
    assert.equal(eight.length, MAX_LANES);
    assert.ok(eight.every((lane, i) => lane.rows === eight[0].rows && lane.top === i * (eight[0].rows + 2)));
    assert.ok(eight[MAX_LANES - 1].top + eight[0].rows <= 128);
    assert.equal(laneRows(3, 2).length, 1, 'a panel too short for two lanes draws the first');
  });

  test('waveform bars per lane: full scale fills its lane and no more, silence is one row at its middle', () => {
    const lane = { top: 30, rows: 26 };
    assert.deepEqual(barRows(-1, 1, lane), { y: 30, rows: 26 });
    assert.deepEqual(barRows(0, 0, lane), { y: 43, rows: 1 });
    assert.deepEqual(barRows(0, 0.5, lane), { y: 36, rows: 7 });
    const min = new Float32Array(2);
    const max = new Float32Array(2);
    waveformPeaks(Float32Array.from([0.5, -0.25, 1, -1]), 2, min, max);
    assert.deepEqual([...min, ...max], [-0.25, -1, 0.5, 1]);
  });
});

describe('mapping', () => {
  test('time ↔ x round-trips and clamps', () => {
    assert.equal(timeAtX(xOfTime(3.5, 10, 400), 400, 10), 3.5);
    assert.equal(timeAtX(-5, 400, 10), 0);
    assert.equal(timeAtX(500, 400, 10), 10);
  });

  test('frequency rows are monotonic and invert on both scales', () => {
    for (const scale of ['linear', 'log'] as const) {
      let previous = Infinity;
      for (let y = 0; y < 100; y++) {
        const hz = frequencyOfEdge(y + 0.5, 100, 22050, scale); // the row's centre
        assert.ok(hz < previous, `${scale} row ${y}`);
        previous = hz;
        assert.equal(rowOfFrequency(hz, 100, 22050, scale), y, `${scale} row ${y} at ${hz} Hz`);
      }
    }
    // A log axis gives the octave 100–200 Hz as many rows as 1–2 kHz.
    const rows = (a: number, b: number) => rowOfFrequency(a, 300, 22050, 'log') - rowOfFrequency(b, 300, 22050, 'log');
    assert.ok(Math.abs(rows(100, 200) - rows(1000, 2000)) <= 1);
  });

  test('dB range maps to 0..255', () => {
    // The level paintDb picks, read through a palette whose entry L is (L, 0, 0).
    const identity = Uint8Array.from({ length: 256 * 4 }, (_, i) => (i % 4 === 0 ? i / 4 : 0));
    const levelOfDb = (db: number, floorDb: number, ceilingDb: number) => {
      const out = new Uint8ClampedArray(4);
      paintDb(Float32Array.of(db), floorDb, ceilingDb, identity, out);
      return out[0];
    };
    assert.equal(levelOfDb(-90, -90, 0), 0);
    assert.equal(levelOfDb(0, -90, 0), 255);
    assert.equal(levelOfDb(-45, -90, 0), 128);
    assert.equal(levelOfDb(-200, -90, 0), 0);
  });

  test('a higher floor darkens what lies between, and silence stays black', () => {
    const palette = spectrogramPalette();
    const db = Float32Array.of(-100, -60, -20, 0, -Infinity);
    const paint = (floor: number) => {
      const out = new Uint8ClampedArray(db.length * 4);
      paintDb(db, floor, 0, palette, out);
      return out;
    };
    const wide = paint(-120);
    const narrow = paint(-40);
    const brightness = (rgba: Uint8ClampedArray, i: number) => rgba[4 * i] + rgba[4 * i + 1] + rgba[4 * i + 2];
    assert.ok(brightness(narrow, 1) < brightness(wide, 1), '−60 dB is darker with a −40 dB floor');
    assert.equal(brightness(narrow, 0), brightness(narrow, 4), 'below the floor is as dark as silence');
    assert.deepEqual([...narrow.subarray(12, 16)], [...palette.subarray(255 * 4, 256 * 4)], '0 dB is the brightest');
    for (let i = 0; i < db.length; i++) assert.equal(wide[4 * i + 3], 255);
  });

  test('the palette grows brighter level by level', () => {
    const palette = spectrogramPalette();
    const luma = (level: number) => 0.3 * palette[4 * level] + 0.59 * palette[4 * level + 1] + 0.11 * palette[4 * level + 2];
    for (let level = 1; level < 256; level++) assert.ok(luma(level) >= luma(level - 1) - 0.5, `level ${level}`);
  });

  test('axis labels: decades on a log axis, round steps on a linear one', () => {
    assert.deepEqual(frequencyTicks(22050, 'log'), [100, 1000, 10000]);
    assert.deepEqual(frequencyTicks(4000, 'linear'), [1000, 2000, 3000]);
    assert.deepEqual(frequencyTicks(22050, 'linear'), [5000, 10000, 15000, 20000]);
    assert.deepEqual([formatHz(500), formatHz(2000), formatHz(12500)], ['500 Hz', '2 kHz', '12.5 kHz']);
  });

  test('keys seek: arrows by a second or a tenth of a short clip, pages by ten of those, Home and End', () => {
    assert.equal(timeForKey('ArrowRight', 5, 60), 6);
    assert.equal(timeForKey('ArrowLeft', 0.5, 60), 0);
    assert.equal(timeForKey('PageUp', 5, 60), 15);
    assert.equal(timeForKey('ArrowRight', 1, 3), 1.3);
    assert.equal(timeForKey('End', 1, 3), 3);
    assert.equal(timeForKey('Home', 1, 3), 0);
    assert.equal(timeForKey('a', 1, 3), undefined);
  });

  test('the floor is a whole number of dB from −120 to −40', () => {
    assert.ok(isFloorDb(FLOOR_RANGE.initial) && isFloorDb(-120) && isFloorDb(-40));
    assert.ok(!isFloorDb(-130) && !isFloorDb(-30) && !isFloorDb(-90.5) && !isFloorDb('-90'));
  });

  test('waveform peaks keep each column\'s extremes, and ranges of columns add up to the whole', () => {
    const samples = Float32Array.of(0, 1, -1, 0, 0.25, -0.5, 0, 0);
    const min = new Float32Array(2);
    const max = new Float32Array(2);
    waveformPeaks(samples, 2, min, max);
    assert.deepEqual([...min], [-1, -0.5]);
    assert.deepEqual([...max], [1, 0.25]);
    const long = sine(3, 1, 1000, 1);
    const whole = { min: new Float32Array(50), max: new Float32Array(50) };
    waveformPeaks(long, 50, whole.min, whole.max);
    const parts = { min: new Float32Array(50), max: new Float32Array(50) };
    for (const [first, end] of [[0, 7], [7, 31], [31, 50]]) waveformPeaks(long, 50, parts.min, parts.max, first, end);
    assert.deepEqual(parts, whole);
  });
});
