#!/usr/bin/env python3
"""Train a small image diffusion model on a Resonance dataset, then sample from it.

    python3 train.py DATASET [--steps N] [--samples N] [--out DIR]

Loads the dataset through its metadata.jsonl with PIL and torchvision's standard transforms,
checks that the tensors hold exactly the pixels of the files, trains a tiny DDPM (a small U-Net
predicting the noise) for a few steps, and writes a few generated images to --out, which
`resonance decode OUT --like DATASET` turns into WAV files.

What must not happen to these images on the way into a model: no random flips (a horizontal flip
reverses time and byte order), no colour jitter, no resizing to another resolution and no JPEG.
Each value is a byte of audio; the transforms here only turn bytes into numbers.

Needs nothing beyond PyTorch, torchvision, Pillow and NumPy (Debian: python3-torch,
python3-torchvision, python3-pil, python3-numpy). Runs on the CPU in a minute or two at the sizes
the test uses; pass --device cuda on a GPU box.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class ResonanceImages(Dataset):
    """The images of one split, in metadata.jsonl's order, as float tensors in [-1, 1]."""

    def __init__(self, root, split="train"):
        self.folder = os.path.join(root, split)
        with open(os.path.join(self.folder, "metadata.jsonl"), encoding="utf-8") as lines:
            self.rows = [json.loads(line) for line in lines if line.strip()]
        # PILToTensor keeps every byte as it is (uint8, C × H × W); the scaling to [-1, 1] is
        # exact and invertible. No flip, crop, resize or colour transform: see the module text.
        self.to_tensor = transforms.PILToTensor()

    def __len__(self):
        return len(self.rows)

    def pixels(self, index):
        with Image.open(os.path.join(self.folder, self.rows[index]["file_name"])) as image:
            return self.to_tensor(image.convert("RGB"))

    def __getitem__(self, index):
        return self.pixels(index).float() / 127.5 - 1.0


def check_exact(images):
    """Every tensor holds exactly the bytes of its file: uint8 through PIL and back, unchanged."""
    for index in range(len(images)):
        with Image.open(os.path.join(images.folder, images.rows[index]["file_name"])) as image:
            raw = np.asarray(image.convert("RGB"))
        tensor = images.pixels(index).permute(1, 2, 0).numpy()
        if not np.array_equal(raw, tensor):
            raise SystemExit(f"{images.rows[index]['file_name']}: the tensor differs from the file's pixels")
        back = ((images[index] + 1.0) * 127.5).round().to(torch.uint8).permute(1, 2, 0).numpy()
        if not np.array_equal(raw, back):
            raise SystemExit(f"{images.rows[index]['file_name']}: scaling to [-1, 1] and back is not exact")


class Block(nn.Module):
    def __init__(self, channels_in, channels_out, time_channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels_in, channels_out, 3, padding=1)
        self.conv2 = nn.Conv2d(channels_out, channels_out, 3, padding=1)
        self.time = nn.Linear(time_channels, channels_out)
        self.norm1 = nn.GroupNorm(8, channels_out)
        self.norm2 = nn.GroupNorm(8, channels_out)
        self.skip = nn.Conv2d(channels_in, channels_out, 1) if channels_in != channels_out else nn.Identity()

    def forward(self, x, t):
        h = torch.nn.functional.silu(self.norm1(self.conv1(x)))
        h = h + self.time(t)[:, :, None, None]
        h = torch.nn.functional.silu(self.norm2(self.conv2(h)))
        return h + self.skip(x)


class TinyUNet(nn.Module):
    """Two levels down, two up: enough to show the loop works, not to make good audio."""

    def __init__(self, width=32):
        super().__init__()
        self.time_channels = width * 4
        self.time = nn.Sequential(nn.Linear(width, self.time_channels), nn.SiLU(), nn.Linear(self.time_channels, self.time_channels))
        self.width = width
        self.inp = nn.Conv2d(3, width, 3, padding=1)
        self.down1 = Block(width, width, self.time_channels)
        self.down2 = Block(width, width * 2, self.time_channels)
        self.middle = Block(width * 2, width * 2, self.time_channels)
        self.up2 = Block(width * 4, width, self.time_channels)
        self.up1 = Block(width * 2, width, self.time_channels)
        self.out = nn.Conv2d(width, 3, 3, padding=1)

    def embed(self, t):
        half = self.width // 2
        frequencies = torch.exp(-math.log(10000) * torch.arange(half, device=t.device) / half)
        angles = t.float()[:, None] * frequencies[None]
        return self.time(torch.cat([angles.sin(), angles.cos()], dim=1))

    def forward(self, x, t):
        e = self.embed(t)
        h0 = self.down1(self.inp(x), e)
        h1 = self.down2(nn.functional.avg_pool2d(h0, 2), e)
        m = self.middle(nn.functional.avg_pool2d(h1, 2), e)
        u2 = self.up2(torch.cat([nn.functional.interpolate(m, scale_factor=2), h1], dim=1), e)
        u1 = self.up1(torch.cat([nn.functional.interpolate(u2, scale_factor=2), h0], dim=1), e)
        return self.out(u1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--timesteps", type=int, default=100, help="diffusion steps (also used for sampling)")
    parser.add_argument("--out", default="samples")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    with open(os.path.join(args.dataset, "dataset.json"), encoding="utf-8") as file:
        description = json.load(file)
    images = ResonanceImages(args.dataset, "train")
    if len(images) == 0:
        raise SystemExit(f"{args.dataset}: the train split holds no images")
    check_exact(images)
    height, width = description["geometry"]["height"], description["geometry"]["width"]
    if height % 4 or width % 4:
        raise SystemExit(f"{args.dataset}: this small U-Net needs sizes that are multiples of 4, not {width} x {height}")
    print(f"{len(images)} training images of {width} x {height}, the tensors exactly the files' pixels", flush=True)

    device = torch.device(args.device)
    model = TinyUNet().to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
    betas = torch.linspace(1e-4, 0.02, args.timesteps, device=device)
    alphas = 1.0 - betas
    alpha_bars = torch.cumprod(alphas, dim=0)
    loader = DataLoader(images, batch_size=args.batch, shuffle=True, drop_last=len(images) >= args.batch)

    step = 0
    while step < args.steps:
        for batch in loader:
            batch = batch.to(device)
            t = torch.randint(0, args.timesteps, (batch.shape[0],), device=device)
            noise = torch.randn_like(batch)
            a = alpha_bars[t].sqrt()[:, None, None, None]
            s = (1 - alpha_bars[t]).sqrt()[:, None, None, None]
            loss = nn.functional.mse_loss(model(a * batch + s * noise, t), noise)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step % 50 == 0 or step == args.steps:
                print(f"step {step}: loss {loss.item():.4f}", flush=True)
            if step >= args.steps:
                break

    # DDPM ancestral sampling, then the pixels as bytes again: each image one generated clip.
    model.eval()
    os.makedirs(args.out, exist_ok=True)
    with torch.no_grad():
        x = torch.randn(args.samples, 3, height, width, device=device)
        for t in reversed(range(args.timesteps)):
            tt = torch.full((args.samples,), t, device=device, dtype=torch.long)
            predicted = model(x, tt)
            mean = (x - betas[t] / (1 - alpha_bars[t]).sqrt() * predicted) / alphas[t].sqrt()
            x = mean + (betas[t].sqrt() * torch.randn_like(x) if t > 0 else 0)
    pixels = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()
    for index, image in enumerate(pixels):
        Image.fromarray(image, "RGB").save(os.path.join(args.out, f"sample_{index:03d}.png"))
    print(f"wrote {len(pixels)} samples to {args.out}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
