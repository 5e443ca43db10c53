"""Other hands: styles of writing MNIST has few of, drawn onto MNIST's own training digits.

MNIST was written mostly by American hands: a 1 is a bare stick, a 7 has no bar and a 4 is joined at
the corner. People elsewhere write a 1 with a long flag (and sometimes a foot), a 7 with a bar across
its stem, and a 4 whose left stroke stops short of the crossbar. Each style is drawn with the digit's
own stroke width and ink, as an anti-aliased line, so the model cannot tell the new stroke by its look.
The label stays the same. Only MNIST and changes of it: no digit is rendered from a typeface, so a
held-out check of real other hands stays honest.

9s are left alone: MNIST's 9s already have straight tails (the curled tail is the rare form there)."""

import numpy as np

# Share of each digit given its other-hands style, in training (the rest keep MNIST's style).
FRACTIONS = {1: 0.2, 7: 0.15, 4: 0.15}
# Share of flagged 1s that also get a foot.
FOOT = 0.4

SIZE = 28
PIXELS = np.stack(np.mgrid[:SIZE, :SIZE], axis=-1).astype("float32")  # (row, col) of every pixel


def stroke_width(image):
    """Pen width in pixels, from the ink's area A and outline P taken as one pen stroke: a band of width w
    and length L with round ends (A = wL + pi w^2 / 4, P = 2L + pi w). The outline is counted from
    ink/background changes along rows, columns and both diagonals (Crofton's formula), so a slanted
    stroke measures as wide as an upright one."""
    ink = np.pad(image > 0.5, 1)
    changes = (ink[1:] != ink[:-1]).sum() + (ink[:, 1:] != ink[:, :-1]).sum()
    changes += ((ink[1:, 1:] != ink[:-1, :-1]).sum() + (ink[1:, :-1] != ink[:-1, 1:]).sum()) / np.sqrt(2)
    outline = np.pi / 8 * changes
    area = image.sum() / ink_level(image)  # faint edge pixels count for part of a pixel
    return (outline / 2 - np.sqrt(max(outline**2 / 4 - np.pi * area, 0.0))) / (np.pi / 2)


def ink_level(image):
    """How bright the pen is: most of a stroke's core is this bright."""
    return float(np.percentile(image[image > 0.1], 90))


def line(start, end, width, ink):
    """An anti-aliased stroke from start to end, (row, col) points: full ink within width/2 of the segment,
    fading over about a pixel, as MNIST's scanned strokes do."""
    start, end = np.asarray(start, "float32"), np.asarray(end, "float32")
    segment = end - start
    t = np.clip((PIXELS - start) @ segment / max(float(segment @ segment), 1e-6), 0, 1)
    distance = np.linalg.norm(PIXELS - (start + t[..., None] * segment), axis=-1)
    return ink * np.clip((width / 2 - distance) / 1.2 + 0.5, 0, 1)


def centre_of_mass(image):
    return (PIXELS * image[..., None]).sum((0, 1)) / image.sum()


def shift(image, rows, cols):
    """Moved by whole pixels, the background filling in (no wrapping round)."""
    out = np.zeros_like(image)
    out[max(rows, 0) : SIZE + min(rows, 0), max(cols, 0) : SIZE + min(cols, 0)] = image[
        max(-rows, 0) : SIZE + min(-rows, 0), max(-cols, 0) : SIZE + min(-cols, 0)
    ]
    return out


def recentre(changed, original):
    """Put the centre of mass back where the original's was: MNIST frames digits by their centre of mass."""
    rows, cols = np.round(centre_of_mass(original) - centre_of_mass(changed)).astype(int)
    return shift(changed, int(rows), int(cols))


def stem(image):
    """The ink's long axis: centre, unit vector pointing down, the ends' offsets along it, and how
    stick-like the ink is (variance along the axis over variance across)."""
    points = np.argwhere(image > 0.5).astype("float32")
    centre = points.mean(axis=0)
    variances, vectors = np.linalg.eigh(np.cov((points - centre).T))
    down = vectors[:, -1] * (1 if vectors[0, -1] >= 0 else -1)
    along = (points - centre) @ down
    return centre, down, along.min(), along.max(), variances[-1] / max(variances[0], 1e-6)


