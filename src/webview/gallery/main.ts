/**
 * The gallery's webview entry (bundled to dist/gallery.js, inline in the page): asks for the
 * gallery and shows it, or the problem.
 */
// First: the page's strings are loaded before any module asks for one.
import { t } from '../l10n';
import type { GalleryRequests, ProblemAction, EditorProblem } from '../../shared/protocol';
import { HostClient, problemOf, type RequestOf } from '../hostClient';
import { problemPage } from '../views/problemView';
import { registerToolkit } from '../views/toolkit';
import { GalleryScreen } from './galleryScreen';

performance.mark('resonance:script-start');

declare function acquireVsCodeApi(): { postMessage(message: RequestOf<GalleryRequests>): void };

const vscode = acquireVsCodeApi();
const client = new HostClient<GalleryRequests>(
  (message) => vscode.postMessage(message),
  (listener) => window.addEventListener('message', (event: MessageEvent) => listener(event.data)),
);
const root = document.getElementById('app')!;

async function open(): Promise<void> {
  try {
    const view = await client.request('galleryOpen', {});
    const screen = new GalleryScreen(view, client);
    root.classList.remove('loading');
    root.removeAttribute('aria-busy');
    root.replaceChildren(screen.element);
    await screen.start();
  } catch (error) {
    const problem: EditorProblem = problemOf(error);
    root.classList.remove('loading');
    root.removeAttribute('aria-busy');
    const act = (action: ProblemAction) =>
      void client.request('problemAction', { action, ...(problem.settingsQuery ? { settingsQuery: problem.settingsQuery } : {}) });
    root.replaceChildren(problemPage(t('This gallery cannot be shown'), problem, act));
  }
}

void open();

// After asking: the toolkit's components (the spectrogram's checkbox) register while the request travels.
registerToolkit();
