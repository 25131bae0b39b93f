/** Both inflate paths (the zlib handle's and the public inflateSync's), and which one is chosen. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createInflate, deflateSync } from 'node:zlib';
import { handlePathWorks, inflateByCopy, inflateInto, inflateThroughHandle, type Inflate } from '../../../src/codec/png/inflate';
import { Prng } from '../../helpers/prng';

const PATHS: Record<string, Inflate> = { handle: inflateThroughHandle, public: inflateByCopy };

function sample(length: number): Buffer {
  const prng = new Prng(7);
  const bytes = Buffer.alloc(length);
  // Runs and noise, so that the stream has both literals and copies.
  for (let i = 0; i < length; i++) bytes[i] = i % 1000 < 500 ? (i >> 4) & 0xff : prng.below(256);
  return bytes;
}

/** A stream whose 'error' is handled, as the module's own is. */
function quietInflate() {
  const stream = createInflate();
  stream.on('error', () => undefined);
  return stream;
}

describe('inflate', () => {
  for (const [name, inflate] of Object.entries(PATHS)) {
    describe(`the ${name} path`, () => {
      for (const level of [0, 1, 9]) {
        test(`inflates a level-${level} stream whole into memory with room to spare`, () => {
          const data = sample(200_000);
          const out = new Uint8Array(data.length + 1);
          assert.equal(inflate(deflateSync(data, { level }), out), data.length);
          assert.ok(Buffer.from(out.subarray(0, data.length)).equals(data));
        });
      }

      test('reports a stream that holds more than the memory given as filling it', () => {
        const data = sample(100_000);
        assert.equal(inflate(deflateSync(data), new Uint8Array(40_000)), 40_000);
      });

      test('throws on a corrupt stream, and inflates the next one after it', () => {
        const data = sample(10_000);
        const stream = deflateSync(data);
        const corrupt = Buffer.from(stream);
        corrupt.fill(0xff, 2, 40);
        assert.throws(() => inflate(corrupt, new Uint8Array(data.length + 1)));
        const out = new Uint8Array(data.length + 1);
        assert.equal(inflate(stream, out), data.length);
        assert.ok(Buffer.from(out.subarray(0, data.length)).equals(data));
      });
    });
  }

  test('the two paths agree on empty, one-byte and long streams, with room to spare, exactly enough, or too little', () => {
    for (const data of [Buffer.alloc(0), Buffer.from([42]), sample(70_000)]) {
      const stream = deflateSync(data);
      for (const room of new Set([1, Math.max(1, data.length - 1), Math.max(1, data.length), data.length + 1])) {
        const [a, b] = [new Uint8Array(room), new Uint8Array(room)];
        const written = inflateThroughHandle(stream, a);
        assert.equal(inflateByCopy(stream, b), written, `${data.length} bytes into ${room}`);
        if (room > data.length) assert.deepEqual(a.subarray(0, written), b.subarray(0, written));
      }
    }
  });

  test("the self-check passes on this node's zlib, so the handle path is the one in use", () => {
    assert.equal(handlePathWorks(), true);
    assert.equal(inflateInto, inflateThroughHandle);
  });

  test('the self-check fails where the internals are missing or do not inflate', () => {
    const noHandle = quietInflate();
    (noHandle as unknown as { _handle?: unknown })._handle = undefined;
    assert.equal(handlePathWorks(noHandle), false);

    const noState = quietInflate();
    (noState as unknown as { _writeState?: unknown })._writeState = undefined;
    assert.equal(handlePathWorks(noState), false);

    // A handle whose writeSync takes the call but writes nothing: the known stream does not come out.
    const inert = quietInflate();
    (inert as unknown as { _handle: object })._handle = { writeSync() {}, close() {} };
    assert.equal(handlePathWorks(inert), false);

    assert.equal(handlePathWorks(quietInflate()), true);
  });

  test('the public path is chosen when the self-check fails, the handle path when it passes', () => {
    // The choice is made as the module loads: load it afresh with the self-check's known stream broken, then as it is.
    const load = () => {
      const path = require.resolve('../../../src/codec/png/inflate');
      delete require.cache[path];
      return require(path) as typeof import('../../../src/codec/png/inflate');
    };
    // The module object itself, whose property the compiled inflate.ts reads at each call.
    const mutable = require('node:zlib') as { deflateSync: typeof deflateSync };
    const original = mutable.deflateSync;
    mutable.deflateSync = () => Buffer.from('not a zlib stream');
    try {
      const broken = load();
      assert.equal(broken.inflateInto, broken.inflateByCopy);
    } finally {
      mutable.deflateSync = original;
    }
    const fresh = load();
    assert.equal(fresh.inflateInto, fresh.inflateThroughHandle);
  });
});
