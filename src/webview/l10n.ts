/**
 * The page's localised strings. The host puts `vscode.l10n.bundle` (the extension's bundle for
 * VS Code's display language, when it has one) into the page as JSON under the id below; this
 * module loads it on import (main.ts imports it first), before any panel asks for a string, so that module-level labels are
 * translated too. Without a bundle (English, or in the unit tests) `t` formats the message as is.
 * Messages follow VS Code's rules: a literal string, `{0}`-style placeholders for arguments.
 */
import * as l10n from '@vscode/l10n';
import { L10N_BUNDLE_ELEMENT_ID } from '../shared/protocol';

loadBundle();

function loadBundle(): void {
  if (typeof document === 'undefined') return;
  const text = document.getElementById(L10N_BUNDLE_ELEMENT_ID)?.textContent;
  if (!text) return;
  try {
    l10n.config({ contents: text });
  } catch {
    // A bundle that does not parse leaves the page in English rather than without its script.
  }
}

export const t = l10n.t;
