/**
 * Writing a one-function WebAssembly module by hand: the encodings the Adler-32 kernel
 * (png/adler32Simd.ts) and the resampler's dot kernel (dataset/audio/dotKernel.ts) share, and the
 * module around their code. Pure, with no Node, so that any layer may use it.
 */

// Instruction encodings (WebAssembly core and SIMD specifications).
export const I32 = 0x7f;
export const V128 = 0x7b;
export const BLOCK_VOID = [0x02, 0x40];
export const LOOP_VOID = [0x03, 0x40];
export const END = 0x0b;
export const BR = 0x0c;
export const BR_IF = 0x0d;
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const I32_CONST = 0x41;
export const I32_EQZ = 0x45;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const simdOp = (op: number): number[] => [0xfd, ...uleb(op)];
export const V128_LOAD = simdOp(0x00);
export const V128_CONST = simdOp(0x0c);

/** Unsigned LEB128, as sizes, counts, offsets and opcodes are written. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/**
 * A module whose one function, exported as `exported`, takes `parameters` i32s and returns nothing,
 * with `body` (its local declarations, then its code), and one page of memory exported as `memory`.
 */
export function oneFunctionModule(exported: string, parameters: number, body: number[]): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, parameters, ...new Array<number>(parameters).fill(I32), 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name(exported), 0, 0, ...name('memory'), 2, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
