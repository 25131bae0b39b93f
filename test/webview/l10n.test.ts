/**
 * The page's strings: loaded from the bundle element the host writes (framesEditorHtml) when the
 * module is first imported, and English as written without one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { L10N_BUNDLE_ELEMENT_ID } from '../../src/shared/protocol';

test('the bundle in the page translates, with arguments; a message it lacks stays English', async () => {
  const bundle = { 'Frame {0} of {1}': 'Image {0} sur {1}' };
  const asked: string[] = [];
  (globalThis as { document?: unknown }).document = {
    getElementById(id: string) {
      asked.push(id);
      return id === L10N_BUNDLE_ELEMENT_ID ? { textContent: JSON.stringify(bundle) } : null;
    },
  };
  try {
    const { t } = await import('../../src/webview/l10n');
    assert.deepEqual(asked, [L10N_BUNDLE_ELEMENT_ID]);
    assert.equal(t('Frame {0} of {1}', 3, 40), 'Image 3 sur 40');
    assert.equal(t('Play {0}', 'a.png'), 'Play a.png');
  } finally {
    delete (globalThis as { document?: unknown }).document;
  }
});
