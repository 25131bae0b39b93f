/**
 * The audio formats Resonance understands. Frames carry the WAV's bytes as they are, so the codec
 * needs the format only to describe the audio (duration, sample layout) and to rebuild a header.
 */
export type SampleFormat = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64' | 'alaw' | 'mulaw';

export const SAMPLE_FORMATS: readonly SampleFormat[] = ['u8', 's16', 's24', 's32', 'f32', 'f64', 'alaw', 'mulaw'];

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_ALAW = 0x0006;
export const WAVE_FORMAT_MULAW = 0x0007;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export interface AudioFormat {
  sampleFormat: SampleFormat;
  channels: number;
  sampleRate: number;
  /** Significant bits per sample (may be fewer than the container, e.g. 20 bits in 24). */
  bitsPerSample: number;
  /** Bytes of one sample frame: every channel's sample once. */
  blockAlign: number;
}

export function bytesPerSample(format: SampleFormat): number {
  switch (format) {
    case 'u8':
    case 'alaw':
    case 'mulaw':
      return 1;
    case 's16':
      return 2;
    case 's24':
      return 3;
    case 's32':
    case 'f32':
      return 4;
    case 'f64':
      return 8;
  }
}

export function isSampleFormat(value: unknown): value is SampleFormat {
  return typeof value === 'string' && (SAMPLE_FORMATS as readonly string[]).includes(value);
}

/** The format tag a canonical header uses for this sample format, before any EXTENSIBLE wrapping. */
export function formatTagOf(format: SampleFormat): number {
  switch (format) {
    case 'f32':
    case 'f64':
      return WAVE_FORMAT_IEEE_FLOAT;
    case 'alaw':
      return WAVE_FORMAT_ALAW;
    case 'mulaw':
      return WAVE_FORMAT_MULAW;
    default:
      return WAVE_FORMAT_PCM;
  }
}

export function makeAudioFormat(sampleFormat: SampleFormat, channels: number, sampleRate: number): AudioFormat {
  const size = bytesPerSample(sampleFormat);
  return { sampleFormat, channels, sampleRate, bitsPerSample: size * 8, blockAlign: size * channels };
}

export function durationSeconds(format: AudioFormat, dataLength: number): number {
  return format.blockAlign > 0 && format.sampleRate > 0 ? dataLength / format.blockAlign / format.sampleRate : 0;
}

export function describeAudioFormat(format: AudioFormat): string {
  const rate = format.sampleRate % 1000 === 0 ? `${format.sampleRate / 1000} kHz` : `${format.sampleRate} Hz`;
  const channels = format.channels === 1 ? 'mono' : format.channels === 2 ? 'stereo' : `${format.channels} channels`;
  return `${format.sampleFormat}, ${channels}, ${rate}`;
}
