import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRequestMessage, type ToHostMessage } from '../../src/shared/protocol';
import { HostClient, problemOf } from '../../src/webview/hostClient';

function connect() {
  const sent: ToHostMessage[] = [];
  let deliver: (data: unknown) => void = () => undefined;
  const client = new HostClient((m) => sent.push(m), (listener) => (deliver = listener));
  return { client, sent, deliver: (data: unknown) => deliver(data) };
}

test('each request gets its own id and resolves with the response of that id, in any order', async () => {
  const { client, sent, deliver } = connect();
  const first = client.request('renderFrame', { index: 3 });
  const second = client.request('runCommand', { command: 'decodeToWav' });
  assert.deepEqual(sent.map((m) => [m.method, m.id]), [['renderFrame', 1], ['runCommand', 2]]);
  assert.ok(sent.every(isRequestMessage), 'what the webview sends passes the host check');
  deliver({ kind: 'response', id: 2, result: {} });
  deliver({ kind: 'response', id: 1, result: { png: new Uint8Array([1, 2]) } });
  assert.deepEqual(await second, {});
  assert.deepEqual(await first, { png: new Uint8Array([1, 2]) });
});

test('a failed request rejects with the problem the host sent, code and all', async () => {
  const { client, deliver } = connect();
  const pending = client.request('open', {});
  const problem = { code: 'NOT_A_FOLDER', message: 'song_frames: is not a folder of frames', advice: 'Open a folder.', actions: ['reload'] };
  deliver({ kind: 'response', id: 1, problem });
  const error = await pending.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof Error && error.name === 'HostProblemError', String(error));
  assert.match(error.message, /is not a folder of frames/);
  assert.deepEqual(problemOf(error), problem);
  assert.equal(problemOf(new Error('a fault of the page')).code, 'INTERNAL');
});

test('events reach their listeners; unknown and malformed messages are ignored', () => {
  const { client, deliver } = connect();
  const progress: unknown[] = [];
  let changed = 0;
  client.on('audioProgress', (body) => progress.push(body));
  client.on('changed', () => changed++);
  deliver({ kind: 'event', name: 'audioProgress', body: { framesDone: 1, frameCount: 4 } });
  deliver({ kind: 'event', name: 'changed', body: {} });
  deliver(null);
  deliver('text');
  deliver({ kind: 'response', id: 99, result: {} });
  deliver({ kind: 'response', id: 'x' });
  assert.deepEqual(progress, [{ framesDone: 1, frameCount: 4 }]);
  assert.equal(changed, 1);
});

test('the host refuses what is not a known request', () => {
  assert.equal(isRequestMessage({ kind: 'request', id: 1, method: 'open', params: {} }), true);
  for (const bad of [
    null,
    {},
    { kind: 'request', id: 1, method: 'rm -rf', params: {} },
    { kind: 'request', id: 1.5, method: 'open', params: {} },
    { kind: 'request', id: 1, method: 'open' },
    { kind: 'request', id: 1, method: 'toString', params: {} },
  ]) {
    assert.equal(isRequestMessage(bad), false, JSON.stringify(bad));
  }
});
