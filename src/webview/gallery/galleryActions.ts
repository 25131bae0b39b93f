/**
 * Everything the gallery can be told to do, in one table (as actions.ts is the frames editor's):
 * each action's control id, label, keys, when it can run and what it does, so the buttons and the
 * keyboard share a label, a key and a condition. The actions act on a GalleryTarget, which the
 * screen implements and the tests fake: no DOM here.
 */
import { t } from '../l10n';

export type GalleryActionId = 'playSelected' | 'previous' | 'next' | 'up' | 'down' | 'first' | 'last' | 'toggleMark' | 'autoAdvance' | 'exportMarked';

export interface GalleryTarget {
  readonly selected: number;
  readonly total: number;
  /** Clips in a row of the grid as laid out now (↑/↓ move by this many). */
  readonly columns: number;
  readonly playing: boolean;
  readonly autoAdvance: boolean;
  readonly markedCount: number;
  /** Plays (or pauses, when it is the one playing) the selected clip. */
  togglePlaySelected(): void;
  /** Selects a clip and plays it. */
  selectAndPlay(position: number): void;
  toggleMark(): void;
  setAutoAdvance(on: boolean): void;
  exportMarked(): void;
}

export interface GalleryAction {
  readonly id: GalleryActionId;
  /** The id of the control that runs it, if it has one (the UI tests find controls by it). */
  readonly control?: string;
  label(target: GalleryTarget): string;
  /** `KeyboardEvent.key` values that run it, when the grid has the focus. */
  readonly keys: readonly string[];
  enabled(target: GalleryTarget): boolean;
  run(target: GalleryTarget): void;
}

const any = (target: GalleryTarget) => target.total > 0;
const move = (id: GalleryActionId, keys: string[], label: string, to: (t: GalleryTarget) => number): GalleryAction => ({
  id,
  label: () => label,
  keys,
  enabled: any,
  run: (target) => target.selectAndPlay(Math.max(0, Math.min(target.total - 1, to(target)))),
});

export const GALLERY_ACTIONS: { readonly [Id in GalleryActionId]: GalleryAction & { id: Id } } = {
  playSelected: {
    id: 'playSelected',
    control: 'gallery-play',
    label: (target) => (target.playing ? t('Pause') : t('Play')),
    keys: ['Enter', ' '],
    enabled: any,
    run: (target) => target.togglePlaySelected(),
  },
  previous: { ...move('previous', ['ArrowLeft'], t('Previous clip'), (target) => target.selected - 1), id: 'previous' },
  next: { ...move('next', ['ArrowRight'], t('Next clip'), (target) => target.selected + 1), id: 'next' },
  up: { ...move('up', ['ArrowUp'], t('Clip above'), (target) => target.selected - target.columns), id: 'up' },
  down: { ...move('down', ['ArrowDown'], t('Clip below'), (target) => target.selected + target.columns), id: 'down' },
  first: { ...move('first', ['Home'], t('First clip'), () => 0), id: 'first' },
  last: { ...move('last', ['End'], t('Last clip'), (target) => target.total - 1), id: 'last' },
  toggleMark: {
    id: 'toggleMark',
    control: 'gallery-mark',
    label: () => t('Mark'),
    keys: ['m', 'M'],
    enabled: any,
    run: (target) => target.toggleMark(),
  },
  autoAdvance: {
    id: 'autoAdvance',
    control: 'gallery-auto-advance',
    label: () => t('Auto-advance'),
    keys: ['a', 'A'],
    enabled: any,
    run: (target) => target.setAutoAdvance(!target.autoAdvance),
  },
  exportMarked: {
    id: 'exportMarked',
    control: 'gallery-export',
    label: (target) => t('Export marked as WAV ({0})', target.markedCount),
    keys: ['e', 'E'],
    enabled: (target) => target.markedCount > 0,
    run: (target) => target.exportMarked(),
  },
};

/** The action a key runs in the grid, if any (keys with a modifier are VS Code's). */
export function galleryActionForKey(key: string, modified: boolean): GalleryActionId | undefined {
  if (modified) return undefined;
  return Object.values(GALLERY_ACTIONS).find((action) => action.keys.includes(key))?.id;
}

/** Runs an action if it can run now; says whether it did. */
export function runGalleryAction(id: GalleryActionId, target: GalleryTarget): boolean {
  const action = GALLERY_ACTIONS[id];
  if (!action.enabled(target)) return false;
  action.run(target);
  return true;
}
