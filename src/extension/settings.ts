/**
 * The extension's settings, read through a plain getter and checked here, without `vscode`: VS Code
 * checks `minimum`/`maximum` only in the settings editor, so a settings.json may still hold 50.5,
 * "768" or a width that is not a multiple of the expansion. Each command checks only what it uses.
 */
import {
  COMPRESSIONS,
  framePixelsProblem,
  GEOMETRY_LIMITS,
  geometryProblem,
  isCompression,
  isLayoutName,
  isReducer,
  isSampleFormat,
  LAYOUT_NAMES,
  REDUCERS,
  SAMPLE_FORMATS,
  type Compression,
  type Geometry,
  type LayoutName,
  type Reducer,
  type SampleFormat,
} from '../codec';
import { t } from './l10n';

export const SETTINGS_SECTION = 'resonance';

/** Setting names under the `resonance` section, as contributed in package.json. */
export const SETTING = {
  width: 'width',
  height: 'height',
  pixelExpansion: 'pixelExpansion',
  compression: 'compression',
  layout: 'layout',
  reducer: 'reducer',
  outputFolder: 'outputFolder',
  ifOutputExists: 'ifOutputExists',
  assumeSampleRate: 'assume.sampleRate',
  assumeChannels: 'assume.channels',
  assumeSampleFormat: 'assume.sampleFormat',
  assumeLayout: 'assume.layout',
  datasetSize: 'dataset.size',
  datasetExpansion: 'dataset.expansion',
  datasetLayout: 'dataset.layout',
  datasetSampleFormat: 'dataset.sampleFormat',
  datasetSampleRate: 'dataset.sampleRate',
  datasetChannels: 'dataset.channels',
  datasetTail: 'dataset.tail',
  datasetValidation: 'dataset.validation',
  samplesRaw: 'samples.raw',
} as const;

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

const OUTPUT_POLICIES = ['ask', 'overwrite', 'newName'] as const;
export type OutputPolicy = (typeof OUTPUT_POLICIES)[number];

/** `auto` leaves the choice to the codec: center for expansions of 3 and more, mean below. */
const REDUCER_CHOICES = ['auto', ...REDUCERS] as const;

/** Limits for the assumed format; the sample rate bound is the WAV header's 32-bit field. */
const ASSUME_LIMITS = { maxSampleRate: 0xffffffff, maxChannels: 65535 } as const;

export interface OutputSettings {
  /** Empty: beside the input. Otherwise a folder, relative to the input's workspace folder. */
  outputFolder: string;
  ifOutputExists: OutputPolicy;
}

export interface EncodeSettings extends OutputSettings {
  geometry: Geometry;
  compression: Compression;
  layout: LayoutName;
}

export interface DecodeSettings extends OutputSettings {
  /** For frames with no manifest and no metadata of their own. */
  assume: { sampleRate: number; channels: number; sampleFormat: SampleFormat; expansion: number; layout: LayoutName };
  /** How blocks are read back; absent for `auto`, the codec's default for the frames' expansion. */
  reducer?: Reducer;
}

/** `auto` (or 0 for the numbers): the corpus's own, when all its files agree. */
const DATASET_SAMPLE_FORMATS = ['auto', ...SAMPLE_FORMATS] as const;
const DATASET_TAILS = ['pad', 'drop'] as const;

export interface DatasetSettings extends OutputSettings {
  /** Square images: diffusion trainers resize everything to one square resolution. */
  size: number;
  expansion: number;
  layout: LayoutName;
  compression: Compression;
  /** The target audio; what is missing is the corpus's own. */
  audio: { sampleFormat?: SampleFormat; sampleRate?: number; channels?: number };
  tail: (typeof DATASET_TAILS)[number];
  /** The fraction of the source files held out for validation, from 0 up to (not including) 1. */
  validation: number;
}

/** Settings that cannot be used: the message says why. */
export interface SettingProblem {
  message: string;
  /** The full ids of the settings at fault, e.g. `resonance.width`. */
  settings: string[];
  /** What to search for in the Settings editor to show them: the id of one, all Resonance settings for several. */
  settingsQuery: string;
}

/** The Settings editor's search for every setting of this extension (publisher.name from package.json). */
const ALL_SETTINGS_QUERY = '@ext:resonance.resonance';

