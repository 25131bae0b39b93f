/**
 * The frames editor's webview entry (bundled to dist/webview.js, inline in the page): takes the
 * document the host sends as the editor opens, or asks for it, registering the toolkit's
 * components meanwhile (views/toolkit.ts), and shows the editor or the problem. When the host
 * says the document changed, it asks again and rebuilds, keeping the frame, zoom and position.
 */
// First: the page's strings are loaded before any module asks for one.
import { t } from './l10n';
import type { EditorProblem, FramesDocumentView, ProblemAction, Settled, ToHostMessage } from '../shared/protocol';
import { EditorScreen, documentKey } from './editorScreen';
import { HostClient, problemOf } from './hostClient';
import { restoreState, type StateStore } from './viewState';
import { problemPage } from './views/problemView';
import { registerToolkit } from './views/toolkit';

interface VsCodeApi extends StateStore {
  postMessage(message: ToHostMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// User timing marks, for measuring how soon the first frame shows (the UI tests read them).
performance.mark('resonance:script-start');

const vscode = acquireVsCodeApi();
const client = new HostClient(
  (message) => vscode.postMessage(message),
  (listener) => window.addEventListener('message', (event: MessageEvent) => listener(event.data)),
);
/** The document the host sends as the editor opens; a page rebuilt after being hidden gets none. */
const sentDocument = new Promise<Settled<FramesDocumentView>>((resolve) => client.on('document', resolve));
const root = document.getElementById('app')!;
let screen: EditorScreen | undefined;
let opening = 0;

function onProblemAction(action: ProblemAction, problem: EditorProblem): void {
  void client.request('problemAction', { action, settingsQuery: problem.settingsQuery });
}

async function open(): Promise<void> {
  const attempt = ++opening;
  screen?.dispose();
  screen = undefined;
  root.setAttribute('aria-busy', 'true');
  const asked: Promise<Settled<FramesDocumentView>> = client.request('open', {}).then(
    (result) => ({ result }),
    (error: unknown) => ({ problem: problemOf(error) }),
  );
  const { result: view, problem } = await (attempt === 1 ? Promise.race([sentDocument, asked]) : asked);
  if (attempt !== opening) return;
  performance.mark('resonance:document');
  root.classList.remove('loading');
  root.removeAttribute('aria-busy');
  if (!view) {
    root.replaceChildren(problemPage(t('These frames cannot be shown'), problem, (action) => onProblemAction(action, problem)));
    return;
  }
  screen = new EditorScreen(view, restoreState(vscode, documentKey(view)), { client, store: vscode, onProblemAction });
  root.replaceChildren(screen.element);
  performance.mark('resonance:screen-built');
  await screen.start();
}

client.on('changed', () => void open());
client.on('audioProgress', ({ framesDone, frameCount }) => screen?.audioProgress(framesDone, frameCount));
client.on('runAction', ({ action }) => screen?.runAction(action));
void open();

// After asking: the components are registered while the request travels, before any answer.
registerToolkit();
