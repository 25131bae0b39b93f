/**
 * Compression presets. Raw audio bytes barely compress (level 1 saves about 5 %), so at expansion 1
 * the default stores them; at larger expansions rows and pixels repeat and deflate pays off.
 * Measured figures for each preset: docs/decisions.md.
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

export function deflatePlan(compression: Compression, expansion: number): DeflatePlan {
  const stored: DeflatePlan = { level: 0, strategy: constants.Z_DEFAULT_STRATEGY, firstFilter: RowFilter.None, repeatFilter: RowFilter.None };
  if (compression === 'fast') return stored;
  if (expansion === 1) {
    return compression === 'default' ? stored : { ...stored, level: 9 };
  }
  return {
    level: compression === 'default' ? 1 : 9,
    strategy: constants.Z_DEFAULT_STRATEGY,
    firstFilter: RowFilter.Sub,
    repeatFilter: RowFilter.Up,
  };
}
