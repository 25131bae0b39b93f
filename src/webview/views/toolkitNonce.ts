/**
 * Hands the page's nonce to the webview UI toolkit, before the toolkit loads: FAST, under it,
 * probes for `:focus-visible` as its modules load, with a <style> element it tags with the
 * content of a `<meta property="csp-nonce">`; without the meta, the page's Content Security
 * Policy reports the probe as a violation. The nonce is that of the script running now (the page's
 * one inline script), so the page itself need not know the toolkit is there.
 */
export {}; // a module, run once for its effect, not a script with globals

const nonce = document.currentScript?.nonce;
if (nonce) {
  const meta = document.createElement('meta');
  meta.setAttribute('property', 'csp-nonce');
  meta.setAttribute('content', nonce);
  document.head.append(meta);
}
