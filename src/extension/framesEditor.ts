/**
 * The frames editor (`resonance.frames`): a read-only custom editor on a frames folder's
 * `resonance.json` (its default editor), on any PNG of a folder and on a WAV (both through Open
 * With…, as `resonance.framesOpenWith`). This side sends the webview the document as the editor
 * opens and answers its requests, through the shared protocol.
 *
 * No retainContextWhenHidden: a hidden editor's webview is dropped and rebuilt when shown again, its
 * frame, zoom and playback position restored from getState. Playback stops while hidden, which is
 * what a hidden media preview should do, and no decoded frames sit in memory for hidden tabs.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { MANIFEST_NAME } from '../codec';
import { Disposable } from '../shared/disposable';
import {
  DATASET_VIEW_TYPE,
  FRAMES_OPEN_WITH_VIEW_TYPE,
  FRAMES_VIEW_TYPE,
  isRequestMessage,
  PALETTE_ACTIONS,
  SEQUENCE_EDITOR_ACTIVE,
  type PaletteAction,
  type EditorCommand,
  type FramesDocumentView,
  type ProblemAction,
  type Requests,
  type RequestMethod,
  type Settled,
  type ToHostMessage,
  type ToWebviewMessage,
} from '../shared/protocol';
import { COMMAND } from './commandIds';
import { assumedFormatNotice, problemFor } from './framesEditorAdvice';
import { FramesDocument } from './framesEditorDocument';
import { framesEditorHtml } from './framesEditorHtml';
import { GalleryDocument, GallerySession, gallerySourceOf } from './gallerySession';
import { offGridOfSource, renderSourceFrame, startImageOf, type LoadedSource } from './framesEditorSource';

/** Decoded audio older than this, left by a window that closed without cleaning up, is removed. */
const STALE_AUDIO_MS = 24 * 60 * 60 * 1000;

/** Registers the editor under both view types; disposing the result unregisters them. */
export function registerFramesEditor(context: vscode.ExtensionContext): vscode.Disposable {
  const storage = context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : join(tmpdir(), 'resonance-storage');
  const audioFolder = join(storage, 'frames-editor-audio');
  void removeStaleAudio(audioFolder);
  const provider = new FramesEditorProvider(context.extensionUri.fsPath, audioFolder);
  const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
  const actions = (Object.keys(PALETTE_ACTIONS) as PaletteAction[]).map((action) =>
    vscode.commands.registerCommand(PALETTE_ACTIONS[action], () => provider.active?.runAction(action)),
  );
  return vscode.Disposable.from(
    ...actions,
    vscode.window.registerCustomEditorProvider(FRAMES_VIEW_TYPE, provider, options),
    vscode.window.registerCustomEditorProvider(FRAMES_OPEN_WITH_VIEW_TYPE, provider, options),
    vscode.window.registerCustomEditorProvider(DATASET_VIEW_TYPE, provider, options),
  );
}

