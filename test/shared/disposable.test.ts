import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Disposable, toDisposable } from '../../src/shared/disposable';

class Owner extends Disposable {
  take(name: string, log: string[], fail = false) {
    return this.register(
      toDisposable(() => {
        log.push(name);
        if (fail) throw new Error(`${name} failed`);
      }),
    );
  }

  get done() {
    return this.isDisposed;
  }
}

test('an owner disposes what it took once, the last taken first', () => {
  const log: string[] = [];
  const owner = new Owner();
  owner.take('watcher', log);
  owner.take('listener', log);
  assert.equal(owner.done, false);
  owner.dispose();
  owner.dispose();
  assert.deepEqual(log, ['listener', 'watcher']);
  assert.equal(owner.done, true);
});

test('what is taken after the owner is disposed is disposed at once: nothing outlives it', () => {
  const log: string[] = [];
  const owner = new Owner();
  owner.dispose();
  owner.take('late', log);
  assert.deepEqual(log, ['late']);
});

test('one that fails to dispose does not keep the others', () => {
  const log: string[] = [];
  const owner = new Owner();
  owner.take('a', log);
  owner.take('b', log, true);
  owner.take('c', log);
  assert.throws(() => owner.dispose(), /b failed/);
  assert.deepEqual(log, ['c', 'b', 'a']);

  const twice = new Owner();
  twice.take('x', log, true);
  twice.take('y', log, true);
  assert.throws(() => twice.dispose(), (error: unknown) => error instanceof AggregateError && error.errors.length === 2);
});
