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
  // Separable: [1,2,1] along rows into exact sums, then along columns, one rounding at the end.
  const rows = new Uint16Array(rgb.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const left = (y * width + Math.max(0, x - 1)) * 3;
      const centre = (y * width + x) * 3;
      const right = (y * width + Math.min(width - 1, x + 1)) * 3;
      for (let c = 0; c < 3; c++) rows[centre + c] = rgb[left + c] + 2 * rgb[centre + c] + rgb[right + c];
    }
  }
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width * 3;
    const here = y * width * 3;
    const down = Math.min(height - 1, y + 1) * width * 3;
    for (let i = 0; i < width * 3; i++) out[here + i] = Math.round((rows[up + i] + 2 * rows[here + i] + rows[down + i]) / 16);
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
  const taps = (from: number, to: number) => {
    const low = new Int32Array(to);
    const high = new Int32Array(to);
    const weight = new Float64Array(to);
    for (let i = 0; i < to; i++) {
      const position = Math.min(from - 1, Math.max(0, ((i + 0.5) * from) / to - 0.5));
      low[i] = Math.floor(position);
      high[i] = Math.min(from - 1, low[i] + 1);
      weight[i] = position - low[i];
    }
    return { low, high, weight };
  };
  const xs = taps(width, toWidth);
  const ys = taps(height, toHeight);
  const out = new Uint8Array(toWidth * toHeight * 3);
  for (let y = 0; y < toHeight; y++) {
    const top = ys.low[y] * width;
    const bottom = ys.high[y] * width;
    const fy = ys.weight[y];
    for (let x = 0; x < toWidth; x++) {
      const fx = xs.weight[x];
      const a = (top + xs.low[x]) * 3;
      const b = (top + xs.high[x]) * 3;
      const c = (bottom + xs.low[x]) * 3;
      const d = (bottom + xs.high[x]) * 3;
      const o = (y * toWidth + x) * 3;
      for (let k = 0; k < 3; k++) {
        const upper = rgb[a + k] * (1 - fx) + rgb[b + k] * fx;
        const lower = rgb[c + k] * (1 - fx) + rgb[d + k] * fx;
        out[o + k] = clampByte(upper * (1 - fy) + lower * fy);
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

/** ITU-T T.81 Annex K quantisation tables, in natural (row by row) order. */
const LUMA_TABLE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_TABLE = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** A table scaled to a quality of 1–100 as the IJG library (libjpeg) scales it. */
function scaledTable(table: number[], quality: number): Float64Array {
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  return Float64Array.from(table, (q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

const DCT_BASIS = Float64Array.from({ length: 64 }, (_, i) => {
  const [u, x] = [Math.floor(i / 8), i % 8];
  return (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
});

/** Quantises one plane (values 0–255, width × height) through 8 × 8 DCT blocks in place, edges repeated. */
function quantisePlane(plane: Float64Array, width: number, height: number, table: Float64Array): void {
  const block = new Float64Array(64);
  const temp = new Float64Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let i = 0; i < 64; i++) block[i] = plane[Math.min(height - 1, by + (i >> 3)) * width + Math.min(width - 1, bx + (i & 7))] - 128;
      // Forward DCT, rows then columns; quantise; inverse DCT.
      for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) {
        let sum = 0;
        for (let x = 0; x < 8; x++) sum += DCT_BASIS[u * 8 + x] * block[y * 8 + x];
        temp[y * 8 + u] = sum;
      }
      for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) {
        let sum = 0;
        for (let y = 0; y < 8; y++) sum += DCT_BASIS[v * 8 + y] * temp[y * 8 + u];
        block[v * 8 + u] = Math.round(sum / table[v * 8 + u]) * table[v * 8 + u];
      }
      for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) {
        let sum = 0;
        for (let v = 0; v < 8; v++) sum += DCT_BASIS[v * 8 + y] * block[v * 8 + u];
        temp[y * 8 + u] = sum;
      }
      for (let y = 0; y < 8 && by + y < height; y++) for (let x = 0; x < 8 && bx + x < width; x++) {
        let sum = 0;
        for (let u = 0; u < 8; u++) sum += DCT_BASIS[u * 8 + x] * temp[y * 8 + u];
        // A JPEG decoder hands back whole 8-bit samples.
        plane[(by + y) * width + bx + x] = clampByte(sum + 128);
      }
    }
  }
}

/**
 * What baseline JPEG does to the pixels, less the lossless entropy coding: JFIF YCbCr, chroma
 * optionally halved both ways (4:2:0, by 2 × 2 means, replicated back), 8 × 8 DCT quantised with
 * the Annex K tables at an IJG quality, samples rounded to 8 bits, then back to RGB.
 */
export function jpegLike({ width, height, rgb }: RgbImage, quality: number, chroma420: boolean): RgbImage {
  const count = width * height;
  const planes = [new Float64Array(count), new Float64Array(count), new Float64Array(count)];
  for (let i = 0; i < count; i++) {
    const [r, g, b] = [rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]];
    planes[0][i] = clampByte(0.299 * r + 0.587 * g + 0.114 * b);
    planes[1][i] = clampByte(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
    planes[2][i] = clampByte(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
  }
  quantisePlane(planes[0], width, height, scaledTable(LUMA_TABLE, quality));
  const chromaTable = scaledTable(CHROMA_TABLE, quality);
  for (const plane of planes.slice(1)) {
    if (!chroma420) {
      quantisePlane(plane, width, height, chromaTable);
      continue;
    }
    const [w2, h2] = [Math.ceil(width / 2), Math.ceil(height / 2)];
    const half = new Float64Array(w2 * h2);
    for (let y = 0; y < h2; y++) for (let x = 0; x < w2; x++) {
      let sum = 0;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) sum += plane[Math.min(height - 1, 2 * y + dy) * width + Math.min(width - 1, 2 * x + dx)];
      half[y * w2 + x] = clampByte(sum / 4);
    }
    quantisePlane(half, w2, h2, chromaTable);
    for (let i = 0; i < count; i++) plane[i] = half[Math.floor(Math.floor(i / width) / 2) * w2 + Math.floor((i % width) / 2)];
  }
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < count; i++) {
    const [y, cb, cr] = [planes[0][i], planes[1][i] - 128, planes[2][i] - 128];
    out[i * 3] = clampByte(y + 1.402 * cr);
    out[i * 3 + 1] = clampByte(y - 0.344136 * cb - 0.714136 * cr);
    out[i * 3 + 2] = clampByte(y + 1.772 * cb);
  }
  return { width, height, rgb: out };
}
