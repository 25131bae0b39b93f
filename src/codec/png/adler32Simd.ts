/**
 * The bulk of Adler-32 in WebAssembly SIMD, for the writer's stored frames: about four times the
 * speed of the best plain JavaScript loop, which costs some 1.2 ms more of every 768 × 768 stored
 * frame written (`npm run bench:internals`, docs/decisions.md "health2"). node:zlib has no adler32.
 *
 * The module is assembled below from its instructions (it is 200 bytes; no toolchain needed). Its
 * one function, blocks(pointer, count), sums `count` 32-byte blocks at `pointer` in its memory and
 * stores three i32x4 vectors at address 0: the byte sums (s1), the running sum of s1 before each
 * block (ps), and the byte sums weighted 32 down to 1 within each block (s2). Then for those
 * n = 32 · count bytes, Adler's b grows by n · a + 32 · ps + s2 and its a by s1.
 */
import {
  BLOCK_VOID,
  BR,
  BR_IF,
  END,
  I32_ADD,
  I32_CONST,
  I32_EQZ,
  I32_SUB,
  LOCAL_GET,
  LOCAL_SET,
  LOOP_VOID,
  oneFunctionModule,
  simdOp,
  uleb,
  V128,
  V128_CONST,
  V128_LOAD,
} from '../format/wasmModule';

/** Where each piece of the data is copied to; below it, the three result vectors. */
const DATA_OFFSET = 64;
/**
 * Blocks a call: the data goes through the module's one page of memory in pieces of 32 KiB, and no
 * i32 lane of ps can overflow in so few (each lane sums 8 bytes a block).
 */
const MAX_BLOCKS = 1024;
const BLOCK = 32;
const ADLER_BASE = 65521;

interface Blocks {
  blocks(pointer: number, count: number): void;
  memory: { buffer: ArrayBuffer };
}

/**
 * The part of the WebAssembly API used here. Node has it as a global, but its type declarations
 * come only with the DOM's, which the codec's Node code is checked without.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
}

/** Adler-32 of `data` continuing from `previous`; only when adler32SimdAvailable. */
export function adler32Simd(data: Uint8Array, previous: number): number {
  const { blocks, memory } = simd!;
  const piece = new Uint8Array(memory.buffer, DATA_OFFSET, MAX_BLOCKS * BLOCK);
  const lanes = new Uint32Array(memory.buffer, 0, 12);
  let a = previous & 0xffff;
  let b = previous >>> 16;
  const whole = data.length - (data.length % BLOCK);
  for (let done = 0; done < whole; ) {
    const count = Math.min(MAX_BLOCKS, (whole - done) / BLOCK);
    piece.set(data.subarray(done, done + count * BLOCK));
    blocks(DATA_OFFSET, count);
    const s1 = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    const ps = lanes[4] + lanes[5] + lanes[6] + lanes[7];
    const s2 = lanes[8] + lanes[9] + lanes[10] + lanes[11];
    // Every term stays below 2^53: exact in doubles.
    b = (b + count * BLOCK * a + BLOCK * ps + s2) % ADLER_BASE;
    a = (a + s1) % ADLER_BASE;
    done += count * BLOCK;
  }
  for (let i = whole; i < data.length; i++) {
    a += data[i];
    b += a;
  }
  return (((b % ADLER_BASE) << 16) | (a % ADLER_BASE)) >>> 0;
}

function instantiate(): Blocks | undefined {
  try {
    const bytes = assemble();
    const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
    if (!wasm || !wasm.validate(bytes)) return undefined;
    const { exports } = new wasm.Instance(new wasm.Module(bytes));
    return exports as unknown as Blocks;
  } catch {
    return undefined;
  }
}

// The encodings only this kernel uses (WebAssembly SIMD specification).
const V128_STORE = simdOp(0x0b);
const I16X8_EXTADD_PAIRWISE_I8X16_U = simdOp(0x7d);
const I32X4_EXTADD_PAIRWISE_I16X8_U = simdOp(0x7f);
const I16X8_EXTEND_LOW_I8X16_U = simdOp(0x89);
const I16X8_EXTEND_HIGH_I8X16_U = simdOp(0x8a);
const I32X4_ADD = simdOp(0xae);
const I32X4_DOT_I16X8_S = simdOp(0xba);

/** Weights of the 32 bytes of a block, 32 down to 1, as four i16x8 constants. */
function weights(first: number): number[] {
  const out: number[] = [];
  for (let lane = 0; lane < 8; lane++) out.push(first - lane, 0);
  return out;
}

function assemble(): Uint8Array<ArrayBuffer> {
  // Parameters 0 pointer, 1 count; locals 2 s1, 3 ps, 4 s2, 5 x, 6 y (v128, zero to start).
  const [pointer, count, s1, ps, s2, x, y] = [0, 1, 2, 3, 4, 5, 6];
  const get = (local: number) => [LOCAL_GET, local];
  const set = (local: number) => [LOCAL_SET, local];
  const load = (offset: number) => [...V128_LOAD, 0, ...uleb(offset)];
  const store = (offset: number) => [...V128_STORE, 0, ...uleb(offset)];
  const bytesSum = (v: number) => [...get(v), ...I16X8_EXTADD_PAIRWISE_I8X16_U, ...I32X4_EXTADD_PAIRWISE_I16X8_U, ...I32X4_ADD];
  const weighted = (v: number, extend: number[], first: number) => [...get(v), ...extend, ...V128_CONST, ...weights(first), ...I32X4_DOT_I16X8_S, ...I32X4_ADD];
  const code = [
    ...BLOCK_VOID,
    ...LOOP_VOID,
    ...get(count), I32_EQZ, BR_IF, 1,
    ...get(ps), ...get(s1), ...I32X4_ADD, ...set(ps),
    ...get(pointer), ...load(0), ...set(x),
    ...get(pointer), ...load(16), ...set(y),
    ...get(s1), ...bytesSum(x), ...bytesSum(y), ...set(s1),
    ...get(s2),
    ...weighted(x, I16X8_EXTEND_LOW_I8X16_U, 32),
    ...weighted(x, I16X8_EXTEND_HIGH_I8X16_U, 24),
    ...weighted(y, I16X8_EXTEND_LOW_I8X16_U, 16),
    ...weighted(y, I16X8_EXTEND_HIGH_I8X16_U, 8),
    ...set(s2),
    ...get(pointer), I32_CONST, ...uleb(BLOCK), I32_ADD, ...set(pointer),
    ...get(count), I32_CONST, 1, I32_SUB, ...set(count),
    BR, 0,
    END,
    END,
    I32_CONST, 0, ...get(s1), ...store(0),
    I32_CONST, 0, ...get(ps), ...store(16),
    I32_CONST, 0, ...get(s2), ...store(32),
    END,
  ];
  const body = [1, 5, V128, ...code];
  return oneFunctionModule('blocks', 2, body);
}

// Last: the instruction constants above must exist before the module is assembled.
const simd = instantiate();

export const adler32SimdAvailable = simd !== undefined;
