/**
 * What the waveform and the spectrogram panels need from the screen that hosts them, written down
 * because more than one screen does (the sequence editor, and the gallery's clips): nothing of the
 * editor's EditorContext, only the audio to show, where playback is, and a way to seek.
 *
 *   const panel = new SpectrogramPanel({ seek: (seconds) => audio.currentTime = seconds, ... });
 *   host.append(panel.element);
 *   panel.showAudio({ channels, sampleRate, duration });  // clipSamples(await wav bytes)
 *   panel.playbackChanged({ time, playing });             // on every animation frame while playing
 *   panel.dispose();                                      // its observers, listeners and worker go
 *
 * A hidden panel (its element `hidden`) measures 0 wide and draws nothing until shown again.
 */
import type { DisposableLike } from '../../shared/disposable';

export interface ShownAudio {
  /** Each channel's samples, full scale ±1 (src/webview/spectrum/clipSamples.ts makes them from a WAV); a lane each. */
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
  /** Seconds: what the playhead's time runs over. */
  readonly duration: number;
}

export interface PlayPosition {
  readonly time: number;
  readonly playing: boolean;
}

export interface AudioPanel extends DisposableLike {
  readonly element: HTMLElement;
  /** The clip to draw; a new clip replaces the one drawn. */
  showAudio(audio: ShownAudio): void;
  /** Why there is nothing to draw (the samples could not be read), in one line. */
  showUnavailable(reason: string): void;
  playbackChanged(position: PlayPosition): void;
  dispose(): void;
}

export interface AudioPanelOptions {
  /** The user clicked, dragged or pressed a key on the panel: play from there. */
  seek(seconds: number): void;
}