export type Checked<T> = { ok: true; settings: T } | { ok: false; problem: SettingProblem };

/** Reads one setting by its name under the section; unset settings give their contributed default. */
export type SettingReader = (name: SettingName) => unknown;

export function encodeSettings(read: SettingReader): Checked<EncodeSettings> {
  try {
    const geometry: Geometry = {
      width: integerSetting(read, SETTING.width, 1, GEOMETRY_LIMITS.maxSide),
      height: integerSetting(read, SETTING.height, 1, GEOMETRY_LIMITS.maxSide),
      expansion: integerSetting(read, SETTING.pixelExpansion, 1, GEOMETRY_LIMITS.maxExpansion),
    };
    const problem = geometryProblem(geometry) ?? framePixelsProblem(geometry.width, geometry.height);
    if (problem) {
      // The ranges passed above, so what is left is the multiples rule or the frame's area, which span several settings.
      throw new SettingError(
        t('Resonance cannot encode with these settings: {0}. Change resonance.width, resonance.height or resonance.pixelExpansion.', problem),
        SETTING.width,
        SETTING.height,
        SETTING.pixelExpansion,
      );
    }
    const compression = read(SETTING.compression);
    if (!isCompression(compression))
      throw new SettingError(t('{0} must be one of {1}, not {2}.', 'resonance.compression', COMPRESSIONS.join(', '), show(compression)), SETTING.compression);
    const layout = layoutSetting(read, SETTING.layout);
    return { ok: true, settings: { geometry, compression, layout, ...outputSettings(read) } };
  } catch (error) {
    return failed(error);
  }
}

export function decodeSettings(read: SettingReader): Checked<DecodeSettings> {
  try {
    const sampleFormat = read(SETTING.assumeSampleFormat);
    if (!isSampleFormat(sampleFormat)) {
      throw new SettingError(
        t('{0} must be one of {1}, not {2}.', 'resonance.assume.sampleFormat', SAMPLE_FORMATS.join(', '), show(sampleFormat)),
        SETTING.assumeSampleFormat,
      );
    }
    const assume = {
      sampleRate: integerSetting(read, SETTING.assumeSampleRate, 1, ASSUME_LIMITS.maxSampleRate),
      channels: integerSetting(read, SETTING.assumeChannels, 1, ASSUME_LIMITS.maxChannels),
      sampleFormat,
      expansion: integerSetting(read, SETTING.pixelExpansion, 1, GEOMETRY_LIMITS.maxExpansion),
      layout: layoutSetting(read, SETTING.assumeLayout),
    };
    const reducer = read(SETTING.reducer);
    if (reducer !== 'auto' && !isReducer(reducer)) {
      throw new SettingError(t('{0} must be one of {1}, not {2}.', 'resonance.reducer', REDUCER_CHOICES.join(', '), show(reducer)), SETTING.reducer);
    }
    return { ok: true, settings: { assume, ...(reducer === 'auto' ? {} : { reducer }), ...outputSettings(read) } };
  } catch (error) {
    return failed(error);
  }
}

