/**
 * Images to WAVs, one each: a model's samples (`sample_000.png`, …), each an independent clip,
 * decoded on every core. An image that cannot be decoded is listed with its reason and the others
 * go on (unless `strict`); a failure to write an output stops the job, since the next would fail
 * alike. Each WAV appears whole under its name or not at all, and none replaces a file unless
 * `overwrite`, which is checked for every output before any work.
 */
import { lstat, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { CancelledError, ResonanceError, throwIfAborted, type ErrorCode } from '../format/errors';
import { naturalOrder } from '../format/frameNames';
import { LIMITS } from '../format/limits';
import type { Reducer } from '../format/reduce';
import type { SafetyCounts } from '../format/sampleValues';
import { entryBatches } from '../files/folderEntries';
import { replaceProblem } from '../files/outputTargets';
import { toResonanceError } from '../files/systemErrors';
import { framePoolFor } from './framePool';
import type { DecodedImageFile, ImageParameters } from './imageDecode';
import { runInOrder, type JobOptions } from './job';
import { removeStalePartialsIn } from './output';

export interface ImageToWav {
  input: string;
  output: string;
}

export interface DecodeImagesOptions extends Omit<JobOptions, 'output'> {
  /** For images without Resonance metadata. */
  parameters?: ImageParameters;
  reducer?: Reducer;
  raw?: boolean;
  /** Stop at the first image that cannot be decoded instead of listing it. */
  strict?: boolean;
}

export interface ImageFailure {
  file: string;
  code: ErrorCode;
  message: string;
}

export interface DecodeImagesResult {
  decoded: DecodedImageFile[];
  failed: ImageFailure[];
  /** What making floats safe changed, over all images. */
  safety: SafetyCounts;
  dataLength: number;
}

/** The image files Resonance reads, told by their names; their contents are checked when read. */
const IMAGE_NAME = /\.(png|jpe?g|webp)$/i;

/** The images of `folder` (not hidden) in natural order (`sample_2` before `sample_10`), as frames are sorted. */
export async function imagesIn(folder: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const batch of entryBatches(folder)) {
      for (const entry of batch) {
        if (entry.name.startsWith('.') || !IMAGE_NAME.test(entry.name) || entry.isDirectory()) continue;
        if (names.length >= LIMITS.namedFrames)
          throw new ResonanceError('LIMIT_EXCEEDED', folder, `holds more than ${LIMITS.namedFrames} images: the most Resonance decodes in one call`);
        names.push(entry.name);
      }
    }
  } catch (error) {
    throw toResonanceError(error, folder);
  }
  return names.sort(naturalOrder);
}

/**
 * Where each image's WAV goes in `outFolder`: `NAME.wav`, or `NAME.EXT.wav` for every image that
 * shares its name with another (`a.png` and `a.jpg`), so that no two images write one file.
 */
export function wavNamesFor(imageNames: readonly string[]): string[] {
  const stem = (name: string) => basename(name, extname(name)).toLowerCase();
  const counts = new Map<string, number>();
  for (const name of imageNames) counts.set(stem(name), (counts.get(stem(name)) ?? 0) + 1);
  return imageNames.map((name) => (counts.get(stem(name))! > 1 ? `${name}.wav` : `${basename(name, extname(name))}.wav`));
}

/** Where one image's WAV goes by default: beside it, `NAME.wav`. */
export function defaultImageWavPath(image: string): string {
  return join(dirname(image), `${basename(image, extname(image))}.wav`);
}

/** Where a folder's images decoded each to a WAV go by default: `DIR_wav/` beside it. */
export function defaultWavFolder(folder: string): string {
  return `${folder.replace(/[\\/]+$/, '') || folder}_wav`;
}

/** Bytes of image a worker holds at most, for sizing the pool when the images' size is not known. */
const TYPICAL_IMAGE_BYTES = 512 * 512 * 3;

export async function decodeImages(images: readonly ImageToWav[], options: DecodeImagesOptions = {}): Promise<DecodeImagesResult> {
  throwIfAborted(options.signal);
  const overwrite = options.overwrite ?? false;
  await checkOutputs(images, overwrite);
  for (const folder of new Set(images.map((image) => dirname(image.output)))) await removeStalePartialsIn(folder);
  const geometry = options.parameters?.geometry;
  const imageBytes = geometry ? geometry.width * geometry.height * 3 : TYPICAL_IMAGE_BYTES;
  const pool = framePoolFor(images.length, imageBytes, options.workers);
  const result: DecodeImagesResult = { decoded: [], failed: [], safety: { clipped: 0, replaced: 0 }, dataLength: 0 };
  try {
    await runInOrder(
      images.length,
      2 * Math.max(1, pool.size),
      async (index): Promise<DecodedImageFile | ImageFailure> => {
        const { input, output } = images[index];
        const task = { file: input, output, parameters: options.parameters, reducer: options.reducer, raw: options.raw, replace: overwrite };
        try {
          const answer = await pool.run({ kind: 'image', task });
          if (answer.kind !== 'image') throw new Error('frame pool answered an image job with another result');
          return answer.image;
        } catch (error) {
          const coded = error instanceof ResonanceError ? error : toResonanceError(error, input);
          // The image's own fault is listed; the output's (a full disk, a name taken) ends the job.
          if (options.strict || coded instanceof CancelledError || coded.file !== input || coded.code === 'INTERNAL') throw coded;
          return { file: input, code: coded.code, message: coded.message };
        }
      },
      (outcome, index) => {
        if ('code' in outcome) result.failed.push(outcome);
        else {
          result.decoded.push(outcome);
          result.dataLength += outcome.dataLength;
          result.safety.clipped += outcome.safety.clipped;
          result.safety.replaced += outcome.safety.replaced;
        }
        options.onProgress?.({ framesDone: index + 1, frameCount: images.length, bytesDone: result.dataLength, bytesTotal: 0 });
      },
      options.signal,
    );
    throwIfAborted(options.signal);
  } finally {
    await pool.close();
  }
  return result;
}

/** Every output must be free, or (with `overwrite`) a file Resonance may replace: before any work. */
async function checkOutputs(images: readonly ImageToWav[], overwrite: boolean): Promise<void> {
  for (const folder of new Set(images.map((image) => dirname(image.output)))) {
    const stats = await stat(folder).catch(() => undefined);
    if (!stats?.isDirectory()) throw new ResonanceError('OUTPUT_FOLDER_MISSING', folder, 'does not exist: it is where the WAV files were to go');
  }
  const seen = new Set<string>();
  for (const { input, output } of images) {
    if (seen.has(output)) throw new ResonanceError('INTERNAL', output, 'was planned as the output of two images');
    seen.add(output);
    const present = await lstat(output).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw toResonanceError(error, output);
      },
    );
    if (!present) continue;
    if (!overwrite) throw new ResonanceError('OUTPUT_EXISTS', output, 'already exists');
    const problem = await replaceProblem(output, 'file', [input]);
    if (problem) throw new ResonanceError('OUTPUT_PROTECTED', output, problem);
  }
}

