/** The toolbar: title, frame navigation, zoom, following, and the command buttons. */
import type { EditorCommand } from '../../shared/protocol';
import { h } from '../dom';
import { icon, type IconName } from '../icons';
import { ZOOM_LEVELS, zoomLabel, type ZoomLevel } from '../zoom';

export interface ToolbarActions {
  goTo(frame: number): void;
  step(delta: number): void;
  first(): void;
  last(): void;
  setZoom(level: ZoomLevel): void;
  zoomIn(): void;
  zoomOut(): void;
  setFollow(follow: boolean): void;
  setOffGrid(show: boolean): void;
  run(command: EditorCommand): void;
}

const COMMAND_LABELS: Record<EditorCommand, string> = {
  decodeToWav: 'Decode to WAV',
  encodeToImages: 'Encode to images',
};

function iconButton(id: string, label: string, name: IconName, onClick: () => void): HTMLElement {
  const button = h('vscode-button', { id, appearance: 'icon', 'aria-label': label, title: label }, icon(name));
  button.addEventListener('click', onClick);
  return button;
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly frameField: HTMLInputElement;
  private readonly zoomSelect: HTMLElement & { value: string };
  private readonly followBox: HTMLElement & { checked: boolean };
  private readonly offGridBox: HTMLElement & { checked: boolean };
  private readonly frameCount: number;

  constructor(title: string, subtitle: string, frameCount: number, commands: EditorCommand[], actions: ToolbarActions) {
    this.frameCount = frameCount;
    this.frameField = h('vscode-text-field', { id: 'frame-number', size: 6, 'aria-label': `Frame number, 1 to ${frameCount}` }) as unknown as HTMLInputElement;
    this.frameField.addEventListener('change', () => {
      const n = Number.parseInt(this.frameField.value, 10);
      if (Number.isFinite(n)) actions.goTo(n - 1);
    });
    this.zoomSelect = h('vscode-dropdown', { id: 'zoom', 'aria-label': 'Zoom', title: 'Zoom (+ and −)' }, ...ZOOM_LEVELS.map((level) => h('vscode-option', { value: String(level) }, zoomLabel(level)))) as HTMLElement & { value: string };
    this.zoomSelect.addEventListener('change', () => {
      const value = this.zoomSelect.value;
      actions.setZoom(value === 'fit' ? 'fit' : (Number(value) as ZoomLevel));
    });
    this.followBox = h('vscode-checkbox', { id: 'follow', checked: true, title: 'Turn to the frame that is sounding while playing' }, 'Follow playback') as HTMLElement & { checked: boolean };
    this.followBox.addEventListener('change', () => actions.setFollow(this.followBox.checked));
    this.offGridBox = h('vscode-checkbox', { id: 'off-grid', title: 'Veil the blocks that are as written, so those an edit, a blur or a model changed stand out' }, 'Off-grid map') as HTMLElement & { checked: boolean };
    this.offGridBox.addEventListener('change', () => actions.setOffGrid(this.offGridBox.checked));

    this.element = h(
      'header',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Frames editor' },
      h('div', { class: 'title' }, h('h1', {}, title), h('span', { class: 'subtitle' }, subtitle)),
      h(
        'div',
        { class: 'group', role: 'group', 'aria-label': 'Frame navigation' },
        iconButton('first-frame', 'First frame (Home)', 'first', actions.first),
        iconButton('previous-frame', 'Previous frame (←)', 'previous', () => actions.step(-1)),
        h('span', { class: 'frame-label', 'aria-hidden': 'true' }, 'Frame'),
        this.frameField,
        h('span', { class: 'frame-count', 'aria-hidden': 'true' }, `of ${frameCount.toLocaleString('en')}`),
        iconButton('next-frame', 'Next frame (→)', 'next', () => actions.step(1)),
        iconButton('last-frame', 'Last frame (End)', 'last', actions.last),
      ),
      h(
        'div',
        { class: 'group', role: 'group', 'aria-label': 'Zoom' },
        iconButton('zoom-out', 'Zoom out (−)', 'zoomOut', actions.zoomOut),
        this.zoomSelect,
        iconButton('zoom-in', 'Zoom in (+)', 'zoomIn', actions.zoomIn),
      ),
      h('div', { class: 'group' }, this.followBox, this.offGridBox),
      h('div', { class: 'spacer' }),
      h(
        'div',
        { class: 'group', role: 'group', 'aria-label': 'Commands' },
        ...commands.map((command) => {
          const button = h('vscode-button', { id: `run-${command}`, appearance: 'secondary' }, COMMAND_LABELS[command]);
          button.addEventListener('click', () => actions.run(command));
          return button;
        }),
      ),
    );
  }

  showFrame(frame: number): void {
    this.frameField.value = String(frame + 1);
    this.frameField.setAttribute('aria-valuetext', `Frame ${frame + 1} of ${this.frameCount}`);
  }

  showZoom(level: ZoomLevel): void {
    this.zoomSelect.value = String(level);
  }

  showFollow(follow: boolean): void {
    this.followBox.checked = follow;
  }

  showOffGrid(show: boolean): void {
    this.offGridBox.checked = show;
  }
}
