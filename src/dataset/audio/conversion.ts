/**
 * One source's audio in the dataset's target format, any range of it at a time: channels mixed
 * (channels.ts), the rate converted (resampler.ts), the samples written in the target format
 * (sampleEncoding.ts). Integer and G.711 sources already in the target format are copied byte for
 * byte; everything else goes through numbers on the common scale. Random-access, like the
 * resampler, so that clips, workers and machines can each convert their own part and together
 * write what one pass would.
 */
import {
  isInterpreted,
  makeAudioFormat,
  opaqueAdvice,
  toNumbers,
  type AudioFormat,
  type ErrorCode,
  type InterpretedAudioFormat,
  type SampleFormat,
} from '../../codec';
import { channelMix, mixToPlanar, type ChannelMix } from './channels';
import { Resampler } from './resampler';
import { encodeSamples, silenceByte, type EncodingCounts, type UniformRandom } from './sampleEncoding';

/** The audio every image of a dataset holds. */
export interface TargetAudio {
  sampleFormat: SampleFormat;
  channels: number;
  sampleRate: number;
}

function targetFormat(target: TargetAudio): InterpretedAudioFormat {
  return makeAudioFormat(target.sampleFormat, target.channels, target.sampleRate) as InterpretedAudioFormat;
}

export interface Conversion {
  source: InterpretedAudioFormat;
  target: InterpretedAudioFormat;
  /** Sample frames of the source, and of the source once converted (its duration at the target rate). */
  sourceFrames: number;
  outputFrames: number;
  mix: ChannelMix;
  resampler?: Resampler;
  /** Bytes copied as they are: same format, channels and rate, and not float (floats are sanitised). */
  copiesBytes: boolean;
  /** What changes, for the metadata: e.g. ['44100 → 16000 Hz', 'stereo downmix', 's24 → s16']. */
  steps: string[];
  /**
   * Memory reused from chunk to chunk and from source to source: a build converts thousands of
   * chunks, and fresh arrays pile up as garbage. One a thread: convertRange runs to its end before
   * another starts, and what it leaves there is used up within it.
   */
  workspace: Workspace;
}

/** Named arrays of numbers, each grown when a larger one is asked for and otherwise reused. */
class Workspace {
  private readonly arrays = new Map<string, Float64Array>();

  /** An array of `length` numbers, zeroed when `zero` is set. */
  numbers(name: string, length: number, zero = false): Float64Array {
    let array = this.arrays.get(name);
    if (!array || array.length < length) {
      array = new Float64Array(length);
      this.arrays.set(name, array);
      return array;
    }
    const view = array.subarray(0, length);
    if (zero) view.fill(0);
    return view;
  }
}

const threadWorkspace = new Workspace();

/** Reads the source's raw sample bytes of frames [start, start + count), all inside the source. */
export type SourceReader = (start: number, count: number) => Uint8Array;

/** Why a source cannot become the target, with the code of that reason. */
export interface Refusal {
  refused: string;
  code: ErrorCode;
}

/** How a source becomes the target, or why it cannot. */
export function planConversion(source: AudioFormat, channelMask: number | undefined, sourceFrames: number, target: TargetAudio): Conversion | Refusal {
  if (!isInterpreted(source)) return { refused: opaqueAdvice(source, 'go into a dataset'), code: 'WAV_UNSUPPORTED' };
  const mix = channelMix(source.channels, target.channels, channelMask);
  if ('refused' in mix) return { ...mix, code: 'CONVERSION_REFUSED' };
  const format = targetFormat(target);
  const resampler = source.sampleRate === target.sampleRate ? undefined : resamplerFor(source.sampleRate, target.sampleRate);
  const steps = [
    ...(resampler ? [`${source.sampleRate} → ${target.sampleRate} Hz`] : []),
    ...(mix.kind === 'same'
      ? []
      : [
          mix.kind === 'copy'
            ? `mono copied to ${target.channels} channels`
            : mix.kind === 'mean'
              ? `${source.channels} channels mixed to mono`
              : `${source.channels} channels downmixed to stereo (ITU-R BS.775)`,
        ]),
    ...(source.sampleFormat === target.sampleFormat ? [] : [`${source.sampleFormat} → ${target.sampleFormat}`]),
  ];
  return {
    source,
    target: format,
    sourceFrames,
    outputFrames: resampler ? resampler.outputLength(sourceFrames) : sourceFrames,
    mix,
    resampler,
    copiesBytes: !resampler && mix.kind === 'same' && source.sampleFormat === target.sampleFormat && !source.sampleFormat.startsWith('f'),
    steps,
    workspace: threadWorkspace,
  };
}

