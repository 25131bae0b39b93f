/**
 * A seeded, music-like 16-bit stereo 44.1 kHz WAV of any size: notes of a few partials with vibrato
 * and a slow envelope, plus a little noise, mastered like music (peaks near full scale, RMS about
 * −15 dBFS). Like real music it barely compresses (deflate at level 9 saves 7 %); a pure tone or
 * silence would flatter deflate. Sizes past 4 GiB get an RF64 header.
 * Sines come from a table, so that the 4 GiB file of `--large` takes a minute, not ten.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { makeAudioFormat } from '../src/codec/format/audioFormat';
import { canonicalContainer } from '../src/codec/wav/wavFile';

const SAMPLE_RATE = 44100;
const BLOCK_ALIGN = 4;
const PARTIALS = 5;
const NOTE_FRAMES = Math.round(1.5 * SAMPLE_RATE);
/** A minor pentatonic over two octaves from 110 Hz. */
const SCALE = [0, 3, 5, 7, 10, 12, 15, 17, 19, 22].map((semitones) => 110 * 2 ** (semitones / 12));
/** Partial k's level: 1 / k^1.3. */
const PARTIAL_LEVELS = Array.from({ length: PARTIALS }, (_, k) => 1 / (k + 1) ** 1.3);
const TABLE_BITS = 14;
const TABLE_SIZE = 1 << TABLE_BITS;
const SINE = Float64Array.from({ length: TABLE_SIZE + 1 }, (_, i) => Math.sin((2 * Math.PI * i) / TABLE_SIZE));

/** sin(2π · phase) for a phase in [0, 1), linearly interpolated. */
function sine(phase: number): number {
  const x = phase * TABLE_SIZE;
  const i = x | 0;
  return SINE[i] + (SINE[i + 1] - SINE[i]) * (x - i);
}

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
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
  const chunk = new Int16Array(chunkFrames * 2);
  const bytes = Buffer.from(chunk.buffer);
  const phases = new Float64Array(PARTIALS);
  const totalFrames = dataLength / BLOCK_ALIGN;
  let frequency = SCALE[0];
  let pan = 0.5;
  let vibratoPhase = 0;
  let swellPhase = 0;
  let attack = 0;
  let decay = 1;
  const decayStep = Math.exp(-1.2 / SAMPLE_RATE);
  const file = openSync(path, 'w');
  try {
    writeSync(file, header);
    for (let frame = 0; frame < totalFrames; ) {
      const count = Math.min(chunkFrames, totalFrames - frame);
      for (let i = 0; i < count; i++, frame++) {
        if (frame % NOTE_FRAMES === 0) {
          frequency = SCALE[Math.floor(random() * SCALE.length)];
          pan = 0.25 + 0.5 * random();
          attack = 0;
          decay = 1;
        }
        // Quick attack, slow decay, under a swell of 20 s; vibrato of 5.5 Hz, ±0.4 %.
        attack = Math.min(1, attack + 1 / (0.03 * SAMPLE_RATE));
        decay *= decayStep;
        swellPhase += 1 / (20 * SAMPLE_RATE);
        if (swellPhase >= 1) swellPhase -= 1;
        vibratoPhase += 5.5 / SAMPLE_RATE;
        if (vibratoPhase >= 1) vibratoPhase -= 1;
        const envelope = 1.2 * attack * decay * (0.6 + 0.4 * sine(swellPhase));
        const step = (frequency * (1 + 0.004 * sine(vibratoPhase))) / SAMPLE_RATE;
        let left = 0;
        let right = 0;
        for (let k = 0; k < PARTIALS; k++) {
          let phase = phases[k] + step * (k + 1);
          if (phase >= 1) phase -= Math.floor(phase);
          phases[k] = phase;
          const value = sine(phase) * PARTIAL_LEVELS[k];
          left += value * (k % 2 === 0 ? 1 : 0.8);
          right += value * (k % 2 === 0 ? 0.8 : 1);
        }
        chunk[2 * i] = quantize(envelope * (1 - pan) * left + 0.01 * (random() - 0.5));
        chunk[2 * i + 1] = quantize(envelope * pan * right + 0.01 * (random() - 0.5));
      }
      writeSync(file, bytes, 0, count * BLOCK_ALIGN);
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
