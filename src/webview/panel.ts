/**
 * A panel of the frames editor (the toolbar, the frame, the info, the transport, the filmstrip,
 * and those to come: a waveform, a spectrogram, a gallery): one unit with its own element, its
 * own state and its own resources. (The waveform and the spectrogram are hosted by other screens too,
 * so they take a narrower interface than EditorContext: views/audioPanel.ts.) It is built from the editor's context, acts on the editor only
 * through that context, and is told what changed through the hooks it implements; the screen that
 * composes the panels disposes them with it, and each disposes what it took (observers, listeners
 * outside its element, animation frames, requests in flight).
 */
import type { DisposableLike } from '../shared/disposable';
import type { EditorProblem, FramesDocumentView, Integrity, OffGridView, ProblemAction } from '../shared/protocol';
import type { BoundActions } from './actions';
import type { FrequencyScale } from './spectrum/mapping';
import type { FrameImages } from './frameImages';
import type { PlaybackController, PlaybackState } from './playback';
import type { ZoomLevel } from './zoom';

/** How the user set up the view; kept across reloads with the frame and the position. */
export interface EditorSettings {
  zoom: ZoomLevel;
  /** Turn to the frame that is sounding while playing. */
  follow: boolean;
  /** Veil the blocks that are as written, so that those off the grid stand out. */
  offGrid: boolean;
  /** The waveform and the spectrogram panels shown (views/audioPanel.ts says how they are hosted). */
  waveform: boolean;
  spectrogram: boolean;
  frequencyScale: FrequencyScale;
  /** The spectrogram's dB floor (its ceiling is full scale). */
  floorDb: number;
}

export interface Panel extends DisposableLike {
  readonly element: HTMLElement;
  /** The frame on screen changed: by navigation, or by following playback. */
  frameChanged?(frame: number): void;
  /** Anything of the playback changed (time, playing, volume…): on every animation frame while playing. */
  playbackChanged?(state: PlaybackState): void;
  settingsChanged?(settings: EditorSettings): void;
  /** The frames' checksums: being checked while the audio decodes, then known (undefined for a WAV, or when decoding failed). */
  integrityChanged?(integrity: Integrity | undefined, checking: boolean): void;
  dispose(): void;
}

/** What every panel is built with: the document, and what it may ask of the editor. */
export interface EditorContext {
  readonly view: FramesDocumentView;
  readonly images: FrameImages;
  readonly playback: PlaybackController;
  /** The editor's actions (the table in actions.ts), for buttons. */
  readonly actions: BoundActions;
  /** Shows a frame and moves the audio to it, telling screen readers. */
  goToFrame(frame: number): void;
  changeSettings(change: Partial<EditorSettings>): void;
  offGridMap(frame: number): Promise<OffGridView>;
  /** The user chose what to do about a problem shown (open the settings, reload…). */
  problemAction(action: ProblemAction, problem: EditorProblem): void;
}
