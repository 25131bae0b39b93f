/**
 * The samples gallery and the dataset browser: a GalleryScreen composing three Panel units (the
 * header with the dataset's figures, the parameters and the filter; the player with the playing
 * clip's image, its playhead and its audio; the virtualised grid of clips). Only the visible rows
 * of the grid exist as DOM; thumbnails are the image files themselves.
 */
import type { DisposableLike } from '../../shared/disposable';
import type { ClipAudio, GalleryOpening, GalleryParameters, GalleryRequests, GalleryView } from '../../shared/protocol';
import type { StreamInfo } from '../../codec/format';
import { announce, h, listen, observeSize } from '../dom';
import type { HostClient } from '../hostClient';
import { problemOf } from '../hostClient';
import { t } from '../l10n';
import { PixelGrid, soundingAt } from '../playhead';
import { fetchWav, samplesOfWav, samplesUnavailable } from '../spectrum/fetchClipSamples';
import { FLOOR_RANGE } from '../spectrum/mapping';
import { spectrumWorkerChannel } from '../spectrum/workerChannel';
import { keepsKey } from '../views/controls';
import type { AudioPanel } from '../views/audioPanel';
import { SpectrogramPanel } from '../views/spectrogramPanel';
import { WaveformPanel } from '../views/waveformPanel';
import { GALLERY_ACTIONS, galleryActionForKey, type GalleryActionId, type GalleryActionTarget } from './galleryActions';
import { GalleryModel, parametersLabel } from './galleryModel';
import { cellState, dbText, planRows, rowKey, seconds, type CellState } from './gridRows';

const CELL_WIDTH = 168;
const CELL_HEIGHT = 200;
const SAMPLE_FORMATS = ['u8', 's16', 's24', 's32', 'f32', 'f64', 'alaw', 'mulaw'];

interface GalleryPanel extends DisposableLike {
  readonly element: HTMLElement;
  refresh?(): void;
}

