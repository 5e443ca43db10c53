"""PyScript worker entry point: exports the preprocessing to the page's Python bridge (python.js).

Only wiring lives here; the logic is in preprocess.py and style.py, which CPython's tests import unchanged."""

import preprocess
import style


def prepare(rgba, width, height, original=None):
    """RGBA pixels from a canvas -> {"digits": [784 floats per digit], "boxes": [[x, y, w, h] per digit],
    "numbers": [digits in each number], "recuts": other cuts of digits cut apart, for the model to choose
    among (chosen_cuts): [{"at": the row's first digit's place, "digits": [input per option], "boxes": [box
    per option], "options": [[digit of the row, cut on its left, cut on its right] per option]}], "closer":
    where to look again when the file (its original [width, height]) has more pixels for small digits:
    {"region": [x, y, w, h], "size": [w, h]}, or None}, in reading order; or {"error": message}."""
    try:
        reading = preprocess.read_image(rgba.to_bytes(), width, height, original and original.to_py())
    except preprocess.NoDigitError as error:
        return {"error": str(error)}
    closer = reading.closer and {"region": list(reading.closer[0]), "size": list(reading.closer[1])}
    boxes = [list(box) for box in reading.boxes]
    recuts = [cut._asdict() for cut in reading.recuts]
    return {"digits": reading.digits, "boxes": boxes, "numbers": reading.numbers, "recuts": recuts, "closer": closer}


def chosen_cuts(options, probabilities):
    """Each recut's options (prepare's) and the model's probabilities for its digits -> per recut, the
    options to keep, one per digit of its row."""
    return preprocess.chosen_cuts(options.to_py(), probabilities.to_py())


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


__export__ = ["prepare", "chosen_cuts", "style_candidates", "learned_style", "correct"]
