/**
 * Compression presets. Raw audio bytes barely compress, so at expansion 1 the default stores them;
 * at larger expansions rows and pixels repeat and deflate pays off. Measured figures for each
 * preset: docs/decisions.md.
 */
import { constants } from 'node:zlib';

export type Compression = 'fast' | 'default' | 'small';
export const COMPRESSIONS: readonly Compression[] = ['fast', 'default', 'small'];

export const enum RowFilter {
  None = 0,
  Sub = 1,
  Up = 2,
}

export interface DeflatePlan {
  /** 0 writes stored deflate blocks without calling zlib. */
  level: number;
  strategy: number;
  /** Filter of the first image row of each data row (the rows after it repeat it: see repeatFilter). */
  firstFilter: RowFilter;
  repeatFilter: RowFilter;
}

export function isCompression(value: unknown): value is Compression {
  return typeof value === 'string' && (COMPRESSIONS as readonly string[]).includes(value);
}

/**
 * How each preset deflates at an expansion, chosen by measuring frames of music-like audio
 * (docs/decisions.md, "Compression presets"). Every repeated row is filtered Up: all zeros. For
 * the first row of each block, filter None with zlib's default strategy lets deflate copy each
 * pixel E − 1 times at distance 3, the best from E = 3 to 8; at E = 2 those copies are too short to
 * pay, and past 8 the zero rows dominate, so there the Sub filter (a pixel's copies become zeros)
 * with Z_RLE wins. Sub with the default strategy at levels 4 to 9 is pathologically slow here
 * (300 ms a frame at E = 4), so `small` never uses it.
 */
export function deflatePlan(compression: Compression, expansion: number): DeflatePlan {
  const stored: DeflatePlan = { level: 0, strategy: constants.Z_DEFAULT_STRATEGY, firstFilter: RowFilter.None, repeatFilter: RowFilter.None };
  if (compression === 'fast') return stored;
  if (expansion === 1) {
    // Stored frames are 6 to 14 % larger than level 9 on music, and cost no deflate at all.
    return compression === 'default' ? stored : { ...stored, level: 9 };
  }
  const copies: DeflatePlan = {
    level: compression === 'default' ? 1 : 9,
    strategy: constants.Z_DEFAULT_STRATEGY,
    firstFilter: RowFilter.None,
    repeatFilter: RowFilter.Up,
  };
  const runs: DeflatePlan = { level: 1, strategy: constants.Z_RLE, firstFilter: RowFilter.Sub, repeatFilter: RowFilter.Up };
  if (expansion === 2) return runs;
  if (compression === 'small') return copies;
  return expansion <= 8 ? copies : runs;
}
