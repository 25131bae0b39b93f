/**
 * Where each image of a dataset comes from and what it is called, decided from the corpus and the
 * options alone, never from what another process did: so a build cut into shards, or stopped and
 * run again, names and fills every image as one uninterrupted build would.
 */
import { createHash } from 'node:crypto';
import { gridOf, layoutOf, makeAudioFormat, type Geometry, type LayoutName } from '../codec';
import type { TargetAudio } from './audio/conversion';

/** Sample frames a clip holds: the whole sample frames of one image's data bytes. */
export function clipFramesOf(geometry: Geometry, layout: LayoutName, audio: TargetAudio): number {
  const format = makeAudioFormat(audio.sampleFormat, audio.channels, audio.sampleRate);
  return Math.floor(layoutOf(layout).bytesPerFrame(gridOf(geometry), format) / format.blockAlign);
}

/** How a converted source (of `frames` sample frames) is cut into clips of `clipFrames`, one every `hopFrames`. */
export interface ClipPlan {
  clipFrames: number;
  hopFrames: number;
  /** Clips in the source. */
  count: number;
  /** Sample frames of the source (converted) in each clip, the rest padding; the last may be short. */
  audioFrames(clip: number): number;
}

export type Tail = 'pad' | 'drop';

/**
 * The clips of a source: one starting every hop; with `pad` the last ones may run past the end
 * (padded with silence) as long as each adds audio the one before did not hold; with `drop` only
 * whole clips. A source shorter than a clip makes one padded clip, or none.
 */
export function clipPlan(frames: number, clipFrames: number, hopFrames: number, tail: Tail): ClipPlan {
  let count: number;
  if (tail === 'drop') {
    count = frames < clipFrames ? 0 : Math.floor((frames - clipFrames) / hopFrames) + 1;
  } else if (frames === 0) {
    count = 0;
  } else {
    // Clip k > 0 adds audio when it ends past where clip k − 1 ended: k·hop − hop + clip < frames.
    count = frames <= clipFrames ? 1 : Math.ceil((frames - clipFrames) / hopFrames) + 1;
  }
  return { clipFrames, hopFrames, count, audioFrames: (clip) => Math.max(0, Math.min(clipFrames, frames - clip * hopFrames)) };
}

/**
 * The stem of a source's images: its name without the extension, reduced to letters, digits, `-`
 * and `_` (WebDataset keys may hold no dots), and the start of the SHA-256 of its name so that two
 * names that reduce alike stay apart. Stable: it depends on the source's name alone.
 */
export function sourceKey(name: string): string {
  const stem = name.replace(/\.wav$/i, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(-48) || 'source';
  return `${stem}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** An image's key (its file name less `.png`, and its WebDataset key). */
export function clipKey(sourceKeyValue: string, clip: number): string {
  return `${sourceKeyValue}_${String(clip).padStart(6, '0')}`;
}

/** A number in [0, 1) from a name and a seed, the same on every machine. */
function draw(seed: number, name: string): number {
  return createHash('sha256').update(`${seed}\0${name}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The names of the sources held out for validation: round(fraction · count) of them, whole files,
 * the ones with the lowest draws for `seed`.
 */
export function validationSources(names: readonly string[], fraction: number, seed: number): Set<string> {
  const count = Math.round(fraction * names.length);
  return new Set([...names].sort((a, b) => draw(seed, a) - draw(seed, b) || (a < b ? -1 : 1)).slice(0, count));
}

/** The dither's seed for one clip: independent of the order clips are made in. */
export function clipSeed(seed: number, name: string, clip: number): number {
  return createHash('sha256').update(`dither\0${seed}\0${name}\0${clip}`).digest().readUInt32BE(0);
}
