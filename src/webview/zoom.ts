/**
 * Zoom levels of the frame view. Fit is the largest whole scale that shows the whole frame, so
 * image pixels stay whole squares; only a frame larger than the view is shown below 1:1 (nearest
 * neighbour, never smoothed). + and − step to the next level whose scale really differs.
 */
import { t } from './l10n';

export type ZoomLevel = 'fit' | 1 | 2 | 4 | 8;
export const ZOOM_LEVELS: readonly ZoomLevel[] = ['fit', 1, 2, 4, 8];

export interface Extent {
  width: number;
  height: number;
}

export function isZoomLevel(value: unknown): value is ZoomLevel {
  return (ZOOM_LEVELS as readonly unknown[]).includes(value);
}

function fitScale(image: Extent, view: Extent): number {
  if (image.width <= 0 || image.height <= 0 || view.width <= 0 || view.height <= 0) return 1;
  const exact = Math.min(view.width / image.width, view.height / image.height);
  return exact >= 1 ? Math.floor(exact) : exact;
}

export function scaleOf(level: ZoomLevel, image: Extent, view: Extent): number {
  return level === 'fit' ? fitScale(image, view) : level;
}

/** The levels in order of scale, fit placed where its scale falls; where fit equals a fixed level, the fixed level. */
function orderedLevels(image: Extent, view: Extent): Array<{ level: ZoomLevel; scale: number }> {
  const fixed = ZOOM_LEVELS.filter((level) => level !== 'fit').map((level) => ({ level, scale: level as number }));
  const fit = fitScale(image, view);
  const levels = fixed.some((l) => l.scale === fit) ? fixed : [...fixed, { level: 'fit' as const, scale: fit }];
  return levels.sort((a, b) => a.scale - b.scale);
}

export function zoomIn(level: ZoomLevel, image: Extent, view: Extent): ZoomLevel {
  const scale = scaleOf(level, image, view);
  return orderedLevels(image, view).find((l) => l.scale > scale)?.level ?? level;
}

export function zoomOut(level: ZoomLevel, image: Extent, view: Extent): ZoomLevel {
  const scale = scaleOf(level, image, view);
  const smaller = orderedLevels(image, view).filter((l) => l.scale < scale);
  return smaller.length > 0 ? smaller[smaller.length - 1].level : level;
}

export function zoomLabel(level: ZoomLevel): string {
  return level === 'fit' ? t('Fit') : level === 1 ? '1:1' : `${level}×`;
}
