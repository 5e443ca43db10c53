"""PyScript worker entry point: exports the preprocessing to the page's Python bridge (python.js).

Only wiring lives here; the logic is in preprocess.py and style.py, which CPython's tests import unchanged."""

import preprocess
import style


def prepare(rgba, width, height, original=None):
    """RGBA pixels from a canvas -> {"digits": [784 floats per digit], "boxes": [[x, y, w, h] per digit],
    "numbers": [digits in each number], "closer": where to look again when the file (its original
    [width, height]) has more pixels for small digits: {"region": [x, y, w, h], "size": [w, h]}, or
    None}, in reading order; or {"error": message}."""
    try:
        reading = preprocess.read_image(rgba.to_bytes(), width, height)
    except preprocess.NoDigitError as error:
        return {"error": str(error)}
    look = original and preprocess.closer_look(reading.boxes, width, height, original.to_py())
    closer = {"region": list(look[0]), "size": list(look[1])} if look else None
    boxes = [list(box) for box in reading.boxes]
    return {"digits": reading.digits, "boxes": boxes, "numbers": reading.numbers, "closer": closer}


def style_candidates(digits):
    """Taught digits (model inputs) -> [[each digit corrected] per correction style.py tries]: what the
    model worker scores to learn the hand's style."""
    return style.candidates([list(digit) for digit in digits.to_py()])


def learned_style(scores):
    """The model worker's score of each correction -> the hand's style [slant, width], or None."""
    return style.learned(scores.to_py())


def correct(digits, slant, width):
    """Digits (model inputs) with the hand's style undone, to be read beside them."""
    return [style.corrected(list(digit), slant, width) for digit in digits.to_py()]


__export__ = ["prepare", "style_candidates", "learned_style", "correct"]
