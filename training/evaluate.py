"""Accuracy of an exported model on your own labelled images, prepared as the page prepares them.

    python -m training.evaluate --images DIR [--model ID] [--seed-preprocessing]

Labels come from DIR/labels.csv (file,label) or from sub-folders named 0 to 9. Each image is decoded
(EXIF orientation applied), scaled down as the browser does, turned into the model's input by the
page's own site/py/preprocess.py, and classified by the exported TF.js model in Chromium."""

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from export.tfjs_check import run_tfjs

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "site" / "py"))  # site/ is not a package; preprocess.py runs in Pyodide too

import preprocess  # noqa: E402

# The long side the browser scales images down to before Python sees them (site/decode.js MAX_SIDE).
BROWSER_MAX_SIDE = 512
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}


def labelled_images(folder):
    """[(path, label)] from folder/labels.csv, else from sub-folders 0..9."""
    folder = Path(folder)
    listing = folder / "labels.csv"
    if listing.exists():
        with open(listing, newline="") as file:
            return [(folder / row["file"], int(row["label"])) for row in csv.DictReader(file)]
    return [
        (path, int(sub.name))
        for sub in sorted(folder.iterdir())
        if sub.is_dir() and sub.name in "0123456789"
        for path in sorted(sub.iterdir())
        if path.suffix.lower() in IMAGE_SUFFIXES
    ]


def decode(path):
    """An image file as the browser hands it over: RGBA, upright, long side at most BROWSER_MAX_SIDE."""
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGBA")
    image.thumbnail((BROWSER_MAX_SIDE, BROWSER_MAX_SIDE), Image.Resampling.LANCZOS)
    return image


# Confusion-matrix columns past the ten digits: no digit found, several digits found.
NONE, SEVERAL = 10, 11


def page_inputs(image):
    """The model inputs the page makes: one per digit it finds (none when the image holds no digit)."""
    try:
        return preprocess.to_mnist_digits(image.tobytes(), image.width, image.height)
    except preprocess.NoDigitError:
        return []


def seed_inputs(image):
    """The replaced app's preprocessing: the whole image squashed to 28x28, inverted when light."""
    gray = np.asarray(image.convert("L").resize((28, 28), Image.Resampling.BILINEAR), dtype=np.float32) / 255
    return [(1 - gray if gray.mean() > 0.5 else gray).ravel().tolist()]


def evaluate(items, make_inputs, model_dir, vendor_dir):
    """(accuracy, confusion [10 x 12]): an image counts as right when exactly its digit is read; the
    last two columns count images where no digit, or several, were found."""
    inputs = [make_inputs(decode(path)) for path, _ in items]
    single = [i for i, found in enumerate(inputs) if len(found) == 1]
    predicted = np.array([NONE if not found else SEVERAL for found in inputs])
    if single:
        batch = np.array([inputs[i][0] for i in single], dtype=np.float32).reshape(-1, 28, 28)
        predicted[single] = run_tfjs(model_dir, vendor_dir, batch).argmax(axis=1)
    confusion = np.zeros((10, 12), dtype=int)
    for (_, label), guess in zip(items, predicted, strict=True):
        confusion[label, guess] += 1
    return float(np.trace(confusion[:, :10]) / len(items)), confusion


def confusion_text(confusion):
    header = "true\\pred " + " ".join(f"{d:>4}" for d in range(10)) + "  none several"
    rows = [
        f"{label:>9} " + " ".join(f"{n:>4}" for n in row[:11]) + f" {row[11]:>7}" for label, row in enumerate(confusion)
    ]
    return "\n".join([header, *rows])


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m training.evaluate", description=__doc__.splitlines()[0], allow_abbrev=False
    )
    parser.add_argument("--images", required=True, help="folder with labels.csv or sub-folders 0..9")
    parser.add_argument("--model", default=None, help="model id from models.json (default: its default)")
    parser.add_argument("--site", default=str(REPO / "site"))
    parser.add_argument("--seed-preprocessing", action="store_true", help="also score the replaced app's way")
    args = parser.parse_args(argv)

    from export.manifest import read_manifest

    manifest = read_manifest(Path(args.site) / "models" / "models.json")
    model_id = args.model or manifest["default"]
    if model_id not in {m["id"] for m in manifest["models"]}:
        parser.error(f"no exported model {model_id!r} in {args.site}/models/models.json")
    items = labelled_images(args.images)
    if not items:
        parser.error(f"no labelled images in {args.images} (labels.csv or sub-folders 0..9)")
    model_dir, vendor_dir = Path(args.site) / "models" / model_id, Path(args.site) / "vendor"

    ways = [("digitlens preprocessing", page_inputs)]
    if args.seed_preprocessing:
        ways.append(("seed preprocessing", seed_inputs))
    for title, make_inputs in ways:
        accuracy, confusion = evaluate(items, make_inputs, model_dir, vendor_dir)
        print(f"{title}: {accuracy:.2%} of {len(items)} images ({model_id})")
        print(confusion_text(confusion), end="\n\n")


if __name__ == "__main__":
    main()