/**
 * Resamplers by rate pair, shared by the conversions of every source: a table depends on the rates
 * alone, and a worker making a corpus's sources would otherwise design the same few hundred
 * times. A corpus has a handful of rates; the bound keeps a pathological one from holding tables.
 */
const resamplers = new Map<string, Resampler>();
const MAX_RESAMPLERS = 16;

function resamplerFor(fromRate: number, toRate: number): Resampler {
  const key = `${fromRate}/${toRate}`;
  let resampler = resamplers.get(key);
  if (!resampler) {
    if (resamplers.size >= MAX_RESAMPLERS) resamplers.delete(resamplers.keys().next().value as string);
    resampler = new Resampler(fromRate, toRate);
    resamplers.set(key, resampler);
  }
  return resampler;
}

/** Output frames converted at a time: memory stays small whatever the clip's size. */
const CHUNK_FRAMES = 1 << 15;

/**
 * Writes output frames [start, start + frames) into `out` (frames · target block align bytes).
 * Frames past the converted source's end are silence of the target format.
 */
export function convertRange(
  conversion: Conversion,
  read: SourceReader,
  start: number,
  frames: number,
  out: Uint8Array,
  counts: EncodingCounts,
  dither?: UniformRandom,
): void {
  const blockAlign = conversion.target.blockAlign;
  const inSource = Math.max(0, Math.min(frames, conversion.outputFrames - start));
  out.fill(silenceByte(conversion.target.sampleFormat), inSource * blockAlign, frames * blockAlign);
  if (conversion.copiesBytes) {
    if (inSource > 0) out.set(read(start, inSource), 0);
    return;
  }
  for (let done = 0; done < inSource; done += CHUNK_FRAMES) {
    const count = Math.min(CHUNK_FRAMES, inSource - done);
    const planar = targetSamples(conversion, read, start + done, count);
    encodeSamples(planar, 0, count, conversion.target.sampleFormat, out.subarray(done * blockAlign, (done + count) * blockAlign), counts, dither);
  }
}

/** The target channels' samples, as numbers, for output frames [start, start + count). */
function targetSamples(conversion: Conversion, read: SourceReader, start: number, count: number): Float64Array[] {
  const { resampler, mix, workspace } = conversion;
  const channels = conversion.target.channels;
  const span = resampler ? resampler.inputSpan(start, start + count) : { start, end: start + count };
  // Mixing before resampling when it reduces the channels (less to filter), after when it copies mono out.
  const mixFirst = mix.weights.length <= mix.weights[0].length;
  const sourcePlanar = readPlanar(conversion, read, span.start, span.end - span.start, mixFirst ? mix : undefined);
  const filtered = resampler
    ? sourcePlanar.map((channel, c) => {
        const out = workspace.numbers(`filtered ${c}`, count);
        resampler.process(channel, span.start, start, out);
        return out;
      })
    : sourcePlanar;
  if (mixFirst) return filtered;
  // Mono copied out: every target channel is the one channel, bit for bit, so the same array serves.
  if (mix.kind === 'copy') return Array.from({ length: channels }, () => filtered[0]);
  const out = Array.from({ length: channels }, (_, c) => workspace.numbers(`mixed ${c}`, count));
  mixToPlanar(interleave(filtered, count, workspace.numbers('interleaved', count * filtered.length)), count, mix, out, 0);
  return out;
}

/**
 * Source frames [start, start + count) as numbers, planar, mixed by `mix` when given; frames
 * before the start or past the end of the source are silence (0).
 */
function readPlanar(conversion: Conversion, read: SourceReader, start: number, count: number, mix: ChannelMix | undefined): Float64Array[] {
  const { source, sourceFrames } = conversion;
  const first = Math.max(0, start);
  const last = Math.min(sourceFrames, start + count);
  const inside = Math.max(0, last - first);
  const { workspace } = conversion;
  const values = workspace.numbers('source', inside * source.channels);
  if (inside > 0) toNumbers(read(first, inside), source.sampleFormat, values);
  const planes = mix ? mix.weights.length : source.channels;
  // Zeroed: what lies outside the source is silence.
  const planar = Array.from({ length: planes }, (_, c) => workspace.numbers(`planar ${c}`, count, inside < count));
  const at = first - start;
  if (inside === 0) return planar;
  if (mix) {
    mixToPlanar(values, inside, mix, planar, at);
  } else {
    for (let c = 0; c < source.channels; c++) for (let f = 0; f < inside; f++) planar[c][at + f] = values[f * source.channels + c];
  }
  return planar;
}

function interleave(planar: Float64Array[], frames: number, out: Float64Array): Float64Array {
  const channels = planar.length;
  for (let c = 0; c < channels; c++) for (let f = 0; f < frames; f++) out[f * channels + c] = planar[c][f];
  return out;
}
