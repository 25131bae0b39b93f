import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  bytesPerSample,
  decodeFolder,
  encodeWav,
  LAYOUT_NAMES,
  layoutOf,
  makeAudioFormat,
  SAMPLE_FORMATS,
  type AudioFormat,
  type Grid,
  type SampleFormat,
} from '../../../src/codec';
import { alawValue, mulawValue } from '../../../src/codec/format/g711';
import { planesPathPixel, planesPathPosition } from '../../../src/codec/format/layout';
import { canonicalContainer } from '../../../src/codec/wav/wavFile';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';

const newFolder = tempFolders('layout');
const planes = layoutOf('planes');
const GRIDS: Grid[] = [
  { columns: 7, rows: 5 },
  { columns: 16, rows: 8 },
  { columns: 5, rows: 13 },
  { columns: 33, rows: 1 },
  { columns: 1, rows: 9 },
  { columns: 4, rows: 3 },
];

/** The planes path as docs/format.md words it: strips of 4 rows, column by column, down even columns, up odd ones. */
function specPath(grid: Grid): number[] {
  const path: number[] = [];
  for (let top = 0; top < grid.rows; top += 4) {
    const rows = Array.from({ length: Math.min(4, grid.rows - top) }, (_, i) => top + i);
    for (let x = 0; x < grid.columns; x++) for (const y of x % 2 ? [...rows].reverse() : rows) path.push(y * grid.columns + x);
  }
  return path;
}

/** A sample's value, to check that the order-preserving form sorts as the values do. */
function sampleValue(bytes: Uint8Array, format: SampleFormat): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'u8':
      return bytes[0];
    case 's16':
      return view.getInt16(0, true);
    case 's24':
      return (view.getUint16(0, true) | (view.getInt8(2) << 16));
    case 's32':
      return view.getInt32(0, true);
    case 'f32':
      return view.getFloat32(0, true);
    case 'f64':
      return view.getFloat64(0, true);
    case 'alaw':
      return alawValue(bytes[0]);
    case 'mulaw':
      return mulawValue(bytes[0]);
  }
}

/** Sample bytes that cover each format's range: random bytes, and for floats finite values, ±0, ±∞ and subnormals. */
function someSamples(format: SampleFormat, count: number, seed: number): Uint8Array {
  const prng = new Prng(seed);
  const size = bytesPerSample(format);
  if (format !== 'f32' && format !== 'f64') return new Uint8Array(prng.bytes(count * size));
  const out = new Uint8Array(count * size);
  const view = new DataView(out.buffer);
  const specials = [0, -0, Infinity, -Infinity, 1e-310, -1e-310, 1e-40, -1e-40, 1, -1];
  for (let i = 0; i < count; i++) {
    const value = i < specials.length ? specials[i] : (prng.next() - 0.5) * 10 ** prng.between(-30, 30);
    if (format === 'f32') view.setFloat32(i * 4, value, true);
    else view.setFloat64(i * 8, value, true);
  }
  return out;
}

test('planes round-trips every sample format, 1/2/6 channels, several geometries, lengths that cut a sample frame short', () => {
  for (const sampleFormat of SAMPLE_FORMATS) {
    for (const channels of [1, 2, 6]) {
      const format = makeAudioFormat(sampleFormat, channels, 8000);
      for (const [g, grid] of GRIDS.entries()) {
        const perFrame = planes.bytesPerFrame(grid, format);
        const planeCount = format.blockAlign;
        assert.equal(
          perFrame,
          3 * Math.floor((grid.columns * grid.rows) / planeCount) * planeCount,
          `bytesPerFrame ${sampleFormat} × ${channels} on ${grid.columns} × ${grid.rows}`,
        );
        if (perFrame === 0) continue;
        const full = someSamples(sampleFormat, perFrame / bytesPerSample(sampleFormat), 31 * g + channels);
        for (const length of new Set([perFrame, perFrame - 1, perFrame - format.blockAlign + 1, Math.floor(perFrame / 2) + 1, 1, 0])) {
          const data = full.subarray(0, length);
          const pixels = planes.pack(data, grid, format);
          assert.equal(pixels.length, grid.columns * grid.rows * 3);
          const back = planes.unpack(pixels, grid, format);
          assert.equal(back.length, perFrame);
          assert.deepEqual(back.subarray(0, length), data, `${sampleFormat} × ${channels} on ${grid.columns} × ${grid.rows}, ${length} bytes`);
          assert.ok(back.subarray(length).every((byte) => byte === 0), 'the padding comes back as zeros');
        }
      }
    }
  }
});

