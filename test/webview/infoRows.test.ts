import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeAudioFormat } from '../../src/codec';
import type { FramesDocumentView } from '../../src/shared/protocol';
import { infoRows } from '../../src/webview/infoRows';

const view: FramesDocumentView = {
  source: 'folder',
  title: 'song_frames',
  stream: {
    geometry: { width: 768, height: 768, expansion: 2 },
    layout: 'bytes',
    audio: makeAudioFormat('s16', 2, 44100),
    dataLength: 44100 * 4 * 3,
    bytesPerFrame: 384 * 384 * 3,
    frameCount: 2,
  },
  frameSize: { width: 768, height: 768 },
  metadata: 'manifest',
  startFrame: 0,
  commands: ['decodeToWav'],
};

/** The value of the panel's `property` row. */
function rowValue(rows: ReturnType<typeof infoRows>, property: string): string | undefined {
  return rows.find((r) => r.property === property)?.value;
}

/** The Integrity row, as the panel shows it for `integrity` of a document from `source`. */
function integrityText(integrity: Parameters<typeof infoRows>[1], source: FramesDocumentView['source'], decoding: boolean): string | undefined {
  return rowValue(infoRows({ ...view, source }, integrity, decoding), 'Integrity');
}

/** The Off-grid row for frames `figures` from uniform. */
function offGridText(figures: number[]): string | undefined {
  return rowValue(infoRows(view, { frameCount: figures.length, unchanged: figures.length, modified: [], unverified: 0, offGrid: figures }, false), 'Off-grid');
}

test('the info panel names every property of the stream', () => {
  const rows = Object.fromEntries(
    infoRows(view, { frameCount: 2, unchanged: 2, modified: [], unverified: 0, bitExact: true }, false).map((r) => [r.property, r.value]),
  );
  assert.deepEqual(rows, {
    'Sample rate': '44.1 kHz',
    Channels: '2 (stereo)',
    'Sample format': '16-bit PCM',
    Duration: '0:03.000',
    Frames: '2',
    Geometry: '768 × 768',
    Expansion: '2 (384 × 384 data pixels)',
    Layout: 'bytes',
    Data: '529,200 bytes, 442,368 per frame',
    Metadata: 'resonance.json',
    Integrity: '2 of 2 frames unchanged; audio bit-exact',
  });
});

test('resized frames and fewer bits than the container are shown', () => {
  const rows = infoRows(
    { ...view, frameSize: { width: 512, height: 512 }, stream: { ...view.stream, audio: { ...makeAudioFormat('s24', 1, 48000), bitsPerSample: 20 } } },
    undefined,
    true,
  );
  const value = (p: string) => rows.find((r) => r.property === p)!.value;
  assert.equal(value('Geometry'), '768 × 768 (frames are 512 × 512)');
  assert.equal(value('Sample format'), '24-bit PCM (20 bits used)');
  assert.equal(value('Channels'), '1 (mono)');
  assert.equal(value('Integrity'), 'checking…');
});

test('integrity says which frames were modified, numbered from 1 as on screen', () => {
  assert.equal(integrityText({ frameCount: 42, unchanged: 42, modified: [], unverified: 0 }, 'folder', false), '42 of 42 frames unchanged');
  assert.equal(
    integrityText({ frameCount: 42, unchanged: 41, modified: [7], unverified: 0, bitExact: false }, 'folder', false),
    '41 of 42 frames unchanged; frame 8 modified; audio differs from the original',
  );
  assert.equal(
    integrityText({ frameCount: 42, unchanged: 30, modified: [1, 2, 3, 4, 9, 10], unverified: 6 }, 'folder', false),
    '30 of 42 frames unchanged; frames 2–5, 10, 11 modified; 6 without a checksum',
  );
  assert.equal(integrityText({ frameCount: 2000, unchanged: 2000, modified: [], unverified: 0 }, 'folder', false), '2,000 of 2,000 frames unchanged');
  assert.equal(integrityText(undefined, 'wav', false), 'not applicable: the frames are rendered from the WAV');
  assert.equal(integrityText(undefined, 'folder', false), 'not checked');
});

test('frame lists run-length encode and stop after a few runs', () => {
  const modified = (frames: number[]) => integrityText({ frameCount: 42, unchanged: 42 - frames.length, modified: frames, unverified: 0 }, 'folder', false);
  assert.equal(modified([0, 1, 2, 5, 7, 8]), '36 of 42 frames unchanged; frames 1–3, 6, 8, 9 modified');
  const odd = Array.from({ length: 11 }, (_, i) => 2 * i);
  assert.equal(modified(odd), '31 of 42 frames unchanged; frames 1, 3, 5, 7, 9, 11, 13, 15 and 3 more runs modified');
});

test('off-grid: none, or how many frames and the worst', () => {
  assert.equal(offGridText([0, 0, 0]), 'none: every block is uniform');
  assert.equal(offGridText([0, 2.5, 0, 12.25, 1]), '3 of 5 frames; most in frame 4 (12.3 of 255)');
  const rows = infoRows(view, { frameCount: 2, unchanged: 2, modified: [], unverified: 0, offGrid: [0, 3] }, false);
  assert.equal(rows[rows.length - 1].value, '1 of 2 frames; most in frame 2 (3.0 of 255)');
  assert.equal(infoRows(view, undefined, true).some((r) => r.property === 'Off-grid'), false, 'no row before it is measured');
});
