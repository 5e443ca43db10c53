"""python -m training.splitter --images DIR [DIR ...] [--seed S] [--epochs N] [--out FILE]

Trains the network the page asks whether a piece of ink is two touching digits (site/py/splitter.py)
and writes its weights, with how they were made, to site/py/splitter.json.

The folders are photo sets of numbers written with MNIST *training* digits (`python -m
training.photoset --digits train --numbers`). Each photo is read by the page's own preprocessing; where
it finds as many pieces as the number has digits, each piece is one digit as the page sees it (pen,
paper and erased lines included). Those pieces are the single digits; two neighbours slid together
until their ink touches, and a little further (up to OVERLAP of the narrower one's width), are a pair.
A tenth of the photos are held out to report how well it tells them apart.

Example (the shipped weights' command; about 20 minutes on 2 cores):
  P="python -m training.photoset --data-dir ../shared/data/mnist --digits train --numbers --pen mixed --count 250"
  for seed in 21 22; do for paper in ruled squared dotted plain; do
    $P --seed $seed --paper $paper --out /tmp/split/$paper-$seed; done; done
  python -m training.splitter --images /tmp/split/*"""

import json
import math
import statistics
import sys
from itertools import pairwise
from multiprocessing import Pool
from pathlib import Path

from training.cli import ArgumentParser, import_tensorflow

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "site" / "py"))
import preprocess  # noqa: E402  (site/py is not a package)
import splitter  # noqa: E402

DEFAULTS = {"seed": 1, "epochs": 20, "out": str(REPO / "site" / "py" / "splitter.json")}
OVERLAP = 0.15  # pairs slide this much of the narrower digit's width past touching
INK = 0.3  # the ink level at which two digits touch
# Pieces narrower than MIN_WIDTH line heights are left out: the page asks only about wider ones
# (preprocess.ASK_WIDTH), and the network's few weights are spent on telling those apart.
MIN_WIDTH = 0.6
HELD_OUT = 0.1  # share of the photos kept out of training, to report on
BATCH = 128
PARITY, PARITY_CHECKS = 1e-4, 200  # splitter.py must answer as Keras does, to this, on this many pieces


def rules_alone():
    """Pool initializer: the page's preprocessing as its rules alone split pieces, asking the network
    nothing (what it finds must not depend on the weights being made)."""
    preprocess.ASK_WIDTH = preprocess.LONE_ASK_WIDTH = math.inf


def single_digits(item):
    """(pieces of ink, line height) of one photo whose number the page split into as many pieces as it
    has digits, else None. A piece is (top row in the picture, rows of ink levels)."""
    from export.evaluate import decode, page_reading

    path, label = item
    found = page_reading(decode(path))
    if found is None or " " in label:
        return None
    seen, reading = found
    if reading.numbers != [len(label)]:
        return None
    width = seen.width
    ink, _ = preprocess.measured_ink(seen.tobytes(), width, seen.height)
    line_height = statistics.median(h for _, _, _, h in reading.boxes)
    pieces = [
        (y, [ink[(y + r) * width + x : (y + r) * width + x + w] for r in range(h)]) for x, y, w, h in reading.boxes
    ]
    return pieces, line_height


