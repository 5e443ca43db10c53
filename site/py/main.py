"""PyScript worker entry point: exports the preprocessing to the page's Python bridge (python.js).

Only wiring lives here; the logic is in preprocess.py, which CPython's tests import unchanged."""

import preprocess


def prepare(rgba, width, height):
    """RGBA pixels from a canvas -> {"digits": [784 floats per digit, left to right]} or {"error": message}."""
    try:
        digits = preprocess.to_mnist_digits(rgba.to_bytes(), width, height)
    except preprocess.NoDigitError as error:
        return {"error": str(error)}
    return {"digits": digits}


__export__ = ["prepare"]
