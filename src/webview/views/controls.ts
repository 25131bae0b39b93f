/**
 * What the editor's controls do with keys themselves: keys typed into a slider, a text field, a
 * dropdown or a button (its Space) are that control's, not the editor's. The toolkit's controls
 * are named here, beside the native ones, so that the keyboard never names toolkit elements.
 */
const TEXT_KEYS = [' ', 'ArrowLeft', 'ArrowRight', 'Home', 'End', '+', '-', '='];
const LIST_KEYS = [' ', 'ArrowLeft', 'ArrowRight', 'Home', 'End'];
const PRESS_KEYS = [' '];

const KEPT_KEYS: Record<string, readonly string[]> = {
  INPUT: TEXT_KEYS,
  TEXTAREA: TEXT_KEYS,
  SELECT: LIST_KEYS,
  'VSCODE-DROPDOWN': LIST_KEYS,
  'VSCODE-TEXT-FIELD': TEXT_KEYS,
  BUTTON: PRESS_KEYS,
  'VSCODE-BUTTON': PRESS_KEYS,
  'VSCODE-CHECKBOX': PRESS_KEYS,
};

/** Where a letter is typed: the editor's letter keys (W, S) are not the editor's there. */
const TYPED_INTO = new Set(['INPUT', 'TEXTAREA', 'VSCODE-TEXT-FIELD']);

/** Whether a focused element of this tag name handles the key itself (any case: the DOM gives upper case). */
export function keepsKey(tagName: string, key: string): boolean {
  const tag = tagName.toUpperCase();
  return (KEPT_KEYS[tag] ?? []).includes(key) || (TYPED_INTO.has(tag) && key.length === 1);
}
