/**
 * Which thumbnails of a virtualised filmstrip exist: those in view plus a few either side, so that
 * scrolling never shows a gap, and never more, so that memory stays bounded however many frames.
 */
export interface FilmstripMetrics {
  /** Scroll offset along the strip, in CSS pixels. */
  scrollOffset: number;
  /** Visible length of the strip. */
  viewportLength: number;
  /** Length of one thumbnail cell, gap included. */
  itemLength: number;
  count: number;
  /** Cells kept either side of the visible ones. */
  overscan: number;
}

/** Half-open range [first, end) of the cells to render. */
export interface CellRange {
  first: number;
  end: number;
}

export function visibleCells(metrics: FilmstripMetrics): CellRange {
  const { scrollOffset, viewportLength, itemLength, count, overscan } = metrics;
  if (count <= 0 || itemLength <= 0) return { first: 0, end: 0 };
  const offset = Math.max(0, scrollOffset);
  const firstVisible = Math.min(count - 1, Math.floor(offset / itemLength));
  const endVisible = Math.min(count, Math.ceil((offset + Math.max(0, viewportLength)) / itemLength));
  return { first: Math.max(0, firstVisible - overscan), end: Math.min(count, Math.max(endVisible, firstVisible + 1) + overscan) };
}

/** The scroll offset that brings a cell into view, or undefined when it is already fully visible. */
export function scrollToReveal(metrics: Omit<FilmstripMetrics, 'count' | 'overscan'>, index: number): number | undefined {
  const start = index * metrics.itemLength;
  const end = start + metrics.itemLength;
  if (start < metrics.scrollOffset) return start;
  if (end > metrics.scrollOffset + metrics.viewportLength) return Math.max(0, end - metrics.viewportLength);
  return undefined;
}
