/**
 * What Resonance refuses to read or write, whatever a file or a command line says: sizes that real
 * audio and real frames never reach, chosen so that a job's memory stays bounded (docs/format.md,
 * Limits). Input beyond them fails with LIMIT_EXCEEDED before anything is allocated for it.
 */
import { ResonanceError } from './errors';

export const LIMITS = {
  /**
   * Pixels of one frame (width × height, any shape within the 16384-pixel sides): a frame job holds
   * a few copies of 3 bytes a pixel (the PNG file, its scanlines, the image, the data), once per
   * thread.
   */
  framePixels: 2048 * 2048,
  /** Bytes of a WAV's chunks before and after its data together: they are kept in memory and in the manifest. */
  sideChunkBytes: 16 * 1024 * 1024,
  /** Frames in one stream. */
  frames: 10_000_000,
  /** Frames of a folder without a manifest, or with a manifest that names them otherwise than Resonance does: their names are held in memory. */
  namedFrames: 1_000_000,
  /** Bytes of a PNG frame's chunks other than its image data (text, palette, colour profile…). */
  pngOtherChunkBytes: 8 * 1024 * 1024,
  /** Characters of one string in resonance.json other than the base64 header and trailer (names, checksums). */
  manifestStringChars: 4096,
  /** Nesting of JSON values in resonance.json, unknown fields included. */
  manifestDepth: 64,
} as const;

/** 4194304 as "4,194,304", without toLocaleString's ICU start-up. */
function grouped(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A byte count as the limits' messages give it: "16 MiB". */
export function mebibytes(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}

/** The LIMIT_EXCEEDED error for a frame of width × height pixels over the limit, or nothing. */
export function framePixelsProblem(width: number, height: number): string | undefined {
  const pixels = width * height;
  if (pixels <= LIMITS.framePixels) return undefined;
  return `a frame of ${width} × ${height} pixels is larger than Resonance handles: at most ${grouped(LIMITS.framePixels)} pixels (2048 × 2048, or any ` +
    `other shape of that area)`;
}

export function checkFramePixels(width: number, height: number, file: string, prefix = ''): void {
  const problem = framePixelsProblem(width, height);
  if (problem) throw new ResonanceError('LIMIT_EXCEEDED', file, `${prefix}${problem}`);
}
