/**
 * The transport with a fake media element and a fake animation-frame scheduler: playing follows
 * the sounding pixel from frame to frame, navigation and clicks seek, and everything set before the
 * audio exists carries over when it is attached.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gridOf, layoutOf, makeAudioFormat, type StreamInfo } from '../../src/codec';
import { PlaybackController, type AudioLike, type FrameScheduler, type PlaybackState } from '../../src/webview/playback';

/** 4 × 4 data pixels, u8 mono at 1 kHz: 48 samples a frame, 3 frames and a bit. */
function stream(): StreamInfo {
  const geometry = { width: 8, height: 8, expansion: 2 };
  const audio = makeAudioFormat('u8', 1, 1000);
  const bytesPerFrame = layoutOf('bytes').bytesPerFrame(gridOf(geometry), audio);
  return { geometry, layout: 'bytes', audio, dataLength: 150, bytesPerFrame, frameCount: 4 };
}

class FakeAudio implements AudioLike {
  currentTime = 0;
  duration = 0.15;
  paused = true;
  loop = false;
  volume = 1;
  private readonly listeners = new Map<string, Array<() => void>>();
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string): void {
    for (const l of this.listeners.get(type) ?? []) l();
  }
  async play(): Promise<void> {
    this.paused = false;
    this.emit('play');
  }
  pause(): void {
    this.paused = true;
    this.emit('pause');
  }
}

class FakeScheduler implements FrameScheduler {
  private callbacks = new Map<number, () => void>();
  private next = 1;
  request(callback: () => void): number {
    this.callbacks.set(this.next, callback);
    return this.next++;
  }
  cancel(handle: number): void {
    this.callbacks.delete(handle);
  }
  get pending(): number {
    return this.callbacks.size;
  }
  /** Runs one animation frame. */
  flush(): void {
    const due = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const callback of due) callback();
  }
}

function setup(initial?: ConstructorParameters<typeof PlaybackController>[3]) {
  const frames: number[] = [];
  const states: PlaybackState[] = [];
  const scheduler = new FakeScheduler();
  const controller = new PlaybackController(stream(), scheduler, { frameChanged: (f) => frames.push(f), stateChanged: (s) => states.push(s) }, initial);
  const audio = new FakeAudio();
  return { controller, scheduler, audio, frames, states, last: () => states[states.length - 1] };
}

describe('playback', () => {
  test('playing follows the sounding pixel from frame to frame on each animation frame', async () => {
    const { controller, scheduler, audio, frames, last } = setup();
    controller.attach(audio);
    await controller.togglePlay();
    assert.equal(last().playing, true);
    assert.equal(scheduler.pending, 1, 'an animation frame is requested while playing');
    audio.currentTime = 0.01; // sample 10: frame 0, pixel 3
    scheduler.flush();
    assert.deepEqual({ frame: last().frame, sounding: last().sounding }, { frame: 0, sounding: { sample: 10, frame: 0, pixel: 3 } });
    audio.currentTime = 0.05; // sample 50: frame 1, pixel 0
    scheduler.flush();
    assert.deepEqual(frames, [1], 'turned to frame 1');
    assert.equal(last().sounding?.pixel, 0);
    audio.currentTime = 0.149; // sample 149: frame 3
    scheduler.flush();
    assert.deepEqual(frames, [1, 3]);
    await controller.togglePlay();
    scheduler.flush();
    assert.equal(scheduler.pending, 0, 'no animation frames once paused');
    assert.equal(last().playing, false);
  });

  test('with following off, the view stays on its frame while the playhead moves on', async () => {
    const { controller, scheduler, audio, frames, last } = setup();
    controller.attach(audio);
    controller.follow = false;
    await controller.play();
    audio.currentTime = 0.1;
    scheduler.flush();
    assert.deepEqual(frames, []);
    assert.equal(last().frame, 0);
    assert.equal(last().sounding?.frame, 2);
  });

  test('stepping frames seeks to the first sample of each; past the audio it seeks to the last sample', () => {
    const { controller, audio, frames } = setup();
    controller.attach(audio);
    controller.step(1);
    assert.equal(audio.currentTime, 0.048);
    controller.goToFrame(3);
    assert.equal(audio.currentTime, 0.144);
    controller.goToFrame(99);
    assert.equal(controller.frame, 3, 'clamped to the last frame');
    controller.goToFrame(-5);
    assert.equal(controller.frame, 0);
    assert.equal(audio.currentTime, 0);
    assert.deepEqual(frames, [1, 3, 0]);
  });

  test('clicking a pixel seeks to the time it starts sounding, on the frame shown', () => {
    const { controller, audio, last } = setup();
    controller.attach(audio);
    controller.goToFrame(2);
    controller.seekToPixel(5); // frame 2 starts at sample 96; pixel 5 holds bytes 15..17: sample 111
    assert.equal(audio.currentTime, 0.111);
    assert.deepEqual(last().sounding, { sample: 111, frame: 2, pixel: 5 });
    controller.goToFrame(3);
    controller.seekToPixel(15); // padding after the last sample: the last sample
    assert.equal(audio.currentTime, 0.149);
  });

  test('seeking the transport turns to the frame that sounds there', () => {
    const { controller, audio, frames } = setup();
    controller.attach(audio);
    controller.seek(0.1);
    assert.deepEqual(frames, [2]);
    controller.seek(99);
    assert.equal(audio.currentTime, 0.15, 'clamped to the duration');
  });

  test('position, loop and volume chosen before the audio exists carry over when it is attached', () => {
    const { controller, audio, last } = setup({ frame: 2, loop: true, volume: 0.25 });
    assert.equal(last(), undefined);
    assert.equal(controller.time, 0.096, 'a restored frame starts at its first sample');
    controller.setVolume(0.5);
    controller.seekToPixel(1);
    assert.equal(last().ready, false);
    controller.attach(audio);
    assert.deepEqual({ time: audio.currentTime, loop: audio.loop, volume: audio.volume }, { time: 0.099, loop: true, volume: 0.5 });
    assert.equal(last().ready, true);
    controller.setLoop(false);
    assert.equal(audio.loop, false);
    controller.setVolume(7);
    assert.equal(audio.volume, 1);
  });

  test('play at the very end starts over', async () => {
    const { controller, audio } = setup();
    controller.attach(audio);
    controller.seek(0.15);
    await controller.play();
    assert.equal(audio.currentTime, 0);
    assert.equal(audio.paused, false);
  });

  test('media events (a seek by the element itself, the end) update the state', () => {
    const { controller, audio, frames, last } = setup();
    controller.attach(audio);
    audio.currentTime = 0.06;
    audio.emit('seeked');
    assert.deepEqual(frames, [1]);
    assert.equal(last().time, 0.06);
  });
});
