/**
 * PNG frames read from disk, never more of a file than a PNG of its declared size can need: the
 * file is opened only if it is a regular file (a FIFO or /dev/zero would never end), its header
 * says how large the image is, and reading stops at maxPngFileBytes of it. A frame with a
 * gigabyte after its IEND chunk is read up to IEND; one whose chunks go on past that bound is
 * refused with LIMIT_EXCEEDED.
 */
import { closeSync, readSync } from 'node:fs';
import { ResonanceError } from '../format/errors';
import { openRegularFile, openRegularFileSync } from '../files/safeOpen';
import { toResonanceError } from '../files/systemErrors';
import { decodePng, maxPngFileBytes, readPngHeader, type DecodedPng, type PngHeader, type PngReadScratch } from './pngReader';

/** Signature and IHDR chunk: what says how large the rest may be. */
const HEADER_BYTES = 33;
const WHAT = 'a PNG frame';
/** The first read of a frame when no frame has been read on this thread yet. */
const FIRST_READ_BYTES = 64 * 1024;

export interface PngFileScratch extends PngReadScratch {
  file?: Buffer;
}

/** Reads and decodes the frame at `path` on this thread, in memory reused from call to call. */
export function decodePngFileSync(path: string, scratch: PngFileScratch): DecodedPng {
  const { fd, size } = openRegularFileSync(path, WHAT);
  let bytes: Buffer;
  try {
    // One read for the header and as much of the rest as the scratch memory holds (for frames of one
    // size, the whole file): a frame of 64 × 64 costs as much in calls to the system as in decoding.
    if (!scratch.file || scratch.file.length < HEADER_BYTES) scratch.file = Buffer.allocUnsafeSlow(FIRST_READ_BYTES);
    const first = readFully(fd, scratch.file, Math.min(size, scratch.file.length), 0, path);
    const length = Math.min(size, maxPngFileBytes(readPngHeader(scratch.file.subarray(0, Math.min(first, HEADER_BYTES)), path)));
    if (length <= first) bytes = scratch.file.subarray(0, length);
    else if (first < Math.min(size, scratch.file.length)) bytes = scratch.file.subarray(0, first);
    else {
      // Larger than the scratch memory: it grows, keeping what was read, and the rest is read after it.
      const grown = Buffer.allocUnsafeSlow(length);
      scratch.file.copy(grown, 0, 0, first);
      scratch.file = grown;
      bytes = grown.subarray(0, first + readFully(fd, grown.subarray(first), length - first, first, path));
    }
  } finally {
    closeSync(fd);
  }
  return withinBound(() => decodePng(bytes, path, scratch), size > bytes.length, path, bytes.length);
}

/** Reads the frame at `path` whole (as far as a PNG of its size may go), for work off the frame pool. */
export async function readPngFile(path: string): Promise<Buffer> {
  const { handle, size } = await openRegularFile(path, WHAT);
  try {
    const head = await readAt(handle, Math.min(size, HEADER_BYTES), 0, path);
    const bytes = await readAt(handle, Math.min(size, maxPngFileBytes(readPngHeader(head, path))), 0, path);
    if (size > bytes.length) withinBound(() => decodePng(bytes, path), true, path, bytes.length);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** The header and text chunks of the frame at `path`, reading at most `maxBytes` of it (by default as far as its text chunks may go). */
export async function readPngHeaderFile(path: string, maxBytes?: number): Promise<PngHeader> {
  const { handle, size } = await openRegularFile(path, WHAT);
  try {
    const head = await readAt(handle, Math.min(size, HEADER_BYTES), 0, path);
    const header = readPngHeader(head, path);
    if (maxBytes !== undefined && maxBytes <= HEADER_BYTES) return header;
    return readPngHeader(await readAt(handle, Math.min(size, maxBytes ?? maxPngFileBytes(header)), 0, path), path);
  } finally {
    await handle.close();
  }
}

/** A frame read only up to its bound that then fails as cut short was cut short by the bound: it is too large, not corrupt. */
function withinBound<T>(decode: () => T, cut: boolean, path: string, bound: number): T {
  try {
    return decode();
  } catch (error) {
    if (cut && error instanceof ResonanceError && error.code === 'PNG_CORRUPT') {
      throw new ResonanceError('LIMIT_EXCEEDED', path, `goes on past the ${bound} bytes a PNG of its size may take without reaching its IEND chunk`);
    }
    throw error;
  }
}

async function readAt(handle: import('node:fs/promises').FileHandle, length: number, position: number, path: string): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  try {
    while (done < length) {
      const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
  } catch (error) {
    throw toResonanceError(error, path);
  }
  return buffer.subarray(0, done);
}

function readFully(fd: number, into: Buffer, length: number, position: number, path: string): number {
  let done = 0;
  try {
    while (done < length) {
      const n = readSync(fd, into, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
  } catch (error) {
    throw toResonanceError(error, path);
  }
  return done;
}
