/**
 * Image URLs for frames. A folder's frames are files the webview loads by URL. A WAV's frames exist
 * only in memory: the host renders frame k to PNG bytes on request and the webview holds them as
 * object URLs, a bounded number at a time (least recently used go first), so memory stays bounded
 * however many frames the WAV makes.
 */
import type { FramesDocumentView } from '../shared/protocol';

export interface FrameImages {
  /** The URL of frame `index`'s image. */
  urlOf(index: number): Promise<string>;
  /** Drops every cached image (the source changed). */
  clear(): void;
}

export function fileFrameImages(files: NonNullable<FramesDocumentView['files']>): FrameImages {
  return {
    urlOf: (index) => Promise.resolve(`${files.baseUrl}${encodeURIComponent(files.names[index])}?v=${encodeURIComponent(files.version)}`),
    clear: () => undefined,
  };
}

/**
 * `images`, with frame `index` already at hand as PNG bytes (the start frame comes with the
 * document as the editor opens): it shows without a trip through the webview's resource loading,
 * which goes through VS Code's service worker and the workbench.
 */
export function withFrameAtHand(images: FrameImages, index: number, png: Uint8Array<ArrayBuffer>, urls: ObjectUrls, warm: (url: string) => void): FrameImages {
  const url = urls.create(png);
  // Decoded while the screen is built, rather than after: the frame panel's own load then finds it ready.
  warm(url);
  let current = true;
  return {
    urlOf(i) {
      if (i !== index || !current) return images.urlOf(i);
      return Promise.resolve(url);
    },
    clear() {
      // The bytes at hand are of the source as it was: from now on the frame is read like the others.
      if (current) urls.revoke(url);
      current = false;
      images.clear();
    },
  };
}

export interface ObjectUrls {
  create(png: Uint8Array<ArrayBuffer>): string;
  revoke(url: string): void;
}

export class RenderedFrameImages implements FrameImages {
  /** Insertion order is recency order: a hit is moved to the end. */
  private readonly cache = new Map<number, Promise<string>>();

  constructor(
    private readonly render: (index: number) => Promise<Uint8Array<ArrayBuffer>>,
    private readonly urls: ObjectUrls,
    private readonly capacity: number,
  ) {}

  urlOf(index: number): Promise<string> {
    const cached = this.cache.get(index);
    if (cached) {
      this.cache.delete(index);
      this.cache.set(index, cached);
      return cached;
    }
    const url = this.render(index).then((png) => this.urls.create(png));
    this.cache.set(index, url);
    url.catch(() => this.cache.get(index) === url && this.cache.delete(index));
    this.evict();
    return url;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Revokes every URL, also those still being rendered (once they exist). */
  clear(): void {
    for (const url of this.cache.values()) url.then((u) => this.urls.revoke(u), () => undefined);
    this.cache.clear();
  }

  private evict(): void {
    while (this.cache.size > this.capacity) {
      const [oldest, url] = this.cache.entries().next().value as [number, Promise<string>];
      this.cache.delete(oldest);
      url.then((u) => this.urls.revoke(u), () => undefined);
    }
  }
}