export class GalleryScreen implements GalleryActionTarget {
  readonly element: HTMLElement;
  readonly model: GalleryModel;
  private readonly panels: GalleryPanel[] = [];
  private readonly disposables: DisposableLike[] = [];
  readonly audio = h('audio', { preload: 'auto', 'data-testid': 'gallery-audio' });
  readonly levels = new Map<number, ClipAudio>();
  private readonly live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'gallery-live' });
  private readonly player: PlayerPanel;
  private readonly grid: GridPanel;
  private readonly header: HeaderPanel;
  columns = 1;

  /** The first screen's images that came with the opening, as blob: URLs by item path. */
  private readonly thumbnails = new Map<string, string>();

  constructor(
    public view: GalleryView,
    readonly client: HostClient<GalleryRequests>,
    opening?: GalleryOpening,
  ) {
    this.model = new GalleryModel(
      (offset, count, filter) => client.request('galleryPage', { offset, count, filter }),
      view.clipCount,
      () => this.refresh(),
    );
    this.model.selected = view.startIndex;
    if (opening) {
      this.model.seed(opening.page.offset, opening.page.items);
      for (const { path, bytes, type } of opening.thumbnails) this.thumbnails.set(path, URL.createObjectURL(new Blob([bytes], { type })));
    }
    this.header = new HeaderPanel(this);
    this.player = new PlayerPanel(this);
    this.grid = new GridPanel(this);
    this.panels.push(this.header, this.player, this.grid);
    this.element = h(
      'div',
      { class: 'gallery', 'data-mode': view.mode },
      this.header.element,
      h('div', { class: 'gallery-body' }, this.grid.element, this.player.element),
      this.live,
    );
    this.disposables.push(
      listen(this.audio, 'ended', () => this.ended()),
      listen(this.audio, 'play', () => this.refresh()),
      listen(this.audio, 'pause', () => this.refresh()),
      listen<KeyboardEvent>(this.element, 'keydown', (event) => this.key(event)),
    );
  }

  /** The grid's first thumbnail has loaded: what waited for it may be built. */
  firstImageShown(): void {
    this.player.audioPanelsNow();
  }

  /** Where a clip's image is shown from: its bytes, if they came with the opening, else its webview URL. */
  imageUrl(path: string): string {
    return this.thumbnails.get(path) ?? this.view.baseUrl + path;
  }

  get playing(): boolean {
    return !this.audio.paused;
  }
  get autoAdvance(): boolean {
    return this.model.autoAdvance;
  }
  get markedCount(): number {
    return this.model.marked.size;
  }

  run(id: GalleryActionId): void {
    const action = GALLERY_ACTIONS[id];
    if (action.enabled(this)) action.run(this);
  }

  private key(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement;
    // Keys typed into a field or pressed on a control are theirs (the spectrogram's checkbox and slider too).
    if (target.closest('input, select, textarea, button') || keepsKey(target.tagName, event.key)) return;
    const id = galleryActionForKey(event.key);
    if (!id) return;
    event.preventDefault();
    this.run(id);
  }

  togglePlay(): void {
    if (this.model.playing === this.model.selected && !this.audio.paused) this.audio.pause();
    else if (this.model.playing === this.model.selected && this.audio.src) void this.audio.play();
    else void this.play(this.model.selected);
  }

  moveAndPlay(delta: number): void {
    void this.play(this.model.select(this.model.selected + delta));
  }

  toggleMark(): void {
    this.model.toggleMark();
  }

  toggleAutoAdvance(): void {
    this.model.autoAdvance = !this.model.autoAdvance;
    this.refresh();
  }

  exportMarked(): void {
    void this.client.request('exportMarked', { indices: [...this.model.marked] }).then(
      (result) => 'written' in result && announce(this.live, t('Exported {0} clips.', result.written)),
      (error: unknown) => this.header.showProblem(problemOf(error).message),
    );
  }

  /** Decodes (host side, once) and plays the clip at `position`, telling screen readers. */
  async play(position: number): Promise<void> {
    const item = await this.model.item(position);
    if (!item) return;
    this.model.selected = position;
    this.model.playing = position;
    this.audio.pause();
    this.refresh();
    try {
      const clip = await this.client.request('clipAudio', { index: item.index });
      if (this.model.playing !== position) return;
      this.levels.set(item.index, clip);
      const source = await this.player.show(item.name, this.imageUrl(item.path), clip);
      if (this.model.playing !== position) return;
      this.audio.src = source;
      await this.audio.play();
      announce(this.live, t('Playing {0}, {1}', item.name, seconds(clip.durationSeconds)));
    } catch (error) {
      this.player.showProblem(item.name, problemOf(error).message);
    }
    this.refresh();
  }

  private ended(): void {
    const next = this.model.nextAfterEnd();
    this.refresh();
    if (next !== undefined) {
      this.model.select(next);
      void this.play(next);
    }
  }

  async setParameters(parameters: GalleryParameters): Promise<void> {
    this.view = await this.client.request('setParameters', parameters);
    this.levels.clear();
    this.audio.pause();
    this.model.playing = undefined;
    this.header.rebuild();
    this.refresh();
  }

  refresh(): void {
    for (const panel of this.panels) panel.refresh?.();
  }

  async start(): Promise<void> {
    if (this.view.indexing) void this.whenIndexed();
    await this.model.ensure(0, 3 * 60);
    this.grid.scrollTo(this.model.selected);
    this.grid.focus();
    // After the first thumbnail is on screen, not before it (or a second on, if none comes).
    setTimeout(() => this.player.audioPanelsNow(), 1000);
  }

  /** The rest of a dataset's index, come in after the first page: the final count and every source. */
  private async whenIndexed(): Promise<void> {
    try {
      const { clipCount, sources } = await this.client.request('galleryIndexed', {});
      // For the UI tests' figures: when the whole index came, against the first image.
      performance.mark('resonance:indexed');
      this.view = { ...this.view, clipCount, sources, indexing: false };
      if (this.model.filter === '') this.model.total = clipCount;
      this.header.showSources();
    } catch (error) {
      this.view = { ...this.view, indexing: false };
      this.header.showProblem(problemOf(error).message);
    }
    this.refresh();
  }

  dispose(): void {
    this.audio.pause();
    for (const d of [...this.disposables, ...this.panels]) d.dispose();
    for (const url of this.thumbnails.values()) URL.revokeObjectURL(url);
  }
}

