"""Read a Resonance image as audio samples with NumPy, following docs/format.md.

For logging audio during training: turn a generated image (a model's output, no metadata) into
samples using the parameters of the dataset it was trained on.

    from resonance_audio import read_description, image_samples
    description = read_description("dataset")          # dataset/dataset.json
    samples = image_samples(pil_image, description)    # float32, (sample frames, channels), in [-1, 1]

Like `resonance decode --like DATASET`: each block of pixels is reduced to one data pixel by the
rounded mean (the cell rule of section 11 for images of another size), the layout is undone, the
bytes are read in the dataset's sample format on the common scale (integers over their full
scale), and, unless raw=True, what is not a number becomes 0 and everything is clipped to ±1.
The TypeScript decoder gives the same samples (test/examples/pytorch.test.ts checks it).
"""
import json
import os

import numpy as np

SAMPLE_BYTES = {"u8": 1, "alaw": 1, "mulaw": 1, "s16": 2, "s24": 3, "s32": 4, "f32": 4, "f64": 8}
STRIP_ROWS = 4


def read_description(dataset):
    """The dataset's dataset.json, as a dict."""
    with open(os.path.join(dataset, "dataset.json"), encoding="utf-8") as file:
        return json.load(file)


def _cell_starts(size, cells):
    """The first image pixel of each cell along one axis, and one past its last (section 11)."""
    def first(i):
        return max(0, -((cells - 2 * i * size) // (2 * cells)))  # ceil((2·i·size − cells) / (2·cells))

    starts, ends = [], []
    for i in range(cells):
        s, e = first(i), min(size, first(i + 1))
        if e <= s:
            nearest = min(size - 1, ((2 * i + 1) * size) // (2 * cells))
            s, e = nearest, nearest + 1
        starts.append(s)
        ends.append(e)
    return starts, ends


def reduce_to_grid(rgb, columns, rows):
    """The data pixels (rows, columns, 3) of an RGB image: each cell's mean, rounded half up."""
    height, width, _ = rgb.shape
    if (height, width) == (rows, columns):
        return rgb.astype(np.uint8)
    xs, xe = (np.array(v) for v in _cell_starts(width, columns))
    ys, ye = (np.array(v) for v in _cell_starts(height, rows))
    # Sums over any rectangle from the summed-area table: S[y, x] = sum of rgb[:y, :x].
    table = np.zeros((height + 1, width + 1, 3), dtype=np.int64)
    table[1:, 1:] = rgb.astype(np.int64).cumsum(axis=0).cumsum(axis=1)
    sums = table[ye][:, xe] - table[ys][:, xe] - table[ye][:, xs] + table[ys][:, xs]
    n = ((ye - ys)[:, None] * (xe - xs)[None, :])[:, :, None]
    return ((sums + n // 2) // n).astype(np.uint8)


def _path(columns, rows):
    """Every data pixel (row-major index) in the planes layout's path order (section 3.2)."""
    order = []
    for top in range(0, rows, STRIP_ROWS):
        h = min(STRIP_ROWS, rows - top)
        for x in range(columns):
            for down in range(h):
                order.append((top + (h - 1 - down if x & 1 else down)) * columns + x)
    return np.array(order, dtype=np.int64)


def _g711_values(fmt):
    codes = np.arange(256)
    if fmt == "alaw":
        a = codes ^ 0x55
        segment = (a & 0x70) >> 4
        magnitude = ((a & 0x0F) << 4) + np.where(segment == 0, 8, 0x108)
        magnitude = np.where(segment > 1, magnitude << np.maximum(segment - 1, 0), magnitude)
        return np.where(a & 0x80, magnitude, -magnitude)
    u = ~codes & 0xFF
    magnitude = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return np.where(u & 0x80, 0x84 - magnitude, magnitude - 0x84)


def _unpack_planes(pixels, audio):
    """The data bytes a planes-layout grid holds, in the file's sample byte order."""
    rows, columns, _ = pixels.shape
    z, channels = SAMPLE_BYTES[audio["sampleFormat"]], audio["channels"]
    planes = z * channels
    p = (rows * columns) // planes
    flat = pixels.reshape(-1, 3)
    ordered_pixels = flat[_path(columns, rows)]
    # digits[t, c, b]: digit b (most significant first) of channel c of sample frame t.
    digits = np.zeros((3 * p, channels, z), dtype=np.uint8)
    for q in range(planes):
        b, c = divmod(q, channels)
        digits[:, c, b] = ordered_pixels[q * p:(q + 1) * p].reshape(-1)
    fmt = audio["sampleFormat"]
    if fmt in ("alaw", "mulaw"):
        values = _g711_values(fmt)
        code_of_rank = np.array(sorted(range(256), key=lambda code: (values[code], code)), dtype=np.uint8)
        return code_of_rank[digits[:, :, 0]].reshape(-1)
    if fmt == "u8":
        return digits.reshape(-1)
    if fmt in ("f32", "f64"):
        positive = (digits[:, :, 0] & 0x80) != 0
        digits = np.where(positive[:, :, None], digits, digits ^ 0xFF)
        digits[:, :, 0] ^= np.where(positive, 0x80, 0).astype(np.uint8)
    else:
        digits[:, :, 0] ^= 0x80
    return digits[:, :, ::-1].reshape(-1)


def _numbers(data, fmt):
    if fmt == "u8":
        return (data.astype(np.float64) - 128) / 128
    if fmt == "s16":
        return data.view("<i2").astype(np.float64) / 32768
    if fmt == "s24":
        triples = data.reshape(-1, 3).astype(np.int32)
        value = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        return np.where(value & 0x800000, value - (1 << 24), value).astype(np.float64) / 8388608
    if fmt == "s32":
        return data.view("<i4").astype(np.float64) / 2147483648
    if fmt == "f32":
        return data.view("<f4").astype(np.float64)
    if fmt == "f64":
        return data.view("<f8").astype(np.float64)
    return _g711_values(fmt)[data].astype(np.float64) / 32768


def image_samples(image, description, raw=False):
    """The clip an image holds, as float32 samples (sample frames, channels) in the dataset's format."""
    rgb = np.asarray(image.convert("RGB") if hasattr(image, "convert") else image)
    geometry, audio = description["geometry"], description["audio"]
    columns, rows = geometry["width"] // geometry["expansion"], geometry["height"] // geometry["expansion"]
    pixels = reduce_to_grid(rgb, columns, rows)
    data = _unpack_planes(pixels, audio) if description["layout"] == "planes" else pixels.reshape(-1)
    data = np.ascontiguousarray(data[: description["clip"]["bytes"]])
    values = _numbers(data, audio["sampleFormat"]).reshape(-1, audio["channels"])
    if not raw:
        values = np.clip(np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    return values.astype(np.float32)
