"""Two touching digits told from one wide digit, by a small network that preprocess.py asks about a
piece too narrow to be cut by its width alone.

The network was trained by `python -m training.splitter` on pieces of ink that the page found in photos
of numbers written with MNIST training digits: single digits, and pairs of them slid together until
their ink touched (its weights and how they were made: splitter.json). It sees the piece as the page
does, scaled to HEIGHT rows with its aspect kept, centred in WIDTH columns, and the piece's width and
height in line heights; it answers the probability that the piece is two digits.

Standard library only: Pyodide runs this module in the browser and CPython imports it to measure."""

import json
import math
from functools import cache
from operator import mul
from pathlib import Path

from resample import resampled

HEIGHT = 16
WIDTH = 32
WEIGHTS = Path(__file__).with_name("splitter.json")


@cache
def network():
    """The weights, read from WEIGHTS once: {"conv1", "conv2", "dense", "out"}, each {"kernel", "bias"}."""
    with open(WEIGHTS) as file:
        return json.load(file)


def shaped(ink, width, box):
    """The ink inside box (x0, y0, x1, y1) scaled to HEIGHT rows, aspect kept (at most WIDTH columns),
    centred across WIDTH columns: HEIGHT lists of WIDTH floats."""
    x0, y0, x1, y1 = box
    new_width = min(WIDTH, max(1, round((x1 - x0) * HEIGHT / (y1 - y0))))
    rows = [ink[y * width + x0 : y * width + x1] for y in range(y0, y1)]
    left = (WIDTH - new_width) // 2
    return [[0.0] * left + row + [0.0] * (WIDTH - new_width - left) for row in resampled(rows, new_width, HEIGHT)]


def _conv(planes, layer):
    """A 3x3 convolution with stride 2 ("same" padding: the far row and column padded), then ReLU.
    planes: rows of columns of channel lists."""
    kernel, bias = layer["kernel"], layer["bias"]
    rows, columns, channels = len(planes), len(planes[0]), len(planes[0][0])
    zero = [0.0] * channels
    out = []
    for row in range(0, rows, 2):
        line = []
        for column in range(0, columns, 2):
            patch = []
            for dy in range(3):
                y = row + dy
                for dx in range(3):
                    x = column + dx
                    patch.extend(planes[y][x] if y < rows and x < columns else zero)
            line.append([max(0.0, sum(map(mul, patch, weights)) + b) for weights, b in zip(kernel, bias, strict=True)])
        out.append(line)
    return out


def probability(picture, size, weights):
    """What the network with `weights` answers for a picture (shaped) of a piece `size` (width, height,
    in line heights) big: the probability that it is two digits."""
    planes = _conv(_conv([[[value] for value in row] for row in picture], weights["conv1"]), weights["conv2"])
    features = [value for line in planes for cell in line for value in cell] + list(size)
    dense, out = weights["dense"], weights["out"]
    hidden = [max(0.0, sum(map(mul, features, w)) + b) for w, b in zip(dense["kernel"], dense["bias"], strict=True)]
    logit = sum(map(mul, hidden, out["kernel"][0])) + out["bias"][0]
    return 1 / (1 + math.exp(-logit))


def two_digits(ink, width, box, line_height):
    """The probability that the piece in box (x0, y0, x1, y1) of the ink map is two touching digits."""
    size = ((box[2] - box[0]) / line_height, (box[3] - box[1]) / line_height)
    return probability(shaped(ink, width, box), size, network())
