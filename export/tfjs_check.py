"""Run an exported TF.js graph model in Chromium as the page runs it (the site's own vendored TF.js and
WASM backend, driven by the site's model.runner.js), and check that it computes what Keras computes.

No server: Playwright answers every request of the page from local files, so the check sees exactly
the bytes the site ships."""

from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from devtools.browser import launch_chromium

# Largest |Keras - TF.js| probability difference accepted for float32 weights.
PARITY_TOLERANCE = 1e-4

ORIGIN = "http://127.0.0.1:9"  # never contacted: every request is answered by the route below
CONTENT_TYPES = {".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}

# The runner's script in the site, and what the check's page evaluates with it: start TF.js, load the
# model, read the inputs batch by batch.
RUNNER = "model.runner.js"
RUN_MODEL = Path(__file__).with_name("run_model.js")


def run_tfjs(model_dir, site_dir, inputs, backend="wasm", batch=250, features=None):
    """Probabilities [N, 10] from the TF.js model in model_dir for N model inputs in 0..1 (each of any
    shape that holds the model's input, [28, 28] or 784 floats for [28, 28, 1]), on the TF.js and the
    model.runner.js of the site in site_dir. With features (models.json's {node, size}): (probabilities,
    the penultimate layer's values [N, size])."""
    model_dir, site_dir = Path(model_dir), Path(site_dir)
    digits = np.ascontiguousarray(inputs, dtype="<f4").tobytes()

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            return route.fulfill(content_type="text/html", body="<!doctype html><title>check</title>")
        if path == "/digits.bin":
            return route.fulfill(content_type="application/octet-stream", body=digits)
        in_model = path.startswith("/model/")
        file = model_dir / path.removeprefix("/model/") if in_model else site_dir / path.removeprefix("/")
        if file.is_file():
            return route.fulfill(path=file, content_type=CONTENT_TYPES.get(file.suffix, "application/octet-stream"))
        return route.fulfill(status=404, body=f"not found: {path}")

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.route("**/*", answer)
            page.goto(ORIGIN + "/")
            page.add_script_tag(url=f"/{RUNNER}")
            options = {"backend": backend, "count": len(inputs), "batch": batch, "features": features}
            result = page.evaluate(RUN_MODEL.read_text(), options)
        finally:
            browser.close()
    if result["backend"] != backend:
        raise RuntimeError(f"TF.js ran on {result['backend']}, not {backend}")
    probabilities = np.array(result["probabilities"], dtype=np.float32).reshape(len(inputs), 10)
    if features is None:
        return probabilities
    return probabilities, np.array(result["features"], dtype=np.float32).reshape(len(inputs), features["size"])


class ParityError(SystemExit):
    """The TF.js model does not compute what the Keras model computes."""


def check_parity(model_id, keras_probabilities, tfjs_probabilities, tolerance=PARITY_TOLERANCE):
    """Largest |Keras - TF.js| probability difference; raises ParityError beyond the tolerance."""
    difference = float(np.abs(keras_probabilities - tfjs_probabilities).max())
    if difference > tolerance:
        raise ParityError(
            f"export: {model_id} fails parity: TF.js differs from Keras by {difference:.2e} "
            f"(tolerance {tolerance:.0e}); the exported model is wrong"
        )
    return difference
