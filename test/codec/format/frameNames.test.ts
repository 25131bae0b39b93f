import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frameNamesOf, naturalOrder } from '../../../src/codec/format/frameNames';
import { frameFileName, isFrameFileName } from '../../../src/codec/format/manifest';
import { Prng } from '../../helpers/prng';

describe('frameNamesOf', () => {
  test('keeps visible PNG files, in natural order', () => {
    const names = ['f10.png', 'notes.txt', 'f2.PNG', '.f0.png', 'f1.png', 'resonance.json', 'F3.png'];
    assert.deepEqual(frameNamesOf(names), ['f1.png', 'f2.PNG', 'F3.png', 'f10.png']);
  });

  test('numbers compare by value whatever their zero padding', () => {
    assert.deepEqual(frameNamesOf(['frame_00010.png', 'frame_9.png', 'frame_0100.png', 'frame_011.png']), [
      'frame_9.png',
      'frame_00010.png',
      'frame_011.png',
      'frame_0100.png',
    ]);
  });

  test('numbers longer than a double holds still compare exactly', () => {
    assert.deepEqual(frameNamesOf(['x90071992547409931.png', 'x90071992547409930.png']), ['x90071992547409930.png', 'x90071992547409931.png']);
  });
});

describe('naturalOrder agrees with an ICU numeric collator on frame-like names', () => {
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;
  test('every pair of 300 generated names sorts the same way', () => {
    const random = new Prng(7);
    // One punctuation mark: ICU ranks punctuation by its own table, which no frame naming relies on.
    const pieces = ['frame', 'Frame', 'f', 'out_', 'seed', '_', 'a', 'B'];
    const names = new Set<string>();
    while (names.size < 300) {
      let name = '';
      for (let k = 0; k < 1 + random.below(3); k++) name += pieces[random.below(pieces.length)] + String(random.below(2000)).padStart(random.below(6), '0');
      names.add(`${name}.png`);
    }
    const list = [...names];
    for (const a of list) {
      for (const b of list) {
        const ours = Math.sign(naturalOrder(a, b));
        const icu = Math.sign(collator(a, b));
        // The collator calls names equal that differ only in case or zero padding; ours breaks the tie.
        if (icu !== 0) assert.equal(ours, icu, `${a} vs ${b}`);
        else if (a !== b) assert.equal(Math.sign(naturalOrder(b, a)), -ours, `${a} vs ${b} must be antisymmetric`);
      }
    }
  });
});

test('the names Resonance gives frames are told from other images: a frame of a sequence, not a sample of a gallery', () => {
  for (const name of [frameFileName(0, 1), frameFileName(41, 42), frameFileName(123_456, 200_000)]) assert.ok(isFrameFileName(name), name);
  for (const name of ['sample_0.png', 'frame_0001.png', 'frame_00000.PNG', 'frame_00000.png.bak', 'my_frame_00000.png', 'frame_0000a.png']) {
    assert.ok(!isFrameFileName(name), name);
  }
});
