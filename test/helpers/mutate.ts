/**
 * Seeded mutations of file bytes and JSON for fuzz tests: bit flips, truncations, inserted and
 * deleted bytes, and chunk sizes set to random or edge values (RIFF chunks are little-endian,
 * PNG chunks big-endian).
 */
import type { Prng } from './prng';

export type ChunkFormat = 'riff' | 'png';

/** Offsets of the 32-bit size fields of every chunk, found by walking the unmutated file. */
export function chunkSizeOffsets(bytes: Buffer, format: ChunkFormat): number[] {
  const offsets: number[] = [];
  if (format === 'riff') {
    offsets.push(4);
    for (let at = 12; at + 8 <= bytes.length; ) {
      offsets.push(at + 4);
      const size = bytes.readUInt32LE(at + 4);
      if (bytes.toString('latin1', at, at + 4) === 'data' && size >= 0xffffffff - 1) break;
      at += 8 + size + (size & 1);
    }
  } else {
    for (let at = 8; at + 8 <= bytes.length; ) {
      offsets.push(at);
      at += 12 + bytes.readUInt32BE(at);
    }
  }
  return offsets;
}

/** Sizes at the edges, and the placeholders streaming writers leave (0x7FFFF000 of SoX and espeak-ng, 0x80000000 of arecord). */
const EDGE_SIZES = [0, 1, 2, 3, 0x7fffffff, 0x7ffff000, 0x80000000, 0xfffffffe, 0xffffffff];

export function flipBits(original: Buffer, prng: Prng): { bytes: Buffer; how: string } {
  const bytes = Buffer.from(original);
  const flips = prng.between(1, 8);
  for (let i = 0; i < flips; i++) bytes[prng.below(bytes.length)] ^= 1 << prng.below(8);
  return { bytes, how: `${flips} bit flips` };
}

export function mutateBytes(original: Buffer, format: ChunkFormat, prng: Prng): { bytes: Buffer; how: string } {
  const bytes = Buffer.from(original);
  switch (prng.below(6)) {
    case 0:
      return flipBits(original, prng);
    case 1: {
      const length = prng.below(bytes.length);
      return { bytes: bytes.subarray(0, length), how: `truncated to ${length} bytes` };
    }
    case 2: {
      const at = prng.below(bytes.length + 1);
      const inserted = prng.bytes(prng.between(1, 16));
      return { bytes: Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]), how: `${inserted.length} bytes inserted at ${at}` };
    }
    case 3: {
      const at = prng.below(bytes.length);
      const length = prng.between(1, 32);
      return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]), how: `${length} bytes deleted at ${at}` };
    }
    default: {
      const offsets = chunkSizeOffsets(original, format);
      const at = prng.pick(offsets);
      const old = format === 'riff' ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
      const choice = prng.below(3);
      const size = choice === 0 ? prng.pick(EDGE_SIZES) : choice === 1 ? (old + prng.between(-3, 3)) >>> 0 : prng.nextUint32();
      if (format === 'riff') bytes.writeUInt32LE(size, at);
      else bytes.writeUInt32BE(size, at);
      return { bytes, how: `chunk size at ${at} set to ${size}` };
    }
  }
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53,
  1e309,
  -0,
  '',
  'x',
  '0',
  [],
  [1],
  {},
  { a: 1 },
  'AAAA',
  'f'.repeat(64),
  'frame_00000.png',
  '../x.png',
];

/** A JSON text mutated either as text (characters flipped, cut, inserted) or as a value (a field replaced, removed or added). */
export function mutateJson(text: string, prng: Prng): { text: string; how: string } {
  if (prng.below(2) === 0) {
    const chars = [...text];
    const at = prng.below(chars.length);
    switch (prng.below(3)) {
      case 0:
        chars[at] = prng.pick(['{', '}', '[', ']', '"', ',', ':', '0', '9', '-', 'e', '\\', ' ', 'é', '\u0000']);
        return { text: chars.join(''), how: `character ${at} replaced` };
      case 1:
        return { text: text.slice(0, at), how: `cut at ${at}` };
      default:
        return { text: text.slice(0, at) + text.slice(at + prng.between(1, 20)), how: `characters deleted at ${at}` };
    }
  }
  const value = JSON.parse(text) as unknown;
  const containers: Array<Record<string, unknown> | unknown[]> = [];
  const collect = (v: unknown) => {
    if (v && typeof v === 'object') {
      containers.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) collect(child);
    }
  };
  collect(value);
  const target = prng.pick(containers);
  const keys = Object.keys(target);
  const key = keys.length > 0 && prng.below(5) > 0 ? prng.pick(keys) : 'extra';
  const replacement = prng.pick(ODD_VALUES);
  if (prng.below(4) === 0 && !Array.isArray(target)) delete (target as Record<string, unknown>)[key];
  else (target as Record<string, unknown>)[key] = replacement;
  return { text: JSON.stringify(value), how: `field ${key} set to ${JSON.stringify(replacement)} or removed` };
}

