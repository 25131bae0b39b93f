/**
 * What a frames editor shows, from the file it was opened on: a folder's `resonance.json` or one
 * of its PNGs (the folder's sequence), or a WAV (the frames the settings would make, rendered in
 * memory). Loading plans the frames; the audio is decoded on demand to a file the webview plays.
 * No `vscode` import: unit-tested with the real codec.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  browserPlays,
  decodeFolder,
  gridOf,
  offGridMap,
  planFolder,
  planWavFrames,
  renderWavFrame,
  type Assumptions,
  type FolderPlan,
  type Geometry,
  type LayoutName,
  type Progress,
  type Reducer,
  type StreamInfo,
  type WavFrames,
  writeFloat32Wav,
} from '../codec';
import type { Integrity, OffGridView } from '../shared/protocol';

export type SourceSpec = { kind: 'folder'; folder: string; startName?: string } | { kind: 'wav'; wav: string };

export function sourceOfPath(path: string): SourceSpec {
  if (/\.wav$/i.test(path)) return { kind: 'wav', wav: path };
  if (/\.png$/i.test(path)) return { kind: 'folder', folder: dirname(path), startName: basename(path) };
  // resonance.json, and anything else opened with the editor, stands for the folder it is in.
  return { kind: 'folder', folder: dirname(path) };
}

export interface SourceSettings {
  /** For folders whose frames carry no metadata. */
  assume: Assumptions;
  /** For folders: how blocks are read as data pixels; by default the codec's default for the expansion. */
  reducer?: Reducer;
  /** For WAVs: the geometry and layout encoding would use now. */
  geometry: Partial<Geometry>;
  layout?: LayoutName;
}

export type LoadedSource =
  | {
      kind: 'folder';
      title: string;
      stream: StreamInfo;
      frameSize: { width: number; height: number };
      metadata: FolderPlan['metadata'];
      plan: FolderPlan;
      startFrame: number;
    }
  | { kind: 'wav'; title: string; stream: StreamInfo; frameSize: { width: number; height: number }; metadata: 'settings'; frames: WavFrames; startFrame: 0 };

export async function loadSource(spec: SourceSpec, settings: SourceSettings): Promise<LoadedSource> {
  if (spec.kind === 'wav') {
    const frames = await planWavFrames(spec.wav, { geometry: settings.geometry, layout: settings.layout });
    const { width, height } = frames.stream.geometry;
    return { kind: 'wav', title: basename(spec.wav), stream: frames.stream, frameSize: { width, height }, metadata: 'settings', frames, startFrame: 0 };
  }
  const plan = await planFolder(spec.folder, settings.assume);
  const start = spec.startName === undefined ? -1 : plan.frames.indexOf(spec.startName);
  return {
    kind: 'folder',
    title: basename(spec.folder),
    stream: plan.stream,
    frameSize: plan.frameSize,
    metadata: plan.metadata,
    plan,
    startFrame: Math.max(0, start),
  };
}

/** How far each block of frame `index` is from uniform: damage an edit or a model did to the frame. */
export async function offGridOfSource(source: LoadedSource, index: number, reducer?: Reducer): Promise<OffGridView> {
  const grid = gridOf(source.stream.geometry);
  if (!Number.isSafeInteger(index) || index < 0 || index >= source.stream.frameCount) throw new Error(`${source.title} has no frame ${index}`);
  const frame = source.kind === 'folder' ? join(source.plan.folder, source.plan.frames.nameOf(index)) : await renderWavFrame(source.frames, index);
  const { columns, rows, map, figure } = await offGridMap(frame, grid, reducer);
  return { columns, rows, map: new Uint8Array(map), figure };
}

export async function renderSourceFrame(source: LoadedSource, index: number): Promise<Uint8Array<ArrayBuffer>> {
  if (source.kind !== 'wav') throw new Error('frames of a folder are read by the webview from their files');
  // A copy that owns its whole buffer: the PNG may be a view into a larger pooled one.
  return new Uint8Array(await renderWavFrame(source.frames, index));
}

/** A start frame up to this size goes to the webview with the document; a larger one loads by URL like the rest. */
const START_IMAGE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The PNG of the frame the editor shows first, if it is at most `maxBytes`: a folder's file, or a
 * WAV's frame rendered. Undefined when it is larger or cannot be read (the editor then loads it as
 * it loads the other frames, and shows what goes wrong there).
 */
export async function startImageOf(source: LoadedSource, maxBytes = START_IMAGE_MAX_BYTES): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    if (source.kind === 'wav') {
      const png = await renderSourceFrame(source, source.startFrame);
      return png.byteLength <= maxBytes ? png : undefined;
    }
    const path = join(source.plan.folder, source.plan.frames.nameOf(source.startFrame));
    if ((await stat(path)).size > maxBytes) return undefined;
    const file = await readFile(path);
    // A copy that owns its whole buffer, as messages to the webview carry whole buffers.
    return file.byteLength <= maxBytes ? new Uint8Array(file) : undefined;
  } catch {
    return undefined;
  }
}

export interface DecodedAudio {
  /** The WAV to play. */
  path: string;
  integrity?: Integrity;
}

/**
 * A WAV plays as it is. A folder is decoded to `output`, checking each frame's checksum on the
 * way: the same work as Decode to WAV, into the extension's storage instead of beside the folder.
 * Audio in a format the webview cannot play (64-bit float; 24- and 32-bit integer, which it cannot
 * seek in) is played from a 32-bit float copy at `output`.
 */
export async function decodeSourceAudio(
  source: LoadedSource,
  output: string,
  options: { assume: Assumptions; reducer?: Reducer; signal?: AbortSignal; onProgress?: (progress: Progress) => void },
): Promise<DecodedAudio> {
  const { assume, reducer, signal, onProgress } = options;
  const playable = browserPlays(source.stream.audio.sampleFormat);
  if (source.kind === 'wav') {
    if (playable) return { path: source.frames.input };
    await writeFloat32Wav(source.frames.input, output, signal);
    return { path: output };
  }
  const decoded = playable ? output : `${output}.decoded.wav`;
  const result = await decodeFolder(source.plan.folder, { output: decoded, overwrite: true, assume, reducer, signal, onProgress, offGrid: true });
  if (!playable) {
    try {
      await writeFloat32Wav(decoded, output, signal);
    } finally {
      await rm(decoded, { force: true });
    }
  }
  const { frameCount, unchanged, modified, unverified, bitExact, offGrid } = result;
  return {
    path: output,
    integrity: { frameCount, unchanged, modified, unverified, ...(bitExact === undefined ? {} : { bitExact }), ...(offGrid ? { offGrid } : {}) },
  };
}
