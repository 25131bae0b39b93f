/**
 * A button that runs an action of the table (actions.ts): its id, name, tooltip, icon and whether
 * it is enabled all come from the action, refreshed when the editor's state changes.
 */
import { ACTIONS, type ActionId, type ActionLook, type BoundActions } from '../actions';
import { h } from '../dom';
import { icon, setIcon } from '../icons';

/** `icon`: a toolbar icon; `primary`: the transport's main button, an icon too; `text`: a command, named by its label. */
export type ButtonLook = 'icon' | 'primary' | 'text';

export class ActionButton {
  readonly element: HTMLElement & { disabled: boolean };
  private readonly icon: SVGSVGElement | undefined;
  private shown: ActionLook;

  constructor(
    private readonly actions: BoundActions,
    private readonly id: ActionId,
    private readonly look: ButtonLook,
  ) {
    const shown = actions.look(id);
    this.shown = shown;
    const named = look === 'text' ? {} : { 'aria-label': shown.title, title: shown.title };
    this.icon = look !== 'text' && shown.icon ? icon(shown.icon) : undefined;
    this.element = h(
      'vscode-button',
      { id: ACTIONS[id].control, ...(look === 'primary' ? {} : { appearance: look === 'icon' ? 'icon' : 'secondary' }), ...named, disabled: !shown.enabled },
      this.icon ?? shown.label,
    ) as HTMLElement & { disabled: boolean };
    if (shown.pressed !== undefined) this.element.setAttribute('aria-pressed', String(shown.pressed));
    this.element.addEventListener('click', () => this.actions.run(this.id));
  }

  /** Shows the action as it stands now; touches only what changed. */
  refresh(): void {
    const now = this.actions.look(this.id);
    const before = this.shown;
    this.shown = now;
    if (now.enabled !== before.enabled) this.element.disabled = !now.enabled;
    if (this.look !== 'text' && now.title !== before.title) {
      this.element.setAttribute('aria-label', now.title);
      this.element.title = now.title;
    }
    if (now.pressed !== before.pressed) this.element.setAttribute('aria-pressed', String(now.pressed));
    if (this.look === 'text' && now.label !== before.label) this.element.textContent = now.label;
    if (this.icon && now.icon && now.icon !== before.icon) setIcon(this.icon, now.icon);
  }
}
