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

const EDGE_SIZES = [0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

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

const ODD_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53, 1e309, -0, '', 'x', '0', [], [1], {}, { a: 1 }, 'AAAA', 'f'.repeat(64), 'frame_00000.png', '../x.png'];

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
