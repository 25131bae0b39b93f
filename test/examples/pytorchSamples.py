"""For test/examples/pytorch.test.ts: a dataset's train split as float32 samples, read two ways.

    python3 pytorchSamples.py DATASET files OUT     # the PNG files through resonance_audio (NumPy, PIL)
    python3 pytorchSamples.py DATASET loader OUT    # the tensors of train.py's DataLoader, back to bytes
    python3 pytorchSamples.py DATASET generated OUT FOLDER   # a model's samples in FOLDER, made safe

Both write every image's samples (resonance_audio.image_samples) in metadata.jsonl's order, one
after the other, as little-endian float32: the test compares them with the TypeScript decoder's.
"""
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "pytorch"))
from resonance_audio import image_samples, read_description  # noqa: E402

dataset, source, out = sys.argv[1:4]
description = read_description(dataset)
clips = []
if source == "files":
    folder = os.path.join(dataset, "train")
    import json
    with open(os.path.join(folder, "metadata.jsonl"), encoding="utf-8") as lines:
        names = [json.loads(line)["file_name"] for line in lines if line.strip()]
    for name in names:
        with Image.open(os.path.join(folder, name)) as image:
            clips.append(image_samples(image, description, raw=True))
elif source == "generated":
    # What a model wrote, in name order, read as the dataset's clips with floats made safe (the default).
    folder = sys.argv[4]
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".png")):
        with Image.open(os.path.join(folder, name)) as image:
            clips.append(image_samples(image, description))
else:
    import torch
    from torch.utils.data import DataLoader
    from train import ResonanceImages

    # The loader as train.py builds it, without shuffling so the order is metadata.jsonl's; each
    # tensor in [-1, 1] back to the bytes it must have come from.
    for batch in DataLoader(ResonanceImages(dataset, "train"), batch_size=3, shuffle=False):
        pixels = ((batch + 1.0) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()
        clips.extend(image_samples(image, description, raw=True) for image in pixels)
np.concatenate([clip.reshape(-1) for clip in clips]).astype("<f4").tofile(out)
