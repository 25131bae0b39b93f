/**
 * The editor's icons as inline SVG in the theme's text colour: media-control characters (⏮ ⏭ 🔊)
 * are missing from many fonts, and an icon font would need one more resource and CSP source.
 */
const PATHS = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  previous: 'M11.5 2.5v11L3.5 8z',
  next: 'M4.5 2.5v11l8-5.5z',
  first: 'M2.5 2.5h2v11h-2zM13.5 2.5v11L5.5 8z',
  last: 'M11.5 2.5h2v11h-2zM2.5 2.5v11l8-5.5z',
  zoomIn: 'M7 3h2v4h4v2H9v4H7V9H3V7h4z',
  zoomOut: 'M3 7h10v2H3z',
  volume: 'M2 6h3l4-3.5v11L5 10H2zM11 4.6v1.6a2 2 0 0 1 0 3.6v1.6a3.6 3.6 0 0 0 0-6.8z',
} as const;

export type IconName = keyof typeof PATHS;

const SVG = 'http://www.w3.org/2000/svg';

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

/** Swaps an icon in place (play ↔ pause). */
export function setIcon(svg: SVGSVGElement, name: IconName): void {
  svg.setAttribute('class', `icon icon-${name}`);
  svg.firstElementChild?.setAttribute('d', PATHS[name]);
}
