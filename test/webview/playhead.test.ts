/**
 * Time ↔ pixel for the playhead, for every geometry and expansion and each layout: the rectangle
 * drawn for a time really holds that time's sample bytes in the encoded frame, and clicking
 * anywhere in a block seeks to the time that block starts sounding.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  encodeWav,
  frameFileName,
  gridOf,
  LAYOUT_NAMES,
  layoutOf,
  makeAudioFormat,
  type Geometry,
  type LayoutName,
  type SampleFormat,
  type StreamInfo,
} from '../../src/codec';
import { decodePng } from '../../src/codec/png/pngReader';
import { canonicalContainer } from '../../src/codec/wav/wavFile';
import { durationOf, frameStartTime, PixelGrid, soundingAt, timeOfPixel } from '../../src/webview/playhead';
import { Prng } from '../helpers/prng';
import { tempFolders } from '../helpers/tempDirs';

const newFolder = tempFolders('playhead');

const GEOMETRIES: Geometry[] = [
  { width: 7, height: 5, expansion: 1 },
  { width: 12, height: 8, expansion: 2 },
  { width: 16, height: 16, expansion: 4 },
  { width: 24, height: 9, expansion: 3 },
  { width: 16, height: 16, expansion: 8 },
];

const FORMATS: Array<{ sampleFormat: SampleFormat; channels: number }> = [
  { sampleFormat: 'u8', channels: 1 },
  { sampleFormat: 's16', channels: 2 },
  { sampleFormat: 's24', channels: 1 },
  { sampleFormat: 'f32', channels: 2 },
];

function streamOf(geometry: Geometry, layout: LayoutName, sampleFormat: SampleFormat, channels: number, sampleFrames: number): StreamInfo {
  const audio = makeAudioFormat(sampleFormat, channels, 8000);
  const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), audio);
  const dataLength = sampleFrames * audio.blockAlign;
  return { geometry, layout, audio, dataLength, bytesPerFrame, frameCount: Math.max(1, Math.ceil(dataLength / bytesPerFrame)) };
}

const describeGeometry = (g: Geometry) => `${g.width}×${g.height} E=${g.expansion}`;

describe('time ↔ pixel', () => {
  for (const layout of LAYOUT_NAMES) {
    for (const geometry of GEOMETRIES) {
      for (const { sampleFormat, channels } of FORMATS) {
        // A frame too small for one sample frame in this layout is refused by the codec: no frames to map.
        if (streamOf(geometry, layout, sampleFormat, channels, 1).bytesPerFrame === 0) continue;
        test(`${layout}, ${describeGeometry(geometry)}, ${sampleFormat} × ${channels}: every sample's block, and a click anywhere in it, agree`, () => {
          const sampleFrames = 97;
          const stream = streamOf(geometry, layout, sampleFormat, channels, sampleFrames);
          const grid = new PixelGrid(stream, geometry);
          const rate = stream.audio.sampleRate;
          for (let sample = 0; sample < sampleFrames; sample++) {
            const sounding = soundingAt(stream, sample / rate);
            assert.ok(sounding);
            assert.equal(sounding.sample, sample);
            assert.ok(sounding.frame < stream.frameCount && sounding.pixel < grid.pixelCount);
            const rect = grid.rectOf(sounding.pixel);
            assert.equal(rect.width, geometry.expansion, 'a data pixel is one E × E block');
            assert.equal(rect.height, geometry.expansion);
            for (const [dx, dy] of [[0, 0], [rect.width - 0.01, rect.height - 0.01], [rect.width / 2, 0]]) {
              assert.equal(grid.pixelAt(rect.x + dx, rect.y + dy), sounding.pixel, `a click inside the block of sample ${sample} hits its pixel`);
            }
            const seekTime = timeOfPixel(stream, sounding);
            assert.ok(seekTime <= sample / rate, 'seeking to the pixel lands at or before the sample');
            assert.deepEqual(
              soundingAt(stream, seekTime) && { frame: soundingAt(stream, seekTime)!.frame, pixel: soundingAt(stream, seekTime)!.pixel },
              { frame: sounding.frame, pixel: sounding.pixel },
              'and sounds the same pixel',
            );
          }
        });
      }
    }
  }

  test('a time past the end shows the last sample; no audio shows nothing', () => {
    const stream = streamOf({ width: 12, height: 8, expansion: 2 }, 'bytes', 's16', 2, 50);
    assert.equal(soundingAt(stream, 999)!.sample, 49);
    assert.equal(soundingAt(stream, -1)!.sample, 0);
    assert.equal(soundingAt({ ...stream, dataLength: 0 }, 0), undefined);
    assert.equal(durationOf(stream), 50 / 8000);
  });

  test('clicking the padding after the audio seeks to the last sample; a frame starts where its first pixel sounds', () => {
    const stream = streamOf({ width: 4, height: 4, expansion: 1 }, 'bytes', 'u8', 1, 60); // 48 bytes a frame: 2 frames, the second a quarter full
    assert.equal(stream.frameCount, 2);
    assert.equal(timeOfPixel(stream, { frame: 1, pixel: 15 }), 59 / 8000);
    assert.equal(frameStartTime(stream, 1), 48 / 8000);
    assert.equal(soundingAt(stream, frameStartTime(stream, 1))!.frame, 1);
  });

  test('clicks outside the image hit no pixel', () => {
    const grid = new PixelGrid(streamOf({ width: 12, height: 8, expansion: 2 }, 'bytes', 'u8', 1, 10), { width: 12, height: 8 });
    for (const [x, y] of [[-0.5, 0], [12, 0], [0, 8], [Number.NaN, 1]]) assert.equal(grid.pixelAt(x, y), undefined);
    assert.equal(grid.pixelAt(11.9, 7.9), 23);
  });

  test('frames of another size than the geometry map blocks by their own edges', () => {
    // 6 × 4 data pixels (geometry 12 × 8, E = 2) shown in a frame resized to 9 × 6.
    const grid = new PixelGrid(streamOf({ width: 12, height: 8, expansion: 2 }, 'bytes', 'u8', 1, 10), { width: 9, height: 6 });
    // Columns by pixel centre, as the codec reads them: [0, 1), [1, 3), [3, 4), [4, 6), [6, 7), [7, 9).
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((column) => grid.rectOf(column)).map((r) => [r.x, r.width]), [[0, 1], [1, 2], [3, 1], [4, 2], [6, 1], [7, 2]]);
    assert.deepEqual(grid.rectOf(0), { x: 0, y: 0, width: 1, height: 1 });
    assert.deepEqual(grid.rectOf(7), { x: 1, y: 1, width: 2, height: 2 });
    for (let pixel = 0; pixel < grid.pixelCount; pixel++) {
      const r = grid.rectOf(pixel);
      assert.equal(grid.pixelAt(r.x, r.y), pixel);
      assert.equal(grid.pixelAt(r.x + r.width - 0.5, r.y + r.height - 0.5), pixel);
    }
  });
});

describe('the playhead matches the encoded frames', () => {
  for (const layout of LAYOUT_NAMES) {
    for (const geometry of [{ width: 12, height: 8, expansion: 2 }, { width: 10, height: 6, expansion: 1 }, { width: 16, height: 8, expansion: 4 }]) {
      test(`${layout}, ${describeGeometry(geometry)}: the block drawn for each sample is a block that changes when that sample changes`, async () => {
        const audio = makeAudioFormat('s16', 2, 8000);
        const sampleFrames = 83;
        const data = new Prng(7).bytes(sampleFrames * audio.blockAlign);
        const { header, trailer } = canonicalContainer(audio, data.length);
        const folder = await newFolder();
        const wavPath = join(folder, 'noise.wav');
        await writeFile(wavPath, Buffer.concat([header, data, trailer]));
        const encoded = await encodeWav(wavPath, { geometry, layout, output: join(folder, 'frames'), workers: 0 });
        const stream = streamOf(geometry, layout, 's16', 2, sampleFrames);
        assert.equal(encoded.frameCount, stream.frameCount);
        const frames = await Promise.all(
          Array.from({ length: encoded.frameCount }, async (_, i) =>
            decodePng(await readFile(join(folder, 'frames', frameFileName(i, encoded.frameCount))), 'frame'),
          ),
        );
        const codecLayout = layoutOf(layout);
        const dataGrid = gridOf(geometry);
        const pixelGrid = new PixelGrid(stream, geometry);
        const packFrame = (bytes: Uint8Array, frame: number) =>
          codecLayout.pack(bytes.subarray(frame * stream.bytesPerFrame, (frame + 1) * stream.bytesPerFrame), dataGrid, audio);
        for (let sample = 0; sample < sampleFrames; sample++) {
          const sounding = soundingAt(stream, sample / 8000)!;
          // The data pixels that hold this sample: those that change when its bytes change.
          const changed = Buffer.from(data);
          for (let b = 0; b < audio.blockAlign; b++) changed[sample * audio.blockAlign + b] ^= 0xff;
          const before = packFrame(data, sounding.frame);
          const after = packFrame(changed, sounding.frame);
          const p = sounding.pixel * 3;
          assert.notDeepEqual([...before.subarray(p, p + 3)], [...after.subarray(p, p + 3)], `sample ${sample}: the playhead's pixel holds part of it`);
          // And in the PNG on disk, the block drawn for that pixel is that data pixel, uniform.
          const rect = pixelGrid.rectOf(sounding.pixel);
          const png = frames[sounding.frame];
          for (let y = rect.y; y < rect.y + rect.height; y++) {
            for (let x = rect.x; x < rect.x + rect.width; x++) {
              const at = (y * png.header.width + x) * 3;
              assert.deepEqual([...png.rgb.subarray(at, at + 3)], [...before.subarray(p, p + 3)], `sample ${sample}: image pixel (${x}, ${y})`);
            }
          }
        }
      });
    }
  }
});
