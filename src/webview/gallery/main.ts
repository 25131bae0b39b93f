/**
 * The gallery's webview entry (bundled to dist/gallery.js, inline in the page): asks for the
 * gallery and shows it, or the problem.
 */
// First: the page's strings are loaded before any module asks for one.
import { t } from '../l10n';
import type { EditorProblem, GalleryOpening, GalleryRequests, GalleryView, ProblemAction, Settled } from '../../shared/protocol';
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
/** What the host sends as the gallery opens; a page rebuilt after being hidden gets none, and asks. */
const sent = new Promise<Settled<GalleryOpening>>((resolve) => client.on('galleryOpened', resolve));

async function open(): Promise<void> {
  try {
    const asked: Promise<GalleryOpening | GalleryView> = client.request('galleryOpen', {});
    const opened = await Promise.race([sent.then((settled) => settled.result ?? asked), asked]);
    // The UI tests print these marks: where the page's own time before its first image goes.
    performance.mark('resonance:gallery-opened');
    const screen = 'page' in opened ? new GalleryScreen(opened.view, client, opened) : new GalleryScreen(opened, client);
    root.classList.remove('loading');
    root.removeAttribute('aria-busy');
    root.replaceChildren(screen.element);
    performance.mark('resonance:gallery-shown');
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
