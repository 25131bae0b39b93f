/**
 * The samples gallery and the dataset browser in VS Code: one editor tab on a GalleryDocument
 * (galleryDocument.ts does the work), its page (dist/gallery.js inline, as the frames editor's) and
 * the answers to its requests. The page may read only the gallery's folder and the decoded clips.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import * as vscode from 'vscode';
import { defaultWavFolder, imagesIn, isFrameFileName, makeAudioFormat, MANIFEST_NAME, ResonanceError, type LayoutName } from '../codec';
import { Disposable, toDisposable } from '../shared/disposable';
import {
  FRAMES_OPEN_WITH_VIEW_TYPE,
  GALLERY_PAGE_SIZE,
  isGalleryRequest,
  type GalleryItem,
  type GalleryOpening,
  type GalleryRequests,
  type GalleryToHostMessage,
  type GalleryView,
  type Settled,
} from '../shared/protocol';
import { COMMAND } from './commandIds';
import { problemFor } from './framesEditorAdvice';
import { framesEditorHtml } from './framesEditorHtml';
import { GalleryDocumentModel, type ChosenParameters, type GallerySource } from './galleryDocument';
import { decodeSettings, SETTINGS_SECTION } from './settings';

/** Which editor a file opens in: a PNG of a folder with a manifest is a sequence, of any other folder a gallery. */
export async function gallerySourceOf(uri: vscode.Uri): Promise<GallerySource | undefined> {
  if (uri.scheme !== 'file') return undefined;
  const path = uri.fsPath;
  if (/(^|[\\/])dataset\.json$/.test(path)) return { kind: 'dataset', file: path };
  if (!/\.(png|jpe?g|webp)$/i.test(path)) return undefined;
  const folder = dirname(path);
  // A frame Resonance named is part of a sequence even where its manifest is missing (Preview frames
  // on a folder whose frames lost their resonance.json shows them as one, reading the format assumed).
  if (isFrameFileName(path.slice(folder.length + 1))) return undefined;
  const manifest = await stat(join(folder, MANIFEST_NAME)).then(
    () => true,
    () => false,
  );
  return manifest ? undefined : { kind: 'samples', folder, startName: path.slice(folder.length + 1) };
}

export class GalleryDocument extends Disposable implements vscode.CustomDocument {
  private model: Promise<GalleryDocumentModel> | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly source: GallerySource,
    private readonly audioFolder: string,
  ) {
    super();
    this.register(
      toDisposable(
        () =>
          void this.model?.then(
            (m) => m.discardAudio(),
            () => undefined,
          ),
      ),
    );
  }

  get folderUri(): vscode.Uri {
    return vscode.Uri.file(this.source.kind === 'samples' ? this.source.folder : dirname(this.source.file));
  }

  load(): Promise<GalleryDocumentModel> {
    this.model ??= mkdir(this.audioFolder, { recursive: true }).then(() =>
      GalleryDocumentModel.open(this.source, this.audioFolder, () => parametersFromSettings(this.uri)),
    );
    this.model.catch(() => (this.model = undefined));
    return this.model;
  }
}

/** The resonance.assume settings, when valid: what a folder without a dataset.json above decodes by until changed in the page. */
function parametersFromSettings(resource: vscode.Uri): ChosenParameters | undefined {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
  const checked = decodeSettings((name) => configuration.get(name));
  if (!checked.ok) return undefined;
  const { sampleFormat, channels, sampleRate, layout, expansion } = checked.settings.assume;
  return {
    parameters: { audio: makeAudioFormat(sampleFormat, channels, sampleRate), layout: layout as LayoutName, expansion },
    from: 'resonance.assume',
    origin: 'settings',
  };
}

export class GallerySession extends Disposable {
  constructor(
    private readonly document: GalleryDocument,
    private readonly panel: vscode.WebviewPanel,
    page: { script: string; style: string },
    audioFolder: vscode.Uri,
  ) {
    super();
    const webview = panel.webview;
    webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [document.folderUri, audioFolder] };
    webview.html = framesEditorHtml({
      cspSource: webview.cspSource,
      ...page,
      title: vscode.l10n.t('Resonance gallery'),
      loadingText: vscode.l10n.t('Loading clips…'),
      language: vscode.env.language,
      ...(vscode.l10n.bundle ? { l10nBundle: vscode.l10n.bundle } : {}),
    });
    this.register(webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    this.register(panel.onDidDispose(() => this.dispose()));
    // Listing the folder or indexing metadata.jsonl starts now, while VS Code writes the page into the
    // webview (most of a second, measured in the frames editor), and what the page shows first goes
    // in a message VS Code holds until the page has loaded: no round trip for the view, the first
    // page or its thumbnails (the page asks too, since a page rebuilt later gets no message).
    void settle(this.opening()).then((body) => {
      if (!this.isDisposed) void this.panel.webview.postMessage({ kind: 'event', name: 'galleryOpened', body });
    });
  }

