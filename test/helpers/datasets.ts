/** Corpora for the dataset tests, and reading a dataset's images back as their clips' audio. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gridOf, layoutOf, TEXT_KEYWORD } from '../../src/codec';
import { parseFrameRecord } from '../../src/codec/format/manifest';
import { decodeFrame } from '../../src/codec/pipeline/frameCodec';
import { readPngHeader } from '../../src/codec/png/pngReader';
import type { BuildOptions } from '../../src/dataset';
import { buildWav, TAG_FLOAT, TAG_PCM, type FmtSpec } from './wavFiles';

/** A WAV of a sine (and a second at a fifth above in the other channels), `seconds` long, in a PCM or float format. */
export function sineWav(options: {
  rate: number;
  channels: number;
  bits: 8 | 16 | 24 | 32;
  float?: boolean;
  seconds: number;
  hz?: number;
  level?: number;
  mask?: number;
}): Buffer {
  const { rate, channels, bits, seconds } = options;
  const frames = Math.round(rate * seconds);
  const size = bits / 8;
  const data = Buffer.alloc(frames * channels * size);
  const level = options.level ?? 0.5;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) {
      const x = level * Math.sin((2 * Math.PI * (options.hz ?? 440) * (c === 0 ? 1 : 1.5) * f) / rate);
      const o = (f * channels + c) * size;
      if (options.float) {
        if (bits === 32) data.writeFloatLE(x, o);
        else throw new Error('float sines are 32-bit here');
      } else if (bits === 8) data[o] = Math.round(x * 127) + 128;
      else if (bits === 16) data.writeInt16LE(Math.round(x * 32767), o);
      else if (bits === 24) data.writeIntLE(Math.round(x * 8388607), o, 3);
      else data.writeInt32LE(Math.round(x * 2147483647), o);
    }
  }
  const fmt: FmtSpec = {
    tag: options.float ? TAG_FLOAT : TAG_PCM,
    channels,
    sampleRate: rate,
    bitsPerSample: bits,
    ...(options.mask ? { extensible: { channelMask: options.mask } } : {}),
  };
  return buildWav({ fmt, data });
}

/** Options for a small build: 32 × 32 images, bytes layout and the input's audio unless asked, no workers. */
export function smallBuild(inputs: string[], output: string, more: Partial<BuildOptions> = {}): BuildOptions {
  return {
    inputs,
    output,
    audio: {},
    geometry: { width: 32, height: 32, expansion: 1 },
    layout: 'bytes',
    compression: 'fast',
    tail: 'pad',
    validation: 0,
    seed: 0,
    dither: false,
    strict: false,
    workers: 0,
    ...more,
  };
}

/** Every file under `folder` with its bytes, by relative path: two datasets are equal when these are. */
export async function filesOf(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(folder, { recursive: true })).map(String).sort()) {
    const path = join(folder, name);
    if ((await stat(path)).isFile()) files.set(relative(folder, path), await readFile(path));
  }
  return files;
}

/** The clip's audio bytes an image holds, read by its own text chunk, as a decoder of one image does. */
export async function clipOf(path: string): Promise<Buffer> {
  const png = await readFile(path);
  const header = readPngHeader(png, path);
  const record = parseFrameRecord(header.texts.get(TEXT_KEYWORD)!, path);
  const grid = gridOf(record.geometry);
  const { data } = decodeFrame({ file: path, grid, layout: record.layout, audio: record.audio, reducer: 'mean' }, {});
  if (layoutOf(record.layout).bytesPerFrame(grid, record.audio) !== record.bytesPerFrame) throw new Error('record and layout disagree');
  return Buffer.from(data.subarray(0, record.dataLength));
}

/** The lines of a JSON Lines file, parsed. */
export async function jsonLines<T = Record<string, unknown>>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as T);
}
