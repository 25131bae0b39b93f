/**
 * The frames editor's message protocol, imported by both the extension host and the webview so
 * that each side type-checks what the other sends. The webview asks (requests carry an id and are
 * answered by one response with the same id); the host also tells (events, unasked).
 * Type-only imports from the codec: nothing here pulls Node code into the webview bundle.
 */
import type { ErrorCode, LayoutName, MetadataSource, SampleFormat, StreamInfo } from '../codec/format';

/** The custom editor's view type, as contributed in package.json: the default editor of `resonance.json`. */
export const FRAMES_VIEW_TYPE = 'resonance.frames';
/**
 * The same editor under a second view type, offered by Open With… on PNG and WAV files. VS Code
 * gives an editor one priority for all its file patterns, and this one must not take over every PNG.
 */
export const FRAMES_OPEN_WITH_VIEW_TYPE = 'resonance.framesOpenWith';

/** The id of the page's JSON data element that holds `vscode.l10n.bundle` (webview/l10n.ts reads it). */
export const L10N_BUNDLE_ELEMENT_ID = 'resonance-l10n';

/** Where the frames come from: a folder of PNG files, or a WAV rendered in memory with the current settings. */
export type FramesSource = 'folder' | 'wav';

/** What the webview needs to show a sequence. */
export interface FramesDocumentView {
  source: FramesSource;
  /** The folder's or the WAV's name, for headings. */
  title: string;
  stream: StreamInfo;
  /** Pixel size of the frames (of the first one): the geometry's size unless they were resized. */
  frameSize: { width: number; height: number };
  /** Where the stream's parameters came from; `settings` for a WAV rendered with the current settings. */
  metadata: MetadataSource | 'settings';
  /** For a folder: frame i is at `baseUrl + encodeURIComponent(names[i]) + '?v=' + version`. */
  files?: { baseUrl: string; names: string[]; version: string };
  /** The frame to show first: the PNG the editor was opened on, otherwise 0. */
  startFrame: number;
  /**
   * That frame's PNG, in the document sent as the editor opens (when it is small enough to travel
   * in a message), so that it shows without being fetched.
   */
  startImage?: Uint8Array<ArrayBuffer>;
  /** The commands this source offers as buttons. */
  commands: EditorCommand[];
  /** Something the user should know before trusting what is shown (the format was assumed). */
  notice?: EditorProblem;
}

/**
 * Something wrong with the folder or the WAV, with what the user can do about it: the one shape of
 * every failure the host reports, whether a request failed or a notice goes with a document.
 */
export interface EditorProblem {
  /** The error's code (format/errors.ts); the page acts on it, never on the message's words. */
  code: ErrorCode;
  /** The codec's one-line message, naming the file. */
  message: string;
  /** What to do next, in a sentence. */
  advice: string;
  actions: ProblemAction[];
  /** For `openSettings`: the Settings editor search that shows the settings at fault. */
  settingsQuery?: string;
}

export type ProblemAction = 'openSettings' | 'openManifestAsText' | 'reload';

/**
 * The editor's actions that are also VS Code commands (the Command Palette, keybindings), with their
 * command ids: the host runs one by telling the active editor's page `runAction`, which runs it from
 * its actions table (webview/actions.ts), as its button and key do.
 */
export const PALETTE_ACTIONS = { toggleWaveform: 'resonance.toggleWaveform', toggleSpectrogram: 'resonance.toggleSpectrogram' } as const;
export type PaletteAction = keyof typeof PALETTE_ACTIONS;
/** The context key the host sets while a sequence editor is the active editor: the palette commands' when-clause. */
export const SEQUENCE_EDITOR_ACTIVE = 'resonance.sequenceEditorActive';

/** The commands the editor's buttons run, through the extension's registered commands. */
export type EditorCommand = 'decodeToWav' | 'encodeToImages';

/** Frames whose data pixels still match the checksums recorded when they were written. */
export interface Integrity {
  frameCount: number;
  unchanged: number;
  /** Frame indices whose checksum differs. */
  modified: number[];
  /** Frames with no checksum to compare with. */
  unverified: number;
  /** Whether the audio matches the original's SHA-256; absent when it is not recorded. */
  bitExact?: boolean;
  /** Each frame's off-grid figure: how far its blocks are from uniform, 0 for a frame as written (0–255). */
  offGrid?: number[];
}

/** How far each block of one frame is from uniform, row by row, in 0–255 units. */
export interface OffGridView {
  columns: number;
  rows: number;
  map: Uint8Array<ArrayBuffer>;
  figure: number;
}

