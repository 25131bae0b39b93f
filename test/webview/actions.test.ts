import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PALETTE_ACTIONS, type EditorCommand, type PaletteAction } from '../../src/shared/protocol';
import { ACTIONS, BoundActions, type ActionId, type ActionTarget } from '../../src/webview/actions';

/** An editor of 42 frames on frame 7, recording what the actions do to it. */
function editor(options: { ready?: boolean; playing?: boolean; commands?: EditorCommand[] } = {}) {
  const done: string[] = [];
  const target: ActionTarget = {
    frame: 7,
    frameCount: 42,
    commands: options.commands ?? ['decodeToWav'],
    audio: { ready: options.ready ?? true, playing: options.playing ?? false },
    panels: { waveform: true, spectrogram: false },
    togglePlay: () => done.push('togglePlay'),
    togglePanel: (panel) => done.push(`togglePanel ${panel}`),
    goToFrame: (frame) => done.push(`goToFrame ${frame}`),
    zoom: (direction) => done.push(`zoom ${direction}`),
    runCommand: (command) => done.push(`runCommand ${command}`),
  };
  return { actions: new BoundActions(target), done };
}

test('each action does what it says to the editor', () => {
  const expected: Record<ActionId, string> = {
    togglePlay: 'togglePlay',
    firstFrame: 'goToFrame 0',
    previousFrame: 'goToFrame 6',
    nextFrame: 'goToFrame 8',
    lastFrame: 'goToFrame 41',
    zoomOut: 'zoom out',
    zoomIn: 'zoom in',
    toggleWaveform: 'togglePanel waveform',
    toggleSpectrogram: 'togglePanel spectrogram',
    decodeToWav: 'runCommand decodeToWav',
    encodeToImages: 'runCommand encodeToImages',
  };
  for (const [id, effect] of Object.entries(expected) as Array<[ActionId, string]>) {
    const { actions, done } = editor({ commands: ['decodeToWav', 'encodeToImages'] });
    assert.equal(actions.run(id), true, id);
    assert.deepEqual(done, [effect], id);
  }
});

test('the controls show the names, keys and icons the editor has always shown', () => {
  const { actions } = editor();
  const titles = (['firstFrame', 'previousFrame', 'nextFrame', 'lastFrame', 'zoomOut', 'zoomIn', 'togglePlay', 'decodeToWav'] as const).map(
    (id) => actions.look(id).title,
  );
  assert.deepEqual(titles, [
    'First frame (Home)',
    'Previous frame (←)',
    'Next frame (→)',
    'Last frame (End)',
    'Zoom out (−)',
    'Zoom in (+)',
    'Play (Space)',
    'Decode to WAV',
  ]);
  assert.deepEqual(actions.look('togglePlay'), { label: 'Play', title: 'Play (Space)', icon: 'play', enabled: true });
  assert.deepEqual(editor({ playing: true }).actions.look('togglePlay'), { label: 'Pause', title: 'Pause (Space)', icon: 'pause', enabled: true });
  assert.equal(editor({ commands: ['encodeToImages'] }).actions.look('encodeToImages').title, 'Encode to images');
  const controls = Object.values(ACTIONS).map((action) => action.control);
  const navigation = ['play', 'first-frame', 'previous-frame', 'next-frame', 'last-frame', 'zoom-out', 'zoom-in'];
  assert.deepEqual(controls, [...navigation, 'show-waveform', 'show-spectrogram', 'run-decodeToWav', 'run-encodeToImages']);
});

test('an action runs only when it can: play once the audio is there, a command where the document offers it', () => {
  const waiting = editor({ ready: false });
  assert.equal(waiting.actions.look('togglePlay').enabled, false);
  assert.equal(waiting.actions.run('togglePlay'), false);
  assert.deepEqual(waiting.done, []);
  const wav = editor({ commands: ['encodeToImages'] });
  assert.equal(wav.actions.look('decodeToWav').enabled, false);
  assert.equal(wav.actions.run('decodeToWav'), false);
  assert.equal(wav.actions.run('encodeToImages'), true);
  assert.deepEqual(wav.done, ['runCommand encodeToImages']);
});

test('no key runs two actions, and every action is in the table under its own id', () => {
  const keys = Object.values(ACTIONS).flatMap((action) => action.keys);
  assert.equal(new Set(keys).size, keys.length, keys.join(' '));
  for (const [id, action] of Object.entries(ACTIONS)) assert.equal(action.id, id);
});

test('the panel toggles say whether their panel is shown, and W and S are their keys', () => {
  const { actions } = editor();
  assert.deepEqual(actions.look('toggleWaveform'), { label: 'Waveform', title: 'Waveform (W)', icon: undefined, enabled: true, pressed: true });
  assert.equal(actions.look('toggleSpectrogram').pressed, false);
  assert.equal(actions.look('togglePlay').pressed, undefined, 'other actions are no toggles');
  assert.deepEqual([...ACTIONS.toggleWaveform.keys, ...ACTIONS.toggleSpectrogram.keys], ['w', 'W', 's', 'S']);
});

test('the palette commands are actions of the table, each naming its command, and no other action names one', () => {
  const named = Object.values(ACTIONS)
    .filter((action) => action.command !== undefined)
    .map((action) => [action.id, action.command]);
  assert.deepEqual(Object.fromEntries(named), PALETTE_ACTIONS);
  const { actions, done } = editor();
  for (const id of Object.keys(PALETTE_ACTIONS) as PaletteAction[]) assert.ok(actions.run(id), `${id} runs`);
  assert.deepEqual(done, ['togglePanel waveform', 'togglePanel spectrogram']);
});
