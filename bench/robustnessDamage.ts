/**
 * What a model or an image pipeline does to frames, as pure functions on 8-bit RGB images (width ·
 * height · 3 bytes, row by row): for the robustness table and for the reducers' tests.
 */

export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** A grid of data pixels painted as expansion × expansion blocks, as the PNG writer paints them. */
export function expandGrid(pixels: Uint8Array, columns: number, rows: number, expansion: number): RgbImage {
  const width = columns * expansion;
  const height = rows * expansion;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const source = Math.floor(y / expansion) * columns;
    for (let x = 0; x < width; x++) {
      const s = (source + Math.floor(x / expansion)) * 3;
      const d = (y * width + x) * 3;
      rgb[d] = pixels[s];
      rgb[d + 1] = pixels[s + 1];
      rgb[d + 2] = pixels[s + 2];
    }
  }
  return { width, height, rgb };
}

const clampByte = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));

/** The [1,2,1] ⊗ [1,2,1] / 16 blur, edges repeated, rounded to whole values. */
export function blur121({ width, height, rgb }: RgbImage): RgbImage {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    const rows = [Math.max(0, y - 1), y, Math.min(height - 1, y + 1)];
    for (let x = 0; x < width; x++) {
      const columns = [Math.max(0, x - 1), x, Math.min(width - 1, x + 1)];
      for (let channel = 0; channel < 3; channel++) {
        let sum = 0;
        for (let j = 0; j < 3; j++) {
          for (let i = 0; i < 3; i++) sum += (j === 1 ? 2 : 1) * (i === 1 ? 2 : 1) * rgb[(rows[j] * width + columns[i]) * 3 + channel];
        }
        out[(y * width + x) * 3 + channel] = clampByte(sum / 16);
      }
    }
  }
  return { width, height, rgb: out };
}

/** Independent Gaussian noise of standard deviation `sigma` on every channel value, clamped to 0–255. */
export function gaussianNoise({ width, height, rgb }: RgbImage, sigma: number, random: () => number): RgbImage {
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 2) {
    // Box–Muller: two independent normal values per pair of uniforms.
    const radius = sigma * Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = clampByte(rgb[i] + radius * Math.cos(angle));
    if (i + 1 < rgb.length) out[i + 1] = clampByte(rgb[i + 1] + radius * Math.sin(angle));
  }
  return { width, height, rgb: out };
}

/** Bilinear resampling to width × height, pixel centres aligned (no antialiasing), as most image libraries resize by default. */
export function resizeBilinear({ width, height, rgb }: RgbImage, toWidth: number, toHeight: number): RgbImage {
  const out = new Uint8Array(toWidth * toHeight * 3);
  const taps = (from: number, to: number) =>
    Array.from({ length: to }, (_, i) => {
      const position = Math.min(from - 1, Math.max(0, ((i + 0.5) * from) / to - 0.5));
      const low = Math.floor(position);
      return { low, high: Math.min(from - 1, low + 1), weight: position - low };
    });
  const xTaps = taps(width, toWidth);
  const yTaps = taps(height, toHeight);
  for (let y = 0; y < toHeight; y++) {
    const { low: y0, high: y1, weight: fy } = yTaps[y];
    for (let x = 0; x < toWidth; x++) {
      const { low: x0, high: x1, weight: fx } = xTaps[x];
      for (let channel = 0; channel < 3; channel++) {
        const at = (px: number, py: number) => rgb[(py * width + px) * 3 + channel];
        const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
        const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
        out[(y * toWidth + x) * 3 + channel] = clampByte(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { width: toWidth, height: toHeight, rgb: out };
}

/** Nearest-neighbour resampling to width × height, pixel centres aligned. */
export function resizeNearest({ width, height, rgb }: RgbImage, toWidth: number, toHeight: number): RgbImage {
  const out = new Uint8Array(toWidth * toHeight * 3);
  for (let y = 0; y < toHeight; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / toHeight));
    for (let x = 0; x < toWidth; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / toWidth));
      out.set(rgb.subarray((sy * width + sx) * 3, (sy * width + sx) * 3 + 3), (y * toWidth + x) * 3);
    }
  }
  return { width: toWidth, height: toHeight, rgb: out };
}
