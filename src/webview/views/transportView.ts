/** The audio transport: play/pause, loop, time, a seek slider and volume, for the native <audio> element. */
import { h } from '../dom';
import { icon, setIcon } from '../icons';
import { formatTime } from '../infoRows';
import type { PlaybackState } from '../playback';

export interface TransportActions {
  togglePlay(): void;
  seek(time: number): void;
  setLoop(loop: boolean): void;
  setVolume(volume: number): void;
}

export class TransportView {
  readonly element: HTMLElement;
  private readonly playButton: HTMLElement & { disabled: boolean };
  private readonly playIcon: SVGSVGElement;
  private readonly loopBox: HTMLElement & { checked: boolean; disabled: boolean };
  private readonly time: HTMLElement;
  private readonly seekSlider: HTMLInputElement;
  private readonly volumeSlider: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly statusText: HTMLElement;
  private dragging = false;

  constructor(duration: number, actions: TransportActions) {
    this.playIcon = icon('play');
    this.playButton = h('vscode-button', { id: 'play', 'aria-label': 'Play (Space)', title: 'Play (Space)', disabled: true }, this.playIcon) as HTMLElement & { disabled: boolean };
    this.playButton.addEventListener('click', () => actions.togglePlay());
    this.loopBox = h('vscode-checkbox', { id: 'loop', disabled: true }, 'Loop') as HTMLElement & { checked: boolean; disabled: boolean };
    this.loopBox.addEventListener('change', () => actions.setLoop(this.loopBox.checked));
    this.time = h('span', { id: 'time', class: 'time' }, `${formatTime(0)} / ${formatTime(duration)}`);
    this.seekSlider = h('input', { id: 'seek', type: 'range', min: 0, max: duration, step: 'any', value: 0, 'aria-label': 'Position', disabled: true });
    this.seekSlider.addEventListener('pointerdown', () => (this.dragging = true));
    this.seekSlider.addEventListener('pointerup', () => (this.dragging = false));
    this.seekSlider.addEventListener('input', () => actions.seek(Number(this.seekSlider.value)));
    this.volumeSlider = h('input', { id: 'volume', type: 'range', min: 0, max: 1, step: 0.01, value: 1, 'aria-label': 'Volume' });
    this.volumeSlider.addEventListener('input', () => actions.setVolume(Number(this.volumeSlider.value)));
    this.statusText = h('span', { class: 'status-text' }, 'Preparing audio…');
    this.status = h('div', { class: 'audio-status', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Preparing audio' }), this.statusText);
    this.element = h(
      'section',
      { class: 'transport', role: 'group', 'aria-label': 'Audio transport' },
      this.playButton,
      this.loopBox,
      this.time,
      this.seekSlider,
      h('label', { class: 'volume' }, icon('volume'), this.volumeSlider),
      this.status,
    );
  }

  /** Decoding progress, or an error that keeps the audio from playing. */
  showStatus(text: string | undefined, busy: boolean): void {
    this.status.hidden = text === undefined;
    this.status.classList.toggle('busy', busy);
    this.statusText.textContent = text ?? '';
  }

  render(state: PlaybackState): void {
    this.playButton.disabled = !state.ready;
    this.loopBox.disabled = !state.ready;
    this.seekSlider.disabled = !state.ready;
    const label = state.playing ? 'Pause (Space)' : 'Play (Space)';
    this.playButton.setAttribute('aria-label', label);
    this.playButton.title = label;
    setIcon(this.playIcon, state.playing ? 'pause' : 'play');
    this.playButton.classList.toggle('playing', state.playing);
    this.loopBox.checked = state.loop;
    this.time.textContent = `${formatTime(state.time)} / ${formatTime(state.duration)}`;
    if (!this.dragging) this.seekSlider.value = String(state.time);
    this.seekSlider.setAttribute('aria-valuetext', `${formatTime(state.time)} of ${formatTime(state.duration)}`);
    this.volumeSlider.value = String(state.volume);
    this.volumeSlider.setAttribute('aria-valuetext', `${Math.round(state.volume * 100)}%`);
  }
}
