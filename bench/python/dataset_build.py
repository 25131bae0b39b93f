#!/usr/bin/env python3
"""The dataset build as a Python script of the usual kind does it, for `npm run bench -- --dataset`.

    dataset_build.py CORPUS OUT RATE CHANNELS SIZE [COMPRESS_LEVEL]

Every WAV of CORPUS (sorted) read with SciPy, mixed or copied to CHANNELS, resampled with
scipy.signal.resample_poly, written as 16-bit samples, cut into SIZE x SIZE RGB images (the bytes in
file order, the last one padded with zeros) and saved with Pillow. One process, as such scripts are.
Pillow deflates at its default level unless COMPRESS_LEVEL is given (0: stored, as Resonance writes).
"""
import os
import sys
from math import gcd

import numpy as np
from PIL import Image
from scipy.io import wavfile
from scipy.signal import resample_poly


def main():
    corpus, out, rate, channels, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    save_options = {"compress_level": int(sys.argv[6])} if len(sys.argv) > 6 else {}
    os.makedirs(out, exist_ok=True)
    clip_bytes = size * size * 3
    images = 0
    for name in sorted(n for n in os.listdir(corpus) if n.lower().endswith(".wav")):
        source_rate, data = wavfile.read(os.path.join(corpus, name))
        x = data.astype(np.float64)
        if data.dtype == np.int16:
            x /= 32768
        elif data.dtype == np.int32:
            x /= 2147483648
        if x.ndim == 1:
            x = x[:, None]
        x = np.repeat(x, channels, axis=1) if x.shape[1] == 1 else x.mean(axis=1, keepdims=True) if channels == 1 else x[:, :channels]
        if source_rate != rate:
            g = gcd(source_rate, rate)
            x = resample_poly(x, rate // g, source_rate // g, axis=0)
        pcm = np.clip(np.round(x * 32768), -32768, 32767).astype("<i2").tobytes()
        stem = os.path.splitext(name)[0]
        for k in range(0, len(pcm), clip_bytes):
            clip = np.frombuffer(pcm[k:k + clip_bytes].ljust(clip_bytes, b"\0"), dtype=np.uint8).reshape(size, size, 3)
            Image.fromarray(clip, "RGB").save(os.path.join(out, f"{stem}_{k // clip_bytes:06d}.png"), **save_options)
            images += 1
    print(images)


if __name__ == "__main__":
    main()
