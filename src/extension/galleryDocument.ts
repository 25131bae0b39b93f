/**
 * What a samples gallery or a dataset browser shows, without `vscode` (unit-tested with the real
 * codec): the clips (a folder's images in natural order, or a dataset's metadata.jsonl records
 * paged from the files), the parameters they decode by, each clip decoded on demand to a WAV in
 * the extension's storage with its level, and the marked clips exported through decodeImages,
 * which replaces no file.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  bytesPerSample,
  canonicalContainer,
  decodeImages,
  describeAudioFormat,
  imagesIn,
  isSampleFormat,
  makeAudioFormat,
  parseFrameRecord,
  readPngHeaderFile,
  ResonanceError,
  TEXT_KEYWORD,
  toNumbers,
  wavNamesFor,
  type DecodeImagesResult,
  type ImageParameters,
} from '../codec';
import { datasetAbove, datasetParameters, MetadataIndex, type MetadataSplit } from '../dataset';
import type { ClipAudio, DatasetSummary, GalleryItem, GalleryParameters, ParametersOrigin } from '../shared/protocol';

export type GallerySource = { kind: 'samples'; folder: string; startName?: string } | { kind: 'dataset'; file: string };

export interface ChosenParameters {
  parameters: ImageParameters;
  /** Where they come from: a file's path (the dataset.json) or words. */
  from: string;
  origin: Exclude<ParametersOrigin, 'images'>;
}

/** A Resonance image's own decode parameters, read from its frame record: decodeImages reads by them, whatever it is given. */
export interface OwnMetadata {
  parameters: ImageParameters;
  /** The image, relative to the gallery's folder. */
  image: string;
}

interface DecodedClip {
  path: string;
  audio: Omit<ClipAudio, 'url'>;
}

const naturalFilter = (filter: string) => filter.trim().toLowerCase();

export class GalleryDocumentModel {
  private decoded = new Map<number, Promise<DecodedClip>>();
  private filtered: { filter: string; indices: Uint32Array | number[] | undefined } = { filter: '', indices: undefined };

  private constructor(
    readonly source: GallerySource,
    /** The folder item paths are relative to. */
    readonly folder: string,
    readonly title: string,
    private readonly names: readonly string[] | undefined,
    private readonly index: MetadataIndex | undefined,
    /** The dataset's records by its dataset.json, until the index is complete. */
    private readonly declared: number | undefined,
    readonly dataset: DatasetSummary | undefined,
    public chosen: ChosenParameters | undefined,
    /** The gallery's first image, when it carries its own Resonance metadata (its frame record): it decodes by that. */
    readonly ownMetadata: OwnMetadata | undefined,
    readonly startIndex: number,
    private readonly audioFolder: string,
  ) {}

  /** Samples: `fallback` gives the parameters when no dataset.json is above the folder. */
  static async open(source: GallerySource, audioFolder: string, fallback: () => ChosenParameters | undefined): Promise<GalleryDocumentModel> {
    if (source.kind === 'samples') {
      const names = await imagesIn(source.folder);
      if (names.length === 0) throw new ResonanceError('NO_FRAMES', source.folder, 'holds no PNG, JPEG or WebP images');
      const dataset = await datasetAbove(source.folder);
      const chosen = dataset ? { parameters: dataset.parameters, from: dataset.file, origin: 'dataset' as const } : fallback();
      const start = source.startName === undefined ? 0 : Math.max(0, names.indexOf(source.startName));
      const own = await ownMetadataOf(join(source.folder, names[start]));
      return new GalleryDocumentModel(source, source.folder, basename(source.folder), names, undefined, undefined, undefined, chosen, own, start, audioFolder);
    }
    const { parameters } = await datasetParameters(source.file);
    const folder = dirname(source.file);
    const description = JSON.parse(await readFile(source.file, 'utf8')) as DatasetJson;
    const splits: MetadataSplit[] = Object.entries(description.splits ?? {}).map(([name, split]) => ({
      name,
      folder: split.folder,
      file: join(folder, split.metadata),
    }));
    const index = MetadataIndex.open(splits);
    // The first page and the counts are served while the rest of metadata.jsonl is indexed: the
    // counts from dataset.json's splits, when each split states its own (else the whole index).
    const stated = splits.length > 0 && Object.values(description.splits ?? {}).every((s) => Number.isSafeInteger(s.images) && s.images! >= 0);
    if (!stated) await index.complete;
    const declared = stated ? Object.values(description.splits!).reduce((sum, s) => sum + s.images!, 0) : undefined;
    await index.whenIndexed(1);
    const first = index.count > 0 ? await index.read([0]).then(([record]) => record, () => undefined) : undefined;
    const own = first ? await ownMetadataOf(join(folder, ...first.path.split('/'))) : undefined;
    const summary = summaryOf(description, parameters);
    const chosen = { parameters, from: source.file, origin: 'dataset' as const };
    return new GalleryDocumentModel(source, folder, basename(folder), undefined, index, declared, summary, chosen, own, 0, audioFolder);
  }

