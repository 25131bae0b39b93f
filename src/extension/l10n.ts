/**
 * Localised strings for the host modules that do not import `vscode` (so that they are unit-tested
 * under plain Node): `t` from @vscode/l10n, the package VS Code's own tooling reads `l10n.t` calls
 * for, loaded at activation with the bundle VS Code picked for the extension (`vscode.l10n.bundle`,
 * the same one `vscode.l10n.t` reads). Without a bundle (English, or in the unit tests) `t` formats
 * the message as written. Messages follow VS Code's rules: a literal string, `{0}`-style placeholders.
 */
import * as l10n from '@vscode/l10n';

export const t = l10n.t;

/** Loads `vscode.l10n.bundle` (undefined in English): before any command or editor asks for a string. */
export function useBundle(bundle: Record<string, string> | undefined): void {
  if (bundle) l10n.config({ contents: bundle });
}