class FramesEditorProvider implements vscode.CustomReadonlyEditorProvider<FramesDocument | GalleryDocument> {
  /** The page's script and stylesheet, read once: every editor's page carries them inline. */
  private pageFiles: Promise<PageFiles> | undefined;
  private galleryPageFiles: Promise<PageFiles> | undefined;
  /** The sequence editor that is the active editor, which the palette's editor commands act on. */
  private activeSession: FramesEditorSession | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly audioFolder: string,
  ) {}

  async openCustomDocument(uri: vscode.Uri): Promise<FramesDocument | GalleryDocument> {
    await mkdir(this.audioFolder, { recursive: true });
    // A dataset.json, or an image of a folder without a manifest (a model's samples): a gallery.
    const gallery = await gallerySourceOf(uri);
    if (gallery) return new GalleryDocument(uri, gallery, this.audioFolder);
    const document = new FramesDocument(uri, this.audioFolder);
    // Read while VS Code makes the editor's webview, so that the document is ready when its page is;
    // a failure is shown by the page, which asks for the same load.
    document.load().catch(() => undefined);
    return document;
  }

  async resolveCustomEditor(document: FramesDocument | GalleryDocument, panel: vscode.WebviewPanel): Promise<void> {
    if (document instanceof GalleryDocument) {
      this.galleryPageFiles ??= readPageFiles(this.extensionPath, 'gallery').catch((error: unknown) => {
        this.galleryPageFiles = undefined;
        throw error;
      });
      new GallerySession(document, panel, await this.galleryPageFiles, vscode.Uri.file(this.audioFolder));
      return;
    }
    this.pageFiles ??= readPageFiles(this.extensionPath, 'webview').catch((error: unknown) => {
      this.pageFiles = undefined; // read again by the next editor
      throw error;
    });
    new FramesEditorSession(document, panel, await this.pageFiles, vscode.Uri.file(this.audioFolder), (session, active) => {
      if (active) this.setActive(session);
      else if (this.activeSession === session) this.setActive(undefined);
    });
  }

  get active(): FramesEditorSession | undefined {
    return this.activeSession;
  }

  private setActive(session: FramesEditorSession | undefined): void {
    if (session === this.activeSession) return;
    this.activeSession = session;
    void vscode.commands.executeCommand('setContext', SEQUENCE_EDITOR_ACTIVE, session !== undefined);
  }
}

interface PageFiles {
  script: string;
  workerScript: string;
  style: string;
}

async function readPageFiles(extensionPath: string, page: 'webview' | 'gallery'): Promise<PageFiles> {
  const read = (...path: string[]) => readFile(join(extensionPath, ...path), 'utf8');
  const styles = page === 'gallery' ? ['framesEditor.css', 'gallery.css'] : ['framesEditor.css'];
  const [script, workerScript, ...style] = await Promise.all([
    read('dist', `${page}.js`),
    read('dist', 'spectrumWorker.js'),
    ...styles.map((name) => read('media', name)),
  ]);
  return { script, workerScript, style: style.join('\n') };
}

/**
 * One editor tab: its webview, answering the webview's requests and passing the document's events
 * on. It lives as long as its panel: closing the tab disposes it and every subscription it took.
 */