  /** Every clip; a dataset's count from its dataset.json until the index is complete. */
  get clipCount(): number {
    if (this.names) return this.names.length;
    return this.index!.done || this.declared === undefined ? this.index!.count : this.declared;
  }

  /** Whether metadata.jsonl is still being indexed (a dataset's filter waits for it). */
  get indexing(): boolean {
    return !!this.index && !this.index.done;
  }

  /** Resolves when every record is indexed (at once for samples), rejecting as the index did. */
  async indexed(): Promise<void> {
    await this.index?.complete;
  }

  /**
   * The parameters that decode the clips, and whence: an image's own frame record comes first
   * (decodeImages reads a Resonance image by it), then the chosen ones for images without one.
   */
  get parametersOrigin(): { origin: ParametersOrigin; from?: string; fallback?: { origin: ChosenParameters['origin']; from: string } } {
    const fallback = this.chosen ? { origin: this.chosen.origin, from: this.chosen.from } : undefined;
    if (this.ownMetadata) return { origin: 'images', from: this.ownMetadata.image, ...(fallback ? { fallback } : {}) };
    return fallback ?? { origin: 'none' };
  }

  get sources(): readonly string[] {
    return this.index?.sources ?? [];
  }

  /** The shown parameters: the audio format, the layout and the expansion. */
  get parameters(): GalleryParameters | undefined {
    const p = this.ownMetadata?.parameters ?? this.chosen?.parameters;
    if (!p || p.audio.sampleFormat === 'opaque') return undefined;
    return {
      sampleFormat: p.audio.sampleFormat,
      channels: p.audio.channels,
      sampleRate: p.audio.sampleRate,
      layout: p.layout,
      expansion: p.geometry?.expansion ?? p.expansion ?? 1,
    };
  }

  /** New parameters from the page: the images are read by their own size at that expansion, and every clip decodes again. */
  async setParameters(next: GalleryParameters): Promise<void> {
    if (!isSampleFormat(next.sampleFormat)) throw new ResonanceError('SETTING_INVALID', next.sampleFormat, 'is not a sample format Resonance reads');
    if (next.channels < 1 || next.channels > 0xffff || next.sampleRate < 1 || next.expansion < 1)
      throw new ResonanceError('SETTING_INVALID', this.title, 'needs at least one channel, a sample rate and an expansion of 1 or more');
    this.chosen = {
      parameters: { audio: makeAudioFormat(next.sampleFormat, next.channels, next.sampleRate), layout: next.layout, expansion: next.expansion },
      from: '',
      origin: 'page',
    };
    await this.discardAudio();
  }

  /** Clips `offset`… of those the filter keeps: by name for samples, by source for a dataset. */
  async page(offset: number, count: number, filter: string): Promise<{ total: number; items: GalleryItem[] }> {
    const wanted = naturalFilter(filter);
    const end = offset + Math.min(count, 1000);
    // Unfiltered, a page waits only for its own lines; a filter by source, for the whole index.
    if (this.index) await (wanted === '' ? this.index.whenIndexed(end) : this.index.complete);
    if (wanted !== this.filtered.filter) {
      this.filtered = { filter: wanted, indices: this.index ? this.index.matching(wanted) : wanted === '' ? undefined : matchingNames(this.names!, wanted) };
    }
    const indices = this.filtered.indices;
    const total = indices ? indices.length : this.clipCount;
    const available = indices ? indices.length : (this.index?.count ?? total);
    const chosen: number[] = [];
    for (let i = offset; i < Math.min(total, available, end); i++) chosen.push(indices ? indices[i] : i);
    if (this.names) {
      return { total, items: chosen.map((index) => ({ index, name: this.names![index], path: encodeURIComponent(this.names![index]), ...this.durationOf() })) };
    }
    const records = await this.index!.read(chosen);
    return {
      total,
      items: records.map((r) => ({
        index: r.index,
        name: basename(r.path),
        path: r.path.split('/').map(encodeURIComponent).join('/'),
        source: r.source,
        startSeconds: r.startSeconds,
        durationSeconds: r.durationSeconds,
      })),
    };
  }

  /** The image of clip `index`, checked to be one of the gallery's. */
  async imageOf(index: number): Promise<string> {
    if (Number.isSafeInteger(index) && index >= 0) await this.index?.whenIndexed(index + 1);
    if (!Number.isSafeInteger(index) || index < 0 || index >= (this.index?.count ?? this.clipCount))
      throw new ResonanceError('INTERNAL', String(index), 'is not a clip of the gallery');
    if (this.names) return join(this.folder, this.names[index]);
    const [record] = await this.index!.read([index]);
    return join(this.folder, ...record.path.split('/'));
  }

  /** Clip `index` decoded to a WAV in the extension's storage (once), with its level. */
  decode(index: number): Promise<DecodedClip> {
    let decoded = this.decoded.get(index);
    if (!decoded) {
      decoded = this.decodeNow(index);
      decoded.catch(() => this.decoded.delete(index));
      this.decoded.set(index, decoded);
    }
    return decoded;
  }

