"""Run an exported TF.js graph model in Chromium, on the site's own vendored TF.js and WASM backend.

No server: Playwright answers every request of the page from local files, so the check sees exactly
the bytes the site ships."""

import json
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from devtools.browser import launch_chromium

ORIGIN = "http://127.0.0.1:9"  # never contacted: every request is answered by the route below
CONTENT_TYPES = {".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}

# Loads the model, reads the inputs and returns the probabilities, batch by batch.
RUN_MODEL = Path(__file__).with_name("run_model.js")


def tfjs_scripts(vendor_dir):
    """TF.js's scripts in site/vendor/tfjs, in the order they load, as the vendoring step
    (sitebuild/vendor.mjs) listed them in scripts.json."""
    return json.loads((Path(vendor_dir) / "tfjs" / "scripts.json").read_text())


def run_tfjs(model_dir, vendor_dir, inputs, backend="wasm", batch=250):
    """Probabilities [N, 10] from the TF.js model in model_dir for N model inputs in 0..1 (each of any
    shape that holds the model's input, [28, 28] or 784 floats for [28, 28, 1])."""
    model_dir, vendor_dir = Path(model_dir), Path(vendor_dir)
    digits = np.ascontiguousarray(inputs, dtype="<f4").tobytes()

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            return route.fulfill(content_type="text/html", body="<!doctype html><title>check</title>")
        if path == "/digits.bin":
            return route.fulfill(content_type="application/octet-stream", body=digits)
        for prefix, folder in (("/model/", model_dir), ("/vendor/", vendor_dir)):
            if path.startswith(prefix) and (folder / path.removeprefix(prefix)).is_file():
                file = folder / path.removeprefix(prefix)
                return route.fulfill(path=file, content_type=CONTENT_TYPES.get(file.suffix, "application/octet-stream"))
        return route.fulfill(status=404, body=f"not found: {path}")

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.route("**/*", answer)
            page.goto(ORIGIN + "/")
            for script in tfjs_scripts(vendor_dir):
                page.add_script_tag(url=f"/vendor/tfjs/{script}")
            result = page.evaluate(RUN_MODEL.read_text(), {"backend": backend, "count": len(inputs), "batch": batch})
        finally:
            browser.close()
    if result["backend"] != backend:
        raise RuntimeError(f"TF.js ran on {result['backend']}, not {backend}")
    return np.array(result["probabilities"], dtype=np.float32).reshape(len(inputs), 10)
