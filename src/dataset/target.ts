/**
 * The dataset's one audio format. What the build is given is taken as it is; what it is not given
 * is the corpus's own when every readable source agrees on it, and otherwise the build is refused
 * before anything is written, listing the formats found with how many files have each.
 */
import { describeAudioFormat, readWavFile, ResonanceError, toResonanceError, type WavFile } from '../codec';
import type { TargetAudio } from './audio/conversion';
import type { Source } from './corpus';

export interface Probe {
  source: Source;
  wav?: WavFile;
  /** The WAVE_FORMAT_EXTENSIBLE speaker mask, when the fmt chunk has one. */
  channelMask?: number;
  error?: ResonanceError;
}

/** Reads every source's header; a source that cannot be read is kept with its error. */
export async function probeSources(sources: readonly Source[]): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const source of sources) {
    try {
      const wav = await readWavFile(source.path);
      probes.push({ source, wav, channelMask: channelMaskOf(wav) });
    } catch (error) {
      probes.push({ source, error: toResonanceError(error, source.path) });
    }
  }
  return probes;
}

/** Fills in what `given` leaves open from the readable sources, or refuses a mixed corpus. */
export function chooseTarget(probes: readonly Probe[], given: Partial<TargetAudio>, where: string): TargetAudio {
  const readable = probes.filter((probe) => probe.wav);
  const open = (['sampleFormat', 'channels', 'sampleRate'] as const).filter((field) => given[field] === undefined);
  if (open.length === 0) return given as TargetAudio;
  if (readable.length === 0)
    throw new ResonanceError('CORPUS_MIXED', where, `has no readable WAV file to take the ${open.map(flagOf).join(', ')} from: give them`);
  const chosen = { ...given };
  const mixed: Array<(typeof open)[number]> = [];
  for (const field of open) {
    const values = new Set(readable.map((probe) => probe.wav!.format[field]));
    if (values.size === 1) (chosen as Record<string, unknown>)[field] = [...values][0];
    else mixed.push(field);
  }
  if (mixed.length > 0) {
    const counts = new Map<string, number>();
    for (const probe of readable) {
      const key = describeAudioFormat(probe.wav!.format);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const found = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([format, n]) => `${format} (${n} ${n === 1 ? 'file' : 'files'})`);
    throw new ResonanceError(
      'CORPUS_MIXED',
      where,
      `mixes audio formats: ${found.join('; ')}. Give ${mixed.map(flagOf).join(' and ')} for the dataset's one format`,
    );
  }
  return chosen as TargetAudio;
}

function flagOf(field: 'sampleFormat' | 'channels' | 'sampleRate'): string {
  return field === 'sampleFormat' ? '--format' : field === 'channels' ? '--channels' : '--sample-rate';
}

/** The speaker mask of a WAVE_FORMAT_EXTENSIBLE fmt chunk in the file's header, or undefined. */
function channelMaskOf(wav: WavFile): number | undefined {
  const header = wav.header;
  for (let position = 12; position + 8 <= header.length; ) {
    const id = header.toString('latin1', position, position + 4);
    const size = header.readUInt32LE(position + 4);
    if (id === 'fmt ') {
      const body = position + 8;
      if (size < 40 || body + 24 > header.length || header.readUInt16LE(body) !== 0xfffe) return undefined;
      return header.readUInt32LE(body + 20);
    }
    position += 8 + size + (size & 1);
  }
  return undefined;
}