def touching(left, right, rng):
    """Two pieces (top row, rows) slid together until their ink touches, then overlapping by up to
    OVERLAP of the narrower one's width: the rows of the pair, or None when no row holds both."""
    import numpy as np

    (top_a, a), (top_b, b) = [(top, np.array(rows, np.float32)) for top, rows in (left, right)]
    top = min(top_a, top_b)
    height = max(top_a + a.shape[0], top_b + b.shape[0]) - top
    canvas_a, canvas_b = np.zeros((height, a.shape[1])), np.zeros((height, b.shape[1]))
    canvas_a[top_a - top : top_a - top + a.shape[0]] = a
    canvas_b[top_b - top : top_b - top + b.shape[0]] = b
    gaps = []
    for row_a, row_b in zip(canvas_a >= INK, canvas_b >= INK, strict=True):
        if row_a.any() and row_b.any():
            gaps.append(a.shape[1] - 1 - np.flatnonzero(row_a)[-1] + np.flatnonzero(row_b)[0])
    if not gaps:
        return None
    at = a.shape[1] - min(gaps) - int(rng.uniform(0, OVERLAP) * min(a.shape[1], b.shape[1]))
    if at < 1:
        return None
    pair = np.zeros((height, max(a.shape[1], at + b.shape[1])))
    pair[:, : a.shape[1]] = canvas_a
    pair[:, at : at + b.shape[1]] = np.maximum(pair[:, at : at + b.shape[1]], canvas_b)
    rows, columns = np.flatnonzero((pair >= INK).any(1)), np.flatnonzero((pair >= INK).any(0))
    return pair[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def examples(photos, rng):
    """(pictures, sizes in line heights, labels: 1 for a pair) from the photos' pieces."""
    import numpy as np

    pictures, sizes, labels = [], [], []

    def add(rows, line_height, label):
        height, width = rows.shape
        if width < MIN_WIDTH * line_height:
            return
        pictures.append(splitter.shaped(rows.ravel().tolist(), width, (0, 0, width, height)))
        sizes.append([width / line_height, height / line_height])
        labels.append(label)

    for pieces, line_height in photos:
        for _, rows in pieces:
            add(np.array(rows, np.float32), line_height, 0)
        for left, right in pairwise(pieces):
            pair = touching(left, right, rng)
            if pair is not None:
                add(pair, line_height, 1)
    return np.array(pictures, np.float32)[..., None], np.array(sizes, np.float32), np.array(labels)


def build_network(keras):
    """The architecture site/py/splitter.py runs: two 3x3 convolutions with stride 2, the piece's size,
    a dense layer, one probability."""
    picture = keras.Input((splitter.HEIGHT, splitter.WIDTH, 1))
    size = keras.Input((2,))
    x = keras.layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(picture)
    x = keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(x)
    x = keras.layers.Concatenate()([keras.layers.Flatten()(x), size])
    x = keras.layers.Dense(32, activation="relu")(x)
    return keras.Model([picture, size], keras.layers.Dense(1, activation="sigmoid")(x))


def weights(network, keras):
    """The network's weights as splitter.json holds them: per output, its weights in the order
    splitter.py reads its inputs (a convolution's: row, column, channel)."""
    convolutions = [layer for layer in network.layers if isinstance(layer, keras.layers.Conv2D)]
    dense = [layer for layer in network.layers if isinstance(layer, keras.layers.Dense)]

    def layer(kernel, bias):
        # As float64 before rounding: a rounded float32 prints with 17 digits ("0.12264099717140198").
        kernel = kernel.reshape(-1, kernel.shape[-1]).astype("float64")
        return {
            "kernel": [column.round(6).tolist() for column in kernel.T],
            "bias": bias.astype("float64").round(6).tolist(),
        }

    names = ("conv1", "conv2", "dense", "out")
    return {name: layer(*part.get_weights()) for name, part in zip(names, convolutions + dense, strict=True)}


def largest_difference(keras_says, inputs, saved, count=PARITY_CHECKS):
    """The largest difference between Keras's probabilities (keras_says) and splitter.py's on the first
    `count` inputs (pictures, sizes), with the weights as saved."""
    pictures, sizes, keras_says = inputs[0][:count], inputs[1][:count], keras_says[:count]
    page_says = [
        splitter.probability(p[..., 0].tolist(), s.tolist(), saved) for p, s in zip(pictures, sizes, strict=True)
    ]
    return float(max(abs(a - b) for a, b in zip(keras_says, page_says, strict=True)))


def main(argv=None):
    parser = ArgumentParser(prog="python -m training.splitter", description=__doc__.split("\n\n")[1])
    parser.add_argument("--images", nargs="+", required=True, metavar="DIR", help="photo sets of numbers")
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"], help="random seed (default %(default)s)")
    parser.add_argument("--epochs", type=int, default=DEFAULTS["epochs"], help="(default %(default)s)")
    parser.add_argument("--out", default=DEFAULTS["out"], help="(default site/py/splitter.json)")
    args = parser.parse_args(argv)
    from export.evaluate import labelled_images

    items = []
    for folder in args.images:
        if not Path(folder).is_dir():
            parser.error(f"--images {folder}: no such folder")
        try:
            items += labelled_images(folder)
        except (OSError, ValueError) as error:
            parser.error(f"--images {folder}: {error}")
    if not any(" " not in label and len(label) > 1 for _, label in items):
        parser.error("--images: no photos of numbers (python -m training.photoset --numbers writes them)")
    import numpy as np

    with Pool(initializer=rules_alone) as pool:
        photos = [photo for photo in pool.map(single_digits, items, chunksize=4) if photo is not None]
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(photos))
    held = round(HELD_OUT * len(photos))
    train = examples([photos[i] for i in order[held:]], rng)
    check = examples([photos[i] for i in order[:held]], rng)
    import_tensorflow()
    import keras

    keras.utils.set_random_seed(args.seed)
    network = build_network(keras)
    network.compile(keras.optimizers.Adam(0.002), "binary_crossentropy")
    network.fit(list(train[:2]), train[2], epochs=args.epochs, batch_size=BATCH, verbose=2)
    keras_says = network.predict(list(check[:2]), verbose=0)[:, 0]
    said = keras_says >= preprocess.TWO_DIGITS
    pairs = check[2] == 1
    made = {
        "command": "python -m training.splitter " + " ".join(sys.argv[1:] if argv is None else argv),
        "photos": len(items),
        "photos_used": len(photos),
        "examples": {"singles": int((train[2] == 0).sum()), "pairs": int(train[2].sum())},
        "held_out": {  # read at the page's threshold, preprocess.TWO_DIGITS
            "singles": int((~pairs).sum()),
            "singles_called_pairs": int((said & ~pairs).sum()),
            "pairs": int(pairs.sum()),
            "pairs_found": int((said & pairs).sum()),
        },
    }
    saved = weights(network, keras)
    made["largest_difference_from_keras"] = largest_difference(keras_says, check[:2], saved)
    if made["largest_difference_from_keras"] > PARITY:
        sys.exit(f"{parser.prog}: error: splitter.py reads the weights unlike Keras: {made}")
    Path(args.out).write_text(json.dumps({"made": made, **saved}) + "\n")
    print(json.dumps(made, indent=1))


if __name__ == "__main__":
    main()
