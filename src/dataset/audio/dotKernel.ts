/**
 * The resampler's inner loop in WebAssembly SIMD: for each output sample, the dot product of one
 * row of the filter table with the input around it, four 32-bit floats an instruction in four
 * running sums. In plain JavaScript the same loop ran at about 0.7 G multiply-adds a second on
 * these machines, and resampling was most of a dataset build's time (docs/decisions.md,
 * "Resampling"). Single precision is ample: its rounding lies near −140 dB, far under the 120 dB
 * the filter is designed for, and WebAssembly's arithmetic is IEEE to the bit, so every machine
 * computes the same samples.
 *
 * The module is assembled below from its instructions, as the Adler-32 one is (no toolchain). Its
 * one function, dots(table, width, input, firsts, rows, out, count), takes byte offsets into its
 * memory: for k < count, out[k] = Σ_m table[rows[k] + m] · input[firsts[k] + m] for m < width,
 * width a multiple of 4, rows[k] and firsts[k] element indices (i32), table, input and out f32.
 */
import {
  BLOCK_VOID,
  BR,
  BR_IF,
  END,
  I32,
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
} from '../../codec/format/wasmModule';

interface KernelExports {
  dots(table: number, width: number, input: number, firsts: number, rows: number, out: number, count: number): void;
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
}

/** The part of the WebAssembly API used here (Node declares its types only with the DOM's). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
}

const PAGE = 65536;

/** One kernel: its own memory, holding one filter table and the buffers of one resampler. */
export class DotKernel {
  private readonly exports: KernelExports;
  private tableBytes = 0;

  constructor() {
    this.exports = new (wasm().Instance)(module()).exports as KernelExports;
  }

  /** Puts the filter table (rows of `width` floats) at the start of the memory. */
  setTable(table: Float32Array): void {
    this.tableBytes = align(table.length * 4);
    this.ensure(this.tableBytes);
    new Float32Array(this.exports.memory.buffer, 0, table.length).set(table);
  }

  /**
   * Views of the memory after the table for a run of `count` outputs over `inputLength` inputs:
   * fill `input`, `firsts` and `rows`, call run(), read `out`. Valid until the next call.
   */
  buffers(inputLength: number, count: number): { input: Float32Array; firsts: Int32Array; rows: Int32Array; out: Float32Array; run(width: number): void } {
    const inputAt = this.tableBytes;
    const firstsAt = inputAt + align(inputLength * 4);
    const rowsAt = firstsAt + align(count * 4);
    const outAt = rowsAt + align(count * 4);
    this.ensure(outAt + align(count * 4));
    const buffer = this.exports.memory.buffer;
    return {
      input: new Float32Array(buffer, inputAt, inputLength),
      firsts: new Int32Array(buffer, firstsAt, count),
      rows: new Int32Array(buffer, rowsAt, count),
      out: new Float32Array(buffer, outAt, count),
      run: (width) => this.exports.dots(0, width, inputAt, firstsAt, rowsAt, outAt, count),
    };
  }

  private ensure(bytes: number): void {
    const memory = this.exports.memory;
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

let compiled: object | undefined;

function wasm(): WebAssemblyApi {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (!api) throw new Error('this JavaScript runtime has no WebAssembly, which the resampler needs');
  return api;
}

function module(): object {
  if (!compiled) {
    const bytes = assemble();
    if (!wasm().validate(bytes)) throw new Error('this JavaScript runtime has no WebAssembly SIMD, which the resampler needs (Node.js 16 and later have it)');
    compiled = new (wasm().Module)(bytes);
  }
  return compiled;
}

// The encodings only this kernel uses (WebAssembly core and SIMD specifications).
const LOCAL_TEE = 0x22;
const I32_LOAD = 0x28;
const F32_STORE = 0x38;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const I32_SHL = 0x74;
const F32_ADD = 0x92;
const F32X4_EXTRACT_LANE = simdOp(0x1f);
const F32X4_ADD = simdOp(0xe4);
const F32X4_MUL = simdOp(0xe6);

/** Signed LEB128, as i32.const takes its value: 64 is 0xC0 0x00, not 0x40 (which is −64). */
function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function assemble(): Uint8Array {
  // Parameters 0 table, 1 width, 2 input, 3 firsts, 4 rows, 5 out, 6 count; locals 7 k, 8 a, 9 t,
  // 10 m (i32), 11–14 the four sums (v128).
  const [table, width, input, firsts, rows, out, count, k, a, t, m] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const sums = [11, 12, 13, 14];
  const get = (local: number) => [LOCAL_GET, local];
  const set = (local: number) => [LOCAL_SET, local];
  const add = (local: number, value: number) => [...get(local), I32_CONST, ...sleb(value), I32_ADD, ...set(local)];
  const sub = (local: number, value: number) => [...get(local), I32_CONST, ...sleb(value), I32_SUB, ...set(local)];
  const load = (local: number, offset: number) => [...get(local), ...V128_LOAD, 0, ...uleb(offset)];
  const multiplyAdd = (sum: number, offset: number) => [...get(sum), ...load(t, offset), ...load(a, offset), ...F32X4_MUL, ...F32X4_ADD, ...set(sum)];
  /** base + 4 · (i32 at pointer + 4k) */
  const elementAddress = (base: number, pointer: number) => [
    ...get(base),
    ...get(pointer),
    ...get(k),
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
    I32_LOAD,
    2,
    0,
    I32_CONST,
    2,
    I32_SHL,
    I32_ADD,
  ];
  const zero = [...V128_CONST, ...new Array(16).fill(0)];
  const lane = (index: number) => [...get(sums[0]), ...F32X4_EXTRACT_LANE, index];
  const code = [
    ...BLOCK_VOID,
    ...LOOP_VOID,
    ...get(k), ...get(count), I32_GE_U, BR_IF, 1,
    ...elementAddress(input, firsts), ...set(a),
    ...elementAddress(table, rows), ...set(t),
    ...sums.flatMap((sum) => [...zero, ...set(sum)]),
    ...get(width), ...set(m),
    // Sixteen floats a turn, in the four sums.
    ...BLOCK_VOID,
    ...LOOP_VOID,
    ...get(m), I32_CONST, ...sleb(16), I32_LT_U, BR_IF, 1,
    ...sums.flatMap((sum, i) => multiplyAdd(sum, 16 * i)),
    ...add(t, 64), ...add(a, 64), ...sub(m, 16),
    BR, 0,
    END,
    END,
    // The rest, four at a time, into the first sum.
    ...BLOCK_VOID,
    ...LOOP_VOID,
    ...get(m), I32_EQZ, BR_IF, 1,
    ...multiplyAdd(sums[0], 0),
    ...add(t, 16), ...add(a, 16), ...sub(m, 4),
    BR, 0,
    END,
    END,
    // out[k] = the lanes of (s0 + s1) + (s2 + s3), added in order.
    ...get(out), ...get(k), I32_CONST, 2, I32_SHL, I32_ADD,
    ...get(sums[0]), ...get(sums[1]), ...F32X4_ADD, ...get(sums[2]), ...get(sums[3]), ...F32X4_ADD, ...F32X4_ADD, LOCAL_TEE, sums[0],
    ...F32X4_EXTRACT_LANE, 0, ...lane(1), F32_ADD, ...lane(2), F32_ADD, ...lane(3), F32_ADD,
    F32_STORE, 2, 0,
    ...add(k, 1),
    BR, 0,
    END,
    END,
    END,
  ];
  const body = [2, 4, I32, 4, V128, ...code];
  return oneFunctionModule('dots', 7, body);
}