  private async opening(): Promise<GalleryOpening> {
    const model = await this.document.load();
    const offset = Math.floor(model.startIndex / GALLERY_PAGE_SIZE) * GALLERY_PAGE_SIZE;
    const page = await model.page(offset, GALLERY_PAGE_SIZE, '');
    const first = page.items.slice(model.startIndex - offset, model.startIndex - offset + FIRST_SCREEN_CLIPS);
    return { view: this.viewOf(model), page: { offset, ...page }, thumbnails: await thumbnailsOf(model, first) };
  }

  private async receive(message: unknown): Promise<void> {
    if (!isGalleryRequest(message)) return;
    const settled = await settle(this.answer(message));
    if (!this.isDisposed) void this.panel.webview.postMessage({ kind: 'response', id: message.id, ...settled });
  }

  private async answer(message: GalleryToHostMessage): Promise<GalleryRequests[GalleryToHostMessage['method']]['result']> {
    const model = await this.document.load();
    switch (message.method) {
      case 'galleryOpen':
        return this.viewOf(model);
      case 'galleryIndexed':
        await model.indexed();
        return { clipCount: model.clipCount, sources: [...model.sources] };
      case 'galleryPage':
        return model.page(message.params.offset, message.params.count, message.params.filter);
      case 'clipAudio': {
        const clip = await model.decode(message.params.index);
        return { url: this.panel.webview.asWebviewUri(vscode.Uri.file(clip.path)).toString(), ...clip.audio };
      }
      case 'setParameters':
        await model.setParameters(message.params);
        return this.viewOf(model);
      case 'exportMarked':
        return this.exportMarked(model, message.params.indices);
      case 'problemAction':
        if (message.params.action === 'openManifestAsText') await vscode.commands.executeCommand('vscode.openWith', this.document.uri, 'default');
        else if (message.params.action === 'openSettings') await vscode.commands.executeCommand('workbench.action.openSettings', 'resonance.assume');
        return {};
    }
  }

  private viewOf(model: GalleryDocumentModel): GalleryView {
    const parameters = model.parameters;
    return {
      mode: model.source.kind,
      title: model.title,
      clipCount: model.clipCount,
      baseUrl: `${this.panel.webview.asWebviewUri(vscode.Uri.file(model.folder)).toString()}/`,
      ...(parameters ? { parameters } : {}),
      parametersFrom: parametersFromOf(model),
      indexing: model.indexing,
      ...(model.dataset ? { dataset: model.dataset } : {}),
      sources: [...model.sources],
      startIndex: model.startIndex,
    };
  }

  private async exportMarked(model: GalleryDocumentModel, indices: number[]): Promise<GalleryRequests['exportMarked']['result']> {
    const suggested = vscode.Uri.file(defaultWavFolder(model.folder));
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Export {0} marked clips as WAV into…', indices.length),
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(dirname(suggested.fsPath)),
      openLabel: vscode.l10n.t('Export here'),
    });
    if (!picked?.[0]) return { cancelled: true };
    return exportClips(model, indices, picked[0].fsPath);
  }
}

/** Writes the clips into `folder` (made if missing), replacing none: decodeImages refuses before writing anything. */
async function exportClips(model: GalleryDocumentModel, indices: readonly number[], folder: string): Promise<{ written: number; folder: string }> {
  await mkdir(folder, { recursive: true });
  const result = await model.export(indices, folder);
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} clips to {1}.', result.decoded.length, vscode.workspace.asRelativePath(folder)));
  return { written: result.decoded.length, folder };
}

