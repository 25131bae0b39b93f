#!/usr/bin/env python3
"""Raw bytes to PNG frames as a Python script of the usual kind does it, for `npm run bench -- --small`.

    encode_frames.py RAW OUT SIZE

The bytes of RAW (whole frames: the bench pads it) cut into SIZE x SIZE RGB images, saved with
Pillow as stored PNGs (compress_level=0, no deflating: the fastest Pillow writes), one process.
"""
import os
import sys

from PIL import Image


def main():
    raw, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    frame = size * size * 3
    with open(raw, "rb") as f:
        index = 0
        while True:
            data = f.read(frame)
            if len(data) < frame:
                break
            Image.frombuffer("RGB", (size, size), data, "raw", "RGB", 0, 1).save(os.path.join(out, f"f_{index:05d}.png"), compress_level=0)
            index += 1
    print(index)


if __name__ == "__main__":
    main()
