"""Accuracy of an exported model on your own labelled images, prepared as the page prepares them.

    python -m export.evaluate (--images DIR|ZIP | --ready uci) [--model ID] [--streamlit-preprocessing] [--through-page]

Labels come from DIR/labels.csv (file,label) or from sub-folders named 0 to 9, or the same in a zip
(the page's "Download what I taught" writes one); a label is the digits an image holds ("7", "4721",
or "4721 90" for two lines of writing), and an image counts as right when exactly that is read. Each
image is decoded (EXIF orientation applied), scaled down as the browser does, turned into the model's
inputs by the page's own site/py/preprocess.py, and classified by the exported TF.js model in Chromium.
With --through-page the images are uploaded to the page itself instead, and what it shows is scored:
the browser's decoding, Python in Pyodide, the page's default model.

--ready uci scores a ready set instead of a folder: the 1,797 UCI handwritten digits that scikit-learn
ships (sklearn.datasets.load_digits, writers who are not MNIST's), rendered dark on white (uci_digits)."""

import csv
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from export.tfjs_check import run_tfjs
from training.cli import ArgumentParser

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "site" / "py"))  # site/ is not a package; preprocess.py runs in Pyodide too

import preprocess  # noqa: E402

# The long side the browser scales images down to before Python sees them (site/decode.worker.js MAX_SIDE).
BROWSER_MAX_SIDE = 512
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}


def labelled_images(folder):
    """[(path, label)] from folder/labels.csv, else from sub-folders 0..9. A label is the digits the image
    holds as text: "7", or "4721" for a number, "4721 90" for two numbers (lines of writing)."""
    folder = Path(folder)
    listing = folder / "labels.csv"
    if listing.exists():
        with open(listing, newline="") as file:
            rows = csv.DictReader(file)
            if not {"file", "label"} <= set(rows.fieldnames or []):
                raise ValueError(f"{listing}: its first row must name the columns file and label")
            # A row with no label holds no digit (a blank page).
            return [(folder / row["file"], (row["label"] or "").strip()) for row in rows]
    return [
        (path, sub.name)
        for sub in sorted(folder.iterdir())
        if sub.is_dir() and sub.name in "0123456789"
        for path in sorted(sub.iterdir())
        if path.suffix.lower() in IMAGE_SUFFIXES
    ]


def decode(path):
    """An image file as the browser decodes it: RGBA, upright, full size."""
    return ImageOps.exif_transpose(Image.open(path)).convert("RGBA")


