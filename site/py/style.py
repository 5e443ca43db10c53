"""A hand's slant and width, learned from the digits its writer corrected, and undone before reading.

A writer slants every digit the same way and writes them about as wide: the page tries each correction
in CANDIDATES (a shear, then a squeeze or a stretch across) on the taught digits, the model worker
scores how surely the model then reads each as its label, and the best correction is the writer's
style. Every later digit is read twice, as written and corrected, and the model worker blends the two
readings (model.worker.js, CORRECTED_SHARE).

Standard library only: Pyodide runs this module in the browser and CPython imports it to measure
(export/teaching.py). Digits travel as model inputs: 784 floats, 28x28, white ink on black."""

from preprocess import GRID, frame

# Corrections: columns moved per row (a slant of up to about 27 degrees either way), then the width
# scaled. 45 of them on ten digits take Python and the model about 2 s on 2 cores (app.js, STYLE_DIGITS).
SLANTS = (-0.5, -0.375, -0.25, -0.125, 0.0, 0.125, 0.25, 0.375, 0.5)
WIDTHS = (0.75, 0.87, 1.0, 1.15, 1.33)
CANDIDATES = [(slant, width) for slant in SLANTS for width in WIDTHS]
# The corrected digit is drawn on a larger canvas first, so a stretched or slanted digit keeps its ends.
CANVAS = 48


def corrected(digit, slant, width):
    """A model input with a writer's style undone: sheared by `slant` (columns moved per row, about the
    digit's centre), scaled across by `width`, and framed again the MNIST way."""
    centre, middle = (GRID - 1) / 2, (CANVAS - 1) / 2
    ink = [0.0] * (CANVAS * CANVAS)
    for row in range(CANVAS):
        y = row - middle
        # Each canvas pixel samples the digit where the correction came from (the inverse map).
        source_row = y + centre
        if not -1 < source_row < GRID:
            continue
        for column in range(CANVAS):
            source_column = (column - middle) / width - slant * y + centre
            if -1 < source_column < GRID:
                ink[row * CANVAS + column] = _sample(digit, source_row, source_column)
    return frame(ink, CANVAS, CANVAS) or digit


def candidates(digits):
    """Every correction in CANDIDATES applied to every digit: [[corrected digit per digit] per candidate]."""
    return [[corrected(digit, slant, width) for digit in digits] for slant, width in CANDIDATES]


def learned(scores):
    """The style the model worker's scores (one per candidate, higher is surer) point to: [slant, width],
    or None when the digits as written read best."""
    slant, width = CANDIDATES[max(range(len(CANDIDATES)), key=scores.__getitem__)]
    return None if (slant, width) == (0.0, 1.0) else [slant, width]


def _sample(digit, row, column):
    """The digit's ink at a point between pixels, bilinear, 0 outside it."""
    top, left = int(row // 1), int(column // 1)
    down, right = row - top, column - left
    total = 0.0
    for y, weight_y in ((top, 1 - down), (top + 1, down)):
        if 0 <= y < GRID:
            for x, weight_x in ((left, 1 - right), (left + 1, right)):
                if 0 <= x < GRID:
                    total += digit[y * GRID + x] * weight_y * weight_x
    return total
