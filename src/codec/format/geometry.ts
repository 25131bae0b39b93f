/**
 * Frame geometry: a frame of width × height pixels holds a grid of data pixels, each painted as an
 * expansion × expansion block. Pure arithmetic with no Node imports, so the webview shares it.
 */
export interface Geometry {
  width: number;
  height: number;
  /** Side of the square block each data pixel is painted as. */
  expansion: number;
}

/** The data pixels of a frame: one RGB triple each. */
export interface Grid {
  columns: number;
  rows: number;
}

export const DEFAULT_GEOMETRY: Readonly<Geometry> = { width: 768, height: 768, expansion: 1 };

export const GEOMETRY_LIMITS = {
  maxSide: 16384,
  maxExpansion: 256,
} as const;

/** The geometry asked for, the defaults filling what was not given (an undefined field counts as not given). */
export function geometryWithDefaults(geometry: Partial<Geometry> = {}): Geometry {
  return {
    width: geometry.width ?? DEFAULT_GEOMETRY.width,
    height: geometry.height ?? DEFAULT_GEOMETRY.height,
    expansion: geometry.expansion ?? DEFAULT_GEOMETRY.expansion,
  };
}

/** Why a geometry cannot be used, or undefined when it can. */
export function geometryProblem(geometry: Geometry): string | undefined {
  const { width, height, expansion } = geometry;
  for (const [name, value, max] of [
    ['width', width, GEOMETRY_LIMITS.maxSide],
    ['height', height, GEOMETRY_LIMITS.maxSide],
    ['expansion', expansion, GEOMETRY_LIMITS.maxExpansion],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) return `${name} must be a whole number from 1 to ${max}, not ${value}`;
  }
  if (width % expansion !== 0 || height % expansion !== 0) {
    return `width ${width} and height ${height} must both be multiples of the pixel expansion ${expansion}`;
  }
  return undefined;
}

export function gridOf(geometry: Geometry): Grid {
  return { columns: geometry.width / geometry.expansion, rows: geometry.height / geometry.expansion };
}

export function gridBytes(grid: Grid): number {
  return grid.columns * grid.rows * 3;
}
