/**
 * What a folder of frames holds and how to read it: the frames in order, and the stream's
 * parameters from the manifest, failing that from the first frame's text chunk, failing that from
 * what the caller assumes. Shared by decoding, `info` and the frames editor.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeAudioFormat, type AudioFormat, type SampleFormat } from '../format/audioFormat';
import { ResonanceError } from '../format/errors';
import { geometryProblem, gridOf, type Geometry } from '../format/geometry';
import { layoutOf, type LayoutName } from '../format/layout';
import { MANIFEST_NAME, type MetadataSource, parseFrameRecord, parseManifest, TEXT_KEYWORD, type FrameRecord, type Manifest, type SourceContainer, type StreamInfo } from '../format/manifest';
import { frameNamesOf } from '../format/frameNames';
import { readPngHeader } from '../png/pngReader';

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
  frames: string[];
  stream: StreamInfo;
  metadata: MetadataSource;
  /** Size of the first frame, which every frame must share. */
  frameSize: { width: number; height: number };
  /** Checksums recorded by the manifest, by frame index. */
  manifestSha256?: string[];
  source?: SourceContainer & { dataSha256?: string };
  manifest?: Manifest;
}

export async function planFolder(folder: string, assume: Assumptions = {}): Promise<FolderPlan> {
  const folderStats = await stat(folder);
  if (!folderStats.isDirectory()) throw new ResonanceError('NOT_A_FOLDER', folder, 'is not a folder of frames');
  const names = await readdir(folder);
  const manifest = names.includes(MANIFEST_NAME) ? parseManifest(await readFile(join(folder, MANIFEST_NAME), 'utf8'), join(folder, MANIFEST_NAME)) : undefined;

  if (manifest) {
    const present = new Set(names);
    const missing = manifest.frames.find((f) => !present.has(f.file));
    if (missing) throw new ResonanceError('FRAME_MISSING', join(folder, missing.file), `is listed in ${MANIFEST_NAME} but missing from the folder`);
    const frames = manifest.frames.map((f) => f.file);
    return {
      folder,
      frames,
      stream: manifest,
      metadata: 'manifest',
      frameSize: await frameSizeOf(join(folder, frames[0])),
      manifestSha256: manifest.frames.map((f) => f.sha256),
      source: manifest.source,
      manifest,
    };
  }

  const frames = frameNamesOf(names);
  if (frames.length === 0) throw new ResonanceError('NO_FRAMES', folder, `holds no PNG frames${names.length === 0 ? ' (it is empty)' : ''}`);
  const first = join(folder, frames[0]);
  const header = readPngHeader(await readFile(first), first);
  const frameSize = { width: header.width, height: header.height };
  const recordText = header.texts.get(TEXT_KEYWORD);
  if (recordText !== undefined) {
    const record: FrameRecord = parseFrameRecord(recordText, first);
    const { geometry, layout, audio, dataLength, bytesPerFrame } = record;
    // The frames present decide how many there are; taken as consecutive from the first one's index,
    // the record's dataLength caps the bytes kept, so a last frame alone drops its zero padding.
    const dataLeft = Math.max(0, dataLength - record.frame * bytesPerFrame);
    const stream = { geometry, layout, audio, bytesPerFrame, frameCount: frames.length, dataLength: Math.min(dataLeft, frames.length * bytesPerFrame) };
    const complete = frames.length === record.frameCount && record.frame === 0;
    return { folder, frames, stream, metadata: 'frames', frameSize, source: complete ? record.source : undefined };
  }
  return { folder, frames, stream: assumedStream(folder, assume, frameSize, frames.length), metadata: 'assumed', frameSize };
}

function assumedStream(folder: string, assume: Assumptions, frameSize: { width: number; height: number }, frameCount: number): StreamInfo {
  const missing = [
    assume.sampleRate === undefined && 'sample rate',
    assume.channels === undefined && 'channels',
    assume.sampleFormat === undefined && 'sample format',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ResonanceError('NO_METADATA', folder, `has no ${MANIFEST_NAME} and its frames carry no Resonance metadata: give the ${missing.join(', ')} to decode it`);
  }
  const geometry: Geometry = { width: assume.width ?? frameSize.width, height: assume.height ?? frameSize.height, expansion: assume.expansion ?? 1 };
  const problem = geometryProblem(geometry);
  if (problem) throw new ResonanceError('GEOMETRY_INVALID', folder, `cannot be decoded with these frames: ${problem}`);
  for (const [name, value] of [['channels', assume.channels], ['sample rate', assume.sampleRate]] as const) {
    if (!Number.isSafeInteger(value) || value! < 1) throw new ResonanceError('PARAMETER_INVALID', folder, `cannot be decoded: the ${name} must be a whole number of at least 1, not ${value}`);
  }
  const audio: AudioFormat = makeAudioFormat(assume.sampleFormat!, assume.channels!, assume.sampleRate!);
  const layout = assume.layout ?? 'bytes';
  const bytesPerFrame = layoutOf(layout).bytesPerFrame(gridOf(geometry), audio);
  return { geometry, layout, audio, bytesPerFrame, frameCount, dataLength: bytesPerFrame * frameCount };
}

async function frameSizeOf(file: string): Promise<{ width: number; height: number }> {
  const handle = await open(file, 'r');
  try {
    const prefix = Buffer.alloc(33);
    const { bytesRead } = await handle.read(prefix, 0, 33, 0);
    const header = readPngHeader(prefix.subarray(0, bytesRead), file);
    return { width: header.width, height: header.height };
  } finally {
    await handle.close();
  }
}