class FramesEditorSession extends Disposable {
  constructor(
    private readonly document: FramesDocument,
    private readonly panel: vscode.WebviewPanel,
    page: PageFiles,
    audioFolder: vscode.Uri,
    /** Told when this editor becomes the active editor or stops being it (closed too). */
    activeChanged: (session: FramesEditorSession, active: boolean) => void,
  ) {
    super();
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      enableForms: false,
      // The page's script and stylesheet are inline: it reads only the frames and the decoded audio.
      localResourceRoots: [document.folderUri, audioFolder],
    };
    webview.html = framesEditorHtml({
      cspSource: webview.cspSource,
      ...page,
      title: vscode.l10n.t('Resonance frames'),
      loadingText: vscode.l10n.t('Loading frames…'),
      language: vscode.env.language,
      l10nBundle: vscode.l10n.bundle,
    });
    // The HTML first, then the document with the start frame's image: VS Code holds the message
    // until the page has loaded, where asking would cost the page a round trip for the document
    // and another for the image. The page asks as well (a page rebuilt after being hidden gets no
    // message) and takes whichever comes first.
    void settle(this.open(true)).then((body) => this.post({ kind: 'event', name: 'document', body }));
    this.register(webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    this.register(document.onDidChange(() => this.post({ kind: 'event', name: 'changed', body: {} })));
    this.register(document.onAudioProgress((body) => this.post({ kind: 'event', name: 'audioProgress', body })));
    activeChanged(this, panel.active);
    this.register(panel.onDidChangeViewState(() => activeChanged(this, panel.active)));
    this.register({ dispose: () => activeChanged(this, false) });
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** A palette command: the page runs the action from its table. */
  runAction(action: PaletteAction): void {
    this.post({ kind: 'event', name: 'runAction', body: { action } });
  }

  private post(message: ToWebviewMessage): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private async receive(message: unknown): Promise<void> {
    if (!isRequestMessage(message)) return;
    this.post({ kind: 'response', id: message.id, ...(await settle(this.answer(message))) });
  }

  private answer(message: ToHostMessage): Promise<Requests[RequestMethod]['result']> {
    switch (message.method) {
      case 'open':
        return this.open();
      case 'audio':
        return this.audio();
      case 'renderFrame':
        return this.document.load().then(async (source) => ({ png: await renderSourceFrame(source, message.params.index) }));
      case 'offGridMap':
        return this.document.load().then((source) => offGridOfSource(source, message.params.index, this.document.reducer));
      case 'runCommand':
        return this.runCommand(message.params.command);
      case 'problemAction':
        return this.problemAction(message.params.action, message.params.settingsQuery);
    }
  }

  private async open(withStartImage = false): Promise<Requests['open']['result']> {
    const source = await this.document.load();
    const startImage = withStartImage ? await startImageOf(source) : undefined;
    return { ...this.viewOf(source), ...(startImage ? { startImage } : {}) };
  }

  private viewOf(source: LoadedSource): FramesDocumentView {
    const webview = this.panel.webview;
    const common = { title: source.title, stream: source.stream, frameSize: source.frameSize, metadata: source.metadata, startFrame: source.startFrame };
    if (source.kind === 'wav') return { ...common, source: 'wav', commands: ['encodeToImages'] };
    return {
      ...common,
      source: 'folder',
      files: { baseUrl: `${webview.asWebviewUri(this.document.folderUri).toString()}/`, names: [...source.plan.frames], version: this.document.version },
      commands: ['decodeToWav'],
      ...(source.metadata === 'assumed' ? { notice: assumedFormatNotice(source.plan.folder, source.stream) } : {}),
    };
  }

  private async audio(): Promise<Requests['audio']['result']> {
    const version = this.document.version;
    // A reload stops the decoding with CANCELLED: the webview is told `changed` and asks again.
    const audio = await this.document.audio();
    const url = this.panel.webview
      .asWebviewUri(vscode.Uri.file(audio.path))
      .with({ query: `v=${version}` })
      .toString();
    return { url, ...(audio.integrity ? { integrity: audio.integrity } : {}) };
  }

  private async runCommand(command: EditorCommand): Promise<Record<string, never>> {
    const source = await this.document.load();
    if (command === 'decodeToWav' && source.kind === 'folder') await vscode.commands.executeCommand(COMMAND.decode, this.document.folderUri);
    else if (command === 'encodeToImages' && source.kind === 'wav') await vscode.commands.executeCommand(COMMAND.encode, this.document.uri);
    else throw new Error(`${command} does not apply to ${source.title}`);
    return {};
  }

  private async problemAction(action: ProblemAction, settingsQuery: string | undefined): Promise<Record<string, never>> {
    switch (action) {
      case 'openSettings':
        // Only Resonance's own settings: the query comes from the webview.
        await vscode.commands.executeCommand('workbench.action.openSettings', settingsQuery?.startsWith('resonance.') ? settingsQuery : 'resonance.');
        break;
      case 'openManifestAsText':
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.joinPath(this.document.folderUri, MANIFEST_NAME), 'default');
        break;
      case 'reload':
        this.document.reload();
        break;
    }
    return {};
  }
}

/** A request's outcome as the protocol carries it: every failure as a problem with its code. */
async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { result: await work };
  } catch (error) {
    return { problem: problemFor(error) };
  }
}

async function removeStaleAudio(folder: string): Promise<void> {
  try {
    const now = Date.now();
    for (const name of await readdir(folder)) {
      const path = join(folder, name);
      if (now - (await stat(path)).mtimeMs > STALE_AUDIO_MS) await rm(path, { recursive: true, force: true });
    }
  } catch {
    // No folder yet, or a file another window removed first: nothing to clean.
  }
}
