/** Progress messages and increments, and the words of notifications and log lines. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeAudioFormat, type DecodeResult, type EncodeResult } from '../../src/codec';
import {
  decodeLogLine,
  decodeNeedsAttention,
  decodeNotice,
  encodeLogLine,
  encodeNotice,
  progressMessage,
  ProgressIncrements,
} from '../../src/extension/figures';

const audio = makeAudioFormat('s16', 2, 44100);

/** What the notice that ends a decode says of the frames' integrity. */
function integritySummary(result: DecodeResult): string {
  const notice = decodeNotice('in.wav', 'out', result);
  const summary = /^Decoded in\.wav to out: (.*)\.$/.exec(notice)?.[1];
  assert.ok(summary !== undefined, notice);
  return summary;
}

const encoded: EncodeResult = {
  output: '/a/song_frames',
  frameCount: 3,
  dataLength: 4_000_000,
  audio,
  geometry: { width: 768, height: 768, expansion: 1 },
  layout: 'bytes',
  durationSeconds: 22.675736961451246,
  bytesWritten: 5_310_000,
  warnings: [],
};

const decoded = (overrides: Partial<DecodeResult> = {}): DecodeResult => ({
  output: '/a/song_frames.wav',
  frameCount: 3,
  unchanged: 3,
  modified: [],
  unverified: 0,
  dataLength: 4_000_000,
  audio,
  layout: 'bytes',
  reducer: 'mean',
  safety: { clipped: 0, replaced: 0 },
  durationSeconds: 22.675736961451246,
  metadata: 'manifest',
  container: 'original',
  bitExact: true,
  checks: { frameChecksums: 3, dataSha256: 'match', header: 'original' },
  ...overrides,
});

describe('progress', () => {
  test('the message counts frames and rounds the percentage down, reaching 100 only at the end', () => {
    assert.equal(progressMessage({ framesDone: 12, frameCount: 40, bytesDone: 299, bytesTotal: 1000 }), '12 of 40 frames (29%)');
    assert.equal(progressMessage({ framesDone: 39, frameCount: 40, bytesDone: 999, bytesTotal: 1000 }), '39 of 40 frames (99%)');
    assert.equal(progressMessage({ framesDone: 40, frameCount: 40, bytesDone: 1000, bytesTotal: 1000 }), '40 of 40 frames (100%)');
    assert.equal(progressMessage({ framesDone: 1, frameCount: 1, bytesDone: 0, bytesTotal: 0 }), '1 of 1 frame (100%)');
  });

  test('thousands are grouped on both sides of "of", and one frame is one frame', () => {
    assert.equal(progressMessage({ framesDone: 20_000, frameCount: 20_000, bytesDone: 1, bytesTotal: 1 }), '20,000 of 20,000 frames (100%)');
    assert.equal(progressMessage({ framesDone: 1234, frameCount: 1_000_000, bytesDone: 1234, bytesTotal: 1_000_000 }), '1,234 of 1,000,000 frames (0%)');
    assert.equal(progressMessage({ framesDone: 0, frameCount: 1, bytesDone: 0, bytesTotal: 10 }), '0 of 1 frame (0%)');
    const many = decoded({ frameCount: 20_000, unchanged: 20_000 });
    assert.equal(integritySummary(many), '20,000 of 20,000 frames unchanged, bit-exact');
    assert.equal(integritySummary({ ...many, frameCount: 1, unchanged: 1 }), '1 of 1 frame unchanged, bit-exact');
    assert.equal(
      integritySummary({ ...many, frameCount: 1_500, unchanged: 0, unverified: 1_500, bitExact: undefined }),
      '1,500 frames with no checksum to compare',
    );
  });

  test('increments add up to the position and never go back', () => {
    const increments = new ProgressIncrements();
    assert.equal(increments.to(0, 0.25), 25);
    assert.equal(increments.to(0, 0.25), 0);
    assert.equal(increments.to(0, 0.1), 0);
    assert.equal(increments.to(0, 1), 75);
    assert.equal(increments.to(0, 2), 0);
  });

  test('a batch shares the bar: each job fills its part', () => {
    const increments = new ProgressIncrements(4);
    assert.equal(increments.to(0, 1), 25);
    assert.equal(increments.to(1, 0.5), 12.5);
    assert.equal(increments.to(3, 1), 62.5);
  });
});

describe('notifications and log lines', () => {
  test('an encode is told with its frame count and logged with every figure', () => {
    assert.equal(encodeNotice('song.wav', 'song_frames', encoded), 'Encoded song.wav into 3 frames in song_frames.');
    assert.equal(encodeNotice('a.wav', 'a_frames', { ...encoded, frameCount: 1 }), 'Encoded a.wav into 1 frame in a_frames.');
    assert.equal(
      encodeLogLine('/a/song.wav', encoded, 2),
      'encoded /a/song.wav → /a/song_frames; 3 frames of 768×768 at expansion 1, layout bytes; s16, stereo, 44100 Hz, 22.7 s of audio; 4.00 MB of ' +
        'samples → 5.31 MB of PNG; in 2.00 s (2.0 MB/s)',
    );
  });

  test('a decode is told with its integrity', () => {
    assert.equal(decodeNotice('song_frames', 'song_frames.wav', decoded()), 'Decoded song_frames to song_frames.wav: 3 of 3 frames unchanged, bit-exact.');
    assert.equal(decodeNeedsAttention(decoded()), false);
    assert.match(
      decodeLogLine('/a/song_frames', decoded(), 1),
      new RegExp(
        /^decoded \/a\/song_frames → \/a\/song_frames\.wav; 3 frames, 3 of 3 frames unchanged, bit-exact; layout bytes, blocks read with mean; /.source +
          /s16, stereo, 44100 Hz, 22\.7 s of audio, metadata from manifest; 4\.00 MB of samples, original WAV header; in 1\.00 s/.source,
      ),
    );
  });

  test('a decode logs the layout and the reducer the blocks were read with', () => {
    assert.match(decodeLogLine('/a/song_frames', decoded({ layout: 'planes', reducer: 'center' }), 1), /; layout planes, blocks read with center; /);
  });

  test('modified frames are named and call for attention', () => {
    const result = decoded({ unchanged: 1, modified: [0, 2], bitExact: false });
    assert.equal(integritySummary(result), 'frames 1, 3 modified, 1 of 3 frames unchanged, the audio differs from the original');
    assert.equal(decodeNeedsAttention(result), true);
    const many = decoded({ frameCount: 20, unchanged: 8, modified: [...Array(12).keys()], bitExact: undefined });
    assert.equal(integritySummary(many), 'frames 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … modified, 8 of 20 frames unchanged');
  });

  test('frames with no metadata say there was nothing to compare', () => {
    const result = decoded({ unchanged: 0, unverified: 3, bitExact: undefined, metadata: 'assumed', container: 'canonical' });
    assert.equal(integritySummary(result), '3 frames with no checksum to compare');
    assert.equal(decodeNeedsAttention(result), false);
  });
});
