/**
 * The frames editor's webview entry (bundled to dist/webview.js): registers the toolkit's
 * components, asks the host for the document, and shows the editor or the problem. When the host
 * says the document changed, it asks again and rebuilds, keeping the frame, zoom and position.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import type { EditorProblem, ProblemAction, ToHostMessage } from '../shared/protocol';
import { EditorScreen, documentKey } from './editorScreen';
import { HostClient } from './hostClient';
import { restoreState, type StateStore } from './viewState';
import { problemPage } from './views/problemView';

interface VsCodeApi extends StateStore {
  postMessage(message: ToHostMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// User timing marks, for measuring how soon the first frame shows (the UI tests read them).
performance.mark('resonance:script-start');

provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeCheckbox(),
  vsCodeDataGrid(),
  vsCodeDataGridCell(),
  vsCodeDataGridRow(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodeProgressRing(),
  vsCodeTextField(),
);

const vscode = acquireVsCodeApi();
const client = new HostClient(
  (message) => vscode.postMessage(message),
  (listener) => window.addEventListener('message', (event: MessageEvent) => listener(event.data)),
);
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
  const result = await client.request('open', {});
  if (attempt !== opening) return;
  root.classList.remove('loading');
  root.removeAttribute('aria-busy');
  if (!result.ok) {
    root.replaceChildren(problemPage('These frames cannot be shown', result.problem, (action) => onProblemAction(action, result.problem)));
    return;
  }
  const view = result.document;
  screen = new EditorScreen(view, restoreState(vscode, documentKey(view)), { client, store: vscode, onProblemAction });
  root.replaceChildren(screen.element);
  await screen.start();
}

client.on('changed', () => void open());
client.on('audioProgress', ({ framesDone, frameCount }) => screen?.audioProgress(framesDone, frameCount));
void open();
