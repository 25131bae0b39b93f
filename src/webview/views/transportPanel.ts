/** The audio transport: play/pause, loop, time, a seek slider and volume, for the native <audio> element. */
import { Disposable } from '../../shared/disposable';
import { h } from '../dom';
import { icon } from '../icons';
import { formatTime } from '../../shared/units';
import type { EditorContext, Panel } from '../panel';
import type { PlaybackState } from '../playback';
import { durationOf } from '../playhead';
import { ActionButton } from './actionButton';
import { t } from '../l10n';

export class TransportPanel extends Disposable implements Panel {
  readonly element: HTMLElement;
  private readonly playButton: ActionButton;
  private readonly loopBox: HTMLElement & { checked: boolean; disabled: boolean };
  private readonly time: HTMLElement;
  private readonly seekSlider: HTMLInputElement;
  private readonly volumeSlider: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly statusText: HTMLElement;
  private dragging = false;

  constructor(context: EditorContext) {
    super();
    const { playback } = context;
    const duration = durationOf(context.view.stream);
    this.playButton = new ActionButton(context.actions, 'togglePlay', 'primary');
    this.loopBox = h('vscode-checkbox', { id: 'loop', disabled: true }, t('Loop')) as HTMLElement & { checked: boolean; disabled: boolean };
    this.loopBox.addEventListener('change', () => playback.setLoop(this.loopBox.checked));
    this.time = h('span', { id: 'time', class: 'time' }, `${formatTime(0)} / ${formatTime(duration)}`);
    this.seekSlider = h('input', { id: 'seek', type: 'range', min: 0, max: duration, step: 'any', value: 0, 'aria-label': t('Position'), disabled: true });
    this.seekSlider.addEventListener('pointerdown', () => (this.dragging = true));
    this.seekSlider.addEventListener('pointerup', () => (this.dragging = false));
    this.seekSlider.addEventListener('input', () => playback.seek(Number(this.seekSlider.value)));
    this.volumeSlider = h('input', { id: 'volume', type: 'range', min: 0, max: 1, step: 0.01, value: 1, 'aria-label': t('Volume') });
    this.volumeSlider.addEventListener('input', () => playback.setVolume(Number(this.volumeSlider.value)));
    this.statusText = h('span', { class: 'status-text' }, t('Preparing audio…'));
    this.status = h(
      'div',
      { class: 'audio-status', role: 'status' },
      h('vscode-progress-ring', { class: 'spinner', 'aria-label': t('Preparing audio') }),
      this.statusText,
    );
    this.element = h(
      'section',
      { class: 'transport', role: 'group', 'aria-label': t('Audio transport') },
      this.playButton.element,
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

  playbackChanged(state: PlaybackState): void {
    this.playButton.refresh();
    this.playButton.element.classList.toggle('playing', state.playing);
    this.loopBox.disabled = !state.ready;
    this.seekSlider.disabled = !state.ready;
    this.loopBox.checked = state.loop;
    this.time.textContent = `${formatTime(state.time)} / ${formatTime(state.duration)}`;
    if (!this.dragging) this.seekSlider.value = String(state.time);
    this.seekSlider.setAttribute('aria-valuetext', t('{0} of {1}', formatTime(state.time), formatTime(state.duration)));
    this.volumeSlider.value = String(state.volume);
    this.volumeSlider.setAttribute('aria-valuetext', `${Math.round(state.volume * 100)}%`);
  }
}
