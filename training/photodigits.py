"""python -m training.photodigits --out FILE.zip [--count N] [--seed S] [--data-dir DIR]

Digits as the page prepares them from photos of paper: training data for the model (`python -m training
--extra-data FILE.zip`). The model learns from MNIST's clean scans, but in the page it reads digits cut out
of phone photos: written in ballpoint, felt pen or pencil, on ruled, squared or dotted paper whose lines
were erased, blurred, noisy and JPEG-compressed, then cut out, centred and scaled by site/py/preprocess.py.

Each photo is training.photoset's: a number of 2 to 8 digits (or, one photo in SINGLE_SHARE, one digit) on
paper of any kind in any pen. The page's own preprocessing reads it (export.evaluate.page_inputs, with the
cuts it finds: there is no model here to choose among others); where it finds as many digits as were
written, each digit's 28x28 input is kept with its label. Where it does not
(digits joined or cut), the photo is left out: which input is which digit is then unknown.

The digits are MNIST *training* digits outside the validation split that `python -m training` holds out with
its default seed and size (training/config.py), and after the first TUNING_DIGITS, which the tuning sets
(`photoset --digits train`) are written with. Test digits are never used.

Writes a zip in the layout of the page's taught digits (training/taught.py): one 28x28 PNG per digit and
labels.csv, plus made.json, how it was made. The set the README's run trained on (17,870 digits from 5,000
photos, 17 minutes on 2 cores; that cnn was not shipped):
  python -m training.photodigits --data-dir ../shared/data/mnist --out artifacts/photo-digits.zip --count 5000"""

import csv
import io
import json
import sys
import zipfile
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image

from training import photoset
from training.cli import ArgumentParser
from training.config import DEFAULTS
from training.data import DataError, load_mnist, split_validation
from training.photoset import positive_int

SINGLE_SHARE = 0.3  # photos of one digit: a lone digit is framed as the page frames it, not as a number's
TUNING_DIGITS = 5000  # the tuning sets use training digits from the first on, a few thousand at most
SIZE = 28

_mnist = None  # each worker's MNIST, loaded once


def allowed_digits(mnist):
    """Indices of the training digits this set may use, in order."""
    count = len(mnist.x_train)
    positions = np.arange(count)
    (kept, _), _ = split_validation(positions, positions, min(DEFAULTS["val_size"], count // 10), DEFAULTS["seed"])
    return np.sort(kept[kept >= TUNING_DIGITS])


def plan(count, seed, digits):
    """For each photo: its random seed and the indices of the digits it shows (one, or a number of 2 to 8)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(digits)
    plans, used = [], 0
    for index in range(count):
        single = rng.random() < SINGLE_SHARE
        length = 1 if single else int(rng.integers(photoset.NUMBER_LENGTHS[0], photoset.NUMBER_LENGTHS[1] + 1))
        picked = [int(order[(used + k) % len(order)]) for k in range(length)]
        used += length
        plans.append(([seed, index], picked))
    return plans


def load(data_dir):
    """Pool initializer: MNIST, once a worker."""
    global _mnist
    _mnist = load_mnist(data_dir)


def read_photo(photo_plan):
    """One photo written and read as the page reads it: [(28x28 uint8 input, label)], empty when the page
    did not find the digits written."""
    from export.evaluate import decode, page_inputs

    photo_seed, picked = photo_plan
    rng = np.random.default_rng(photo_seed)
    paper = photoset.pick("mixed", photoset.PAPER_KINDS, rng)
    pen = photoset.pick("mixed", photoset.PEN_KINDS, rng)
    images = [_mnist.x_train[i] for i in picked]
    if len(images) == 1:
        photo = photoset.render_photo(images[0], rng, paper, pen)
    else:
        photo = photoset.render_numbers([images], rng, paper, pen)
    jpeg = io.BytesIO()
    photo.save(jpeg, "JPEG", quality=int(rng.integers(60, 92)))
    reading = page_inputs(decode(jpeg))
    if reading.numbers != [len(picked)]:
        return []
    return [
        (np.clip(np.rint(np.array(pixels) * 255), 0, 255).astype(np.uint8).reshape(SIZE, SIZE), int(_mnist.y_train[i]))
        for pixels, i in zip(reading.digits, picked, strict=True)
    ]


def write_zip(path, digits, made):
    """The taught-digits layout: digit-NNNNNN.png files, labels.csv (file,label), and made.json."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    labels = io.StringIO()
    writer = csv.writer(labels)
    writer.writerow(("file", "label"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (pixels, label) in enumerate(digits):
            name = f"digit-{number:06d}.png"
            png = io.BytesIO()
            Image.fromarray(pixels, "L").save(png, "PNG")
            archive.writestr(name, png.getvalue())
            writer.writerow((name, label))
        archive.writestr("labels.csv", labels.getvalue())
        archive.writestr("made.json", json.dumps(made, indent=1))


def main(argv=None):
    parser = ArgumentParser(prog="python -m training.photodigits", description=__doc__.split("\n\n")[1])
    parser.add_argument("--out", required=True, metavar="FILE", help="the zip to write")
    parser.add_argument("--count", type=positive_int, default=5000, help="photos to write and read (default: 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--data-dir", default=None, metavar="DIR", help="MNIST folder (default: $MNIST_DIR or cache)")
    args = parser.parse_args(argv)
    if not args.out.endswith(".zip"):
        parser.error(f"--out {args.out}: the file must end in .zip")
    try:
        mnist = load_mnist(args.data_dir)
    except DataError as error:
        parser.error(str(error))

    plans = plan(args.count, args.seed, allowed_digits(mnist))
    with Pool(initializer=load, initargs=(args.data_dir,)) as pool:
        photos = pool.map(read_photo, plans, chunksize=16)
    digits = [digit for photo in photos for digit in photo]
    kept = sum(1 for photo in photos if photo)
    made = {
        "command": "python -m training.photodigits " + " ".join(sys.argv[1:] if argv is None else argv),
        "photos": args.count,
        "photos_read_as_written": kept,
        "digits": len(digits),
        "per_label": np.bincount([label for _, label in digits], minlength=10).tolist(),
    }
    write_zip(args.out, digits, made)
    print(f"{len(digits)} digits from {kept} of {args.count} photos read as written: {args.out}")


if __name__ == "__main__":
    main()
