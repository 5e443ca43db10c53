"""Writers with a style of their own, drawn on MNIST digits: to measure how well the page learns a hand
from a few corrections. Each writer keeps one style for every digit they write: a slant, a pen width
(thin, MNIST's, or thick), digits squashed or stretched across, a small tilt, and their own 1, 7 and 4
(a flagged 1, a barred 7, an open 4: training/hands.py draws them). The styles are bounded to what
people write (a slant up to about 24 degrees, widths from 0.7 to 1.4 of the digit's own), not to what
the model reads badly. Only MNIST and changes of it: no digit is rendered from a typeface.

A writer's digits come out as 48x48 ink images (white on black, 0..1), the digit in the middle with
room for its slant, for the page's own preprocessing to frame the MNIST way."""

import numpy as np

from training import hands

SIZE = 48  # the canvas a writer's digit is drawn on: a 28x28 digit slanted and stretched still fits


def writer_style(rng):
    """One writer's style, drawn at random."""
    return {
        "slant": float(rng.choice([-1, 1]) * rng.uniform(0.2, 0.45)),  # shear: columns moved per row
        "width": float(rng.choice([rng.uniform(0.7, 0.85), rng.uniform(1.2, 1.4)])),  # squashed or stretched
        "tilt": float(rng.uniform(-12, 12)),  # degrees
        "pen": str(rng.choice(["thin", "mnist", "thick"])),
        "flagged_one": bool(rng.random() < 0.7),
        "barred_seven": bool(rng.random() < 0.6),
        "open_four": bool(rng.random() < 0.5),
    }


def write(digit, label, style, rng):
    """An MNIST digit (uint8 [28, 28]) as this writer writes it: float [48, 48] ink."""
    image = digit.astype("float32") / 255
    restyle = {
        1: ("flagged_one", hands.flag_one),
        7: ("barred_seven", hands.bar_seven),
        4: ("open_four", hands.open_four),
    }
    if label in restyle and style[restyle[label][0]]:
        restyled = restyle[label][1](image, rng)
        image = image if restyled is None else restyled
    angle = np.radians(style["tilt"])
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    # (row, column) in -> out: turned, slanted (a row's columns shift with its height), then widened.
    shape = np.array([[1, 0], [0, style["width"]]]) @ np.array([[1, 0], [style["slant"], 1]]) @ turn
    ink = _warp(image, shape)
    if style["pen"] == "thick":
        ink = _dilate(ink)
    elif style["pen"] == "thin":
        ink = np.clip((ink - 0.45) * 2.5, 0, 1)  # only the stroke's core: about half as wide
    return ink


def writers(images, labels, count, per_digit, seed):
    """`count` writers, each writing `per_digit` of every digit, every one an MNIST digit used once:
    [(style, ink [10 * per_digit, 48, 48], labels)], digits in order 0..9."""
    rng = np.random.default_rng(seed)
    pools = {digit: rng.permutation(np.flatnonzero(labels == digit)) for digit in range(10)}
    if any(len(pool) < count * per_digit for pool in pools.values()):
        raise ValueError(f"{count} writers of {per_digit} of each digit need more digits than the {len(labels)} given")
    out = []
    for index in range(count):
        style = writer_style(rng)
        picked = [(digit, pools[digit][index * per_digit + k]) for digit in range(10) for k in range(per_digit)]
        ink = np.stack([write(images[i], digit, style, rng) for digit, i in picked])
        out.append((style, ink, np.array([digit for digit, _ in picked])))
    return out


def _warp(image, shape):
    """image (28x28) mapped by the 2x2 matrix `shape` about its centre onto the SIZE canvas, bilinear."""
    rows, columns = np.mgrid[:SIZE, :SIZE].astype("float32") - (SIZE - 1) / 2
    source = np.stack([rows, columns], axis=-1) @ np.linalg.inv(shape).T + 13.5
    r, c = source[..., 0], source[..., 1]
    r0, c0 = np.floor(r).astype(int), np.floor(c).astype(int)
    fr, fc = r - r0, c - c0
    padded = np.pad(image, 1)

    def at(row, column):
        return padded[np.clip(row + 1, 0, 29), np.clip(column + 1, 0, 29)]

    top = at(r0, c0) * (1 - fc) + at(r0, c0 + 1) * fc
    bottom = at(r0 + 1, c0) * (1 - fc) + at(r0 + 1, c0 + 1) * fc
    return np.clip(top * (1 - fr) + bottom * fr, 0, 1)


def _dilate(ink):
    """A pen a pixel wider all round: each pixel the most ink of its 3x3 neighbourhood."""
    padded = np.pad(ink, 1)
    return np.max(
        [padded[1 + dy : 1 + dy + SIZE, 1 + dx : 1 + dx + SIZE] for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=0
    )