export function datasetSettings(read: SettingReader): Checked<DatasetSettings> {
  try {
    const size = integerSetting(read, SETTING.datasetSize, 1, GEOMETRY_LIMITS.maxSide);
    const expansion = integerSetting(read, SETTING.datasetExpansion, 1, GEOMETRY_LIMITS.maxExpansion);
    const problem = geometryProblem({ width: size, height: size, expansion }) ?? framePixelsProblem(size, size);
    if (problem) {
      throw new SettingError(
        t('Resonance cannot build a dataset with these settings: {0}. Change resonance.dataset.size or resonance.dataset.expansion.', problem),
        SETTING.datasetSize,
        SETTING.datasetExpansion,
      );
    }
    const sampleFormat = read(SETTING.datasetSampleFormat);
    if (sampleFormat !== 'auto' && !isSampleFormat(sampleFormat)) {
      throw new SettingError(
        t('{0} must be one of {1}, not {2}.', 'resonance.dataset.sampleFormat', DATASET_SAMPLE_FORMATS.join(', '), show(sampleFormat)),
        SETTING.datasetSampleFormat,
      );
    }
    const sampleRate = integerSetting(read, SETTING.datasetSampleRate, 0, ASSUME_LIMITS.maxSampleRate);
    const channels = integerSetting(read, SETTING.datasetChannels, 0, ASSUME_LIMITS.maxChannels);
    const tail = read(SETTING.datasetTail);
    if (!(DATASET_TAILS as readonly unknown[]).includes(tail))
      throw new SettingError(t('{0} must be one of {1}, not {2}.', 'resonance.dataset.tail', DATASET_TAILS.join(', '), show(tail)), SETTING.datasetTail);
    const validation = read(SETTING.datasetValidation);
    if (typeof validation !== 'number' || !(validation >= 0 && validation < 1)) {
      throw new SettingError(
        t('{0} must be a fraction from 0 up to (not including) 1, not {1}.', 'resonance.dataset.validation', show(validation)),
        SETTING.datasetValidation,
      );
    }
    const compression = read(SETTING.compression);
    if (!isCompression(compression))
      throw new SettingError(t('{0} must be one of {1}, not {2}.', 'resonance.compression', COMPRESSIONS.join(', '), show(compression)), SETTING.compression);
    const audio = {
      ...(sampleFormat === 'auto' ? {} : { sampleFormat }),
      ...(sampleRate === 0 ? {} : { sampleRate }),
      ...(channels === 0 ? {} : { channels }),
    };
    return {
      ok: true,
      settings: {
        size,
        expansion,
        layout: layoutSetting(read, SETTING.datasetLayout),
        compression,
        audio,
        tail: tail as DatasetSettings['tail'],
        validation,
        ...outputSettings(read),
      },
    };
  } catch (error) {
    return failed(error);
  }
}

/** How a model's samples are decoded: `raw` writes exactly what the pixels say. */
export function samplesSettings(read: SettingReader): Checked<{ raw: boolean }> {
  const raw = read(SETTING.samplesRaw);
  if (typeof raw !== 'boolean')
    return failed(new SettingError(t('{0} must be true or false, not {1}.', 'resonance.samples.raw', show(raw)), SETTING.samplesRaw));
  return { ok: true, settings: { raw } };
}

function outputSettings(read: SettingReader): OutputSettings {
  const outputFolder = read(SETTING.outputFolder) ?? '';
  if (typeof outputFolder !== 'string')
    throw new SettingError(t('{0} must be a path, not {1}.', 'resonance.outputFolder', show(outputFolder)), SETTING.outputFolder);
  const ifOutputExists = read(SETTING.ifOutputExists);
  if (!(OUTPUT_POLICIES as readonly unknown[]).includes(ifOutputExists)) {
    throw new SettingError(
      t('{0} must be one of {1}, not {2}.', 'resonance.ifOutputExists', OUTPUT_POLICIES.join(', '), show(ifOutputExists)),
      SETTING.ifOutputExists,
    );
  }
  return { outputFolder: outputFolder.trim(), ifOutputExists: ifOutputExists as OutputPolicy };
}

function layoutSetting(read: SettingReader, name: typeof SETTING.layout | typeof SETTING.assumeLayout | typeof SETTING.datasetLayout): LayoutName {
  const value = read(name);
  if (!isLayoutName(value)) throw new SettingError(t('{0} must be one of {1}, not {2}.', `resonance.${name}`, LAYOUT_NAMES.join(', '), show(value)), name);
  return value;
}

function integerSetting(read: SettingReader, name: SettingName, min: number, max: number): number {
  const value = read(name);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SettingError(t('{0} must be a whole number from {1} to {2}, not {3}.', `resonance.${name}`, min, max, show(value)), name);
  }
  return value;
}

class SettingError extends Error {
  readonly settings: SettingName[];
  constructor(message: string, ...settings: SettingName[]) {
    super(message);
    this.settings = settings;
  }
}

function failed(error: unknown): { ok: false; problem: SettingProblem } {
  if (error instanceof SettingError) {
    const settings = error.settings.map((name) => `${SETTINGS_SECTION}.${name}`);
    return { ok: false, problem: { message: error.message, settings, settingsQuery: settings.length === 1 ? settings[0] : ALL_SETTINGS_QUERY } };
  }
  throw error;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
