/**
 * The editor's keys: Space plays and pauses, ←/→ step frames, Home/End go to the first and last
 * frame, +/− zoom. Keys typed into a control that uses them itself (a slider, a text field, a
 * dropdown, a button's Space) are left to that control.
 */
export type KeyAction = 'togglePlay' | 'previousFrame' | 'nextFrame' | 'firstFrame' | 'lastFrame' | 'zoomIn' | 'zoomOut';

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Tag name of the focused element, upper case as the DOM gives it. */
  targetTag?: string;
}

/** Controls that handle these keys themselves. */
const OWN_KEYS: Record<string, readonly string[]> = {
  INPUT: [' ', 'ArrowLeft', 'ArrowRight', 'Home', 'End', '+', '-', '='],
  TEXTAREA: [' ', 'ArrowLeft', 'ArrowRight', 'Home', 'End', '+', '-', '='],
  SELECT: [' ', 'ArrowLeft', 'ArrowRight', 'Home', 'End'],
  'VSCODE-DROPDOWN': [' ', 'ArrowLeft', 'ArrowRight', 'Home', 'End'],
  'VSCODE-TEXT-FIELD': [' ', 'ArrowLeft', 'ArrowRight', 'Home', 'End', '+', '-', '='],
  BUTTON: [' '],
  'VSCODE-BUTTON': [' '],
  'VSCODE-CHECKBOX': [' '],
};

export function actionForKey(press: KeyPress): KeyAction | undefined {
  if (press.ctrlKey || press.metaKey || press.altKey) return undefined;
  const tag = press.targetTag?.toUpperCase() ?? '';
  if (OWN_KEYS[tag]?.includes(press.key)) return undefined;
  switch (press.key) {
    case ' ':
      return 'togglePlay';
    case 'ArrowLeft':
      return 'previousFrame';
    case 'ArrowRight':
      return 'nextFrame';
    case 'Home':
      return 'firstFrame';
    case 'End':
      return 'lastFrame';
    case '+':
    case '=':
      return 'zoomIn';
    case '-':
    case '_':
      return 'zoomOut';
    default:
      return undefined;
  }
}