/** Title, dataset figures, decode parameters (editable) and the filter, with the toolbar. */
class HeaderPanel implements GalleryPanel {
  readonly element = h('header', { class: 'gallery-header' });
  private readonly problem = h('div', { class: 'gallery-problem', role: 'alert' });
  private readonly buttons = new Map<GalleryActionId, HTMLButtonElement>();
  private readonly count = h('span', { class: 'gallery-count', 'data-testid': 'gallery-count' });
  private readonly indexing = h('span', { class: 'gallery-indexing', role: 'status', 'data-testid': 'gallery-indexing' });
  private readonly sourceList = h('ul', { class: 'gallery-sources', 'aria-label': t('Sources'), 'data-testid': 'gallery-sources' });
  private readonly sourceOptions = h('datalist', { id: 'gallery-sources' });

  constructor(private readonly screen: GalleryScreen) {
    this.rebuild();
  }

  rebuild(): void {
    const view = this.screen.view;
    const heading = h('h1', {}, view.mode === 'dataset' ? t('Dataset {0}', view.title) : t('Samples in {0}', view.title));
    const facts = view.dataset ? datasetFacts(view, this.sourceList) : undefined;
    const toolbar = h('div', { class: 'gallery-toolbar', role: 'toolbar', 'aria-label': t('Gallery') });
    for (const id of ['play', 'previous', 'next', 'mark', 'autoAdvance', 'exportMarked'] as const) {
      const button = h('button', { type: 'button', 'data-control': GALLERY_ACTIONS[id].control, ...(id === 'autoAdvance' ? { 'aria-pressed': 'false' } : {}) });
      button.addEventListener('click', () => this.screen.run(id));
      this.buttons.set(id, button);
      toolbar.append(button);
    }
    this.element.replaceChildren(
      heading,
      ...(facts ? [facts] : []),
      this.parametersForm(),
      this.filter(),
      h('div', { class: 'gallery-bar' }, toolbar, this.count, this.indexing),
      this.problem,
    );
    this.showSources();
    this.refresh();
  }

  /** The sources met so far: all of them once the index is complete. */
  showSources(): void {
    const sources = this.screen.view.sources;
    this.sourceList.replaceChildren(...sources.slice(0, 50).map((s) => h('li', {}, s)));
    this.sourceOptions.replaceChildren(...sources.slice(0, 1000).map((s) => h('option', { value: s })));
  }

  refresh(): void {
    for (const [id, button] of this.buttons) {
      const action = GALLERY_ACTIONS[id];
      button.textContent = action.label(this.screen);
      button.disabled = !action.enabled(this.screen);
      if (id === 'autoAdvance') button.setAttribute('aria-pressed', String(this.screen.autoAdvance));
    }
    this.count.textContent = t('{0} clips, {1} marked', this.screen.model.total, this.screen.model.marked.size);
    const indexing = this.screen.view.indexing;
    const filtering = indexing && this.screen.model.filter.trim() !== '';
    const status = filtering ? t('Indexing metadata.jsonl: the filter applies once every record is read') : indexing ? t('Indexing metadata.jsonl…') : '';
    if (this.indexing.textContent !== status) this.indexing.textContent = status;
    this.indexing.hidden = status === '';
  }

  showProblem(message: string): void {
    this.problem.textContent = message;
  }

  dispose(): void {
    this.element.replaceChildren();
  }

