/**
 * A seeded, music-like 16-bit stereo 44.1 kHz WAV of any size: notes of a few partials with vibrato
 * and a slow envelope, plus a little noise. Raw audio like this barely compresses, as real music
 * does not; a pure tone or silence would flatter deflate. Sizes past 4 GiB get an RF64 header.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { makeAudioFormat } from '../src/codec/audioFormat';
import { canonicalContainer } from '../src/codec/wav';

const SAMPLE_RATE = 44100;
const BLOCK_ALIGN = 4;
const PARTIALS = 5;
const NOTE_SECONDS = 1.5;
/** A minor pentatonic over two octaves from 110 Hz. */
const SCALE = [0, 3, 5, 7, 10, 12, 15, 17, 19, 22].map((semitones) => 110 * 2 ** (semitones / 12));

/** mulberry32: small, fast and the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the WAV to `path` with `dataBytes` bytes of samples (rounded down to whole sample frames). */
export function writeMusicWav(path: string, dataBytes: number, seed = 1): { dataLength: number; fileSize: number } {
  const dataLength = dataBytes - (dataBytes % BLOCK_ALIGN);
  const { header, trailer } = canonicalContainer(makeAudioFormat('s16', 2, SAMPLE_RATE), dataLength);
  const random = seededRandom(seed);
  const chunkFrames = 1 << 18;
  const chunk = Buffer.allocUnsafe(chunkFrames * BLOCK_ALIGN);
  const phases = new Float64Array(PARTIALS);
  const noteFrames = Math.round(NOTE_SECONDS * SAMPLE_RATE);
  const twoPi = 2 * Math.PI;
  let frequency = SCALE[0];
  let pan = 0.5;
  let vibratoPhase = 0;
  const file = openSync(path, 'w');
  try {
    writeSync(file, header);
    const totalFrames = dataLength / BLOCK_ALIGN;
    for (let frame = 0; frame < totalFrames; ) {
      const count = Math.min(chunkFrames, totalFrames - frame);
      for (let i = 0; i < count; i++, frame++) {
        const inNote = frame % noteFrames;
        if (inNote === 0) {
          frequency = SCALE[Math.floor(random() * SCALE.length)];
          pan = 0.25 + 0.5 * random();
        }
        const t = inNote / SAMPLE_RATE;
        // Quick attack, slow decay, under a swell of about 20 s.
        const envelope = Math.min(1, t / 0.03) * Math.exp(-t * 1.2) * (0.6 + 0.4 * Math.sin((twoPi * frame) / (SAMPLE_RATE * 20)));
        vibratoPhase += (twoPi * 5.5) / SAMPLE_RATE;
        const vibrato = 1 + 0.004 * Math.sin(vibratoPhase);
        let left = 0;
        let right = 0;
        for (let k = 0; k < PARTIALS; k++) {
          phases[k] += (twoPi * frequency * (k + 1) * vibrato) / SAMPLE_RATE;
          if (phases[k] > twoPi) phases[k] -= twoPi;
          const value = Math.sin(phases[k]) / (k + 1) ** 1.3;
          left += value * (1 - pan) * (k % 2 === 0 ? 1 : 0.8);
          right += value * pan * (k % 2 === 0 ? 0.8 : 1);
        }
        const o = i * BLOCK_ALIGN;
        chunk.writeInt16LE(quantize(0.5 * envelope * left + 0.004 * (random() - 0.5)), o);
        chunk.writeInt16LE(quantize(0.5 * envelope * right + 0.004 * (random() - 0.5)), o + 2);
      }
      writeSync(file, chunk, 0, count * BLOCK_ALIGN);
    }
    writeSync(file, trailer);
  } finally {
    closeSync(file);
  }
  return { dataLength, fileSize: header.length + dataLength + trailer.length };
}

function quantize(sample: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(sample * 32767)));
}
