/** The STFT against sines of known frequency and level, and the pixel mappings both ways. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frequencyOfRow, levelOfDb, renderLevels, rowOfFrequency, timeAtX, waveformPeaks, xOfTime } from '../../../src/webview/spectrum/mapping';
import { computeSpectrum } from '../../../src/webview/spectrum/spectrumCompute';
import { fftSizeFor, SpectrumService } from '../../../src/webview/spectrum/spectrumService';
import type { SpectrumRequest } from '../../../src/webview/spectrum/spectrumProtocol';
import { FLOOR_DB, mixToMono, stft } from '../../../src/webview/spectrum/stft';

function sine(hz: number, amplitude: number, sampleRate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return out;
}

describe('stft', () => {
  test('a sine peaks in its bin at its level in dB', () => {
    const sampleRate = 8000;
    const fftSize = 512;
    for (const [hz, amplitude] of [[1000, 1], [250, 0.1], [3000, 0.5]] as const) {
      const s = stft(sine(hz, amplitude, sampleRate, 1), sampleRate, { fftSize, hop: 256 });
      const frame = Math.floor(s.frames / 2);
      const row = s.db.subarray(frame * s.bins, (frame + 1) * s.bins);
      const peak = row.indexOf(Math.max(...row));
      assert.equal(peak, Math.round((hz / sampleRate) * fftSize), `${hz} Hz`);
      assert.ok(Math.abs(row[peak] - 20 * Math.log10(amplitude)) < 0.5, `${hz} Hz at ${row[peak]} dB`);
      const far = row.filter((_, bin) => Math.abs(bin - peak) > 8);
      assert.ok(Math.max(...far) < row[peak] - 60, `bins more than 8 away are 60 dB down (${Math.max(...far)} dB)`);
    }
  });

  test('silence is at the floor; frames cover the whole clip', () => {
    const s = stft(new Float32Array(1000), 8000, { fftSize: 256, hop: 100 });
    assert.equal(s.frames, 10);
    assert.equal(s.bins, 129);
    assert.ok(s.db.every((v) => v === FLOOR_DB));
  });

  test('refuses an FFT size that is not a power of two', () => {
    assert.throws(() => stft(new Float32Array(10), 8000, { fftSize: 300, hop: 10 }), RangeError);
  });

  test('mixToMono averages channels', () => {
    assert.deepEqual([...mixToMono([Float32Array.of(1, 0.5), Float32Array.of(0, -0.5)])], [0.5, 0]);
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
        const hz = frequencyOfRow(y, 100, 22050, scale);
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
    assert.equal(levelOfDb(-90, -90, 0), 0);
    assert.equal(levelOfDb(0, -90, 0), 255);
    assert.equal(levelOfDb(-45, -90, 0), 128);
    assert.equal(levelOfDb(-200, -90, 0), 0);
  });

  test('a tone lights the row of its frequency; a narrower dB range darkens it', () => {
    const sampleRate = 16000;
    const spectrogram = stft(sine(2000, 0.5, sampleRate, 1), sampleRate, { fftSize: 1024, hop: 256 });
    for (const scale of ['linear', 'log'] as const) {
      const view = { width: 40, height: 64, scale, floorDb: -100, ceilingDb: 0 };
      const levels = renderLevels(spectrogram, view);
      const row = rowOfFrequency(2000, 64, 8000, scale);
      const column = (y: number) => levels[y * 40 + 20];
      let loudestRow = 0;
      for (let y = 0; y < 64; y++) if (column(y) > column(loudestRow)) loudestRow = y;
      assert.ok(Math.abs(loudestRow - row) <= 1, `${scale}: loudest row ${loudestRow}, tone at ${row}`);
      const narrow = renderLevels(spectrogram, { ...view, floorDb: -10, ceilingDb: 40 });
      assert.ok(narrow[loudestRow * 40 + 20] < column(loudestRow));
    }
  });

  test('waveform peaks keep each column\'s extremes', () => {
    const samples = Float32Array.of(0, 1, -1, 0, 0.25, -0.5, 0, 0);
    const { min, max } = waveformPeaks(samples, 2);
    assert.deepEqual([...min], [-1, -0.5]);
    assert.deepEqual([...max], [1, 0.25]);
  });
});

describe('SpectrumService', () => {
  function loopback() {
    let listener: (data: unknown) => void = () => undefined;
    const posted: SpectrumRequest[] = [];
    return {
      posted,
      reply: (request: SpectrumRequest) => listener(computeSpectrum(request, () => 0)),
      channel: { post: (request: SpectrumRequest) => posted.push(request), onReply: (l: (data: unknown) => void) => (listener = l) },
    };
  }

  test('answers the newest request and drops superseded ones', async () => {
    const wire = loopback();
    const service = new SpectrumService(wire.channel);
    const view = { width: 32, height: 16, scale: 'log' as const, floorDb: -90, ceilingDb: 0 };
    const first = service.request(sine(440, 1, 8000, 0.5), 8000, view, 32);
    const second = service.request(sine(880, 1, 8000, 0.5), 8000, view, 32);
    assert.equal(await first, undefined);
    wire.reply(wire.posted[0]);
    wire.reply(wire.posted[1]);
    const result = await second;
    assert.equal(result?.id, wire.posted[1].id);
    assert.equal(result?.levels.length, 32 * 16);
    assert.ok(wire.posted[1].hop >= 1 && wire.posted[1].fftSize >= 2 * wire.posted[1].hop);
  });

  test('FFT size follows the rate and the hop', () => {
    assert.equal(fftSizeFor(44100, 100), 2048);
    assert.equal(fftSizeFor(44100, 2000), 4096);
  });
});
