/**
 * The gallery's state without a DOM (unit-tested in node): which clip is selected, which are
 * marked, what plays, auto-advance, the filter, and the pages of clips fetched from the host (only
 * those near the view: a dataset of 100,000 images is never asked for whole).
 */
import { GALLERY_PAGE_SIZE, type GalleryItem, type GalleryView, type ParametersOrigin } from '../../shared/protocol';
import { t } from '../l10n';

const PAGE_SIZE = GALLERY_PAGE_SIZE;

export type FetchPage = (offset: number, count: number, filter: string) => Promise<{ total: number; items: GalleryItem[] }>;

export class GalleryModel {
  /** Position among the filtered clips. */
  selected = 0;
  total: number;
  filter = '';
  autoAdvance = false;
  /** Position playing, if any. */
  playing: number | undefined;
  /** Marked clips, by their index among all clips (a filter does not unmark). */
  readonly marked = new Set<number>();
  private pages = new Map<number, Promise<GalleryItem[]>>();
  private loaded = new Map<number, GalleryItem[]>();
  private generation = 0;

  constructor(
    private readonly fetch: FetchPage,
    total: number,
    private readonly changed: () => void,
  ) {
    this.total = total;
  }

  /** The clip at a position, if its page has come. */
  itemAt(position: number): GalleryItem | undefined {
    return this.loaded.get(Math.floor(position / PAGE_SIZE))?.[position % PAGE_SIZE];
  }

  /** A page that came with the gallery's opening, taken as if fetched. */
  seed(offset: number, items: GalleryItem[]): void {
    const page = Math.floor(offset / PAGE_SIZE);
    if (offset !== page * PAGE_SIZE || this.filter !== '') return;
    this.loaded.set(page, items);
    this.pages.set(page, Promise.resolve(items));
  }

  /** Fetches the pages that hold positions `from`…`to` (the visible ones); resolves when they are in. */
  async ensure(from: number, to: number): Promise<void> {
    const wanted: Array<Promise<GalleryItem[]>> = [];
    for (let page = Math.floor(Math.max(0, from) / PAGE_SIZE); page <= Math.floor(Math.max(0, Math.min(to, this.total - 1)) / PAGE_SIZE); page++)
      wanted.push(this.page(page));
    await Promise.all(wanted);
  }

  async item(position: number): Promise<GalleryItem | undefined> {
    if (position < 0 || position >= this.total) return undefined;
    return (await this.page(Math.floor(position / PAGE_SIZE)))[position % PAGE_SIZE];
  }

  private page(page: number): Promise<GalleryItem[]> {
    let pending = this.pages.get(page);
    if (!pending) {
      const generation = this.generation;
      pending = this.fetch(page * PAGE_SIZE, PAGE_SIZE, this.filter).then(({ total, items }) => {
        if (generation === this.generation) {
          this.loaded.set(page, items);
          if (total !== this.total) this.total = total;
          this.changed();
        }
        return items;
      });
      pending.catch(() => this.pages.delete(page));
      this.pages.set(page, pending);
    }
    return pending;
  }

  /** A new filter: the pages are fetched again and the first clip is selected. */
  async setFilter(filter: string): Promise<void> {
    if (filter === this.filter) return;
    this.filter = filter;
    this.generation++;
    this.pages = new Map();
    this.loaded = new Map();
    this.selected = 0;
    this.playing = undefined;
    const { total } = await this.fetch(0, 0, filter);
    // A filter typed since (a dataset's filter waits for its index) has its own count coming.
    if (filter !== this.filter) return;
    this.total = total;
    this.changed();
  }

  /** Moves the selection, within the clips; says where it landed. */
  select(position: number): number {
    this.selected = Math.max(0, Math.min(this.total - 1, position));
    this.changed();
    return this.selected;
  }

  toggleMark(position = this.selected): void {
    const item = this.itemAt(position);
    if (!item) return;
    if (this.marked.has(item.index)) this.marked.delete(item.index);
    else this.marked.add(item.index);
    this.changed();
  }

  isMarked(position: number): boolean {
    const item = this.itemAt(position);
    return !!item && this.marked.has(item.index);
  }

  /** The clip that ended: the next one to play with auto-advance on, else none. */
  nextAfterEnd(): number | undefined {
    if (!this.autoAdvance || this.playing === undefined || this.playing + 1 >= this.total) return undefined;
    return this.playing + 1;
  }
}

function originText(origin: ParametersOrigin, from: string | undefined): string {
  switch (origin) {
    case 'images':
      return t("the images' own Resonance metadata, as {0} carries", from ?? '');
    case 'dataset':
      return from ?? 'dataset.json';
    case 'settings':
      return t('the resonance.assume settings');
    case 'page':
      return t('set in the page');
    case 'none':
      return t('nowhere yet: set them below');
  }
}

/** Where the shown parameters come from, in words: an image's own metadata first, then what images without it decode by. */
export function parametersLabel(from: GalleryView['parametersFrom']): string {
  const first = originText(from.origin, from.from);
  return from.fallback ? t('{0}; images without it: {1}', first, originText(from.fallback.origin, from.fallback.from)) : first;
}