test('planes follows the spec: plane b·C + c along the path holds byte b (most significant first) of channel c, order-preserving, for 3 sample frames ' +
  'in R, G, B', () => {
  for (const sampleFormat of SAMPLE_FORMATS) {
    for (const channels of [1, 2, 3]) {
      const format = makeAudioFormat(sampleFormat, channels, 8000);
      const size = bytesPerSample(sampleFormat);
      const grid = { columns: 9, rows: 10 };
      const planePixels = Math.floor(90 / format.blockAlign);
      if (planePixels === 0) continue;
      const sampleFrames = 3 * planePixels;
      const data = someSamples(sampleFormat, sampleFrames * channels, channels);
      const pixels = planes.pack(data, grid, format);
      const path = specPath(grid);
      const keys: Array<{ key: number[]; value: number }> = [];
      for (let t = 0; t < sampleFrames; t++) {
        for (let c = 0; c < channels; c++) {
          const key = Array.from({ length: size }, (_, b) => pixels[path[(b * channels + c) * planePixels + Math.floor(t / 3)] * 3 + (t % 3)]);
          const offset = (t * channels + c) * size;
          keys.push({ key, value: sampleValue(data.subarray(offset, offset + size), sampleFormat) });
        }
      }
      // Pixels past the last plane are zero.
      for (let i = format.blockAlign * planePixels; i < 90; i++) assert.deepEqual(Array.from(pixels.subarray(path[i] * 3, path[i] * 3 + 3)), [0, 0, 0]);
      // The keys, read as numbers most significant byte first, sort exactly as the values do.
      const keyNumber = (key: number[]) => key.reduce((n, byte) => n * 256 + byte, 0);
      for (let i = 0; i < keys.length; i++) {
        for (let j = i + 1; j < Math.min(keys.length, i + 40); j++) {
          const [a, b] = [keys[i], keys[j]];
          if (a.value !== b.value)
            assert.equal(Math.sign(keyNumber(a.key) - keyNumber(b.key)), Math.sign(a.value - b.value), `${sampleFormat}: ${a.value} vs ${b.value}`);
        }
      }
      if (sampleFormat === 's16') assert.equal(keyNumber(keys[0].key), keys[0].value + 32768, 'offset binary');
    }
  }
});

test('A-law and µ-law codes rank by value: every code once, µ-law\'s negative zero before its zero', () => {
  for (const [sampleFormat, value] of [['alaw', alawValue], ['mulaw', mulawValue]] as const) {
    const format = makeAudioFormat(sampleFormat, 1, 8000);
    const grid = { columns: 86, rows: 1 }; // 258 sample frames: every code once, and two more
    const data = Uint8Array.from({ length: 256 }, (_, code) => code);
    const pixels = planes.pack(data, grid, format);
    const ranks = Array.from({ length: 256 }, (_, t) => pixels[planesPathPixel(Math.floor(t / 3), grid) * 3 + (t % 3)]);
    assert.deepEqual([...ranks].sort((a, b) => a - b), Array.from({ length: 256 }, (_, i) => i));
    const byRank = [...data].sort((a, b) => ranks[a] - ranks[b]);
    for (let i = 1; i < 256; i++) assert.ok(value(byRank[i - 1]) <= value(byRank[i]));
    if (sampleFormat === 'mulaw') assert.ok(ranks[0x7f] + 1 === ranks[0xff]);
  }
});

