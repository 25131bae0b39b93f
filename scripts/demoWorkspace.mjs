// A workspace to try the extension in: a fresh folder holding two WAV files from the fixtures and
// a 30-second melody (a few frames at the default 768 × 768, to see the frames editor follow along).
// Used by `npm start` and by the F5 launch configuration (.vscode/launch.json).
// usage: node scripts/demoWorkspace.mjs FOLDER   (replaces FOLDER)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pcmWavHeader } from '../test/helpers/pcmWav.cjs';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures');

/** Fills `folder` (emptied first) with the demo WAVs; copies are writable, unlike the fixtures. */
export function createDemoWorkspace(folder) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'pluck.wav'), readFileSync(join(FIXTURES, 'pluck-pcm16.wav')));
  writeFileSync(join(folder, 'stereo.wav'), readFileSync(join(FIXTURES, 'ff_list_s16_stereo.wav')));
  writeFileSync(join(folder, 'melody.wav'), melodyWav());
  return folder;
}

/** 30 s of 16-bit stereo at 44.1 kHz: plucked notes of an arpeggio, the two channels a little apart. */
export function melodyWav(seconds = 30, sampleRate = 44100) {
  const frames = seconds * sampleRate;
  const wav = Buffer.alloc(44 + frames * 4);
  pcmWavHeader(frames * 4, { sampleRate, channels: 2 }).copy(wav);
  const semitones = [0, 4, 7, 12, 7, 4, 2, 5, 9, 14, 9, 5];
  const noteLength = Math.round(sampleRate / 4);
  for (let i = 0; i < frames; i++) {
    const note = Math.floor(i / noteLength);
    const t = (i % noteLength) / sampleRate;
    const frequency = 220 * 2 ** (semitones[note % semitones.length] / 12);
    const envelope = Math.exp(-6 * t);
    const tone = (phase) => Math.sin(phase) + 0.4 * Math.sin(2 * phase) + 0.15 * Math.sin(3 * phase);
    const left = envelope * tone(2 * Math.PI * frequency * t);
    const right = envelope * tone(2 * Math.PI * frequency * 1.003 * t + 0.5);
    wav.writeInt16LE(Math.round(9000 * left), 44 + i * 4);
    wav.writeInt16LE(Math.round(9000 * right), 46 + i * 4);
  }
  return wav;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: node scripts/demoWorkspace.mjs FOLDER');
    process.exit(2);
  }
  console.log(`demo workspace: ${createDemoWorkspace(resolve(folder))}`);
}