  private parametersForm(): HTMLElement {
    const view = this.screen.view;
    const p = view.parameters ?? { sampleFormat: 's16', channels: 1, sampleRate: 44100, layout: 'planes', expansion: 1 };
    const format = h(
      'select',
      { 'aria-label': t('Sample format'), 'data-testid': 'param-format' },
      ...SAMPLE_FORMATS.map((f) => h('option', { value: f, selected: f === p.sampleFormat }, f)),
    );
    const number = (label: string, value: number, id: string) =>
      h('input', { type: 'number', min: 1, value, 'aria-label': label, 'data-testid': id, class: 'gallery-number' });
    const channels = number(t('Channels'), p.channels, 'param-channels');
    const rate = number(t('Sample rate (Hz)'), p.sampleRate, 'param-rate');
    const layout = h(
      'select',
      { 'aria-label': t('Layout'), 'data-testid': 'param-layout' },
      ...['planes', 'bytes'].map((l) => h('option', { value: l, selected: l === p.layout }, l)),
    );
    const expansion = number(t('Pixel expansion'), p.expansion, 'param-expansion');
    const apply = h('button', { type: 'button', 'data-control': 'gallery-apply' }, t('Decode with these'));
    apply.addEventListener('click', () => {
      void this.screen
        .setParameters({
          sampleFormat: format.value as GalleryParameters['sampleFormat'],
          channels: Number(channels.value),
          sampleRate: Number(rate.value),
          layout: layout.value as GalleryParameters['layout'],
          expansion: Number(expansion.value),
        })
        .catch((error: unknown) => this.showProblem(problemOf(error).message));
    });
    const labelled = (text: string, control: HTMLElement) => h('label', {}, h('span', {}, text), control);
    return h(
      'fieldset',
      { class: 'gallery-parameters', 'data-origin': view.parametersFrom.origin, 'data-testid': 'gallery-parameters' },
      h('legend', {}, t('Decoded as (from {0})', parametersLabel(view.parametersFrom))),
      labelled(t('Format'), format),
      labelled(t('Channels'), channels),
      labelled(t('Rate'), rate),
      labelled(t('Layout'), layout),
      labelled(t('Expansion'), expansion),
      apply,
    );
  }

  private filter(): HTMLElement {
    const view = this.screen.view;
    const input = h('input', {
      type: 'search',
      class: 'gallery-filter',
      'data-testid': 'gallery-filter',
      list: 'gallery-sources',
      'aria-label': view.mode === 'dataset' ? t('Filter by source') : t('Filter by name'),
      placeholder: view.mode === 'dataset' ? t('Filter by source') : t('Filter by name'),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void this.screen.model.setFilter(input.value).then(() => this.screen.refresh());
        // Now, not when the filtered count comes: while the index is read, it says the filter waits for it.
        this.screen.refresh();
      }, 150);
    });
    return h('div', { class: 'gallery-filter-row' }, input, this.sourceOptions);
  }
}

function datasetFacts(view: GalleryView, sourceList: HTMLElement): HTMLElement {
  const d = view.dataset!;
  const row = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];
  return h(
    'div',
    { class: 'gallery-facts' },
    h(
      'dl',
      {},
      ...row(t('Images'), String(d.images)),
      ...row(t('Sources'), t('{0} used of {1}, {2} failed', d.sources.used, d.sources.total, d.sources.failed)),
      ...row(t('Audio'), d.audio),
      ...row(t('Geometry'), d.geometry),
      ...row(t('Layout'), d.layout),
      ...row(t('Clip'), seconds(d.clipSeconds)),
      ...row(t('Splits'), d.splits.map((s) => t('{0}: {1} images from {2} sources, {3}', s.name, s.images, s.sources, seconds(s.seconds))).join('; ')),
    ),
    sourceList,
  );
}

/** The playing clip: its image with the playhead on the sounding pixels, its time and level. */
class PlayerPanel implements GalleryPanel {
  readonly element = h('section', { class: 'gallery-player', 'aria-label': t('Player') });
  private readonly image = h('img', { class: 'gallery-player-image', alt: '' });
  private readonly playhead = h('div', { class: 'gallery-playhead', 'aria-hidden': 'true' });
  private readonly title = h('h2', { 'data-testid': 'gallery-now' }, t('Nothing playing'));
  private readonly time = h('div', { class: 'gallery-time', 'data-testid': 'gallery-time' }, '0.00 s');
  private readonly level = h('div', { class: 'gallery-level' });
  private readonly decodedBy = h('div', { class: 'gallery-decoded-by', 'data-testid': 'gallery-decoded-by' });
  /**
   * The playing clip's waveform and spectrogram, the sequence editor's own panels: built once the
   * grid's first screen is drawn (or at the first play), since building and laying them out was
   * most of the page's own time before its first image.
   */
  private audioViews: { waveform: WaveformPanel; spectrogram: SpectrogramPanel } | undefined;
  private readonly audioPanels = h('div', { class: 'audio-panels gallery-audio-panels', 'data-testid': 'gallery-audio-panels' });
  /** Where playback was when the panels were last told, so that an idle page tells them nothing. */
  private told = { time: -1, playing: false };
  /** The time, duration and image the playhead and the time were last drawn for. */
  private shown = '';
  private fetching = new AbortController();
  /** The blob: URL of the clip being played, made from the one fetch of its WAV. */
  private playing: string | undefined;
  private stream: StreamInfo | undefined;
  private frame = 0;

