/**
 * The frame writer: read back by pngjs (an independent reader) and by the codec's reader, checked
 * by pngcheck when it is installed, for every compression preset and expansion.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { COMPRESSIONS, encodeWav, type Grid } from '../../../src/codec';
import { decodePng, readPngHeader } from '../../../src/codec/png/pngReader';
import { encodePng } from '../../../src/codec/png/pngWriter';
import { readChunks } from '../../helpers/pngFiles';
import { Prng } from '../../helpers/prng';
import { tempFolders } from '../../helpers/tempDirs';
import { buildWav, TAG_PCM } from '../../helpers/wavFiles';

const newFolder = tempFolders('pngwriter');

const CASES: Array<{ grid: Grid; expansion: number }> = [
  { grid: { columns: 1, rows: 1 }, expansion: 1 },
  { grid: { columns: 7, rows: 5 }, expansion: 1 },
  { grid: { columns: 6, rows: 4 }, expansion: 2 },
  { grid: { columns: 4, rows: 4 }, expansion: 4 },
  { grid: { columns: 5, rows: 3 }, expansion: 3 },
  // 225 250 bytes of scanlines: four stored deflate blocks, the last one partial.
  { grid: { columns: 300, rows: 250 }, expansion: 1 },
];

const pngcheckAvailable = spawnSync('pngcheck', ['-h']).error === undefined;

describe('encodePng', () => {
  for (const { grid, expansion } of CASES) {
    for (const compression of COMPRESSIONS) {
      test(`${grid.columns}×${grid.rows} data pixels, expansion ${expansion}, ${compression}`, async (t) => {
        const pixels = new Prng(grid.columns * 1000 + grid.rows + expansion).bytes(grid.columns * grid.rows * 3);
        const text = JSON.stringify({ hello: 'frame', n: 1 });
        const png = encodePng(pixels, grid, { expansion, compression, texts: [{ keyword: 'resonance', text }] });

        // pngjs checks every CRC, the zlib stream and the filters, and gives the pixels back.
        const image = PNG.sync.read(png);
        assert.equal(image.width, grid.columns * expansion);
        assert.equal(image.height, grid.rows * expansion);
        for (let y = 0; y < image.height; y++) {
          for (let x = 0; x < image.width; x++) {
            const source = (Math.floor(y / expansion) * grid.columns + Math.floor(x / expansion)) * 3;
            const target = (y * image.width + x) * 4;
            const pixel = [image.data[target], image.data[target + 1], image.data[target + 2], image.data[target + 3]];
            assert.deepEqual(pixel, [pixels[source], pixels[source + 1], pixels[source + 2], 255], `pixel ${x},${y}`);
          }
        }

        // An ordinary 8-bit RGB, non-interlaced file, with the text chunk before the image data.
        const chunks = readChunks(png);
        assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'tEXt', 'IDAT', 'IEND']);
        const ihdr = chunks[0].data;
        assert.deepEqual([...ihdr.subarray(8)], [8, 2, 0, 0, 0], 'bit depth 8, RGB, deflate, filter method 0, no interlace');
        assert.equal(chunks[1].data.toString('latin1'), `resonance\0${text}`);

        const header = readPngHeader(png.subarray(0, png.indexOf('IDAT', 0, 'latin1')), 'frame.png');
        assert.equal(header.texts.get('resonance'), text);
        const decoded = decodePng(png, 'frame.png');
        assert.equal(decoded.rgb.length, image.width * image.height * 3);

        if (!pngcheckAvailable) {
          t.skip('pngcheck is not on PATH');
          return;
        }
        const file = join(await newFolder(), 'frame.png');
        await writeFile(file, png);
        const check = spawnSync('pngcheck', ['-q', file], { encoding: 'utf8' });
        assert.equal(check.status, 0, `pngcheck: ${check.stdout}${check.stderr}`);
      });
    }
  }

  test('frames written by encodeWav pass pngcheck and read back through pngjs', async (t) => {
    const folder = await newFolder();
    const input = join(folder, 'in.wav');
    await writeFile(input, buildWav({ fmt: { tag: TAG_PCM, channels: 2, sampleRate: 8000, bitsPerSample: 16 }, data: new Prng(5).bytes(500) }));
    await encodeWav(input, { output: join(folder, 'frames'), geometry: { width: 10, height: 6, expansion: 2 }, workers: 0 });
    const frames = (await readdir(join(folder, 'frames'))).filter((n) => n.endsWith('.png'));
    assert.equal(frames.length, 12); // 500 bytes at 45 a frame
    for (const name of frames) {
      const png = await readFile(join(folder, 'frames', name));
      assert.equal(PNG.sync.read(png).width, 10);
    }
    if (!pngcheckAvailable) {
      t.skip('pngcheck is not on PATH');
      return;
    }
    const check = spawnSync('pngcheck', ['-q', ...frames.map((n) => join(folder, 'frames', n))], { encoding: 'utf8' });
    assert.equal(check.status, 0, `pngcheck: ${check.stdout}${check.stderr}`);
  });
});
