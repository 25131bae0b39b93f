/**
 * From a source's channels to the target's: the same count as it is; mono to N by copying; N to
 * mono by the mean; a surround layout whose WAVE_FORMAT_EXTENSIBLE mask names its speakers to
 * stereo by the ITU-R BS.775 downmix (front channels as they are, centre and each surround channel
 * at −3 dB, 1/√2, into the side it is on, a back centre at −3 dB into both, the LFE left out, as
 * BS.775 does). Anything else is refused for that source, with the reason.
 */

/** WAVE_FORMAT_EXTENSIBLE speaker bits (dwChannelMask), in the order channels appear in a file. */
const SPEAKERS = {
  FL: 0x1,
  FR: 0x2,
  FC: 0x4,
  LFE: 0x8,
  BL: 0x10,
  BR: 0x20,
  FLC: 0x40,
  FRC: 0x80,
  BC: 0x100,
  SL: 0x200,
  SR: 0x400,
  TC: 0x800,
  TFL: 0x1000,
  TFC: 0x2000,
  TFR: 0x4000,
  TBL: 0x8000,
  TBC: 0x10000,
  TBR: 0x20000,
} as const;

export type Speaker = keyof typeof SPEAKERS;

const MINUS_3_DB = Math.SQRT1_2;

/** Each speaker's share of the left and right output of the stereo downmix. */
const STEREO_DOWNMIX: Partial<Record<Speaker, readonly [number, number]>> = {
  FL: [1, 0],
  FR: [0, 1],
  FC: [MINUS_3_DB, MINUS_3_DB],
  LFE: [0, 0],
  BL: [MINUS_3_DB, 0],
  BR: [0, MINUS_3_DB],
  SL: [MINUS_3_DB, 0],
  SR: [0, MINUS_3_DB],
  BC: [MINUS_3_DB * MINUS_3_DB, MINUS_3_DB * MINUS_3_DB],
};

/**
 * How target channels come from source channels: weights[t][s] is source channel s's share of
 * target channel t. `kind` names the rule, for the metadata.
 */
export interface ChannelMix {
  kind: 'same' | 'copy' | 'mean' | 'stereo downmix';
  weights: number[][];
}

/** The speakers a mask names, in channel order; undefined when the mask does not name exactly `channels` speakers. */
function speakersOf(mask: number | undefined, channels: number): Speaker[] | undefined {
  if (!mask) return undefined;
  const speakers = (Object.keys(SPEAKERS) as Speaker[]).filter((speaker) => (mask & SPEAKERS[speaker]) !== 0);
  return speakers.length === channels ? speakers : undefined;
}

/** The mix from `from` channels (with their mask, if any) to `to` channels, or why there is none. */
export function channelMix(from: number, to: number, mask: number | undefined): ChannelMix | { refused: string } {
  if (from === to) return { kind: 'same', weights: identity(to) };
  if (from === 1) return { kind: 'copy', weights: Array.from({ length: to }, () => [1]) };
  if (to === 1) return { kind: 'mean', weights: [Array.from({ length: from }, () => 1 / from)] };
  if (to === 2) {
    const speakers = speakersOf(mask, from);
    if (!speakers)
      return {
        refused: `has ${from} channels without a speaker mask that names them, so there is no standard downmix to stereo: convert it to stereo or mono ` +
          `first, or build with --channels 1`,
      };
    const unknown = speakers.filter((speaker) => STEREO_DOWNMIX[speaker] === undefined);
    if (unknown.length > 0)
      return { refused: `has speakers (${unknown.join(', ')}) outside the ITU-R BS.775 downmix to stereo: convert it first, or build with --channels 1` };
    return { kind: 'stereo downmix', weights: [0, 1].map((side) => speakers.map((speaker) => STEREO_DOWNMIX[speaker]![side])) };
  }
  return {
    refused: `has ${from} channels, which cannot become ${to}: Resonance copies mono to any count, mixes any count to mono, and downmixes surround to stereo`,
  };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, t) => Array.from({ length: n }, (_, s) => (s === t ? 1 : 0)));
}

/**
 * Mixes `frames` interleaved sample frames of `interleaved` (source channels) into one planar
 * array per target channel, each at offset `at`.
 */
export function mixToPlanar(interleaved: Float64Array, frames: number, mix: ChannelMix, planar: Float64Array[], at: number): void {
  const sourceChannels = mix.weights[0].length;
  for (let t = 0; t < planar.length; t++) {
    const weights = mix.weights[t];
    const out = planar[t];
    const only = weights.filter((w) => w !== 0);
    if (only.length === 1 && only[0] === 1) {
      // A channel taken as it is: a copy, bit for bit.
      const s = weights.indexOf(1);
      for (let f = 0; f < frames; f++) out[at + f] = interleaved[f * sourceChannels + s];
      continue;
    }
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let s = 0; s < sourceChannels; s++) sum += weights[s] * interleaved[f * sourceChannels + s];
      out[at + f] = sum;
    }
  }
}