/** Whence the parameters, the dataset.json's path as the workspace names it. */
function parametersFromOf(model: GalleryDocumentModel): GalleryView['parametersFrom'] {
  const { origin, from, fallback } = model.parametersOrigin;
  const shown = (o: string, f: string | undefined) => (o === 'dataset' && f ? vscode.workspace.asRelativePath(f) : f);
  return {
    origin,
    ...(from !== undefined ? { from: shown(origin, from) } : {}),
    ...(fallback ? { fallback: { origin: fallback.origin, from: shown(fallback.origin, fallback.from) ?? '' } } : {}),
  };
}

/** Thumbnails sent with the opening: about a wide editor's first screen, each image once, within a budget. */
const FIRST_SCREEN_CLIPS = 36;
const THUMBNAIL_BYTES = 256 * 1024;
const OPENING_BYTES = 4 * 1024 * 1024;
const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

async function thumbnailsOf(model: GalleryDocumentModel, items: readonly GalleryItem[]): Promise<GalleryOpening['thumbnails']> {
  const paths = [...new Set(items.map((item) => item.path))].filter((path) => IMAGE_TYPES[extname(path).slice(1).toLowerCase()]);
  // All at once: the index is being read on the same thread, and each await in turn would wait behind a chunk of it.
  const read = await Promise.all(
    paths.map(async (path) => {
      const file = join(model.folder, ...path.split('/').map(decodeURIComponent));
      const size = await stat(file).then(
        (s) => (s.isFile() ? s.size : Infinity),
        () => Infinity,
      );
      // A file too large or unreadable now shows as the page loads it by URL.
      return size > THUMBNAIL_BYTES ? undefined : readFile(file).catch(() => undefined);
    }),
  );
  const thumbnails: GalleryOpening['thumbnails'] = [];
  let total = 0;
  read.forEach((bytes, i) => {
    if (!bytes || total + bytes.length > OPENING_BYTES) return;
    total += bytes.length;
    thumbnails.push({ path: paths[i], bytes: new Uint8Array(bytes), type: IMAGE_TYPES[extname(paths[i]).slice(1).toLowerCase()] });
  });
  return thumbnails;
}

async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { result: await work };
  } catch (error) {
    return { problem: problemFor(error) };
  }
}

/**
 * Not contributed: what the gallery's Export marked as WAV does once a folder is chosen, for the
 * tests and for scripts: `(images folder, image names, destination folder)`.
 */
const EXPORT_SAMPLES_COMMAND = 'resonance.exportSamples';

/** Audition samples on a folder: the gallery, opened on its first image (Open With… on that PNG does the same). */
export function registerGalleryCommands(context: vscode.ExtensionContext): vscode.Disposable {
  const audioFolder = join(context.globalStorageUri.fsPath, 'frames-editor-audio');
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND.auditionSamples, async (clicked?: unknown) => {
      try {
        const folder =
          clicked instanceof vscode.Uri
            ? clicked
            : (
                await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: vscode.l10n.t('Audition the samples of a folder') })
              )?.[0];
        if (!folder) return;
        if (folder.scheme !== 'file') throw new ResonanceError('UNSUPPORTED_LOCATION', folder.toString(), 'is not on a file system of this machine');
        const names = await imagesIn(folder.fsPath);
        if (names.length === 0) throw new ResonanceError('NO_FRAMES', folder.fsPath, 'holds no PNG, JPEG or WebP images');
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.joinPath(folder, names[0]), FRAMES_OPEN_WITH_VIEW_TYPE);
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      }
    }),
    vscode.commands.registerCommand(EXPORT_SAMPLES_COMMAND, async (folder: vscode.Uri, names: string[], destination: vscode.Uri) => {
      await mkdir(audioFolder, { recursive: true });
      const first = vscode.Uri.joinPath(folder, names[0] ?? '');
      const source = await gallerySourceOf(first);
      if (!source) throw new ResonanceError('INTERNAL', folder.fsPath, 'is not a folder of samples');
      const model = await GalleryDocumentModel.open(source, audioFolder, () => parametersFromSettings(folder));
      const all = await model.page(0, model.clipCount, '');
      const indices = names.map((name) => all.items.find((item) => item.name === name)?.index ?? -1);
      if (indices.includes(-1)) throw new ResonanceError('FILE_NOT_FOUND', folder.fsPath, `does not hold ${names[indices.indexOf(-1)]}`);
      return exportClips(model, indices, destination.fsPath);
    }),
  );
}
