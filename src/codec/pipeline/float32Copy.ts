/**
 * Copies of WAVs that a browser's <audio> can play. Chromium's WAV demuxer refuses 64-bit float
 * and loads 24- and 32-bit integer PCM without a duration (so the frames editor could not seek):
 * measured with Debian's chromium on canonical headers of every format. Those formats are played
 * from a 32-bit float copy; the audio is the same to within float32's 24-bit precision.
 */
import { isInterpreted, makeAudioFormat, opaqueAdvice, type AudioFormat } from '../format/audioFormat';
import { ResonanceError, throwIfAborted } from '../format/errors';
import { openRegularFile } from '../files/safeOpen';
import { openFileOutput } from './output';
import { toNumbers } from '../format/sampleValues';
import { canonicalContainer, readWavFile } from '../wav/wavFile';

const BROWSER_PLAYABLE: readonly AudioFormat['sampleFormat'][] = ['u8', 's16', 'f32', 'alaw', 'mulaw'];
/** Samples (every channel counted) converted at a time: memory stays small whatever the file's length or channel count. */
const CHUNK_SAMPLES = 1 << 16;

export function browserPlays(format: AudioFormat['sampleFormat']): boolean {
  return BROWSER_PLAYABLE.includes(format);
}

/** Writes `output`, a canonical 32-bit float WAV of `input`'s samples (whole sample frames only). */
export async function writeFloat32Wav(input: string, output: string, signal?: AbortSignal): Promise<void> {
  const wav = await readWavFile(input);
  const format = wav.format;
  if (!isInterpreted(format)) throw new ResonanceError('WAV_UNSUPPORTED', input, opaqueAdvice(format, 'be played'));
  const { channels, sampleRate, blockAlign, sampleFormat } = format;
  const frames = Math.floor(wav.dataLength / blockAlign);
  const chunkFrames = Math.max(1, Math.floor(CHUNK_SAMPLES / channels));
  const { header, trailer } = canonicalContainer(makeAudioFormat('f32', channels, sampleRate), frames * channels * 4);
  // The copies live in the extension's own storage, where the previous copy is always replaced.
  const pending = await openFileOutput({ target: output, overwrite: true, reads: [input] });
  const { handle: source } = await openRegularFile(input, 'a WAV file');
  try {
    await pending.write(async ({ handle: target }) => {
      await target.write(header);
      const raw = new Uint8Array(chunkFrames * blockAlign);
      const values = new Float64Array(chunkFrames * channels);
      const floats = new Float32Array(chunkFrames * channels);
      for (let start = 0; start < frames; start += chunkFrames) {
        throwIfAborted(signal);
        const count = Math.min(chunkFrames, frames - start);
        const bytes = raw.subarray(0, count * blockAlign);
        const { bytesRead } = await source.read(bytes, 0, bytes.length, wav.dataOffset + start * blockAlign);
        if (bytesRead !== bytes.length) throw new ResonanceError('FILE_CHANGED', input, 'changed while it was being read');
        toNumbers(bytes, sampleFormat, values);
        const out = floats.subarray(0, count * channels);
        out.set(values.subarray(0, out.length));
        await target.write(new Uint8Array(out.buffer, 0, out.byteLength));
      }
      await target.write(trailer);
    });
  } finally {
    await source.close();
  }
}
