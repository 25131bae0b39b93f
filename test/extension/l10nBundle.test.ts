/**
 * The host's strings made without `vscode` (figures.ts, settings.ts, framesEditorAdvice.ts) come out
 * in VS Code's display language once activation hands ./l10n the bundle VS Code picked. A file of
 * its own: the bundle is process-wide.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPRESSIONS, makeAudioFormat, ResonanceError, type EncodeResult } from '../../src/codec';
import { encodeNotice, progressMessage } from '../../src/extension/figures';
import { problemFor } from '../../src/extension/framesEditorAdvice';
import { useBundle } from '../../src/extension/l10n';
import { encodeSettings } from '../../src/extension/settings';

const encoded: EncodeResult = {
  output: '/a/song_frames',
  frameCount: 3,
  dataLength: 4_000_000,
  audio: makeAudioFormat('s16', 2, 44100),
  geometry: { width: 768, height: 768, expansion: 1 },
  layout: 'bytes',
  durationSeconds: 22.675736961451246,
  bytesWritten: 5_310_000,
  warnings: [],
};

test('without a bundle the messages are English as written; with one, translated, with their arguments', () => {
  useBundle(undefined);
  assert.equal(encodeNotice('song.wav', 'song_frames', encoded), 'Encoded song.wav into 3 frames in song_frames.');
  useBundle({
    'Encoded {0} into {1} frames in {2}.': '{0} codé en {1} images dans {2}.',
    '{0} of {1} frames ({2}%)': '{0} images sur {1} ({2} %)',
    '{0} must be one of {1}, not {2}.': '{0} doit valoir {1}, pas {2}.',
    'Put the missing frame back (or encode the WAV again to write a complete folder), then reload.': "Remettez l'image manquante, puis rechargez.",
  });
  assert.equal(encodeNotice('song.wav', 'song_frames', encoded), 'song.wav codé en 3 images dans song_frames.');
  assert.equal(progressMessage({ framesDone: 1_200, frameCount: 4_000, bytesDone: 3, bytesTotal: 10 }), '1,200 images sur 4,000 (30 %)');
  const read = (name: string) =>
    name === 'compression'
      ? 'tiny'
      : name === 'layout'
        ? 'bytes'
        : name.startsWith('assume')
          ? undefined
          : { width: 768, height: 768, pixelExpansion: 1 }[name];
  const checked = encodeSettings(read);
  assert.equal(checked.ok ? undefined : checked.problem.message, `resonance.compression doit valoir ${COMPRESSIONS.join(', ')}, pas "tiny".`);
  assert.equal(problemFor(new ResonanceError('FRAME_MISSING', 'frame_00005.png', 'is missing')).advice, "Remettez l'image manquante, puis rechargez.");
  // A message the bundle lacks stays English.
  assert.equal(encodeNotice('a.wav', 'a_frames', { ...encoded, frameCount: 1 }), 'Encoded a.wav into 1 frame in a_frames.');
});