test('a one-step change to a pixel value is a one-step change to one byte of one sample: ±1 in the low plane, ±256 in the high plane', () => {
  const format = makeAudioFormat('s16', 2, 44100);
  const grid = { columns: 24, rows: 10 };
  const data = new Uint8Array(planes.bytesPerFrame(grid, format));
  const view = new DataView(data.buffer);
  for (let i = 0; i < data.length / 2; i++) view.setInt16(i * 2, Math.round(8000 * Math.sin(i / 20)), true);
  const pixels = planes.pack(data, grid, format);
  const planePixels = 60;
  for (const [plane, step] of [[0, 256], [1, 256], [2, 1], [3, 1]]) {
    for (const p of [0, 17, 59]) {
      for (const colour of [0, 1, 2]) {
        const changed = pixels.slice();
        const o = planesPathPixel(plane * planePixels + p, grid) * 3 + colour;
        const delta = changed[o] < 255 ? 1 : -1;
        changed[o] += delta;
        const back = new DataView(planes.unpack(changed, grid, format).buffer);
        const channel = plane % 2;
        const sample = (3 * p + colour) * 2 + channel;
        for (let i = 0; i < data.length / 2; i++) {
          assert.equal(back.getInt16(i * 2, true) - view.getInt16(i * 2, true), i === sample ? delta * step : 0);
        }
      }
    }
  }
});

test('the planes path visits every pixel once, and planesPathPosition inverts planesPathPixel', () => {
  for (const grid of [...GRIDS, { columns: 192, rows: 192 }, { columns: 10, rows: 7 }]) {
    const path = specPath(grid);
    for (let i = 0; i < grid.columns * grid.rows; i++) {
      assert.equal(planesPathPixel(i, grid), path[i]);
      assert.equal(planesPathPosition(path[i], grid), i);
    }
  }
});

/** The pixels whose values change when sample frame `sample` (in frame 0) changes. */
function pixelsHolding(layoutName: 'bytes' | 'planes', sample: number, grid: Grid, format: AudioFormat, base: Uint8Array): Set<number> {
  const layout = layoutOf(layoutName);
  const before = layout.pack(base, grid, format);
  const changed = base.slice();
  // Flipping the lowest bit of every byte keeps a float's sign, so every byte of its order-preserving form changes.
  for (let i = 0; i < format.blockAlign; i++) changed[sample * format.blockAlign + i] ^= 0x01;
  const after = layout.pack(changed, grid, format);
  const holding = new Set<number>();
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) holding.add(Math.floor(i / 3));
  return holding;
}

test('locateSample and sampleAt are exact for every sample and every pixel of small frames, both layouts', () => {
  for (const layoutName of LAYOUT_NAMES) {
    const layout = layoutOf(layoutName);
    for (const sampleFormat of ['u8', 's16', 's24', 'f64', 'mulaw'] as const) {
      for (const channels of [1, 2, 3]) {
        const format = makeAudioFormat(sampleFormat, channels, 8000);
        for (const grid of GRIDS.slice(0, 4)) {
          const perFrame = layout.bytesPerFrame(grid, format);
          if (perFrame < format.blockAlign) continue;
          const base = new Uint8Array(new Prng(channels).bytes(perFrame));
          const where = `${layoutName}, ${sampleFormat} × ${channels} on ${grid.columns} × ${grid.rows}`;
          // Samples of frame 0 and 2: the located pixel holds a byte of the sample (frame 2: same pixel, frame + 2).
          const samplesInFrame = Math.floor(perFrame / format.blockAlign);
          const samplesPerFrame = perFrame / format.blockAlign;
          for (let s = 0; s < samplesInFrame; s++) {
            const located = layout.locateSample(s, grid, format);
            assert.equal(located.frame, 0, where);
            assert.ok(pixelsHolding(layoutName, s, grid, format, base).has(located.pixel), `${where}: sample ${s} is not in pixel ${located.pixel}`);
            if (Number.isInteger(samplesPerFrame)) {
              const later = layout.locateSample(s + 2 * samplesPerFrame, grid, format);
              assert.deepEqual(later, { frame: 2, pixel: located.pixel }, where);
            }
          }
          // Every pixel: sampleAt is the first sample frame held in or after it.
          const firstHeld = new Map<number, number>();
          for (let s = samplesInFrame - 1; s >= 0; s--) for (const pixel of pixelsHolding(layoutName, s, grid, format, base)) firstHeld.set(pixel, s);
          for (let pixel = 0; pixel < grid.columns * grid.rows; pixel++) {
            const at = layout.sampleAt({ frame: 0, pixel }, grid, format);
            if (layoutName === 'planes') {
              assert.equal(at, firstHeld.get(pixel) ?? samplesPerFrame, `${where}: pixel ${pixel}`);
              assert.equal(layout.sampleAt({ frame: 3, pixel }, grid, format), at + 3 * samplesPerFrame);
            } else {
              // bytes: the first sample frame whose first byte is at or after the pixel's first byte.
              assert.ok(at * format.blockAlign >= pixel * 3 && (at - 1) * format.blockAlign < pixel * 3, `${where}: pixel ${pixel} → ${at}`);
            }
            if (at < samplesInFrame) assert.ok(pixelsHolding(layoutName, at, grid, format, base).size > 0);
          }
        }
      }
    }
  }
});