  constructor(private readonly screen: GalleryScreen) {
    this.element.append(
      this.title,
      h('div', { class: 'gallery-player-frame' }, this.image, this.playhead),
      this.time,
      this.level,
      this.decodedBy,
      this.audioPanels,
      screen.audio,
    );
    const tick = () => {
      // Drawn again only when something it shows moved: an idle page builds no pixel grid a frame.
      const audio = screen.audio;
      const shown = `${audio.currentTime}|${audio.duration}|${this.image.naturalWidth}|${this.image.src}`;
      if (shown !== this.shown) {
        this.shown = shown;
        this.drawPlayhead();
      }
      this.tellPanels();
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  /** Builds the waveform and spectrogram panels, once. */
  audioPanelsNow(): { waveform: WaveformPanel; spectrogram: SpectrogramPanel } {
    if (this.audioViews) return this.audioViews;
    const seek = (seconds: number) => {
      this.screen.audio.currentTime = seconds;
    };
    const waveform = new WaveformPanel({ seek });
    const spectrogram = new SpectrogramPanel({ seek, channel: spectrumWorkerChannel(), settings: { scale: 'log', floorDb: FLOOR_RANGE.initial } });
    this.audioPanels.append(waveform.element, spectrogram.element);
    this.audioViews = { waveform, spectrogram };
    return this.audioViews;
  }

  /**
   * Shows the clip and fetches its WAV once, for the <audio> (from memory: resolves with the blob:
   * URL to play, or the clip's own URL if the fetch failed) and for the panels, decoded after. VS
   * Code's service worker answers each of an <audio>'s range requests with the whole file, so an
   * element playing the URL while the page fetched it had each clip carried over twice or more.
   */
  async show(name: string, imageUrl: string, clip: ClipAudio): Promise<string> {
    this.title.textContent = name;
    this.image.src = imageUrl;
    this.image.alt = t('Image of {0}', name);
    this.stream = clip.stream;
    this.level.textContent = t('RMS {0} dBFS, peak {1} dBFS', dbText(clip.rmsDb), dbText(clip.peakDb));
    this.decodedBy.textContent = clip.ownMetadata ? t('Decoded by its own Resonance metadata') : t('Decoded by the parameters above');
    this.fetching.abort();
    // The previous clip's bytes: the <audio> is paused and gets the new clip's source next.
    if (this.playing) URL.revokeObjectURL(this.playing);
    this.playing = undefined;
    const fetching = (this.fetching = new AbortController());
    const panels = Object.values(this.audioPanelsNow());
    let wav: Blob;
    try {
      wav = await fetchWav(clip.url, fetching.signal);
    } catch (error) {
      if (!fetching.signal.aborted) for (const panel of panels) panel.showUnavailable(samplesUnavailable(error));
      return clip.url;
    }
    if (fetching.signal.aborted) return clip.url;
    this.playing = URL.createObjectURL(wav);
    void this.loadSamples(name, wav, fetching.signal, panels);
    return this.playing;
  }

  private async loadSamples(name: string, wav: Blob, signal: AbortSignal, panels: AudioPanel[]): Promise<void> {
    try {
      const samples = await samplesOfWav(wav, name, signal);
      if (signal.aborted) return;
      for (const panel of panels) panel.showAudio(samples);
      this.told = { time: -1, playing: false };
    } catch (error) {
      if (!signal.aborted) for (const panel of panels) panel.showUnavailable(samplesUnavailable(error));
    }
  }

  private tellPanels(): void {
    const position = { time: this.screen.audio.currentTime, playing: !this.screen.audio.paused };
    if (position.time === this.told.time && position.playing === this.told.playing) return;
    this.told = position;
    this.audioViews?.waveform.playbackChanged(position);
    this.audioViews?.spectrogram.playbackChanged(position);
  }

  showProblem(name: string, message: string): void {
    this.title.textContent = name;
    this.level.textContent = message;
    this.decodedBy.textContent = '';
  }

  private drawPlayhead(): void {
    const audio = this.screen.audio;
    const stream = this.stream;
    this.time.textContent = `${audio.currentTime.toFixed(2)} / ${Number.isFinite(audio.duration) ? audio.duration.toFixed(2) : '0.00'} s`;
    if (!stream || !this.image.naturalWidth) {
      this.playhead.hidden = true;
      return;
    }
    const sounding = soundingAt(stream, audio.currentTime);
    if (!sounding) return;
    const grid = new PixelGrid(stream, { width: this.image.naturalWidth, height: this.image.naturalHeight });
    const rect = grid.rectOf(sounding.pixel);
    const w = this.image.naturalWidth;
    const hgt = this.image.naturalHeight;
    // A line across the row of the sounding pixel, and its cell marked on it.
    Object.assign(this.playhead.style, {
      top: `${(100 * rect.y) / hgt}%`,
      height: `${Math.max(0.5, (100 * rect.height) / hgt)}%`,
      left: `${(100 * rect.x) / w}%`,
    });
    this.playhead.hidden = false;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.fetching.abort();
    if (this.playing) URL.revokeObjectURL(this.playing);
    this.audioViews?.waveform.dispose();
    this.audioViews?.spectrogram.dispose();
  }
}

/** The clips, as a grid of which only the visible rows are in the DOM, each built again only when what it shows changed. */
class GridPanel implements GalleryPanel {
  readonly element = h('div', { class: 'gallery-grid', role: 'grid', tabindex: 0, 'aria-label': t('Clips'), 'data-testid': 'gallery-grid' });
  private readonly sizer = h('div', { class: 'gallery-sizer' });
  private readonly disposables: DisposableLike[] = [];
  /** The rows in the DOM, by row number, with the key of what they show. */
  private readonly rows = new Map<number, { key: string; element: HTMLElement }>();
  private firstImage = false;
  private watched: HTMLImageElement | undefined;

  constructor(private readonly screen: GalleryScreen) {
    this.element.append(this.sizer);
    this.disposables.push(
      observeSize(this.element, () => this.draw()),
      listen(this.element, 'scroll', () => this.draw()),
    );
    this.element.addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-position]');
      if (!cell) return;
      const position = Number(cell.dataset.position);
      if ((event.target as HTMLElement).closest('.gallery-mark')) {
        screen.model.select(position);
        screen.toggleMark();
      } else void screen.play(screen.model.select(position));
    });
  }

  focus(): void {
    this.element.focus();
  }

  scrollTo(position: number): void {
    const row = Math.floor(position / this.screen.columns);
    const top = row * CELL_HEIGHT;
    if (top < this.element.scrollTop || top + CELL_HEIGHT > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = top;
    this.draw();
  }

  refresh(): void {
    this.scrollTo(this.screen.model.selected);
  }

  private draw(): void {
    const model = this.screen.model;
    const columns = Math.max(1, Math.floor(this.element.clientWidth / CELL_WIDTH));
    this.screen.columns = columns;
    const rowCount = Math.ceil(model.total / columns);
    this.sizer.style.height = `${rowCount * CELL_HEIGHT}px`;
    this.element.setAttribute('aria-rowcount', String(rowCount));
    this.element.setAttribute('aria-colcount', String(columns));
    const firstRow = Math.max(0, Math.floor(this.element.scrollTop / CELL_HEIGHT) - 1);
    const lastRow = Math.min(rowCount - 1, Math.ceil((this.element.scrollTop + this.element.clientHeight) / CELL_HEIGHT) + 1);
    void model.ensure(firstRow * columns, (lastRow + 1) * columns - 1);
    const states = new Map<number, CellState[]>();
    const keys = new Map<number, string>();
    for (let r = firstRow; r <= lastRow; r++) {
      const cells: CellState[] = [];
      for (let c = 0; c < columns && r * columns + c < model.total; c++) cells.push(this.stateOf(r * columns + c, c));
      states.set(r, cells);
      keys.set(r, rowKey(cells));
    }
    const drawn = new Map([...this.rows].map(([r, row]) => [r, row.key]));
    const { remove, build } = planRows(drawn, keys);
    for (const r of remove) {
      this.rows.get(r)!.element.remove();
      this.rows.delete(r);
    }
    for (const r of build) {
      const element = this.rowElement(r, states.get(r)!);
      const old = this.rows.get(r);
      if (old) old.element.replaceWith(element);
      else {
        // In row order, so that a screen reader walks the rows as they are seen.
        const after = [...this.rows.entries()].filter(([other]) => other > r).sort(([a], [b]) => a - b)[0];
        this.sizer.insertBefore(element, after ? after[1].element : null);
      }
      this.rows.set(r, { key: keys.get(r)!, element });
    }
    const selected = this.sizer.querySelector<HTMLElement>('[aria-selected="true"]');
    if (selected) this.element.setAttribute('aria-activedescendant', selected.id);
    else this.element.removeAttribute('aria-activedescendant');
    if (build.length) this.watchFirstImage();
  }

  /** Marks the first thumbnail's load once; a row built again before it loaded hands the watch to its new image. */
  private watchFirstImage(): void {
    if (this.firstImage) return;
    const img = this.sizer.querySelector('img');
    if (!img || img === this.watched) return;
    this.watched = img;
    performance.mark('resonance:first-thumbnail-element');
    img.addEventListener('load', () => {
      if (this.firstImage) return;
      this.firstImage = true;
      performance.mark('resonance:first-image');
      performance.measure('resonance:time-to-first-image', 'resonance:script-start', 'resonance:first-image');
      this.screen.firstImageShown();
    });
  }

  private stateOf(position: number, column: number): CellState {
    const model = this.screen.model;
    const item = model.itemAt(position);
    const clip = item ? this.screen.levels.get(item.index) : undefined;
    const flags = { selected: position === model.selected, playing: position === model.playing, marked: model.isMarked(position) };
    return cellState(position, column, item, clip, flags);
  }

  private rowElement(r: number, cells: readonly CellState[]): HTMLElement {
    const row = h('div', { class: 'gallery-row', role: 'row', 'aria-rowindex': r + 1 });
    // Through the CSSOM: the page's CSP allows no style attributes.
    row.style.top = `${r * CELL_HEIGHT}px`;
    for (const state of cells) {
      const cell = this.cellElement(state);
      cell.style.left = `${state.column * CELL_WIDTH}px`;
      row.append(cell);
    }
    return row;
  }

  private cellElement(state: CellState): HTMLElement {
    const { position, selected, playing, marked } = state;
    return h(
      'div',
      {
        class: `gallery-cell${selected ? ' selected' : ''}${playing ? ' playing' : ''}${marked ? ' marked' : ''}`,
        role: 'gridcell',
        id: `clip-${position}`,
        'aria-colindex': state.column + 1,
        'aria-selected': String(selected),
        'aria-label': state.label,
        'data-position': position,
        'data-testid': 'gallery-cell',
      },
      state.path !== undefined
        ? h('img', { src: this.screen.imageUrl(state.path), alt: '', decoding: 'async' })
        : h('div', { class: 'gallery-placeholder' }),
      h('div', { class: 'gallery-name' }, state.name ?? '…'),
      ...state.details.map((d) => h('div', { class: 'gallery-detail' }, d)),
      h('button', { type: 'button', class: 'gallery-mark', tabindex: -1, 'aria-pressed': String(marked), title: t('Mark clip (M)') }, marked ? '★' : '☆'),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