def flag_one(image, rng):
    """A 1 with a flag: a stroke from the top of the stem down to the left, a quarter to a half of the
    digit's height, 40 to 62 degrees off vertical (a 7's top is near horizontal and as wide as the
    digit); sometimes a foot, a short horizontal base."""
    if (image > 0.5).sum() < 10:
        return None
    centre, down, top, bottom, stick = stem(image)
    if stick < 12:  # already has a flag, a foot or a curve: leave it as it is
        return None
    width, ink = stroke_width(image), ink_level(image)
    height = bottom - top
    # Off vertical, and at least 20 degrees off the stem itself so the flag never lies along a slanted stem.
    slant = np.degrees(np.arctan2(-down[1], down[0]))  # > 0 when the stem's foot is left of its top
    if slant < -15:  # leaning back: a flag would make a caret, not a 1
        return None
    low = max(40.0, slant + 20.0)
    angle = np.radians(rng.uniform(low, max(62.0, low + 8.0)))
    length = rng.uniform(0.3, 0.5) * height
    start = centre + (top + width / 2) * down
    end = start + length * np.array([np.cos(angle), -np.sin(angle)])
    if not (1 <= end[1] and end[0] <= SIZE - 2):
        return None
    out = np.maximum(image, line(start, end, width, ink))
    if rng.random() < FOOT:
        base = centre + (bottom - width / 2) * down
        half = rng.uniform(0.15, 0.25) * height
        offset = rng.uniform(-0.3, 0.3) * half  # not always centred on the stem
        out = np.maximum(out, line(base + [0, offset - half], base + [0, offset + half], width, ink))
    return recentre(np.clip(out, 0, 1), image)


def bar_seven(image, rng):
    """A continental 7: a short bar across the stem at about mid-height."""
    rows = np.flatnonzero((image > 0.5).any(axis=1))
    if len(rows) < 10:
        return None
    width, ink = stroke_width(image), ink_level(image)
    height = rows[-1] - rows[0]
    row = rows[0] + rng.uniform(0.45, 0.6) * height
    crossing = np.flatnonzero(image[int(round(row))] > 0.5)
    if len(crossing) == 0 or np.ptp(crossing) > 2 * width + 2:  # not one stroke there: not a plain stem
        return None
    half = rng.uniform(0.15, 0.25) * height
    middle = crossing.mean() + rng.uniform(-0.3, 0.3) * half
    tilt = rng.uniform(-0.12, 0.12) * half  # hand-drawn bars are not quite level
    bar = line((row + tilt, middle - half), (row - tilt, middle + half), width, ink)
    return recentre(np.clip(np.maximum(image, bar), 0, 1), image)


def runs(row):
    """(first, last) columns of each run of ink in a row, left to right."""
    edges = np.diff(np.concatenate([[0], (row > 0.5).astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


def open_four(image, rng):
    """An open 4: the left stroke stops short of the crossbar, a gap of about a pen width."""
    ink = image > 0.5
    rows = np.flatnonzero(ink.any(axis=1))
    if len(rows) < 10:
        return None
    top, bottom = rows[0], rows[-1]
    height = bottom - top
    # The crossbar: the widest row in the lower middle of the digit.
    low, high = top + int(0.35 * height), top + int(0.85 * height)
    bar = low + int(np.argmax(ink[low : high + 1].sum(axis=1)))
    # The corner: going up from the bar, the first row where the left stroke and the stem are apart.
    corner = bar - 1
    while corner > top and len(runs(image[corner])) < 2:
        corner -= 1
    width = stroke_width(image)
    gap = max(2, int(round(rng.uniform(1.0, 1.6) * width)))
    apart = 0  # rows above the corner where the left stroke stands apart from the stem
    while corner - apart > top and len(runs(image[corner - apart])) >= 2:
        apart += 1
    if apart < gap + 0.25 * height:
        return None  # too little left stroke to keep a visible part once cut (a closed, short or unusual 4)
    out = image.copy()
    for r in range(corner - gap + 1, corner + 1):
        if len(runs(image[r])) >= 2:
            first, last = runs(image[r])[0]
            out[r, max(first - 1, 0) : last + 2] = 0  # the run and its faint edge pixels
    above = runs(image[corner - gap])
    if len(above) >= 2:  # the cut end tapers as a lifted pen's does
        out[corner - gap, : above[0][1] + 2] *= 0.6
    return out


STYLES = {1: flag_one, 7: bar_seven, 4: open_four}


def other_hands(images, labels, seed, fractions=FRACTIONS):
    """A copy of images (float 0..1, [N, 28, 28] or [N, 28, 28, 1]) with the given share of each digit
    restyled; the same seed gives the same digits and strokes. Returns (images, changed: bool [N])."""
    rng = np.random.default_rng(seed)
    out = np.array(images, dtype="float32", copy=True)
    flat = out.reshape(-1, SIZE, SIZE)
    changed = np.zeros(len(flat), dtype=bool)
    for i, label in enumerate(np.asarray(labels)):
        label = int(label)
        if label in STYLES and rng.random() < fractions.get(label, 0.0):
            restyled = STYLES[label](flat[i], rng)
            if restyled is not None:
                flat[i], changed[i] = restyled, True
    return out, changed


# A different seed from any training run's, so the check's strokes are not the ones trained on.
CHECK_SEED = 20_261


def check_set(images, labels, seed=CHECK_SEED):
    """The other-hands check: every 1, 7 and 4 of a held-out split that can be restyled, restyled (use
    the validation split: choices are made on it, never on the test set). Returns (images, labels)."""
    restyled, changed = other_hands(images, labels, seed, fractions=dict.fromkeys(STYLES, 1.0))
    return restyled[changed], np.asarray(labels)[changed]
