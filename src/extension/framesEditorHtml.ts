/**
 * The frames editor's page: its script and stylesheet inline under a nonce, in a strict Content
 * Security Policy (nothing else runs or styles; images and audio only from the webview's resource
 * origin, and blob: for frames and audio the page holds in memory; fetch only from that origin, for the samples
 * of the WAV the page plays; workers only from blob:, for the spectrum worker the page starts from
 * its inline text) and an empty body the script fills. No `vscode` import.
 *
 * Inline because a webview loads each file through VS Code's service worker and the workbench: with
 * the script in the page and the start frame in the first message, nothing is fetched before the
 * first frame shows (about 0.1 s sooner in a window's first webview, measured in the UI tests).
 */
import { randomBytes } from 'node:crypto';
import { L10N_BUNDLE_ELEMENT_ID } from '../shared/protocol';

export interface PageParts {
  /** The webview's `cspSource`. */
  cspSource: string;
  /** The bundled webview script (dist/webview.js). */
  script: string;
  /**
   * The spectrum worker's script (dist/spectrumWorker.js), carried as text the page does not run
   * and started as a blob: worker (src/webview/spectrum/workerChannel.ts); without it the page
   * shows no spectrogram.
   */
  workerScript?: string;
  /** The stylesheet (media/framesEditor.css). */
  style: string;
  title: string;
  /** What the page says until its script has built the editor. */
  loadingText: string;
  /** VS Code's display language (`vscode.env.language`), for the page's `lang`. */
  language: string;
  /** `vscode.l10n.bundle`: the page's strings in VS Code's display language, when not English. */
  l10nBundle?: Record<string, string>;
  nonce?: string;
}

function newNonce(): string {
  return randomBytes(18).toString('base64');
}

function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} blob:`,
    `media-src ${cspSource} blob:`,
    `connect-src ${cspSource}`,
    'worker-src blob:',
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function framesEditorHtml(parts: PageParts): string {
  const nonce = parts.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="${escapeHtml(parts.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(parts.cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(parts.title)}</title>
  <style nonce="${nonce}">${inlineText(parts.style, 'style')}</style>
</head>
<body>
${l10nElement(parts.l10nBundle)}  <div id="app" class="loading" aria-busy="true">${escapeHtml(parts.loadingText)}</div>
${workerElement(parts.workerScript, nonce)}  <script nonce="${nonce}">${inlineText(parts.script, 'script')}</script>
</body>
</html>`;
}

/** The spectrum worker's script as text the page does not run (src/webview/spectrum/workerChannel.ts starts it). */
function workerElement(script: string | undefined, nonce: string): string {
  if (script === undefined) return '';
  return `  <script type="text/plain" id="spectrum-worker-source" nonce="${nonce}">${inlineText(script, 'script')}</script>\n`;
}

/** The bundle as JSON data the page reads (webview/l10n.ts): a data block, never run as script. */
function l10nElement(bundle: Record<string, string> | undefined): string {
  if (!bundle) return '';
  // `<` escaped inside the JSON strings, so that no message can close the element.
  const json = JSON.stringify(bundle).replace(/</g, '\\u003c');
  return `  <script type="application/json" id="${L10N_BUNDLE_ELEMENT_ID}">${json}</script>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Script or stylesheet text that cannot end its element early: `</script` becomes `<\/script`,
 * which reads the same inside the JavaScript strings, templates and regular expressions where it
 * can occur (and `<\/style` the same inside a CSS string).
 */
function inlineText(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}
