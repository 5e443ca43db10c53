"""Digits taught in the page, as training data: the zip its "Download what I taught" writes (one 28x28
PNG per digit, the model's own input, white ink on black, and labels.csv with the columns file and
label). Every failure is a DataError with a one-line message naming the zip."""

import csv
import io
import json
import zipfile

import numpy as np
from PIL import Image, UnidentifiedImageError

from training.data import DataError

SIZE = 28


def read_taught(path):
    """(images uint8 [N, 28, 28], labels uint8 [N]) from a taught-digits zip; files labels.csv does not
    name are left alone."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "labels.csv" not in names:
                raise DataError(f"{path}: no labels.csv in the zip: is it the page's download of taught digits?")
            rows = list(csv.DictReader(io.TextIOWrapper(archive.open("labels.csv"), encoding="utf-8", newline="")))
            images, labels = [], []
            for number, row in enumerate(rows, start=2):
                name, label = row.get("file"), (row.get("label") or "").strip()
                if name not in names:
                    raise DataError(f"{path}: labels.csv line {number}: no file {name!r} in the zip")
                if not (len(label) == 1 and label.isdigit()):
                    raise DataError(f"{path}: labels.csv line {number}: label {label!r} is not one digit 0..9")
                images.append(_digit(archive, name, path))
                labels.append(int(label))
    except (zipfile.BadZipFile, OSError) as error:
        raise DataError(f"{path}: not a readable zip file: {error}") from error
    if not images:
        raise DataError(f"{path}: labels.csv lists no digits")
    return np.stack(images), np.array(labels, dtype=np.uint8)


def _digit(archive, name, path):
    """One PNG of the zip as a 28x28 grey image."""
    try:
        image = Image.open(io.BytesIO(archive.read(name))).convert("L")
    except UnidentifiedImageError as error:
        raise DataError(f"{path}: {name} is not an image") from error
    if image.size != (SIZE, SIZE):
        raise DataError(f"{path}: {name} is {image.size[0]}x{image.size[1]}, not the model's {SIZE}x{SIZE} input")
    return np.asarray(image, dtype=np.uint8)


def made_record(path):
    """How a generated zip of digits was made (the made.json that training.photodigits writes beside its
    digits), or None: the page's download of taught digits has none."""
    try:
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read("made.json")) if "made.json" in archive.namelist() else None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DataError(f"{path}: made.json is not readable: {error}") from error