  private async decodeNow(index: number): Promise<DecodedClip> {
    const input = await this.imageOf(index);
    const output = join(this.audioFolder, `${randomBytes(6).toString('hex')}.wav`);
    const result = await decodeImages([{ input, output }], { parameters: this.chosen?.parameters, workers: 1, strict: true });
    const image = result.decoded[0];
    const wav = await readFile(output);
    const { header } = canonicalContainer(image.audio, image.dataLength);
    const data = wav.subarray(header.length, header.length + image.dataLength);
    const format = image.audio.sampleFormat;
    const levels = format === 'opaque' ? { rmsDb: null, peakDb: null } : levelsOf(data, format);
    const { audio, layout, geometry, dataLength } = image;
    const stream = { audio, layout, geometry, dataLength, bytesPerFrame: dataLength, frameCount: 1 };
    const durationSeconds = dataLength / audio.blockAlign / audio.sampleRate;
    return { path: output, audio: { stream, durationSeconds, ownMetadata: image.metadata === 'image', ...levels } };
  }

  /** The clips at `indices` as WAVs in `destination`, named after their images; none replaces a file. */
  async export(indices: readonly number[], destination: string): Promise<DecodeImagesResult> {
    const inputs = await Promise.all([...new Set(indices)].map((index) => this.imageOf(index)));
    const wavs = wavNamesFor(inputs.map((input) => basename(input)));
    return decodeImages(
      inputs.map((input, i) => ({ input, output: join(destination, wavs[i]) })),
      { parameters: this.chosen?.parameters, overwrite: false, strict: true },
    );
  }

  async discardAudio(): Promise<void> {
    const decoded = [...this.decoded.values()];
    this.decoded = new Map();
    await Promise.all(
      decoded.map((clip) =>
        clip.then(
          (c) => rm(c.path, { force: true }),
          () => undefined,
        ),
      ),
    );
  }

  /** A samples clip's length, when the parameters fix it (a dataset's geometry); else known once decoded. */
  private durationOf(): { durationSeconds?: number } {
    const p = this.ownMetadata?.parameters ?? this.chosen?.parameters;
    if (!p?.clipBytes) return {};
    return { durationSeconds: p.clipBytes / p.audio.blockAlign / p.audio.sampleRate };
  }
}

/** An image's own decode parameters, when it is a PNG with a Resonance frame record (read from its first bytes only). */
async function ownMetadataOf(image: string): Promise<OwnMetadata | undefined> {
  if (!/\.png$/i.test(image)) return undefined;
  const header = await readPngHeaderFile(image).catch(() => undefined);
  const text = header?.texts.get(TEXT_KEYWORD);
  if (text === undefined) return undefined;
  try {
    const { audio, layout, geometry, bytesPerFrame } = parseFrameRecord(text, image);
    return { parameters: { audio, layout, geometry, clipBytes: bytesPerFrame }, image: basename(image) };
  } catch {
    // A record that does not parse is the clip's problem when it is played, not the gallery's.
    return undefined;
  }
}

function matchingNames(names: readonly string[], wanted: string): number[] {
  const out: number[] = [];
  names.forEach((name, i) => name.toLowerCase().includes(wanted) && out.push(i));
  return out;
}

/** RMS and peak over every sample of every channel, in dBFS (null for silence). */
function levelsOf(data: Uint8Array, sampleFormat: Parameters<typeof toNumbers>[1]): { rmsDb: number | null; peakDb: number | null } {
  const bytes = bytesPerSample(sampleFormat);
  const values = new Float64Array(Math.floor(data.length / bytes));
  toNumbers(data.subarray(0, values.length * bytes), sampleFormat, values);
  let sum = 0;
  let peak = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    sum += v * v;
    peak = Math.max(peak, Math.abs(v));
  }
  const db = (x: number) => (x > 0 ? Math.round(200 * Math.log10(x)) / 10 : null);
  return { rmsDb: values.length ? db(Math.sqrt(sum / values.length)) : null, peakDb: db(peak) };
}

interface DatasetJson {
  images?: number;
  sources?: { total?: number; used?: number; failed?: number };
  layout?: string;
  geometry?: { width?: number; height?: number; expansion?: number };
  clip?: { seconds?: number };
  splits?: Record<string, { folder: string; metadata: string; images?: number; sources?: number; seconds?: number }>;
}

function summaryOf(description: DatasetJson, parameters: ImageParameters): DatasetSummary {
  const g = parameters.geometry;
  return {
    images: description.images ?? 0,
    sources: { total: description.sources?.total ?? 0, used: description.sources?.used ?? 0, failed: description.sources?.failed ?? 0 },
    audio: describeAudioFormat(parameters.audio),
    geometry: g ? `${g.width} × ${g.height}, expansion ${g.expansion}` : '',
    layout: parameters.layout,
    clipSeconds: description.clip?.seconds ?? 0,
    splits: Object.entries(description.splits ?? {}).map(([name, s]) => ({ name, images: s.images ?? 0, sources: s.sources ?? 0, seconds: s.seconds ?? 0 })),
  };
}
