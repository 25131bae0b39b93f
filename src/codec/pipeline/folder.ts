/**
 * What a folder of frames holds and how to read it: the frames in order, and the stream's
 * parameters from the manifest, failing that from the first frame's text chunk, failing that from
 * what the caller assumes. Shared by decoding, `info` and the frames editor. Nothing here grows
 * with the number of frames a manifest lists: its frame list is read as a stream, and names
 * Resonance wrote are computed, not kept.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeAudioFormat, type AudioFormat, type SampleFormat } from '../format/audioFormat';
import { ResonanceError } from '../format/errors';
import { frameNamesOf, listedFrameNames, type FrameNames } from '../format/frameNames';
import { geometryProblem, gridOf, type Geometry } from '../format/geometry';
import { layoutOf, type LayoutName } from '../format/layout';
import { checkFramePixels, LIMITS } from '../format/limits';
import {
  MANIFEST_NAME,
  type ManifestHead,
  type MetadataSource,
  parseFrameRecord,
  TEXT_KEYWORD,
  type FrameRecord,
  type SourceContainer,
  type StreamInfo,
} from '../format/manifest';
import { entryBatches } from '../files/folderEntries';
import { irregularFileProblem } from '../files/safeOpen';
import { exists, toResonanceError } from '../files/systemErrors';
import { readPngHeaderFile } from '../png/pngFile';
import { sourceContainerProblem } from '../wav/wavFile';
import { readManifest, type ManifestReading } from '../files/manifestFile';

/** What to assume for frames that carry no metadata (and, for expansion, no manifest either). */
export interface Assumptions {
  sampleRate?: number;
  channels?: number;
  sampleFormat?: SampleFormat;
  expansion?: number;
  /**
   * The frame size the audio was encoded at, when the frames come at another (a model that outputs
   * 512 × 512 for 768 × 768 frames): the grid is then width/E × height/E whatever the frames' size.
   */
  width?: number;
  height?: number;
  layout?: LayoutName;
}

export interface FolderPlan {
  folder: string;
  /** Frame file names in frame order. */
  frames: FrameNames;
  stream: StreamInfo;
  metadata: MetadataSource;
  /** Size of the first frame, which every frame must share. */
  frameSize: { width: number; height: number };
  /** The original header and trailer, checked against the stream; with the manifest, the data's checksum too. */
  source?: SourceContainer & { dataSha256?: string };
  manifest?: ManifestHead;
  /** The manifest as it was read, to read its frame checksums again, in order, while decoding. */
  manifestReading?: ManifestReading;
}

/** Listed frames are looked for this many at a time. */
const PRESENCE_BATCH = 128;

export async function planFolder(folder: string, assume: Assumptions = {}): Promise<FolderPlan> {
  const folderStats = await stat(folder);
  if (!folderStats.isDirectory()) throw new ResonanceError('NOT_A_FOLDER', folder, 'is not a folder of frames');
  const manifestPath = join(folder, MANIFEST_NAME);

  if (await exists(manifestPath)) {
    const reading = await readManifest(manifestPath);
    const { head, names } = reading;
    await checkSource(head.source, head, manifestPath, 'its "source.header"');
    if (Buffer.from(head.source.header.slice(0, 8), 'base64').toString('latin1', 0, 4) !== head.source.container) {
      throw new ResonanceError(
        'MANIFEST_INCONSISTENT',
        manifestPath,
        `says the original was a ${head.source.container} file, but its "source.header" does not start with ${head.source.container}`,
      );
    }
    await checkFramesPresent(folder, names);
    return {
      folder,
      frames: names,
      stream: head,
      metadata: 'manifest',
      frameSize: await frameSizeOf(join(folder, names.nameOf(0))),
      source: head.source,
      manifest: head,
      manifestReading: reading,
    };
  }

  const { names: pngNames, entries } = await pngFilesOf(folder);
  const frames = listedFrameNames(frameNamesOf(pngNames));
  if (frames.count === 0) throw new ResonanceError('NO_FRAMES', folder, `holds no PNG frames${entries === 0 ? ' (it is empty)' : ''}`);
  const first = join(folder, frames.nameOf(0));
  const header = await readPngHeaderFile(first);
  const frameSize = { width: header.width, height: header.height };
  const recordText = header.texts.get(TEXT_KEYWORD);
  if (recordText !== undefined) {
    const record: FrameRecord = parseFrameRecord(recordText, first);
    const { geometry, layout, audio, dataLength, bytesPerFrame } = record;
    // The frames present decide how many there are; taken as consecutive from the first one's index,
    // the record's dataLength caps the bytes kept, so a last frame alone drops its zero padding.
    const dataLeft = Math.max(0, dataLength - record.frame * bytesPerFrame);
    const stream = { geometry, layout, audio, bytesPerFrame, frameCount: frames.count, dataLength: Math.min(dataLeft, frames.count * bytesPerFrame) };
    const complete = frames.count === record.frameCount && record.frame === 0;
    if (complete && record.source) await checkSource(record.source, record, first, "its resonance text chunk's \"source.header\"");
    return { folder, frames, stream, metadata: 'frames', frameSize, source: complete ? record.source : undefined };
  }
  return { folder, frames, stream: assumedStream(folder, assume, frameSize, frames.count), metadata: 'assumed', frameSize };
}

