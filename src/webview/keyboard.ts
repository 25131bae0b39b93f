/**
 * The editor's keys, as the actions table binds them (Space plays and pauses, ←/→ step frames,
 * Home/End go to the first and last frame, +/− zoom, W and S show and hide the waveform and the
 * spectrogram). Keys typed into a control that uses them itself (a slider, a text field, a
 * dropdown, a button's Space) are left to that control, and keys with a modifier to VS Code.
 */
import { ACTIONS, type ActionId } from './actions';
import { keepsKey } from './views/controls';

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Tag name of the focused element, upper case as the DOM gives it. */
  targetTag?: string;
}

export function actionForKey(press: KeyPress): ActionId | undefined {
  if (press.ctrlKey || press.metaKey || press.altKey) return undefined;
  if (keepsKey(press.targetTag ?? '', press.key)) return undefined;
  return Object.values(ACTIONS).find((action) => action.keys.includes(press.key))?.id;
}
