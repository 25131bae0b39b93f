/**
 * The spectrum worker in the page. Its script comes inline in the page (framesEditorHtml puts
 * dist/spectrumWorker.js in a non-running <script type="text/plain">, as the page's own script is
 * inline) and starts from a blob: URL, which the page's CSP allows as `worker-src blob:` and nothing
 * else. A worker from a webview resource URL would not start: a worker's script must come from the
 * page's own origin, and VS Code serves resources from another.
 */
import type { SpectrumChannel } from './spectrumService';

const WORKER_SOURCE_ID = 'spectrum-worker-source';

/** undefined when the page carries no worker script (then the panels say the spectrogram is unavailable). */
export function spectrumWorkerChannel(): SpectrumChannel | undefined {
  const source = document.getElementById(WORKER_SOURCE_ID)?.textContent;
  if (!source) return undefined;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    onReply: (listener) => worker.addEventListener('message', (event: MessageEvent) => listener(event.data)),
    dispose: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
