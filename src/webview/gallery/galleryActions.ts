/**
 * The gallery's actions in one table, as actions.ts is the sequence editor's: the buttons and the
 * keys go through it, so a label or a key is written once. No DOM here.
 */
import { t } from '../l10n';

export type GalleryActionId = 'play' | 'next' | 'previous' | 'down' | 'up' | 'mark' | 'autoAdvance' | 'exportMarked';

export interface GalleryActionTarget {
  readonly playing: boolean;
  readonly autoAdvance: boolean;
  readonly markedCount: number;
  readonly columns: number;
  togglePlay(): void;
  /** Moves the selection by `delta` clips and plays the clip there. */
  moveAndPlay(delta: number): void;
  toggleMark(): void;
  toggleAutoAdvance(): void;
  exportMarked(): void;
}

export interface GalleryAction {
  readonly id: GalleryActionId;
  readonly control: string;
  label(target: GalleryActionTarget): string;
  readonly keys: readonly string[];
  enabled(target: GalleryActionTarget): boolean;
  run(target: GalleryActionTarget): void;
}

const always = () => true;

export const GALLERY_ACTIONS: { readonly [Id in GalleryActionId]: GalleryAction & { id: Id } } = {
  play: {
    id: 'play',
    control: 'gallery-play',
    label: (g) => (g.playing ? t('Pause') : t('Play')),
    keys: ['Enter', ' '],
    enabled: always,
    run: (g) => g.togglePlay(),
  },
  next: { id: 'next', control: 'gallery-next', label: () => t('Next clip'), keys: ['ArrowRight'], enabled: always, run: (g) => g.moveAndPlay(1) },
  previous: {
    id: 'previous',
    control: 'gallery-previous',
    label: () => t('Previous clip'),
    keys: ['ArrowLeft'],
    enabled: always,
    run: (g) => g.moveAndPlay(-1),
  },
  down: { id: 'down', control: 'gallery-down', label: () => t('Clip below'), keys: ['ArrowDown'], enabled: always, run: (g) => g.moveAndPlay(g.columns) },
  up: { id: 'up', control: 'gallery-up', label: () => t('Clip above'), keys: ['ArrowUp'], enabled: always, run: (g) => g.moveAndPlay(-g.columns) },
  mark: { id: 'mark', control: 'gallery-mark', label: () => t('Mark clip (M)'), keys: ['m', 'M'], enabled: always, run: (g) => g.toggleMark() },
  autoAdvance: {
    id: 'autoAdvance',
    control: 'gallery-auto-advance',
    label: () => t('Auto-advance (A)'),
    keys: ['a', 'A'],
    enabled: always,
    run: (g) => g.toggleAutoAdvance(),
  },
  exportMarked: {
    id: 'exportMarked',
    control: 'gallery-export',
    label: (g) => t('Export marked as WAV ({0})', g.markedCount),
    keys: [],
    enabled: (g) => g.markedCount > 0,
    run: (g) => g.exportMarked(),
  },
};

/** The action a key runs, if any (keys with modifiers are VS Code's). */
export function galleryActionForKey(key: string): GalleryActionId | undefined {
  return (Object.values(GALLERY_ACTIONS) as GalleryAction[]).find((action) => action.keys.includes(key))?.id;
}
