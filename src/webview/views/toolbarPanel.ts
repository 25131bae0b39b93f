/** The toolbar: title, frame navigation, zoom, following, the off-grid map, the panels shown and the host's commands. */
import { Disposable } from '../../shared/disposable';
import { ACTIONS, type ActionId } from '../actions';
import { h } from '../dom';
import type { EditorContext, EditorSettings, Panel } from '../panel';
import { ZOOM_LEVELS, zoomLabel, type ZoomLevel } from '../zoom';
import { ActionButton } from './actionButton';
import { t } from '../l10n';

export class ToolbarPanel extends Disposable implements Panel {
  readonly element: HTMLElement;
  private readonly frameField: HTMLInputElement;
  private readonly zoomSelect: HTMLElement & { value: string };
  private readonly followBox: HTMLElement & { checked: boolean };
  private readonly offGridBox: HTMLElement & { checked: boolean };
  private readonly buttons: ActionButton[] = [];
  private readonly frameCount: number;

  constructor(context: EditorContext) {
    super();
    const { view } = context;
    const { frameCount } = view.stream;
    this.frameCount = frameCount;
    const button = (id: ActionId, look: 'icon' | 'text') => {
      const made = new ActionButton(context.actions, id, look);
      this.buttons.push(made);
      return made.element;
    };
    this.frameField = h('vscode-text-field', {
      id: 'frame-number',
      size: 6,
      'aria-label': t('Frame number, 1 to {0}', frameCount),
    }) as unknown as HTMLInputElement;
    this.frameField.addEventListener('change', () => {
      const n = Number.parseInt(this.frameField.value, 10);
      if (Number.isFinite(n)) context.goToFrame(n - 1);
    });
    const zoomTitle = t('Zoom ({0} and {1})', ACTIONS.zoomIn.keyHint ?? '', ACTIONS.zoomOut.keyHint ?? '');
    this.zoomSelect = h(
      'vscode-dropdown',
      { id: 'zoom', 'aria-label': t('Zoom'), title: zoomTitle },
      ...ZOOM_LEVELS.map((level) => h('vscode-option', { value: String(level) }, zoomLabel(level))),
    ) as HTMLElement & { value: string };
    this.zoomSelect.addEventListener('change', () => {
      const value = this.zoomSelect.value;
      context.changeSettings({ zoom: value === 'fit' ? 'fit' : (Number(value) as ZoomLevel) });
    });
    this.followBox = h(
      'vscode-checkbox',
      { id: 'follow', checked: true, title: t('Turn to the frame that is sounding while playing') },
      t('Follow playback'),
    ) as HTMLElement & { checked: boolean };
    this.followBox.addEventListener('change', () => context.changeSettings({ follow: this.followBox.checked }));
    this.offGridBox = h(
      'vscode-checkbox',
      { id: 'off-grid', title: t('Veil the blocks that are as written, so those an edit, a blur or a model changed stand out') },
      t('Off-grid map'),
    ) as HTMLElement & { checked: boolean };
    this.offGridBox.addEventListener('change', () => context.changeSettings({ offGrid: this.offGridBox.checked }));

    const frames = frameCount === 1 ? t('1 frame') : t('{0} frames', frameCount.toLocaleString('en'));
    const subtitle = `${frames} · ${view.source === 'wav' ? t('from the WAV, not written') : t('frames folder')}`;
    this.element = h(
      'header',
      { class: 'toolbar', role: 'toolbar', 'aria-label': t('Frames editor') },
      h('div', { class: 'title' }, h('h1', {}, view.title), h('span', { class: 'subtitle' }, subtitle)),
      h(
        'div',
        { class: 'group', role: 'group', 'aria-label': t('Frame navigation') },
        button('firstFrame', 'icon'),
        button('previousFrame', 'icon'),
        h('span', { class: 'frame-label', 'aria-hidden': 'true' }, t('Frame')),
        this.frameField,
        h('span', { class: 'frame-count', 'aria-hidden': 'true' }, t('of {0}', frameCount.toLocaleString('en'))),
        button('nextFrame', 'icon'),
        button('lastFrame', 'icon'),
      ),
      h('div', { class: 'group', role: 'group', 'aria-label': t('Zoom') }, button('zoomOut', 'icon'), this.zoomSelect, button('zoomIn', 'icon')),
      h('div', { class: 'group' }, this.followBox, this.offGridBox),
      h('div', { class: 'group', role: 'group', 'aria-label': 'Panels' }, button('toggleWaveform', 'text'), button('toggleSpectrogram', 'text')),
      h('div', { class: 'spacer' }),
      h('div', { class: 'group', role: 'group', 'aria-label': t('Commands') }, ...view.commands.map((command) => button(command, 'text'))),
    );
  }

  frameChanged(frame: number): void {
    this.frameField.value = String(frame + 1);
    this.frameField.setAttribute('aria-valuetext', t('Frame {0} of {1}', frame + 1, this.frameCount));
    this.refreshButtons();
  }

  playbackChanged(): void {
    this.refreshButtons();
  }

  settingsChanged(settings: EditorSettings): void {
    this.zoomSelect.value = String(settings.zoom);
    this.followBox.checked = settings.follow;
    this.offGridBox.checked = settings.offGrid;
    this.refreshButtons();
  }

  private refreshButtons(): void {
    for (const button of this.buttons) button.refresh();
  }
}