export interface AudioView {
  /** Webview URL of a WAV the <audio> element plays. */
  url: string;
  /** Checksums, for a folder (a WAV has no frames on disk to check). */
  integrity?: Integrity;
}

/** How a request or the document the host sends turned out: a result, or the problem that stopped it. */
export type Settled<T> = { result: T; problem?: undefined } | { result?: undefined; problem: EditorProblem };

/** Every request: its parameters and its result. */
export interface Requests {
  open: { params: Record<string, never>; result: FramesDocumentView };
  /** Decodes the frames to audio (a folder) or hands over the WAV itself; progress comes as events. */
  audio: { params: Record<string, never>; result: AudioView };
  /** Frame `index` of a WAV source as PNG bytes, rendered in memory. */
  renderFrame: { params: { index: number }; result: { png: Uint8Array<ArrayBuffer> } };
  /** The off-grid map of frame `index`, for the overlay. */
  offGridMap: { params: { index: number }; result: OffGridView };
  runCommand: { params: { command: EditorCommand }; result: Record<string, never> };
  problemAction: { params: { action: ProblemAction; settingsQuery?: string }; result: Record<string, never> };
}

/** Every event the host sends unasked. */
export interface Events {
  /**
   * The document, with its start frame's image, sent as the editor opens: it reaches the page as
   * soon as the page has loaded, a round trip before an answer to `open` would. A page rebuilt
   * later asks with `open`.
   */
  document: Settled<FramesDocumentView>;
  /** The folder, the WAV or the settings changed: the webview opens the document again. */
  changed: Record<string, never>;
  audioProgress: { framesDone: number; frameCount: number };
  /** The gallery's view with its first page and thumbnails, sent as the gallery opens (as `document` is for frames). */
  galleryOpened: Settled<GalleryOpening>;
  /** A palette command for the editor: run this action of the table. */
  runAction: { action: PaletteAction };
}

export type RequestMethod = keyof Requests;
export type EventName = keyof Events;

export interface RequestMessage<M extends RequestMethod = RequestMethod> {
  kind: 'request';
  id: number;
  method: M;
  params: Requests[M]['params'];
}

export type ResponseMessage<M extends RequestMethod = RequestMethod> = { kind: 'response'; id: number } & Settled<Requests[M]['result']>;

export interface EventMessage<E extends EventName = EventName> {
  kind: 'event';
  name: E;
  body: Events[E];
}

export type ToHostMessage = { [M in RequestMethod]: RequestMessage<M> }[RequestMethod];
export type ToWebviewMessage = ResponseMessage | { [E in EventName]: EventMessage<E> }[EventName];

const METHODS: Record<RequestMethod, true> = { open: true, audio: true, renderFrame: true, offGridMap: true, runCommand: true, problemAction: true };

/** Messages come from another context: check the envelope before trusting the types. */
export function isRequestMessage(value: unknown): value is ToHostMessage {
  const m = value as Partial<RequestMessage> | null;
  return (
    !!m &&
    m.kind === 'request' &&
    Number.isSafeInteger(m.id) &&
    typeof m.method === 'string' &&
    Object.hasOwn(METHODS, m.method) &&
    typeof m.params === 'object' &&
    m.params !== null
  );
}

export function isToWebviewMessage(value: unknown): value is ToWebviewMessage {
  const m = value as { kind?: unknown; id?: unknown; name?: unknown } | null;
  if (!m) return false;
  if (m.kind === 'response') return Number.isSafeInteger(m.id);
  return m.kind === 'event' && typeof m.name === 'string';
}

/**
 * The gallery's view type: the default editor of a Resonance `dataset.json`. A samples folder's
 * gallery opens under FRAMES_OPEN_WITH_VIEW_TYPE (a PNG of a folder without a manifest).
 */
export const DATASET_VIEW_TYPE = 'resonance.dataset';

/** How the gallery's images decode: shown in the page, and changed there. */
export interface GalleryParameters {
  sampleFormat: SampleFormat;
  channels: number;
  sampleRate: number;
  layout: LayoutName;
  expansion: number;
}

/** A dataset.json's figures, as the browser shows them. */
export interface DatasetSummary {
  images: number;
  sources: { total: number; used: number; failed: number };
  audio: string;
  geometry: string;
  layout: string;
  clipSeconds: number;
  splits: Array<{ name: string; images: number; sources: number; seconds: number }>;
}

/**
 * Where the decode parameters come from: the images' own Resonance metadata (their frame record,
 * which decodeImages reads first), a dataset.json, the resonance.assume settings, the page's form.
 */
export type ParametersOrigin = 'images' | 'dataset' | 'settings' | 'page' | 'none';

