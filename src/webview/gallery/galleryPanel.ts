/**
 * A panel of the gallery screen, as panel.ts is the frames editor's: its own element, state and
 * resources, built from the screen's context and told what changed through the hooks it implements.
 */
import type { DisposableLike } from '../../shared/disposable';
import type { ClipAudio, GalleryItem, GalleryParameters, GalleryView } from '../../shared/protocol';
import type { GalleryTarget } from './galleryActions';
import type { GalleryModel } from './galleryModel';

export interface GalleryPanel extends DisposableLike {
  readonly element: HTMLElement;
  /** Selection, marks, the filter's result or the pages in hand changed. */
  modelChanged?(): void;
  /** The playing clip, its time, or whether it plays changed (every animation frame while playing). */
  playbackChanged?(playback: GalleryPlayback): void;
  /** The parameters changed: every clip decodes again. */
  viewChanged?(view: GalleryView): void;
}

export interface GalleryPlayback {
  /** Position among the filtered clips, and the clip. */
  position: number | undefined;
  item: GalleryItem | undefined;
  audio: ClipAudio | undefined;
  time: number;
  playing: boolean;
}

export interface GalleryContext {
  readonly view: GalleryView;
  readonly model: GalleryModel;
  readonly target: GalleryTarget;
  /** What each decoded clip measured, by its index among all clips. */
  readonly decoded: ReadonlyMap<number, ClipAudio>;
  setFilter(filter: string): void;
  setParameters(parameters: GalleryParameters): void;
  /** Tells screen readers (the player's live region). */
  announce(text: string): void;
}
