/**
 * The frames editor's page: a strict Content Security Policy (nothing inline, the one script and
 * stylesheet by nonce, images and audio only from the webview's resource origin and blob: for
 * frames rendered in memory) and an empty body the script fills. No `vscode` import.
 */
import { randomBytes } from 'node:crypto';

export interface PageParts {
  /** The webview's `cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} blob:`,
    `media-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function framesEditorHtml(parts: PageParts): string {
  const nonce = parts.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(parts.cspSource, nonce))}">
  <!-- FAST, under the toolkit, probes for :focus-visible with a <style> element that carries this nonce. -->
  <meta property="csp-nonce" content="${nonce}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(parts.title)}</title>
  <link rel="stylesheet" href="${escapeHtml(parts.styleUri)}" nonce="${nonce}">
</head>
<body>
  <div id="app" class="loading" aria-busy="true">Loading frames…</div>
  <script nonce="${nonce}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
