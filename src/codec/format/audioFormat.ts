/**
 * The audio formats Resonance understands. Frames carry the WAV's bytes as they are, so the codec
 * needs the format only to describe the audio (duration, sample layout) and to rebuild a header.
 * Audio whose samples it cannot interpret (ADPCM, GSM, PCM wider than 32 bits, big-endian RIFX…)
 * is `opaque`: the `bytes` layout still keeps it byte for byte, and only what needs sample values
 * (the `planes` layout, comparing, playback copies) refuses it.
 */
export type SampleFormat = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64' | 'alaw' | 'mulaw';

/** The sample format of audio Resonance cannot interpret. */
export const OPAQUE = 'opaque';

export const SAMPLE_FORMATS: readonly SampleFormat[] = ['u8', 's16', 's24', 's32', 'f32', 'f64', 'alaw', 'mulaw'];

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_ALAW = 0x0006;
export const WAVE_FORMAT_MULAW = 0x0007;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export interface AudioFormat {
  sampleFormat: SampleFormat | typeof OPAQUE;
  channels: number;
  sampleRate: number;
  /** Significant bits per sample (may be fewer than the container, e.g. 20 bits in 24); for opaque audio the fmt chunk's own figure, possibly 0. */
  bitsPerSample: number;
  /** Bytes of one sample frame: every channel's sample once; for opaque audio the fmt chunk's block (an ADPCM block, say). */
  blockAlign: number;
  /** Opaque audio only: how to name it, and how long it lasts. */
  opaque?: OpaqueFormat;
}

/** What is known of audio Resonance cannot interpret: enough to name it and time it, not to read its samples. */
export interface OpaqueFormat {
  /** The fmt chunk's format tag (for WAVE_FORMAT_EXTENSIBLE, its sub-format's). */
  formatTag: number;
  /** The fmt chunk's average bytes per second (block align × rate when it says 0): the only clock compressed audio has. */
  bytesPerSecond: number;
  /** From a big-endian RIFX file. */
  bigEndian: boolean;
}

/** Audio whose samples Resonance can read as numbers. */
export type InterpretedAudioFormat = AudioFormat & { sampleFormat: SampleFormat };

export function isInterpreted(format: AudioFormat): format is InterpretedAudioFormat {
  return format.sampleFormat !== OPAQUE;
}

/** Names of the format tags met in WAV files that Resonance cannot interpret. */
const FORMAT_TAG_NAMES: Record<number, string> = {
  0x0001: 'PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x0160: 'WMA',
  0x0161: 'WMA',
  0x2000: 'AC-3',
};

/** "IMA ADPCM (format tag 0x0011)", "PCM of 40 bits (format tag 0x0001), big-endian". */
function describeOpaque(format: AudioFormat): string {
  const opaque = format.opaque;
  if (!opaque) return 'audio of an unknown format';
  const tag = `format tag 0x${opaque.formatTag.toString(16).padStart(4, '0')}`;
  const name = FORMAT_TAG_NAMES[opaque.formatTag];
  const bits = (opaque.formatTag === 0x0001 || opaque.formatTag === 0x0003) && format.bitsPerSample > 0 ? ` of ${format.bitsPerSample} bits` : '';
  return `${name ? `${name}${bits} (${tag})` : tag}${opaque.bigEndian ? ', big-endian' : ''}`;
}

/**
 * Why work that needs sample values cannot be done on this audio, and what to do instead: the one
 * sentence every refusal of opaque audio ends with.
 */
export function opaqueAdvice(format: AudioFormat, work: string): string {
  return (
    `holds ${describeOpaque(format)} audio, whose samples Resonance cannot read, so it cannot ${work}; ` +
    `Resonance reads 8/16/24/32-bit PCM, 32/64-bit float, A-law and µ-law (the bytes layout keeps any other format byte for byte): ` +
    `convert it to PCM first, e.g. ffmpeg -i IN.wav -c:a pcm_s16le OUT.wav, or sox IN.wav -e signed -b 16 OUT.wav`
  );
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
  if (format.opaque) return format.opaque.bytesPerSecond > 0 ? dataLength / format.opaque.bytesPerSecond : 0;
  return format.blockAlign > 0 && format.sampleRate > 0 ? dataLength / format.blockAlign / format.sampleRate : 0;
}

export function describeAudioFormat(format: AudioFormat): string {
  const rate = format.sampleRate % 1000 === 0 ? `${format.sampleRate / 1000} kHz` : `${format.sampleRate} Hz`;
  const channels = format.channels === 1 ? 'mono' : format.channels === 2 ? 'stereo' : `${format.channels} channels`;
  const sampleFormat = format.opaque ? `opaque: ${describeOpaque(format)}` : format.sampleFormat;
  return `${sampleFormat}, ${channels}, ${rate}`;
}
