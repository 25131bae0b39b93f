/**
 * Building elements without innerHTML (names and messages from disk never become markup),
 * listening or observing for as long as a panel lives, and decoding an image before it is shown.
 */
import { toDisposable, type DisposableLike } from '../shared/disposable';

type Attributes = Record<string, string | number | boolean | undefined>;
type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Attributes, ...children: Child[]): HTMLElement;
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

/** Text only screen readers see: VS Code's own `sr-only` pattern. */
export function announce(region: HTMLElement, text: string): void {
  region.textContent = '';
  // A fresh text node is announced even when the text repeats.
  requestAnimationFrame(() => (region.textContent = text));
}

/**
 * Listens until disposed. A panel's listeners on its own elements go with the elements; those on
 * the document, the window or anything the panel does not own are taken this way.
 */
export function listen<E extends Event>(target: EventTarget, type: string, listener: (event: E) => void, options?: AddEventListenerOptions): DisposableLike {
  const handler = listener as EventListener;
  target.addEventListener(type, handler, options);
  return toDisposable(() => target.removeEventListener(type, handler, options));
}

/** Calls `onResize` whenever the element's size changes (and once as it starts), until disposed. */
export function observeSize(element: Element, onResize: () => void): DisposableLike {
  const observer = new ResizeObserver(() => onResize());
  observer.observe(element);
  return toDisposable(() => observer.disconnect());
}

/** Fetches and decodes the image at `url` off screen, so that an element shown with it later finds it ready; a failure is left to that element. */
export function decodeAhead(url: string): void {
  const image = new Image();
  image.decoding = 'async';
  image.src = url;
  image.decode().catch(() => undefined);
}
