import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionForKey } from '../../src/webview/keyboard';

test('the editor keys', () => {
  const keys: Array<[string, ReturnType<typeof actionForKey>]> = [
    [' ', 'togglePlay'],
    ['ArrowLeft', 'previousFrame'],
    ['ArrowRight', 'nextFrame'],
    ['Home', 'firstFrame'],
    ['End', 'lastFrame'],
    ['+', 'zoomIn'],
    ['=', 'zoomIn'],
    ['-', 'zoomOut'],
    ['_', 'zoomOut'],
    ['w', 'toggleWaveform'],
    ['S', 'toggleSpectrogram'],
    ['a', undefined],
    ['Enter', undefined],
  ];
  for (const [key, action] of keys) assert.equal(actionForKey({ key, targetTag: 'BODY' }), action, key);
});

test('keys with a modifier are left to VS Code', () => {
  assert.equal(actionForKey({ key: 'ArrowLeft', ctrlKey: true }), undefined);
  assert.equal(actionForKey({ key: '+', metaKey: true }), undefined);
  assert.equal(actionForKey({ key: ' ', altKey: true }), undefined);
});

test('controls keep the keys they use themselves', () => {
  assert.equal(actionForKey({ key: 'ArrowLeft', targetTag: 'INPUT' }), undefined, 'a slider moves');
  assert.equal(actionForKey({ key: ' ', targetTag: 'VSCODE-BUTTON' }), undefined, 'a button presses');
  assert.equal(actionForKey({ key: 'ArrowRight', targetTag: 'VSCODE-BUTTON' }), 'nextFrame', 'but arrows on a button still step');
  assert.equal(actionForKey({ key: 'Home', targetTag: 'VSCODE-DROPDOWN' }), undefined);
  assert.equal(actionForKey({ key: '+', targetTag: 'vscode-dropdown' }), 'zoomIn');
  assert.equal(actionForKey({ key: 's', targetTag: 'VSCODE-TEXT-FIELD' }), undefined, 'a letter typed into a field is the field\'s');
  assert.equal(actionForKey({ key: 'w', targetTag: 'INPUT' }), undefined);
  assert.equal(actionForKey({ key: 'w', targetTag: 'VSCODE-CHECKBOX' }), 'toggleWaveform');
});