/** The original header and trailer must be the WAV the stream says they are, or "exact" would mean nothing. */
async function checkSource(source: SourceContainer, stream: StreamInfo, file: string, what: string): Promise<void> {
  const problem = await sourceContainerProblem(Buffer.from(source.header, 'base64'), Buffer.from(source.trailer, 'base64'), stream.audio, stream.dataLength);
  if (problem) throw new ResonanceError('MANIFEST_INCONSISTENT', file, `${what} ${problem}`);
}

/** Folders of at most this many entries are listed once to check their frames are there (one stat a frame otherwise). */
const LISTED_ENTRIES = 200_000;

/**
 * Every frame the manifest lists must be there, as a file, before any work starts. The folder's
 * regular files are listed once, with their types (a few calls of the system for thousands of
 * frames, where a stat each was a tenth of a second at 4,070 frames); a listed frame not among them
 * is stat'ed as before, for its error: missing, a symbolic link (followed), a FIFO. A folder of more
 * entries than LISTED_ENTRIES is not held in memory: each frame is stat'ed.
 */
async function checkFramesPresent(folder: string, names: FrameNames): Promise<void> {
  const files = await regularFilesOf(folder);
  const unseen: string[] = [];
  const flush = async () => {
    await Promise.all(unseen.splice(0).map((path) => checkFramePresent(path)));
  };
  for (let i = 0; i < names.count; i++) {
    const name = names.nameOf(i);
    if (files?.has(name)) continue;
    unseen.push(join(folder, name));
    if (unseen.length >= PRESENCE_BATCH) await flush();
  }
  await flush();
}

/** The names of the folder's regular files (not following links), or undefined for a folder too large to hold them. */
async function regularFilesOf(folder: string): Promise<Set<string> | undefined> {
  const files = new Set<string>();
  let entries = 0;
  try {
    for await (const batch of entryBatches(folder)) {
      entries += batch.length;
      if (entries > LISTED_ENTRIES) return undefined;
      for (const entry of batch) if (entry.isFile()) files.add(entry.name);
    }
  } catch {
    // Each frame's stat then says what is wrong.
    return undefined;
  }
  return files;
}

async function checkFramePresent(path: string): Promise<void> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ResonanceError('FRAME_MISSING', path, `is listed in ${MANIFEST_NAME} but missing from the folder`);
    throw toResonanceError(error, path);
  }
  const problem = irregularFileProblem(stats, 'a PNG frame');
  if (problem) throw new ResonanceError('NOT_A_FILE', path, problem);
}

/** The folder's PNG files (not hidden); how many entries it has in all. */
async function pngFilesOf(folder: string): Promise<{ names: string[]; entries: number }> {
  const names: string[] = [];
  let entries = 0;
  for await (const batch of entryBatches(folder)) {
    for (const entry of batch) {
      entries++;
      if (!/\.png$/i.test(entry.name) || entry.name.startsWith('.')) continue;
      if (names.length >= LIMITS.namedFrames) {
        throw new ResonanceError(
          'LIMIT_EXCEEDED',
          folder,
          `holds more than ${LIMITS.namedFrames} PNG files and no ${MANIFEST_NAME}: the most Resonance reads without one`,
        );
      }
      names.push(entry.name);
    }
  }
  return { names, entries };
}

function assumedStream(folder: string, assume: Assumptions, frameSize: { width: number; height: number }, frameCount: number): StreamInfo {
  const missing = [
    assume.sampleRate === undefined && 'sample rate',
    assume.channels === undefined && 'channels',
    assume.sampleFormat === undefined && 'sample format',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ResonanceError(
      'NO_METADATA',
      folder,
      `has no ${MANIFEST_NAME} and its frames carry no Resonance metadata: give the ${missing.join(', ')} to decode it`,
    );
  }
  const geometry: Geometry = { width: assume.width ?? frameSize.width, height: assume.height ?? frameSize.height, expansion: assume.expansion ?? 1 };
  const problem = geometryProblem(geometry);
  if (problem) throw new ResonanceError('GEOMETRY_INVALID', folder, `cannot be decoded with these frames: ${problem}`);
  checkFramePixels(geometry.width, geometry.height, folder, 'cannot be decoded at this size: ');
  // The ranges of the WAV header fields the decoded file will have.
  for (const [name, value, max] of [
    ['channels', assume.channels, 0xffff],
    ['sample rate', assume.sampleRate, 0xffffffff],
  ] as const) {
    if (!Number.isSafeInteger(value) || value! < 1 || value! > max)
      throw new ResonanceError('PARAMETER_INVALID', folder, `cannot be decoded: the ${name} must be a whole number from 1 to ${max}, not ${value}`);
  }
  const audio: AudioFormat = makeAudioFormat(assume.sampleFormat!, assume.channels!, assume.sampleRate!);
  if (audio.blockAlign > 0xffff)
    throw new ResonanceError(
      'PARAMETER_INVALID',
      folder,
      `cannot be decoded: ${assume.channels} channels of ${assume.sampleFormat} make sample frames of ${audio.blockAlign} bytes, more than a WAV ` +
        `header can say (65535)`,
    );
  const layout = assume.layout ?? 'bytes';
  const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), audio);
  return { geometry, layout, audio, bytesPerFrame, frameCount, dataLength: bytesPerFrame * frameCount };
}

async function frameSizeOf(file: string): Promise<{ width: number; height: number }> {
  const { width, height } = await readPngHeaderFile(file, 33);
  return { width, height };
}
