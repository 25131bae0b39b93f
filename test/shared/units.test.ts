import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatByteCount,
  formatBytes,
  formatDuration,
  formatRate,
  formatTime,
  frameNumber,
  groupThousands,
  plural,
  progressFraction,
} from '../../src/shared/units';

test('sizes read as people write them, in decimal units', () => {
  assert.equal(formatBytes(1), '1 byte');
  assert.equal(formatBytes(999), '999 bytes');
  assert.equal(formatBytes(1500), '1.50 kB');
  assert.equal(formatBytes(5_310_000), '5.31 MB');
  assert.equal(formatBytes(123_456_789_000), '123.5 GB');
  assert.equal(formatByteCount(1_500_000), '1,500,000 bytes (1.50 MB)');
});

test('durations, rates and counts', () => {
  assert.equal(formatDuration(2), '2.00 s');
  assert.equal(formatDuration(75), '1 min 15.0 s');
  assert.equal(formatDuration(3723), '1 h 02 min 03 s');
  assert.equal(formatRate(50_000_000, 2), '25.0 MB/s');
  assert.equal(plural(1, 'frame'), '1 frame');
  assert.equal(plural(1200, 'frame'), '1,200 frames');
});

test('groupThousands writes whole numbers as toLocaleString("en-US") does', () => {
  const values = [0, 1, 12, 999, 1000, 1001, 65535, 999999, 1000000, 1234567, 50000044, 2 ** 32, 4563402752, Number.MAX_SAFE_INTEGER, -1, -1234, -1000000];
  for (const value of values) assert.equal(groupThousands(value), value.toLocaleString('en-US'), String(value));
});

test('frames are numbered from 1 for people, and one progress fraction serves the CLI and the extension', () => {
  assert.equal(frameNumber(0), 1);
  assert.equal(frameNumber(41), 42);
  assert.equal(progressFraction({ bytesDone: 25, bytesTotal: 100, framesDone: 9, frameCount: 10 }), 0.25);
  assert.equal(progressFraction({ bytesDone: 0, bytesTotal: 0, framesDone: 3, frameCount: 4 }), 0.75);
  assert.equal(progressFraction({ bytesDone: 0, bytesTotal: 0, framesDone: 0, frameCount: 0 }), 1);
});

test('times show minutes, seconds and milliseconds; hours when there are any', () => {
  assert.equal(formatTime(0), '0:00.000');
  assert.equal(formatTime(61.5), '1:01.500');
  assert.equal(formatTime(0.048), '0:00.048');
  assert.equal(formatTime(3723.004), '1:02:03.004');
  assert.equal(formatTime(Number.NaN), '0:00.000');
});
