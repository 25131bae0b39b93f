/**
 * One image to one WAV, as a worker thread does it for every image of a folder: an image a model
 * generated (any PNG, JPEG or WebP, no metadata) read with the parameters it was trained on, or a
 * Resonance image read by its own frame record. Unless the pixels are the very ones Resonance
 * wrote (their checksum says so) or `raw` is asked for, float samples are made safe to play.
 */
import { readSync, closeSync } from 'node:fs';
import { isInterpreted, type AudioFormat } from '../format/audioFormat';
import { ResonanceError } from '../format/errors';
import { geometryProblem, gridOf, type Geometry } from '../format/geometry';
import { layoutOf, type LayoutName } from '../format/layout';
import { parseFrameRecord, TEXT_KEYWORD } from '../format/manifest';
import { defaultReducer, reduceToGrid, type Reducer } from '../format/reduce';
import { makeFloatsSafe, type SafetyCounts } from '../format/sampleValues';
import { openRegularFileSync } from '../files/safeOpen';
import { decodeImage, type ImageKind } from '../image/readImage';
import type { PngReadScratch } from '../png/pngReader';
import { canonicalContainer } from '../wav/wavFile';
import { memcmpComparer, sha256Hex } from './frameCodec';
import { writeWholeFileSync } from './output';

/** How to read an image without Resonance metadata: what the frames the model learnt from were. */
export interface ImageParameters {
  audio: AudioFormat;
  layout: LayoutName;
  /**
   * The frames' geometry: an image of another size is rescaled to its grid when it has the same
   * shape. Without it, an image is read by its own size at this expansion.
   */
  geometry?: Geometry;
  expansion?: number;
  /** Bytes of audio one image holds (a dataset's clip); by default all its grid holds. */
  clipBytes?: number;
}

export interface ImageDecodeTask {
  file: string;
  output: string;
  parameters?: ImageParameters;
  reducer?: Reducer;
  /** Write exactly what the pixels say, NaN and all. */
  raw?: boolean;
  /** The output may replace a file there (checked by the caller before any work). */
  replace: boolean;
}

export interface DecodedImageFile {
  file: string;
  output: string;
  kind: ImageKind;
  width: number;
  height: number;
  /** 'image': the image's own frame record; 'given': the parameters it was decoded with. */
  metadata: 'image' | 'given';
  audio: AudioFormat;
  layout: LayoutName;
  geometry: Geometry;
  /** Whether the pixels are the ones Resonance wrote: only known for an image with its record. */
  unchanged?: boolean;
  dataLength: number;
  safety: SafetyCounts;
}

/** Shapes closer than this are the same shape: 256 × 256 against 255 × 256 is a model's rounding. */
const ASPECT_TOLERANCE = 0.01;

/** Images larger than this are not what a trainer writes: refused before being read. */
const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

export function decodeImageToWav(task: ImageDecodeTask, scratch: PngReadScratch): DecodedImageFile {
  const image = decodeImage(readWhole(task.file), task.file, scratch);
  const recordText = image.texts.get(TEXT_KEYWORD);
  const record = recordText === undefined ? undefined : parseFrameRecord(recordText, task.file);
  let audio: AudioFormat;
  let layout: LayoutName;
  let geometry: Geometry;
  let dataLength: number;
  if (record) {
    ({ audio, layout, geometry } = record);
    checkShape(task.file, image, geometry);
    dataLength = Math.max(0, Math.min(record.bytesPerFrame, record.dataLength - record.frame * record.bytesPerFrame));
  } else {
    const given = task.parameters;
    if (!given) throw new ResonanceError('NO_METADATA', task.file, 'carries no Resonance metadata: give the audio format (or --like a dataset) to decode it');
    ({ audio, layout } = given);
    geometry = given.geometry ?? ownGeometry(task.file, image, given.expansion ?? 1);
    checkShape(task.file, image, geometry);
    const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), audio);
    dataLength = Math.min(bytesPerFrame, given.clipBytes ?? bytesPerFrame);
  }
  if (!isInterpreted(audio))
    throw new ResonanceError('WAV_UNSUPPORTED', task.file, 'holds audio whose samples Resonance does not interpret: decode its frames folder instead');
  const grid = gridOf(geometry);
  const blockSide = Math.max(1, Math.floor(Math.min(image.width / grid.columns, image.height / grid.rows)));
  const pixels = reduceToGrid(image.rgb, image.width, image.height, grid, task.reducer ?? defaultReducer(blockSide), memcmpComparer);
  const unchanged = record ? sha256Hex(pixels) === record.sha256 : undefined;
  const { header, trailer } = canonicalContainer(audio, dataLength);
  const wav = Buffer.allocUnsafe(header.length + dataLength + trailer.length);
  header.copy(wav, 0);
  const data = wav.subarray(header.length, header.length + dataLength);
  data.set(layoutOf(layout).unpack(pixels, grid, audio).subarray(0, dataLength));
  trailer.copy(wav, header.length + dataLength);
  const safety: SafetyCounts = { clipped: 0, replaced: 0 };
  if (!task.raw && !unchanged) makeFloatsSafe(data, audio.sampleFormat, safety);
  writeWholeFileSync(task.output, wav, task.replace);
  return {
    file: task.file,
    output: task.output,
    kind: image.kind,
    width: image.width,
    height: image.height,
    metadata: record ? 'image' : 'given',
    audio,
    layout,
    geometry,
    unchanged,
    dataLength,
    safety,
  };
}

/** The geometry of an image read by its own size: its side must be whole blocks. */
function ownGeometry(file: string, image: { width: number; height: number }, expansion: number): Geometry {
  const geometry = { width: image.width, height: image.height, expansion };
  const problem = geometryProblem(geometry);
  if (problem) throw new ResonanceError('GEOMETRY_INVALID', file, `cannot be read at expansion ${expansion}: ${problem}`);
  return geometry;
}

/** An image of another size than the frames is read by their grid only when it has their shape. */
function checkShape(file: string, image: { width: number; height: number }, geometry: Geometry): void {
  if (image.width === geometry.width && image.height === geometry.height) return;
  const asked = geometry.width / geometry.height;
  if (Math.abs(image.width / image.height - asked) / asked > ASPECT_TOLERANCE) {
    throw new ResonanceError(
      'IMAGE_SIZE_MISMATCH',
      file,
      `is ${image.width} × ${image.height}, another shape than the ${geometry.width} × ${geometry.height} frames it is decoded as: it cannot be ` +
        `rescaled to them`,
    );
  }
}

function readWhole(file: string): Buffer {
  const { fd, size } = openRegularFileSync(file, 'an image');
  try {
    if (size > MAX_IMAGE_FILE_BYTES)
      throw new ResonanceError('LIMIT_EXCEEDED', file, `is ${size} bytes, larger than the ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MiB image files Resonance reads`);
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) throw new ResonanceError('FILE_CHANGED', file, 'shrank while it was being read');
      done += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}
