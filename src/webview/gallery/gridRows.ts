/**
 * What each visible row of the gallery's grid shows, as plain data with a key, and which rows a
 * redraw must build again: only those whose key changed (a record come in, the selection, a mark,
 * a level), so that a scroll builds only the rows that came into view. No DOM here.
 */
import type { GalleryItem } from '../../shared/protocol';
import { t } from '../l10n';

export interface CellState {
  position: number;
  column: number;
  /** The clip's image URL, relative to the view's base; absent while its page is on its way. */
  path?: string;
  name?: string;
  details: string[];
  selected: boolean;
  playing: boolean;
  marked: boolean;
  label: string;
}

export interface CellLevels {
  durationSeconds: number;
  rmsDb: number | null;
  peakDb: number | null;
}

export function dbText(db: number | null | undefined): string {
  return db === null || db === undefined ? '−∞' : db.toFixed(1);
}

export function seconds(s: number | undefined): string {
  return s === undefined ? '' : `${s.toFixed(2)} s`;
}

/** One cell's content: the item (if its page came), its decoded level (if played), and the flags. */
export function cellState(
  position: number,
  column: number,
  item: GalleryItem | undefined,
  clip: CellLevels | undefined,
  flags: { selected: boolean; playing: boolean; marked: boolean },
): CellState {
  const duration = clip?.durationSeconds ?? item?.durationSeconds;
  const details = [
    item?.source !== undefined ? t('{0} at {1}', item.source, seconds(item.startSeconds)) : '',
    duration !== undefined ? seconds(duration) : '',
    clip ? t('{0} dBFS RMS, {1} peak', dbText(clip.rmsDb), dbText(clip.peakDb)) : '',
  ].filter(Boolean);
  const label = item
    ? [item.name, ...details, flags.marked ? t('marked') : '', flags.playing ? t('playing') : ''].filter(Boolean).join(', ')
    : t('Loading');
  return { position, column, ...(item ? { path: item.path, name: item.name } : {}), details, ...flags, label };
}

/** A row's key: equal keys, equal DOM. */
export function rowKey(cells: readonly CellState[]): string {
  return JSON.stringify(cells);
}

/** The rows to remove (out of view) and to build (come into view, or changed), from the drawn rows' keys and the wanted ones'. */
export function planRows(drawn: ReadonlyMap<number, string>, wanted: ReadonlyMap<number, string>): { remove: number[]; build: number[] } {
  const remove = [...drawn.keys()].filter((row) => !wanted.has(row));
  const build = [...wanted].filter(([row, key]) => drawn.get(row) !== key).map(([row]) => row);
  return { remove, build };
}
