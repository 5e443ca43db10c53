"""PyScript entry point: hands the preprocessing to the page's Python bridge (python.js).

Only wiring lives here; the logic is in preprocess.py, which CPython's tests import unchanged."""

import js
from pyodide.ffi import create_proxy, to_js

import preprocess


def as_js(value):
    """Python dicts and lists as plain JS objects and arrays (no proxies left to free)."""
    return to_js(value, dict_converter=js.Object.fromEntries)


def prepare(rgba, width, height):
    """RGBA pixels from a canvas -> {"digits": [784 floats per digit, left to right]} or {"error": message}."""
    try:
        digits = preprocess.to_mnist_digits(rgba.to_bytes(), width, height)
    except preprocess.NoDigitError as error:
        return as_js({"error": str(error)})
    return as_js({"digits": digits})


# The bridge listens for this event; the proxy lives as long as the page.
js.document.dispatchEvent(
    js.CustomEvent.new("digitlens:python-ready", as_js({"detail": {"prepare": create_proxy(prepare)}}))
)
