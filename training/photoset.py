"""A photo-like test set: MNIST test digits as phone photos of paper would show them.

    python -m training.photoset --out DIR [--count 300] [--seed 0] [--data-dir DIR]

Each digit is written in dark ink on a page (white, cream, grey or tinted paper) at a random size and
place, tilted, under a lighting gradient, with sensor noise and blur, and saved as JPEG. DIR gets the
images and labels.csv (file,label), the layout `python -m training.evaluate` reads."""

import argparse
import csv
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from training.data import load_mnist

PAPERS = [(250, 250, 247), (243, 236, 214), (222, 222, 222), (226, 236, 246), (250, 240, 200)]
INKS = [(20, 20, 25), (25, 40, 110), (70, 70, 75), (10, 60, 30)]


def render_photo(digit, rng):
    """One MNIST digit (uint8 28x28, white on black) as an RGB photo of a page (PIL image)."""
    width, height = int(rng.integers(480, 1280)), int(rng.integers(480, 1280))
    # The digit covers a tenth to a half of the page's short side, at an angle of up to 15 degrees.
    size = int(min(width, height) * rng.uniform(0.1, 0.5))
    ink = Image.fromarray(digit).resize((size, size), Image.Resampling.BICUBIC)
    ink = ink.rotate(rng.uniform(-15, 15), resample=Image.Resampling.BICUBIC, expand=True)
    left = int(rng.integers(0, width - ink.width))
    top = int(rng.integers(0, height - ink.height))
    alpha = np.zeros((height, width), dtype=np.float32)
    alpha[top : top + ink.height, left : left + ink.width] = np.asarray(ink, dtype=np.float32) / 255

    paper = np.array(PAPERS[rng.integers(len(PAPERS))], dtype=np.float32)
    pen = np.array(INKS[rng.integers(len(INKS))], dtype=np.float32)
    page = paper * (1 - alpha[..., None]) + pen * alpha[..., None]

    # Light falls off across the page in a random direction (a lamp or window to one side).
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ramp = (xs / width - 0.5) * np.cos(angle) + (ys / height - 0.5) * np.sin(angle)
    page *= (1 - rng.uniform(0.1, 0.45) * (ramp + 0.5))[..., None]
    page += rng.normal(0, rng.uniform(2, 8), page.shape)

    photo = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8))
    return photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5)))


def write_photoset(out_dir, count, seed, data_dir=None):
    """Write `count` photos of the first MNIST test digits and labels.csv into out_dir; returns the labels."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    mnist = load_mnist(data_dir)
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(count):
        name = f"photo-{index:04d}.jpg"
        render_photo(mnist.x_test[index], rng).save(out_dir / name, quality=int(rng.integers(60, 92)))
        rows.append((name, int(mnist.y_test[index])))
    with open(out_dir / "labels.csv", "w", newline="") as file:
        csv.writer(file).writerows([("file", "label"), *rows])
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m training.photoset", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)
    write_photoset(args.out, args.count, args.seed, args.data_dir)
    print(f"wrote {args.count} photos and labels.csv to {args.out}")


if __name__ == "__main__":
    main()