def drawn_down(image):
    """What Python gets of a decoded file in the page: its long side at most BROWSER_MAX_SIDE."""
    image = image.copy()
    image.thumbnail((BROWSER_MAX_SIDE, BROWSER_MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def uci_digits():
    """(images, labels) of the UCI handwritten digits in the dataset's order: each 8x8 digit rendered as a
    picture of it would be decoded, RGBA, 48x48, dark ink on white paper; labels "0" to "9". Nothing in
    the rendering was chosen by its score: it is a held-out test of other writers."""
    from sklearn.datasets import load_digits  # here, not above: only this set needs scikit-learn

    digits = load_digits()
    images = []
    for levels in digits.images:
        # A level counts the inked pixels of a 4x4 block (0..16): 0 is white paper, 16 black ink.
        grey = Image.fromarray(np.round(255 - levels * 255 / 16).astype(np.uint8), "L")
        # Back to the 32x32 of the writer's bitmap the levels were counted from, without blocky edges.
        grey = grey.resize((32, 32), Image.Resampling.BILINEAR)
        # A white margin, so that the digit does not touch the picture's edge, as on paper it would not.
        images.append(ImageOps.expand(grey, border=8, fill=255).convert("RGBA"))
    return images, [str(label) for label in digits.target]


# Sets --ready names: a function returning (decoded images, labels).
READY_SETS = {"uci": uci_digits}


# Confusion-matrix columns past the ten digits: no digit found, several digits found.
NONE, SEVERAL = 10, 11


def page_reading(image):
    """The page's preprocessing of a decoded file: (the picture Python read, its preprocess.Reading), read
    again closer where the page would (the Reading's closer); None when there is no digit."""
    seen = drawn_down(image)
    try:
        reading = preprocess.read_image(seen.tobytes(), seen.width, seen.height, image.size)
    except preprocess.NoDigitError:
        return None
    if reading.closer:
        (x, y, w, h), size = reading.closer
        closer = image.crop((x, y, x + w, y + h)).resize(size, Image.Resampling.LANCZOS)
        try:
            return closer, preprocess.read_image(closer.tobytes(), closer.width, closer.height)
        except preprocess.NoDigitError:
            pass  # the page keeps what it found at first
    return seen, reading


# What make_inputs gives for an image with no digit.
NO_DIGITS = preprocess.Reading([], [], [], [], None)


def page_inputs(image):
    """The page's preprocessing of a decoded file: its preprocess.Reading, NO_DIGITS when there is no digit."""
    found = page_reading(image)
    return NO_DIGITS if found is None else found[1]


def streamlit_inputs(image):
    """The replaced app's preprocessing, as a preprocess.Reading: the whole image squashed to 28x28,
    inverted when light, one digit."""
    seen = drawn_down(image)
    gray = np.asarray(seen.convert("L").resize((28, 28), Image.Resampling.BILINEAR), dtype=np.float32) / 255
    pixels = (1 - gray if gray.mean() > 0.5 else gray).ravel().tolist()
    return preprocess.Reading([pixels], [(0, 0, seen.width, seen.height)], [1], [], None)


def python_readings(images, make_inputs, model_dir, site_dir):
    """What is read in each decoded image ("4721 90", "" when nothing): make_inputs (-> preprocess.Reading)
    here in CPython, the exported TF.js model in Chromium, as the page reads: first the other cuts of
    digits cut apart, to choose among them (preprocess.chosen_cuts), then every digit in one batch. images
    may be a generator (map(decode, paths)): only the readings are kept."""
    prepared = _with_chosen_cuts([make_inputs(image) for image in images], model_dir, site_dir)
    inputs = [pixels for reading in prepared for pixels in reading.digits]
    if not inputs:
        return [""] * len(prepared)
    predicted = iter(run_tfjs(model_dir, site_dir, np.array(inputs, dtype=np.float32)).argmax(1))
    return [" ".join("".join(str(next(predicted)) for _ in range(n)) for n in reading.numbers) for reading in prepared]


def _with_chosen_cuts(readings, model_dir, site_dir):
    """The readings with the cuts the model chose where digits were cut apart (preprocess.recut)."""
    inputs = [pixels for reading in readings for cut in reading.recuts for pixels in cut.digits]
    if not inputs:
        return readings
    probabilities = iter(run_tfjs(model_dir, site_dir, np.array(inputs, dtype=np.float32)).tolist())
    chosen = []
    for reading in readings:
        read = [[next(probabilities) for _ in cut.digits] for cut in reading.recuts]
        options = [cut.options for cut in reading.recuts]
        chosen.append(preprocess.recut(reading, preprocess.chosen_cuts(options, read)))
    return chosen


# Files uploaded at once, and how long a batch may take on a loaded 2-core machine.
PAGE_BATCH = 200
PAGE_TIMEOUT_MS = 300_000


def page_readings(paths, site_dir):
    """What the page itself reads in each image, in Chromium: the files are uploaded together, as a person
    would choose them, and each row of the results table gives prediction's data-digit for its file."""
    from playwright.sync_api import sync_playwright

    from devtools.browser import launch_chromium
    from devtools.serve import serve_in_thread

    server, url = serve_in_thread(root=site_dir, port=0, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            status = page.get_by_test_id("status")
            page.locator("[data-testid=status]:not([data-state=loading])").wait_for(timeout=PAGE_TIMEOUT_MS)
            if status.get_attribute("data-state") != "ready":
                raise SystemExit(f"export.evaluate: the page did not start: {status.text_content()}")
            readings = []
            for start in range(0, len(paths), PAGE_BATCH):
                readings += _upload(page, [str(path) for path in paths[start : start + PAGE_BATCH]])
            browser.close()
    finally:
        server.shutdown()
    return readings


def _upload(page, files):
    """The page's readings of files uploaded together: the results table's rows, or for a single file the
    prediction itself."""
    prediction = page.get_by_test_id("prediction")
    seq = int(prediction.get_attribute("data-seq"))
    page.get_by_test_id("upload").set_input_files(files)
    if len(files) == 1:
        page.locator(f"[data-testid=prediction][data-seq='{seq + 1}']").wait_for(timeout=PAGE_TIMEOUT_MS)
        return [prediction.get_attribute("data-digit")]
    page.locator(f"[data-testid=prediction][data-seq='{seq + len(files)}']").wait_for(timeout=PAGE_TIMEOUT_MS)
    page.locator("[data-testid=batch-status][data-state=done]").wait_for(timeout=PAGE_TIMEOUT_MS)
    return [row.get_attribute("data-digit") for row in page.locator("[data-testid=results] tbody tr").all()]


def score(labels, readings):
    """(accuracy, confusion [10 x 12] or None): an image is right when exactly its label is read. The
    confusion matrix is for single-digit labels; its last two columns count images where no digit, or
    several, were found."""
    accuracy = sum(label == reading for label, reading in zip(labels, readings, strict=True)) / len(labels)
    if any(len(label) != 1 for label in labels):
        return accuracy, None
    confusion = np.zeros((10, 12), dtype=int)
    for label, reading in zip(labels, readings, strict=True):
        confusion[int(label), NONE if not reading else SEVERAL if len(reading) > 1 else int(reading)] += 1
    return accuracy, confusion


def evaluate(items, make_inputs, model_dir, site_dir):
    """score() of the readings that make_inputs and the exported model give for [(path, label)]."""
    readings = python_readings((decode(path) for path, _ in items), make_inputs, model_dir, site_dir)
    return score([label for _, label in items], readings)


def confusion_text(confusion):
    header = "true\\pred " + " ".join(f"{d:>4}" for d in range(10)) + "  none several"
    rows = [
        f"{label:>9} " + " ".join(f"{n:>4}" for n in row[:11]) + f" {row[11]:>7}" for label, row in enumerate(confusion)
    ]
    return "\n".join([header, *rows])


def main(argv=None):
    parser = ArgumentParser(prog="python -m export.evaluate", description=__doc__.splitlines()[0])
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--images", help="folder (or zip) with labels.csv or sub-folders 0..9")
    chosen.add_argument("--ready", choices=sorted(READY_SETS), help="a ready set: uci, scikit-learn's UCI digits")
    parser.add_argument("--model", default=None, help="model id from models.json (default: its default)")
    parser.add_argument("--site", default=str(REPO / "site"))
    parser.add_argument(
        "--streamlit-preprocessing", action="store_true", help="also score the replaced Streamlit app's way"
    )
    parser.add_argument(
        "--through-page", action="store_true", help="upload the images to the page in Chromium and score what it reads"
    )
    args = parser.parse_args(argv)

    from export.manifest import read_manifest

    folder = args.images
    if args.images and not Path(args.images).is_dir():
        if not zipfile.is_zipfile(args.images):
            parser.error(f"{args.images}: no such folder or zip file")
        # The zip's files, unpacked for the run (extractall keeps every name inside the folder).
        unpacked = tempfile.TemporaryDirectory()
        try:
            with zipfile.ZipFile(args.images) as archive:
                archive.extractall(unpacked.name)
        except (zipfile.BadZipFile, OSError) as error:
            parser.error(f"{args.images}: not a readable zip file: {error}")
        folder = unpacked.name
    if args.ready and args.through_page:
        parser.error("--through-page uploads files: write the set to a folder and give --images")
    manifest_path = Path(args.site) / "models" / "models.json"
    if not manifest_path.is_file():
        parser.error(f"{manifest_path}: missing: no exported models (run `python -m export`)")
    manifest = read_manifest(manifest_path)
    model_id = args.model or manifest["default"]
    if model_id not in {m["id"] for m in manifest["models"]}:
        parser.error(f"no exported model {model_id!r} in {manifest_path}")
    site_dir = Path(args.site)
    model_dir = site_dir / "models" / model_id

    if args.ready:
        try:
            ready_images, labels = READY_SETS[args.ready]()
        except ImportError as error:
            parser.error(f"--ready {args.ready} needs {error.name} (pip install -e '.[test]')")

        def images():
            return ready_images

    else:
        try:
            items = labelled_images(folder)
        except ValueError as error:
            parser.error(str(error))
        if not items:
            parser.error(f"no labelled images in {args.images} (labels.csv or sub-folders 0..9)")
        paths, labels = [path for path, _ in items], [label for _, label in items]

        def images():  # decoded one at a time, as each way reads them
            return map(decode, paths)

    if args.through_page:
        if model_id != manifest["default"]:
            parser.error("--through-page reads with the page's default model; leave out --model")
        ways = [("through the page", lambda: page_readings(paths, site_dir))]
    else:
        ways = [("digitlens preprocessing", lambda: python_readings(images(), page_inputs, model_dir, site_dir))]
    if args.streamlit_preprocessing:
        ways.append(
            ("Streamlit preprocessing", lambda: python_readings(images(), streamlit_inputs, model_dir, site_dir))
        )
    for title, read in ways:
        try:
            readings = read()
        except OSError as error:  # an image labels.csv names is missing, or is not an image
            parser.error(" ".join(str(error).split()))
        accuracy, confusion = score(labels, readings)
        print(f"{title}: {accuracy:.2%} of {len(labels)} images ({model_id})")
        if confusion is not None:
            print(confusion_text(confusion), end="\n\n")


if __name__ == "__main__":
    main()