export interface GalleryView {
  mode: 'samples' | 'dataset';
  title: string;
  /** Every clip, before filtering. */
  clipCount: number;
  /** Item `path`s are relative to this URL. */
  baseUrl: string;
  parameters?: GalleryParameters;
  /** Where the parameters come from, with the file they come from (an image, a dataset.json) where there is one. */
  parametersFrom: { origin: ParametersOrigin; from?: string; fallback?: { origin: ParametersOrigin; from: string } };
  /** A dataset's metadata.jsonl is still being indexed: `galleryIndexed` answers when it is done. */
  indexing: boolean;
  dataset?: DatasetSummary;
  /** The dataset's sources, for the filter's list (empty for samples). */
  sources: string[];
  /** The clip the editor was opened on. */
  startIndex: number;
}

/** Clips per page the gallery asks for (and the host sends first). */
export const GALLERY_PAGE_SIZE = 200;

/**
 * What the gallery shows first, sent as it opens so that nothing waits on a round trip: the view,
 * the page of clips holding the start clip, and the first screen's thumbnails as PNG (or JPEG,
 * WebP) bytes by item path, which the page shows from blob: URLs.
 */
export interface GalleryOpening {
  view: GalleryView;
  page: { offset: number; total: number; items: GalleryItem[] };
  thumbnails: Array<{ path: string; bytes: Uint8Array<ArrayBuffer>; type: string }>;
}

export interface GalleryItem {
  /** Index among all clips (unfiltered): what the host is asked about. */
  index: number;
  name: string;
  /** Relative to the view's baseUrl, `/`-separated, each part URI-encoded. */
  path: string;
  source?: string;
  startSeconds?: number;
  durationSeconds?: number;
}

export interface ClipAudio {
  url: string;
  /** One frame's stream: the playhead maps time to pixels with it. */
  stream: StreamInfo;
  durationSeconds: number;
  /** Decoded by the image's own Resonance metadata (its frame record), not by the gallery's parameters. */
  ownMetadata: boolean;
  /** dBFS over all channels; -Infinity is sent as null (JSON has no infinity). */
  rmsDb: number | null;
  peakDb: number | null;
}

export interface GalleryRequests {
  galleryOpen: { params: Record<string, never>; result: GalleryView };
  /** Answered once a dataset's index is complete: every record counted, every source known. */
  galleryIndexed: { params: Record<string, never>; result: { clipCount: number; sources: string[] } };
  /** Clips `offset`… of those whose name (samples) or source (dataset) contains `filter`, any case. */
  galleryPage: { params: { offset: number; count: number; filter: string }; result: { total: number; items: GalleryItem[] } };
  clipAudio: { params: { index: number }; result: ClipAudio };
  setParameters: { params: GalleryParameters; result: GalleryView };
  /** Asks for a folder and writes each clip as a WAV there, replacing none. */
  exportMarked: { params: { indices: number[] }; result: { written: number; folder: string } | { cancelled: true } };
  problemAction: Requests['problemAction'];
}

export type GalleryMethod = keyof GalleryRequests;
export type GalleryToHostMessage = { [M in GalleryMethod]: { kind: 'request'; id: number; method: M; params: GalleryRequests[M]['params'] } }[GalleryMethod];

const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const GALLERY_PARAMS: Record<GalleryMethod, (params: Record<string, unknown>) => boolean> = {
  galleryOpen: () => true,
  galleryIndexed: () => true,
  galleryPage: (p) => isIndex(p.offset) && isIndex(p.count) && typeof p.filter === 'string',
  clipAudio: (p) => isIndex(p.index),
  setParameters: (p) =>
    typeof p.sampleFormat === 'string' &&
    isIndex(p.channels) &&
    isIndex(p.sampleRate) &&
    (p.layout === 'planes' || p.layout === 'bytes') &&
    isIndex(p.expansion),
  exportMarked: (p) => Array.isArray(p.indices) && p.indices.every(isIndex),
  problemAction: (p) => typeof p.action === 'string',
};

/** The gallery's requests, parameters and all: they name files the host reads and writes. */
export function isGalleryRequest(value: unknown): value is GalleryToHostMessage {
  const m = value as { kind?: unknown; id?: unknown; method?: unknown; params?: unknown } | null;
  if (!m || m.kind !== 'request' || !Number.isSafeInteger(m.id) || typeof m.method !== 'string' || !Object.hasOwn(GALLERY_PARAMS, m.method)) return false;
  return typeof m.params === 'object' && m.params !== null && GALLERY_PARAMS[m.method as GalleryMethod](m.params as Record<string, unknown>);
}
