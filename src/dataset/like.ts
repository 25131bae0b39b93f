/**
 * The parameters to decode generated images with, taken from what the model was trained on: a
 * dataset (its dataset.json), a frames folder (its resonance.json or its frames' records) or one
 * Resonance PNG. Also the dataset.json an image folder belongs to, found in it or a parent, so
 * that a model's samples saved inside a dataset's tree decode without being told how.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  geometryProblem,
  gridOf,
  isLayoutName,
  isSampleFormat,
  layoutOf,
  makeAudioFormat,
  MANIFEST_NAME,
  parseFrameRecord,
  planFolder,
  readPngHeaderFile,
  ResonanceError,
  TEXT_KEYWORD,
  type ImageParameters,
} from '../codec';
import type { DatasetDescription } from './finish';
import { DATASET_FILE, DATASET_FORMAT, DATASET_VERSION, readJsonFile } from './records';

export interface DecodeSource {
  /** What the parameters were read from. */
  kind: 'dataset' | 'frames' | 'image';
  /** The file they were read from: DATASET/dataset.json, FOLDER/resonance.json, the PNG. */
  file: string;
  parameters: ImageParameters;
}

/** The parameters of `source`: a dataset folder or its dataset.json, a frames folder, or a Resonance PNG. */
export async function parametersLike(source: string): Promise<DecodeSource> {
  const stats = await stat(source).catch(() => {
    throw new ResonanceError('FILE_NOT_FOUND', source, 'does not exist: --like takes a dataset, a frames folder or a Resonance PNG');
  });
  if (stats.isDirectory()) {
    const datasetFile = join(source, DATASET_FILE);
    if (await isFile(datasetFile)) return datasetParameters(datasetFile);
    const plan = await planFolder(source);
    const { audio, layout, geometry, bytesPerFrame } = plan.stream;
    return {
      kind: 'frames',
      file: plan.metadata === 'manifest' ? join(source, MANIFEST_NAME) : join(source, plan.frames.nameOf(0)),
      parameters: { audio, layout, geometry, clipBytes: bytesPerFrame },
    };
  }
  if (basename(source) === DATASET_FILE) return datasetParameters(source);
  const header = await readPngHeaderFile(source);
  const text = header.texts.get(TEXT_KEYWORD);
  if (text === undefined) throw new ResonanceError('NO_METADATA', source, 'carries no Resonance metadata, so it cannot say how to decode other images');
  const { audio, layout, geometry, bytesPerFrame } = parseFrameRecord(text, source);
  return { kind: 'image', file: source, parameters: { audio, layout, geometry, clipBytes: bytesPerFrame } };
}

/** The dataset.json in `path`'s folder (or in `path`, a folder) or the nearest parent that has one. */
export async function datasetAbove(path: string): Promise<DecodeSource | undefined> {
  let folder = resolve(path);
  if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) folder = dirname(folder);
  for (;;) {
    const candidate = join(folder, DATASET_FILE);
    // Named as the user would: relative to where they are, when it is below.
    const shown = relative(process.cwd(), candidate);
    if (await isFile(candidate)) return datasetParameters(shown.startsWith('..') || isAbsolute(shown) ? candidate : shown);
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** A dataset.json's decode parameters, each field checked: it may have been edited by hand. */
export async function datasetParameters(file: string): Promise<DecodeSource> {
  const description = await readJsonFile<Partial<DatasetDescription>>(file, 'dataset.json');
  const bad = (what: string) => new ResonanceError('MANIFEST_INVALID', file, `is not a dataset.json Resonance can decode by: ${what}`);
  if (!description || typeof description !== 'object' || description.format !== DATASET_FORMAT)
    throw new ResonanceError('NOT_A_DATASET', file, 'is not a Resonance dataset.json');
  if (typeof description.version !== 'number' || description.version > DATASET_VERSION) {
    throw new ResonanceError('MANIFEST_NEWER', file, `is of dataset version ${String(description.version)}; this Resonance reads up to ${DATASET_VERSION}`);
  }
  const { audio, geometry, layout, clip } = description;
  if (!audio || !isSampleFormat(audio.sampleFormat)) throw bad('"audio.sampleFormat" is not a sample format Resonance writes');
  for (const [name, value, max] of [['channels', audio.channels, 0xffff], ['sampleRate', audio.sampleRate, 0xffffffff]] as const) {
    if (!Number.isSafeInteger(value) || value < 1 || value > max) throw bad(`"audio.${name}" must be a whole number from 1 to ${max}`);
  }
  if (!geometry || typeof geometry !== 'object') throw bad('"geometry" is missing');
  const problem = geometryProblem(geometry);
  if (problem) throw bad(`"geometry": ${problem}`);
  if (!isLayoutName(layout)) throw bad('"layout" must be bytes or planes');
  const format = makeAudioFormat(audio.sampleFormat, audio.channels, audio.sampleRate);
  const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), format);
  const clipBytes = clip?.bytes;
  if (clipBytes !== undefined && (!Number.isSafeInteger(clipBytes) || clipBytes < 1 || clipBytes > bytesPerFrame || clipBytes % format.blockAlign !== 0)) {
    throw bad(`"clip.bytes" must be whole sample frames, at most the ${bytesPerFrame} bytes an image holds`);
  }
  return {
    kind: 'dataset',
    file,
    parameters: {
      audio: format,
      layout,
      geometry: { width: geometry.width, height: geometry.height, expansion: geometry.expansion },
      clipBytes: clipBytes ?? bytesPerFrame,
    },
  };
}
