/**
 * What the frames editor shows when a folder or a WAV cannot be shown or played: the codec's
 * one-line message and what to do next. No `vscode` import, so it is unit-tested.
 */
import { describeAudioFormat, toResonanceError, type ErrorCode, type StreamInfo } from '../codec';
import type { EditorProblem } from '../shared/protocol';
import { t } from './l10n';

/** The Settings editor query of the settings for frames without metadata. */
const ASSUME_SETTINGS_QUERY = 'resonance.assume';
export const GEOMETRY_SETTINGS_QUERY = 'resonance.width resonance.height resonance.pixelExpansion';

interface Advice {
  /** A function, so that the message is looked up once the bundle is loaded (at activation), not when the module is. */
  advice: () => string;
  actions: EditorProblem['actions'];
  settingsQuery?: string;
}

const REPAIR_MANIFEST: Advice = {
  advice: () => t('Open resonance.json as text to repair it, or encode the WAV again, then reload.'),
  actions: ['openManifestAsText', 'reload'],
};
const CHANGE_GEOMETRY: Advice = {
  advice: () => t('Change the frame width, height or pixel expansion in the settings; the editor follows the settings.'),
  actions: ['openSettings'],
  settingsQuery: GEOMETRY_SETTINGS_QUERY,
};
const CONVERT_WAV: Advice = {
  advice: () => t('Resonance reads uncompressed WAV files only: convert this one to PCM or float WAV first (with ffmpeg or SoX).'),
  actions: [],
};

/** What to do next, by the error's code; codes not listed get a generic next step. */
const ADVICE: Partial<Record<ErrorCode, Advice>> = {
  FRAME_MISSING: { advice: () => t('Put the missing frame back (or encode the WAV again to write a complete folder), then reload.'), actions: ['reload'] },
  FRAME_SIZE_MISMATCH: {
    advice: () =>
      t(
        'Every frame must be the size of the first one. Resize or replace the odd frame or encode the WAV again, then reload. The frames can still be browsed.',
      ),
    actions: ['reload'],
  },
  NO_METADATA: {
    advice: () => t('Set the format to assume for frames without metadata (Resonance › Assume: sample rate, channels, sample format), then reload.'),
    actions: ['openSettings', 'reload'],
    settingsQuery: ASSUME_SETTINGS_QUERY,
  },
  NO_FRAMES: { advice: () => t('Open a folder of frames written by Encode to images, or encode a WAV into this folder.'), actions: ['reload'] },
  MANIFEST_NEWER: { advice: () => t('These frames were written by a newer Resonance: update the extension to open them.'), actions: [] },
  MANIFEST_INVALID: REPAIR_MANIFEST,
  MANIFEST_INCONSISTENT: REPAIR_MANIFEST,
  GEOMETRY_INVALID: CHANGE_GEOMETRY,
  FRAME_TOO_SMALL: CHANGE_GEOMETRY,
  WAV_INVALID: CONVERT_WAV,
  WAV_MALFORMED: CONVERT_WAV,
  WAV_TRUNCATED: CONVERT_WAV,
  WAV_UNSUPPORTED: CONVERT_WAV,
  FILE_NOT_FOUND: { advice: () => t('The file was moved or deleted. Close this editor, or reload once it is back.'), actions: ['reload'] },
};

/** An error that already knows what the editor should show (a setting at fault, an unsupported scheme). */
export class EditorProblemError extends Error {
  constructor(readonly problem: EditorProblem) {
    super(problem.message);
    this.name = 'EditorProblemError';
  }
}

export function problemFor(error: unknown): EditorProblem {
  if (error instanceof EditorProblemError) return error.problem;
  const { code, message } = toResonanceError(error);
  const match = ADVICE[code];
  if (!match) return { code, message, advice: t('Check the file named above, then reload.'), actions: ['reload'] };
  return { code, message, advice: match.advice(), actions: match.actions, ...(match.settingsQuery ? { settingsQuery: match.settingsQuery } : {}) };
}

/** The editor works on local files; other schemes would need a copy of the whole folder first. */
export function unsupportedScheme(uri: string): EditorProblem {
  return {
    code: 'UNSUPPORTED_LOCATION',
    message: t("{0}: the frames editor opens files on this machine's file system only", uri),
    advice: t('Use Decode folder to WAV, which copies the folder first, or open the folder from a local or remote workspace.'),
    actions: [],
  };
}

/** Frames with no metadata open with the format the settings assume: say so, and where to change it. */
export function assumedFormatNotice(folder: string, stream: StreamInfo): EditorProblem {
  return {
    code: 'NO_METADATA',
    message: t(
      '{0}: has no resonance.json and its frames carry no Resonance metadata, so the audio is read as {1} at expansion {2}, as the settings assume',
      folder,
      describeAudioFormat(stream.audio),
      stream.geometry.expansion,
    ),
    advice: t('If it sounds wrong, set the sample rate, channels, sample format and pixel expansion the frames were made with.'),
    actions: ['openSettings'],
    settingsQuery: ASSUME_SETTINGS_QUERY,
  };
}
