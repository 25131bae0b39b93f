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
import { seededRandom } from '../src/dataset/audio/sampleEncoding';

const SAMPLE_RATE = 44100;
const BLOCK_ALIGN = 4;
const PARTIALS = 5;
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

/**
 * The music, one sample frame at a time, as numbers at full scale ±1 (before quantising): a new
 * note every 1.5 s, drawn from `random`, which the noise also draws from.
 */
export class MusicSynth {
  private readonly phases = new Float64Array(PARTIALS);
  private readonly noteFrames: number;
  private readonly decayStep: number;
  private frame = 0;
  private frequency = SCALE[0];
  private pan = 0.5;
  private vibratoPhase = 0;
  private swellPhase = 0;
  private attack = 0;
  private decay = 1;
  left = 0;
  right = 0;

  constructor(
    private readonly rate: number,
    private readonly random: () => number,
  ) {
    this.noteFrames = Math.round(1.5 * rate);
    this.decayStep = Math.exp(-1.2 / rate);
  }

  /** Advances one sample frame: `left` and `right` are then its values. */
  next(): void {
    const { rate, random } = this;
    if (this.frame++ % this.noteFrames === 0) {
      this.frequency = SCALE[Math.floor(random() * SCALE.length)];
      this.pan = 0.25 + 0.5 * random();
      this.attack = 0;
      this.decay = 1;
    }
    // Quick attack, slow decay, under a swell of 20 s; vibrato of 5.5 Hz, ±0.4 %.
    this.attack = Math.min(1, this.attack + 1 / (0.03 * rate));
    this.decay *= this.decayStep;
    this.swellPhase += 1 / (20 * rate);
    if (this.swellPhase >= 1) this.swellPhase -= 1;
    this.vibratoPhase += 5.5 / rate;
    if (this.vibratoPhase >= 1) this.vibratoPhase -= 1;
    const envelope = 1.2 * this.attack * this.decay * (0.6 + 0.4 * sine(this.swellPhase));
    const step = (this.frequency * (1 + 0.004 * sine(this.vibratoPhase))) / rate;
    let left = 0;
    let right = 0;
    for (let k = 0; k < PARTIALS; k++) {
      let phase = this.phases[k] + step * (k + 1);
      if (phase >= 1) phase -= Math.floor(phase);
      this.phases[k] = phase;
      const value = sine(phase) * PARTIAL_LEVELS[k];
      left += value * (k % 2 === 0 ? 1 : 0.8);
      right += value * (k % 2 === 0 ? 0.8 : 1);
    }
    this.left = envelope * (1 - this.pan) * left + 0.01 * (random() - 0.5);
    this.right = envelope * this.pan * right + 0.01 * (random() - 0.5);
  }
}

/** Writes the WAV to `path` with `dataBytes` bytes of samples (rounded down to whole sample frames). */
export function writeMusicWav(path: string, dataBytes: number, seed = 1): { dataLength: number; fileSize: number } {
  const dataLength = dataBytes - (dataBytes % BLOCK_ALIGN);
  const { header, trailer } = canonicalContainer(makeAudioFormat('s16', 2, SAMPLE_RATE), dataLength);
  const synth = new MusicSynth(SAMPLE_RATE, seededRandom(seed));
  const chunkFrames = 1 << 18;
  const chunk = new Int16Array(chunkFrames * 2);
  const bytes = Buffer.from(chunk.buffer);
  const totalFrames = dataLength / BLOCK_ALIGN;
  const file = openSync(path, 'w');
  try {
    writeSync(file, header);
    for (let frame = 0; frame < totalFrames; ) {
      const count = Math.min(chunkFrames, totalFrames - frame);
      for (let i = 0; i < count; i++, frame++) {
        synth.next();
        chunk[2 * i] = quantize(synth.left);
        chunk[2 * i + 1] = quantize(synth.right);
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