test('encode and decode with layout planes: byte-identical WAVs, every format, 1/2/6 channels, odd lengths, several geometries', async () => {
  const folder = await newFolder();
  let round = 0;
  for (const sampleFormat of SAMPLE_FORMATS) {
    for (const channels of [1, 2, 6]) {
      for (const geometry of [{ width: 16, height: 12, expansion: 1 }, { width: 30, height: 22, expansion: 2 }, { width: 27, height: 9, expansion: 3 }]) {
        const format = makeAudioFormat(sampleFormat, channels, 22050);
        const perFrame = planes.bytesPerFrame({ columns: geometry.width / geometry.expansion, rows: geometry.height / geometry.expansion }, format);
        if (perFrame === 0) continue;
        // A frame and a half, less one byte: the last sample frame is cut short.
        const length = Math.floor(1.5 * perFrame) - 1;
        const data = someSamples(sampleFormat, Math.ceil(length / bytesPerSample(sampleFormat)), round).subarray(0, length);
        const { header, trailer } = canonicalContainer(format, length);
        const wav = Buffer.concat([header, data, trailer]);
        const input = join(folder, `in${round}.wav`);
        await writeFile(input, wav);
        const frames = join(folder, `frames${round}`);
        const output = join(folder, `out${round}.wav`);
        const encoded = await encodeWav(input, { output: frames, geometry, layout: 'planes', workers: 0 });
        assert.equal(encoded.layout, 'planes');
        assert.equal(encoded.frameCount, 2);
        const manifest = JSON.parse(await readFile(join(frames, 'resonance.json'), 'utf8'));
        assert.equal(manifest.layout, 'planes');
        const decoded = await decodeFolder(frames, { output, workers: 0 });
        assert.equal(decoded.bitExact, true);
        assert.ok((await readFile(output)).equals(wav), `${sampleFormat} × ${channels} at ${geometry.width} × ${geometry.height} / ${geometry.expansion}`);
        round++;
      }
    }
  }
  assert.ok(round > 40);
});

test('a frame too small for one pixel per plane is refused with one line', async () => {
  const folder = await newFolder();
  const format = makeAudioFormat('f64', 8, 8000);
  const { header, trailer } = canonicalContainer(format, 64);
  const input = join(folder, 'in.wav');
  await writeFile(input, Buffer.concat([header, new Uint8Array(64), trailer]));
  // 64 planes need 64 pixels; 9 × 7 has 63.
  await assert.rejects(
    encodeWav(input, { output: join(folder, 'frames'), geometry: { width: 9, height: 7, expansion: 1 }, layout: 'planes', workers: 0 }),
    /too small for one sample frame of this audio in the planes layout/,
  );
});
