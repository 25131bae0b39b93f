/** The spectrum worker's entry (dist/spectrumWorker.js): the spectrogram is computed here, off the page's thread. */
import type { ToSpectrumWorker } from './spectrumProtocol';
import { SpectrumWorkerCore, warmUp } from './spectrumWorkerCore';

const scope = self as unknown as { onmessage: ((event: MessageEvent<ToSpectrumWorker>) => void) | null; postMessage(m: unknown, t: Transferable[]): void };
// A message to itself comes after the messages already waiting, where setTimeout would be clamped to 4 ms.
const yielding = new MessageChannel();
const tasks: Array<() => void> = [];
yielding.port1.onmessage = () => tasks.shift()?.();
const core = new SpectrumWorkerCore({
  post: (message, transfer) => scope.postMessage(message, transfer),
  later: (task) => {
    tasks.push(task);
    yielding.port2.postMessage(null);
  },
  now: () => performance.now(),
});
scope.onmessage = (event) => core.receive(event.data);
warmUp();
