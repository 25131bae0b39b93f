/**
 * Any image a trainer writes, read as 8-bit RGB: PNG (our reader, pngjs for the rest), JPEG
 * (jpeg-js) and WebP (libwebp through @cwasm/webp), told apart by their first bytes, not by their
 * names. JPEG and WebP are loaded on first use: Resonance's own frames never need them.
 * Their declared size is checked before anything is decoded, so that a small file claiming a huge
 * image is refused instead of filling memory.
 */
import { ResonanceError } from '../format/errors';
import { decodePng, type PngReadScratch } from '../png/pngReader';

export type ImageKind = 'png' | 'jpeg' | 'webp';

export interface DecodedImage {
  kind: ImageKind;
  width: number;
  height: number;
  /** width · height · 3 bytes, row by row. */
  rgb: Uint8Array;
  /** PNG text chunks by keyword (none for JPEG and WebP). */
  texts: Map<string, string>;
}

/** JPEG and WebP images larger than this many pixels are refused (a 4096 × 4096 image is 16.8 M). */
const MAX_DECODED_PIXELS = 4096 * 4096;

function imageKindOf(bytes: Uint8Array): ImageKind | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

export function decodeImage(bytes: Uint8Array, file: string, scratch?: PngReadScratch): DecodedImage {
  const kind = imageKindOf(bytes);
  if (kind === 'png') {
    const { header, rgb } = decodePng(bytes, file, scratch);
    return { kind, width: header.width, height: header.height, rgb, texts: header.texts };
  }
  if (kind === 'jpeg') return decodeJpeg(bytes, file);
  if (kind === 'webp') return decodeWebp(bytes, file);
  throw new ResonanceError('PNG_INVALID', file, 'is not a PNG, JPEG or WebP image');
}

function checkSize(file: string, width: number, height: number, what: string): void {
  if (width < 1 || height < 1) throw new ResonanceError('PNG_CORRUPT', file, `is a corrupt ${what}: it declares a size of ${width} × ${height}`);
  if (width * height > MAX_DECODED_PIXELS) {
    throw new ResonanceError('LIMIT_EXCEEDED', file, `is a ${width} × ${height} ${what}, more pixels than the 4096 × 4096 Resonance decodes`);
  }
}

function decodeJpeg(bytes: Uint8Array, file: string): DecodedImage {
  const jpeg = require('jpeg-js') as typeof import('jpeg-js');
  let image;
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_DECODED_PIXELS / 1e6, maxMemoryUsageInMB: 150 });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    if (/maxResolutionInMP|maxMemoryUsageInMB/.test(message))
      throw new ResonanceError('LIMIT_EXCEEDED', file, `is a JPEG larger than Resonance decodes (${message})`);
    throw new ResonanceError('PNG_CORRUPT', file, `is a corrupt JPEG: ${message}`);
  }
  checkSize(file, image.width, image.height, 'JPEG');
  return { kind: 'jpeg', width: image.width, height: image.height, rgb: image.data, texts: new Map() };
}

function decodeWebp(bytes: Uint8Array, file: string): DecodedImage {
  const size = webpSize(bytes);
  if (!size) throw new ResonanceError('PNG_CORRUPT', file, 'is a corrupt WebP: no VP8, VP8L or VP8X chunk with its size');
  checkSize(file, size.width, size.height, 'WebP');
  const webp = require('@cwasm/webp') as typeof import('@cwasm/webp');
  let image;
  try {
    image = webp.decode(bytes);
  } catch (error) {
    throw new ResonanceError('PNG_CORRUPT', file, `is a corrupt WebP: ${(error as Error).message.split('\n')[0]}`);
  }
  const pixels = image.width * image.height;
  const rgb = new Uint8Array(pixels * 3);
  // Alpha is dropped, not composited, as for PNG.
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 4, o += 3) {
    rgb[o] = image.data[i];
    rgb[o + 1] = image.data[i + 1];
    rgb[o + 2] = image.data[i + 2];
  }
  return { kind: 'webp', width: image.width, height: image.height, rgb, texts: new Map() };
}

/** A WebP's canvas size from its first chunk (VP8X, VP8 or VP8L), without decoding it. */
function webpSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 30) return undefined;
  const chunk = ascii(bytes, 12, 16);
  const u24 = (o: number) => bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16);
  if (chunk === 'VP8X') return { width: u24(24) + 1, height: u24(27) + 1 };
  if (chunk === 'VP8 ' && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
    return { width: (bytes[26] | (bytes[27] << 8)) & 0x3fff, height: (bytes[28] | (bytes[29] << 8)) & 0x3fff };
  }
  if (chunk === 'VP8L' && bytes[20] === 0x2f) {
    const bits = bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
