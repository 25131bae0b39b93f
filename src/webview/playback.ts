/**
 * The transport and the playhead: plays the decoded audio on a media element, reports the data
 * pixel sounding now on every animation frame while playing, turns to the frame that holds it, and
 * seeks to the time of a frame or a clicked pixel. The media element and the animation-frame
 * scheduler are parameters, so the logic is tested with fakes.
 */
import type { PixelLocation, StreamInfo } from '../codec/format';
import { durationOf, frameStartTime, soundingAt, timeOfPixel, type Sounding } from './playhead';

/** What the controller uses of an HTMLAudioElement. */
export interface AudioLike {
  currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
  loop: boolean;
  volume: number;
  play(): Promise<void>;
  pause(): void;
  addEventListener(type: 'play' | 'pause' | 'ended' | 'seeked' | 'timeupdate' | 'loadedmetadata' | 'volumechange', listener: () => void): void;
}

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export interface PlaybackState {
  time: number;
  duration: number;
  playing: boolean;
  loop: boolean;
  volume: number;
  /** The frame on screen. */
  frame: number;
  /** The data pixel sounding now, whichever frame holds it. */
  sounding: Sounding | undefined;
  /** Whether the audio is attached (decoding may still be running). */
  ready: boolean;
}

export interface PlaybackListener {
  /** The frame on screen changed: by navigation, or by following playback. */
  frameChanged(frame: number): void;
  /** Anything of the state changed (time, playing, volume…): redraw the playhead and the transport. */
  stateChanged(state: PlaybackState): void;
}

export class PlaybackController {
  private audio: AudioLike | undefined;
  /** Time to use before the audio is attached, and to apply when it is. */
  private pendingTime = 0;
  private pendingLoop = false;
  private pendingVolume = 1;
  private shownFrame: number;
  /** The frame that held the sounding pixel when last looked: following turns pages only when it changes. */
  private lastSoundingFrame: number | undefined;
  private animation: number | undefined;
  /** Turn to the frame that is sounding while playing. */
  follow = true;

  constructor(
    private readonly stream: StreamInfo,
    private readonly scheduler: FrameScheduler,
    private readonly listener: PlaybackListener,
    initial: { frame?: number; time?: number; loop?: boolean; volume?: number } = {},
  ) {
    this.shownFrame = this.clampFrame(initial.frame ?? 0);
    this.pendingTime = Math.max(0, Math.min(initial.time ?? frameStartTime(stream, this.shownFrame), durationOf(stream)));
    this.pendingLoop = initial.loop ?? false;
    this.pendingVolume = clampVolume(initial.volume ?? 1);
    this.lastSoundingFrame = soundingAt(stream, this.pendingTime)?.frame;
  }

  /** Hands over the media element once the audio exists; the time, loop and volume set so far carry over. */
  attach(audio: AudioLike): void {
    this.audio = audio;
    audio.loop = this.pendingLoop;
    audio.volume = this.pendingVolume;
    audio.currentTime = this.pendingTime;
    const changed = () => this.update();
    audio.addEventListener('play', () => {
      this.update();
      this.animate();
    });
    audio.addEventListener('pause', changed);
    audio.addEventListener('ended', changed);
    audio.addEventListener('seeked', changed);
    audio.addEventListener('timeupdate', changed);
    audio.addEventListener('loadedmetadata', changed);
    audio.addEventListener('volumechange', changed);
    this.update();
  }

  get frame(): number {
    return this.shownFrame;
  }

  get time(): number {
    return this.audio ? this.audio.currentTime : this.pendingTime;
  }

  /** Whether the audio is attached. */
  get ready(): boolean {
    return !!this.audio;
  }

  get playing(): boolean {
    return !!this.audio && !this.audio.paused;
  }

  get state(): PlaybackState {
    const time = this.time;
    return {
      time,
      duration: durationOf(this.stream),
      playing: this.playing,
      loop: this.audio ? this.audio.loop : this.pendingLoop,
      volume: this.audio ? this.audio.volume : this.pendingVolume,
      frame: this.shownFrame,
      sounding: soundingAt(this.stream, time),
      ready: this.ready,
    };
  }

  async togglePlay(): Promise<void> {
    if (!this.audio) return;
    if (this.audio.paused) await this.play();
    else this.audio.pause();
  }

  async play(): Promise<void> {
    if (!this.audio) return;
    // At the very end, play starts over rather than ending at once.
    if (this.audio.currentTime >= durationOf(this.stream)) this.seek(0);
    await this.audio.play();
  }

  setLoop(loop: boolean): void {
    if (this.audio) this.audio.loop = loop;
    else this.pendingLoop = loop;
    this.update();
  }

  setVolume(volume: number): void {
    if (this.audio) this.audio.volume = clampVolume(volume);
    else this.pendingVolume = clampVolume(volume);
    this.update();
  }

  /** Seeks to a time; the view turns to the frame sounding there. */
  seek(time: number): void {
    const clamped = Math.max(0, Math.min(Number.isFinite(time) ? time : 0, durationOf(this.stream)));
    if (this.audio) this.audio.currentTime = clamped;
    else this.pendingTime = clamped;
    const frame = soundingAt(this.stream, clamped)?.frame;
    this.lastSoundingFrame = frame;
    if (frame !== undefined && frame !== this.shownFrame) this.showFrame(frame);
    this.update();
  }

  /** Shows a frame and moves the audio to its first sample (or its end, for frames past the audio). */
  goToFrame(frame: number): void {
    const target = this.clampFrame(frame);
    const time = frameStartTime(this.stream, target);
    if (this.audio) this.audio.currentTime = time;
    else this.pendingTime = time;
    this.lastSoundingFrame = soundingAt(this.stream, time)?.frame;
    if (target !== this.shownFrame) this.showFrame(target);
    this.update();
  }

  step(delta: number): void {
    this.goToFrame(this.shownFrame + delta);
  }

  /** Seeks to the time a data pixel of the frame on screen starts sounding. */
  seekToPixel(pixel: number): void {
    const location: PixelLocation = { frame: this.shownFrame, pixel };
    const time = timeOfPixel(this.stream, location);
    if (this.audio) this.audio.currentTime = time;
    else this.pendingTime = time;
    this.lastSoundingFrame = soundingAt(this.stream, time)?.frame;
    this.update();
  }

  /** Reads the media element's time and follows it; runs on every animation frame while playing. */
  update(): void {
    const state = this.state;
    const frame = state.sounding?.frame;
    if (frame !== undefined && frame !== this.lastSoundingFrame) {
      this.lastSoundingFrame = frame;
      if (this.follow && frame !== this.shownFrame) this.showFrame(frame);
    }
    this.listener.stateChanged({ ...state, frame: this.shownFrame });
  }

  dispose(): void {
    if (this.animation !== undefined) this.scheduler.cancel(this.animation);
    this.animation = undefined;
    this.audio?.pause();
  }

  private animate(): void {
    if (this.animation !== undefined) return;
    const tick = () => {
      this.animation = undefined;
      this.update();
      if (this.audio && !this.audio.paused) this.animation = this.scheduler.request(tick);
    };
    this.animation = this.scheduler.request(tick);
  }

  private showFrame(frame: number): void {
    this.shownFrame = frame;
    this.listener.frameChanged(frame);
  }

  private clampFrame(frame: number): number {
    return Math.max(0, Math.min(this.stream.frameCount - 1, Math.trunc(Number.isFinite(frame) ? frame : 0)));
  }
}

function clampVolume(volume: number): number {
  return Number.isFinite(volume) ? Math.max(0, Math.min(1, volume)) : 1;
}
