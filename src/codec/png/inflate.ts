/**
 * Inflating a zlib stream into memory the caller reuses from frame to frame. No public node API
 * does that: inflateSync returns the image in 32 KiB pieces joined into a fresh frame-sized buffer,
 * whose page faults, and whose unmapping after garbage collection, stall the other worker threads
 * of the process (TLB shootdowns; docs/decisions.md §3 has the measurements). So this drives the
 * zlib handle under node's Inflate stream directly, through the call node's own inflateSync makes
 * (`_handle.writeSync`, `_writeState`): private API, checked once at start-up on a known stream.
 * Where that check fails (a node version that changed its internals), every call takes the public
 * path, inflateSync and a copy.
 */
import { constants, createInflate, deflateSync, inflateSync, type Inflate as InflateStream } from 'node:zlib';

interface InflateInternals {
  _handle?: {
    writeSync?(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  };
  _writeState?: Uint32Array;
}

/** This thread's inflate stream, reset for each frame; replaced after an error, which ends a stream. */
let inflater: InflateStream | undefined;

function inflaterNow(): InflateStream {
  if (!inflater || inflater.destroyed) {
    inflater = createInflate();
    // An error destroys the stream and is also emitted later, which unhandled would end the process.
    inflater.on('error', () => undefined);
  }
  return inflater;
}

/** The private path: straight into `out`, no copy. Only where handlePathWorks(). */
export function inflateThroughHandle(compressed: Uint8Array, out: Uint8Array, stream: InflateStream = inflaterNow()): number {
  const internals = stream as unknown as InflateInternals;
  stream.reset();
  internals._handle!.writeSync!(constants.Z_FINISH, compressed, 0, compressed.length, out, 0, out.length);
  if (stream.destroyed) throw stream.errored ?? new Error('inflate failed');
  return out.length - internals._writeState![0];
}

/** The public path: at most `out.length` bytes; a stream that holds more gives `out.length`, as the handle's does (the reader refuses it then). */
export function inflateByCopy(compressed: Uint8Array, out: Uint8Array): number {
  let inflated: Buffer;
  try {
    inflated = inflateSync(compressed, { maxOutputLength: out.length });
  } catch (error) {
    // Past maxOutputLength node stops with this code: the stream holds more than `out`, as the handle would report by filling it.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
    return out.length;
  }
  out.set(inflated);
  return inflated.length;
}

/** Whether the handle path works here: it must inflate a known stream, whole and cut short, as the public path does. */
export function handlePathWorks(stream: InflateStream = inflaterNow()): boolean {
  try {
    const internals = stream as unknown as InflateInternals;
    if (typeof internals._handle?.writeSync !== 'function' || !(internals._writeState instanceof Uint32Array)) return false;
    const known = Buffer.alloc(3000);
    for (let i = 0; i < known.length; i++) known[i] = (i * 7) & 0xff;
    const zlibStream = deflateSync(known, { level: 1 });
    const whole = Buffer.alloc(known.length + 1);
    const short = Buffer.alloc(1000);
    const through = (out: Buffer) => inflateThroughHandle(zlibStream, out, stream);
    return (
      through(whole) === known.length &&
      whole.subarray(0, known.length).equals(known) &&
      through(short) === short.length &&
      short.equals(known.subarray(0, 1000))
    );
  } catch {
    return false;
  }
}

export type Inflate = (compressed: Uint8Array, out: Uint8Array) => number;

/** The path to take: the handle's where the self-check passes, the public one otherwise. */
function chooseInflate(selfCheck: () => boolean): Inflate {
  return selfCheck() ? inflateThroughHandle : inflateByCopy;
}

/** Inflates `compressed` into `out` in one call; the number of bytes written (`out.length` when the stream holds that much or more). */
export const inflateInto: Inflate = chooseInflate(handlePathWorks);