/** Format tags Resonance interprets and some it does not (ADPCM, GSM, MP3, EXTENSIBLE, unknown). */
const FORMAT_TAGS = [0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031, 0x0055, 0xfffe, 0x1234];

/**
 * Hostile edits of a WAV's header fields, found by walking to its fmt chunk: the format tag, the
 * channel count, the block align (0 included), the bits per sample, the container's magic (RIFX).
 */
export function mutateWavFields(original: Buffer, prng: Prng): { bytes: Buffer; how: string } {
  const bytes = Buffer.from(original);
  let fmt = -1;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32LE(at + 4);
    if (bytes.toString('latin1', at, at + 4) === 'fmt ') {
      fmt = at + 8;
      break;
    }
    at += 8 + size + (size & 1);
  }
  if (fmt < 0 || fmt + 16 > bytes.length) return flipBits(original, prng);
  switch (prng.below(5)) {
    case 0: {
      const tag = prng.pick(FORMAT_TAGS);
      bytes.writeUInt16LE(tag, fmt);
      return { bytes, how: `format tag set to 0x${tag.toString(16)}` };
    }
    case 1: {
      const channels = prng.pick([0, 1, 3, 255, 65535]);
      bytes.writeUInt16LE(channels, fmt + 2);
      return { bytes, how: `channels set to ${channels}` };
    }
    case 2: {
      const blockAlign = prng.pick([0, 1, 5, 65535]);
      bytes.writeUInt16LE(blockAlign, fmt + 12);
      return { bytes, how: `block align set to ${blockAlign}` };
    }
    case 3: {
      const bits = prng.pick([0, 4, 12, 40, 64, 65535]);
      bytes.writeUInt16LE(bits, fmt + 14);
      return { bytes, how: `bits per sample set to ${bits}` };
    }
    default:
      bytes.write('RIFX', 0, 'latin1');
      return { bytes, how: 'magic set to RIFX (every size then read big-endian)' };
  }
}

/**
 * Hostile PNGs made from a real one: an IHDR declaring a huge image, thousands of empty IDAT
 * chunks, junk after IEND, a large text chunk, a palette image declaring a huge size.
 */
export function mutatePngStructure(original: Buffer, prng: Prng, crc: (bytes: Uint8Array) => number): { bytes: Buffer; how: string } {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const idat = original.indexOf('IDAT', 0, 'latin1') - 4;
  switch (prng.below(4)) {
    case 0: {
      const bytes = Buffer.from(original);
      const side = prng.pick([16384, 30000, 32768, 65535, 65536, 0x7fffffff]);
      bytes.writeUInt32BE(side, 16);
      bytes.writeUInt32BE(prng.pick([1, side]), 20);
      if (prng.below(2) === 0) bytes[25] = 3;
      bytes.writeUInt32BE(crc(bytes.subarray(12, 29)), 29);
      return { bytes, how: `IHDR declaring ${bytes.readUInt32BE(16)} × ${bytes.readUInt32BE(20)}` };
    }
    case 1: {
      const count = prng.between(1000, 5000);
      const empty = chunk('IDAT', Buffer.alloc(0));
      const many = Buffer.alloc(empty.length * count);
      for (let at = 0; at < many.length; at += empty.length) empty.copy(many, at);
      return { bytes: Buffer.concat([original.subarray(0, idat), many, original.subarray(idat)]), how: `${count} empty IDAT chunks` };
    }
    case 2:
      return { bytes: Buffer.concat([original, prng.bytes(prng.between(1, 70000))]), how: 'junk after IEND' };
    default: {
      const length = prng.pick([0, 100, 70000, 2_000_000]);
      return {
        bytes: Buffer.concat([
          original.subarray(0, idat),
          chunk('tEXt', Buffer.concat([Buffer.from('resonance\0'), Buffer.alloc(length, 0x7b)])),
          original.subarray(idat),
        ]),
        how: `a text chunk of ${length} bytes`,
      };
    }
  }
}
