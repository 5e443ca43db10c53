"""PyScript worker entry point: exports the preprocessing to the page's Python bridge (python.js).

Only wiring lives here; the logic is in preprocess.py, which CPython's tests import unchanged."""

import preprocess


def prepare(rgba, width, height):
    """RGBA pixels from a canvas -> {"digits": [784 floats per digit], "boxes": [[x, y, w, h] per digit],
    "numbers": [digits in each number]}, in reading order; or {"error": message}."""
    try:
        reading = preprocess.read_image(rgba.to_bytes(), width, height)
    except preprocess.NoDigitError as error:
        return {"error": str(error)}
    return {"digits": reading.digits, "boxes": [list(box) for box in reading.boxes], "numbers": reading.numbers}


__export__ = ["prepare"]
