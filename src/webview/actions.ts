/**
 * Everything the frames editor can be told to do, in one table: each action's name, the keys
 * that run it, when it can run and what it does. The toolbar's and the transport's buttons, the
 * keyboard and the host's commands (Decode to WAV, Encode to images) all go through it, so a
 * label, a key or a condition is written once. The actions act on an ActionTarget, which the
 * screen implements and the tests fake: no DOM here.
 */
import { PALETTE_ACTIONS, type EditorCommand, type PaletteAction } from '../shared/protocol';
import type { IconName } from './icons';
// As a namespace: the actions' own parameter is called t.
import * as l10n from './l10n';

export type ActionId =
  'togglePlay' | 'firstFrame' | 'previousFrame' | 'nextFrame' | 'lastFrame' | 'zoomOut' | 'zoomIn' | 'toggleWaveform' | 'toggleSpectrogram' | EditorCommand;

/** The panels that can be shown or hidden. */
export type ToggledPanel = 'waveform' | 'spectrogram';

/** What the actions act on: one editor. */
export interface ActionTarget {
  /** The frame on screen. */
  readonly frame: number;
  readonly frameCount: number;
  /** The host's commands this document offers. */
  readonly commands: readonly EditorCommand[];
  /** Whether the audio is attached yet, and whether it plays. */
  readonly audio: { readonly ready: boolean; readonly playing: boolean };
  /** Which of the panels that can be hidden are shown. */
  readonly panels: { readonly [P in ToggledPanel]: boolean };
  togglePlay(): void;
  togglePanel(panel: ToggledPanel): void;
  goToFrame(frame: number): void;
  zoom(direction: 'in' | 'out'): void;
  runCommand(command: EditorCommand): void;
}

export interface Action {
  readonly id: ActionId;
  /** The id of the control that runs it (the UI tests and the stylesheet find controls by it). */
  readonly control: string;
  /** What the control is called; it may follow the state (Play, Pause). */
  label(target: ActionTarget): string;
  /** `KeyboardEvent.key` values that run it (without modifiers: those are VS Code's). */
  readonly keys: readonly string[];
  /** How the keys are written in the control's tooltip. */
  readonly keyHint?: string;
  /** The VS Code command that runs it too (package.json contributes it, for the active editor). */
  readonly command?: string;
  icon?(target: ActionTarget): IconName;
  enabled(target: ActionTarget): boolean;
  /** For an action that turns something on and off: whether it is on (the control says so as aria-pressed). */
  pressed?(target: ActionTarget): boolean;
  run(target: ActionTarget): void;
}

const always = () => true;

function command<Id extends EditorCommand>(id: Id, label: string): Action & { id: Id } {
  return { id, control: `run-${id}`, label: () => label, keys: [], enabled: (t) => t.commands.includes(id), run: (t) => t.runCommand(id) };
}

/** Shows or hides a panel; its key is the panel's initial, either case. */
function toggle<Id extends PaletteAction>(id: Id, panel: ToggledPanel, label: () => string, key: string): Action & { id: Id } {
  return {
    id,
    control: `show-${panel}`,
    label,
    keys: [key.toLowerCase(), key],
    keyHint: key,
    command: PALETTE_ACTIONS[id],
    enabled: always,
    pressed: (t) => t.panels[panel],
    run: (t) => t.togglePanel(panel),
  };
}

/** The table, by id: the compiler checks that every action is in it, under its own id. */
export const ACTIONS: { readonly [Id in ActionId]: Action & { id: Id } } = {
  togglePlay: {
    id: 'togglePlay',
    control: 'play',
    label: (t) => (t.audio.playing ? l10n.t('Pause') : l10n.t('Play')),
    keys: [' '],
    keyHint: l10n.t('Space'),
    icon: (t) => (t.audio.playing ? 'pause' : 'play'),
    enabled: (t) => t.audio.ready,
    run: (t) => t.togglePlay(),
  },
  firstFrame: {
    id: 'firstFrame',
    control: 'first-frame',
    label: () => l10n.t('First frame'),
    keys: ['Home'],
    keyHint: l10n.t('Home'),
    icon: () => 'first',
    enabled: always,
    run: (t) => t.goToFrame(0),
  },
  previousFrame: {
    id: 'previousFrame',
    control: 'previous-frame',
    label: () => l10n.t('Previous frame'),
    keys: ['ArrowLeft'],
    keyHint: '←',
    icon: () => 'previous',
    enabled: always,
    run: (t) => t.goToFrame(t.frame - 1),
  },
  nextFrame: {
    id: 'nextFrame',
    control: 'next-frame',
    label: () => l10n.t('Next frame'),
    keys: ['ArrowRight'],
    keyHint: '→',
    icon: () => 'next',
    enabled: always,
    run: (t) => t.goToFrame(t.frame + 1),
  },
  lastFrame: {
    id: 'lastFrame',
    control: 'last-frame',
    label: () => l10n.t('Last frame'),
    keys: ['End'],
    keyHint: l10n.t('End'),
    icon: () => 'last',
    enabled: always,
    run: (t) => t.goToFrame(t.frameCount - 1),
  },
  zoomOut: {
    id: 'zoomOut',
    control: 'zoom-out',
    label: () => l10n.t('Zoom out'),
    keys: ['-', '_'],
    keyHint: '−',
    icon: () => 'zoomOut',
    enabled: always,
    run: (t) => t.zoom('out'),
  },
  zoomIn: {
    id: 'zoomIn',
    control: 'zoom-in',
    label: () => l10n.t('Zoom in'),
    keys: ['+', '='],
    keyHint: '+',
    icon: () => 'zoomIn',
    enabled: always,
    run: (t) => t.zoom('in'),
  },
  toggleWaveform: toggle('toggleWaveform', 'waveform', () => l10n.t('Waveform'), 'W'),
  toggleSpectrogram: toggle('toggleSpectrogram', 'spectrogram', () => l10n.t('Spectrogram'), 'S'),
  decodeToWav: command('decodeToWav', l10n.t('Decode to WAV')),
  encodeToImages: command('encodeToImages', l10n.t('Encode to images')),
};

/** How a control shows an action now. */
export interface ActionLook {
  label: string;
  /** The label with its keys, for the tooltip and the accessible name of a control without text. */
  title: string;
  icon: IconName | undefined;
  enabled: boolean;
  /** Whether a toggle is on; absent for other actions. */
  pressed?: boolean;
}

/** The table bound to one editor: what its controls show, and running an action only when it can run. */
export class BoundActions {
  constructor(private readonly target: ActionTarget) {}

  look(id: ActionId): ActionLook {
    const action = ACTIONS[id];
    const label = action.label(this.target);
    const title = action.keyHint ? `${label} (${action.keyHint})` : label;
    const look: ActionLook = { label, title, icon: action.icon?.(this.target), enabled: action.enabled(this.target) };
    if (action.pressed) look.pressed = action.pressed(this.target);
    return look;
  }

  /** Runs the action if it can run now; says whether it did. */
  run(id: ActionId): boolean {
    const action = ACTIONS[id];
    if (!action.enabled(this.target)) return false;
    action.run(this.target);
    return true;
  }
}
