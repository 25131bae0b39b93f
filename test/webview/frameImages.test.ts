import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileFrameImages, RenderedFrameImages, withFrameAtHand } from '../../src/webview/frameImages';

test("a folder's frames are its files' webview URLs, names escaped, with the version for cache busting", async () => {
  const images = fileFrameImages({
    baseUrl: 'https://file+.vscode-resource.vscode-cdn.net/w/song%20frames/',
    names: ['frame_00000.png', 'a b#1.png'],
    version: '17',
  });
  assert.equal(await images.urlOf(0), 'https://file+.vscode-resource.vscode-cdn.net/w/song%20frames/frame_00000.png?v=17');
  assert.equal(await images.urlOf(1), 'https://file+.vscode-resource.vscode-cdn.net/w/song%20frames/a%20b%231.png?v=17');
});

function rendered(capacity: number) {
  const renders: number[] = [];
  const live = new Set<string>();
  let made = 0;
  const images = new RenderedFrameImages(
    async (index) => {
      renders.push(index);
      return new Uint8Array([index]);
    },
    {
      create: (png) => {
        const url = `blob:${png[0]}#${made++}`;
        live.add(url);
        return url;
      },
      revoke: (url) => assert.ok(live.delete(url), `revoked once: ${url}`),
    },
    capacity,
  );
  return { images, renders, live };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("a WAV's frames are rendered once each and held as object URLs", async () => {
  const { images, renders, live } = rendered(4);
  const a = await images.urlOf(2);
  const b = await images.urlOf(2);
  assert.equal(a, b);
  assert.deepEqual(renders, [2]);
  assert.equal(live.size, 1);
});

test('at most `capacity` object URLs live; the least recently used go first', async () => {
  const { images, renders, live } = rendered(3);
  for (const i of [0, 1, 2]) await images.urlOf(i);
  await images.urlOf(0); // 0 is now the most recent
  await images.urlOf(3); // evicts 1
  await settle();
  assert.equal(images.size, 3);
  assert.equal(live.size, 3);
  assert.deepEqual([...live].map((u) => u.split('#')[0]).sort(), ['blob:0', 'blob:2', 'blob:3']);
  await images.urlOf(1);
  assert.deepEqual(renders, [0, 1, 2, 3, 1], 'an evicted frame is rendered again');
  for (let i = 0; i < 200; i++) await images.urlOf(i);
  await settle();
  assert.equal(live.size, 3, 'bounded however many frames are visited');
});

test('clearing revokes every URL, also one still being rendered', async () => {
  const { images, live } = rendered(5);
  await images.urlOf(0);
  const pending = images.urlOf(1);
  images.clear();
  await pending;
  await settle();
  assert.equal(live.size, 0);
  assert.equal(images.size, 0);
});

test('a frame at hand is shown from its bytes, once, and the others as before; after a clear it is read like the others', async () => {
  const files = fileFrameImages({ baseUrl: 'https://r/f/', names: ['a.png', 'b.png'], version: '1' });
  const made: number[][] = [];
  const revoked: string[] = [];
  const warmed: string[] = [];
  const images = withFrameAtHand(
    files,
    1,
    new Uint8Array([7, 8]),
    {
      create: (png) => {
        made.push([...png]);
        return `blob:${made.length}`;
      },
      revoke: (url) => revoked.push(url),
    },
    (url) => warmed.push(url),
  );
  assert.deepEqual(warmed, ['blob:1'], 'its decoding starts at once, before it is asked for');
  assert.equal(await images.urlOf(1), 'blob:1');
  assert.equal(await images.urlOf(1), 'blob:1');
  assert.deepEqual(made, [[7, 8]], 'one object URL for the frame at hand');
  assert.equal(await images.urlOf(0), 'https://r/f/a.png?v=1');
  images.clear();
  assert.deepEqual(revoked, ['blob:1']);
  assert.equal(await images.urlOf(1), 'https://r/f/b.png?v=1', 'the bytes were of the source as it was');
  images.clear();
  assert.deepEqual(revoked, ['blob:1'], 'revoked once');
  assert.deepEqual(warmed, ['blob:1'], 'warmed once');
});
