/**
 * One open frames document, shared by every editor on it: the loaded source, the decoded audio
 * (decoded once, into the extension's storage, removed when the document closes), and a watcher
 * that reloads when the folder, the WAV or the settings change.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { Progress, Reducer } from '../codec';
import { Disposable, toDisposable } from '../shared/disposable';
import { GEOMETRY_SETTINGS_QUERY, EditorProblemError, unsupportedScheme } from './framesEditorAdvice';
import { decodeSourceAudio, loadSource, sourceOfPath, type DecodedAudio, type LoadedSource, type SourceSettings, type SourceSpec } from './framesEditorSource';
import { decodeSettings, encodeSettings, SETTING, SETTINGS_SECTION, type SettingName } from './settings';
import { parentOf } from './uris';

/** Bursts of file events (a whole folder being written) reload once. */
const RELOAD_DELAY_MS = 300;
/** Audio progress reaches the webview at most this often. */
const PROGRESS_INTERVAL_MS = 100;

export class FramesDocument extends Disposable implements vscode.CustomDocument {
  readonly spec: SourceSpec | undefined;
  private loading: Promise<LoadedSource> | undefined;
  private decoding: { promise: Promise<DecodedAudio>; abort: AbortController; output: string } | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private lastProgress = 0;
  /** Changes whenever the files may have changed, so that webview URLs do not serve stale copies. */
  version = Date.now().toString(36);
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  private readonly progress = this.register(new vscode.EventEmitter<{ framesDone: number; frameCount: number }>());
  readonly onDidChange = this.changed.event;
  readonly onAudioProgress = this.progress.event;

  constructor(
    readonly uri: vscode.Uri,
    private readonly audioFolder: string,
  ) {
    super();
    this.spec = uri.scheme === 'file' ? sourceOfPath(uri.fsPath) : undefined;
    // Disposed after the watchers (the last registered goes first): no reload or decoding outlives the document.
    this.register(toDisposable(() => this.discardAudio()));
    this.register(toDisposable(() => clearTimeout(this.reloadTimer)));
    if (!this.spec) return;
    const spec = this.spec;
    const pattern = spec.kind === 'folder' ? new vscode.RelativePattern(this.folderUri, '*') : new vscode.RelativePattern(parentOf(uri), basename(uri.fsPath));
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(pattern));
    const schedule = () => this.scheduleReload();
    this.register(watcher.onDidCreate(schedule));
    this.register(watcher.onDidChange(schedule));
    this.register(watcher.onDidDelete(schedule));
    this.register(
      vscode.workspace.onDidChangeConfiguration(
        (event) => settingsUsedBy(spec).some((name) => event.affectsConfiguration(`${SETTINGS_SECTION}.${name}`)) && schedule(),
      ),
    );
  }

  /** The folder of frames, or the folder the WAV is in: the webview may read from it. */
  get folderUri(): vscode.Uri {
    return this.spec?.kind === 'folder' ? vscode.Uri.file(this.spec.folder) : parentOf(this.uri);
  }

  load(): Promise<LoadedSource> {
    if (!this.spec) return Promise.reject(new EditorProblemError(unsupportedScheme(this.uri.toString(true))));
    const spec = this.spec;
    this.loading ??= Promise.resolve().then(() => loadSource(spec, readSourceSettings(spec)));
    return this.loading;
  }

  /** The audio to play: decoded once per version of the folder, whichever editor asks first. */
  audio(): Promise<DecodedAudio> {
    if (this.decoding) return this.decoding.promise;
    const abort = new AbortController();
    const output = join(this.audioFolder, `${randomBytes(6).toString('hex')}.wav`);
    const promise = this.load().then((source) =>
      decodeSourceAudio(source, output, {
        ...(this.spec ? readSourceSettings(this.spec) : { assume: {} }),
        signal: abort.signal,
        onProgress: (p) => this.reportProgress(p),
      }),
    );
    this.decoding = { promise, abort, output };
    return promise;
  }

  /** How blocks are read as data pixels, as the settings say now (for the off-grid map). */
  get reducer(): Reducer | undefined {
    return this.spec ? readSourceSettings(this.spec).reducer : undefined;
  }

  /** Forgets what was loaded and decoded and tells the editors to ask again. */
  reload(): void {
    clearTimeout(this.reloadTimer);
    this.loading = undefined;
    this.discardAudio();
    this.version = Date.now().toString(36);
    this.changed.fire();
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.reload(), RELOAD_DELAY_MS);
  }

  private discardAudio(): void {
    const decoding = this.decoding;
    this.decoding = undefined;
    if (!decoding) return;
    decoding.abort.abort();
    // Only a decoded copy in the extension's storage is removed, never a WAV of the user's.
    void decoding.promise.then(
      async (audio) => {
        if (audio.path === decoding.output) await rm(decoding.output, { force: true });
      },
      () => undefined,
    );
  }

  private reportProgress(progress: Progress): void {
    const now = Date.now();
    if (now - this.lastProgress < PROGRESS_INTERVAL_MS && progress.framesDone < progress.frameCount) return;
    this.lastProgress = now;
    this.progress.fire({ framesDone: progress.framesDone, frameCount: progress.frameCount });
  }
}

/** The settings that change what a source shows (see readSourceSettings). */
function settingsUsedBy(spec: SourceSpec): string[] {
  return spec.kind === 'wav' ? [SETTING.width, SETTING.height, SETTING.pixelExpansion, SETTING.layout] : ['assume', SETTING.pixelExpansion, SETTING.reducer];
}

function readSetting(name: SettingName): unknown {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get(name);
}

/** The settings a source uses now: geometry and layout for a WAV; for a folder, what to assume for frames without metadata and how to read blocks. */
function readSourceSettings(spec: SourceSpec): SourceSettings {
  const decode = decodeSettings(readSetting);
  const assume = decode.ok ? decode.settings.assume : {};
  const reducer = decode.ok ? decode.settings.reducer : undefined;
  if (spec.kind === 'folder') return { assume, geometry: {}, ...(reducer ? { reducer } : {}) };
  const encode = encodeSettings(readSetting);
  if (!encode.ok) {
    throw new EditorProblemError({
      code: 'SETTING_INVALID',
      message: encode.problem.message,
      advice: vscode.l10n.t('The editor shows a WAV as the frames the current settings would make: change the settings, and it follows.'),
      actions: ['openSettings'],
      settingsQuery: encode.problem.settingsQuery || GEOMETRY_SETTINGS_QUERY,
    });
  }
  return { assume, geometry: encode.settings.geometry, layout: encode.settings.layout };
}
