"""What the benchmark loads besides the app, and what it injects into every page.

The floor (a bare PyScript page booting the site's vendored Pyodide in a worker, as the app does) and
a blank page for TF.js are written into a temporary folder that links to the site's vendor/ and
models/, so nothing is added to site/ and both are served with the same headers as the app."""

import shutil
from pathlib import Path

from devtools.browser import report_cores

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SITE = REPO / "site"
# Not shipped by the site (vendor.mjs leaves it out); the benchmark serves it to time the webgl backend.
WEBGL_BACKEND = REPO / "node_modules/@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.es2017.min.js"
VIEWPORT = {"width": 1280, "height": 900}
# Pyodide and TF.js start in seconds; a busy machine is slower, a broken page never gets there.
READY_TIMEOUT_MS = 120_000

# The floor (a bare PyScript page) and the blank TF.js page, as files.
FLOOR = HERE / "floor"
# Injected before any page script: what the page did and when, in window.__bench.
RECORD_SCRIPT = HERE / "record.js"


def write_bench_root(folder, site=SITE):
    """The floor (index.html), the blank TF.js page and links to site/vendor, site/models and the site's
    model runner in folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for page_file in FLOOR.iterdir():
        shutil.copy(page_file, folder / page_file.name)
    (folder / "vendor").symlink_to(Path(site).resolve() / "vendor", target_is_directory=True)
    (folder / "models").symlink_to(Path(site).resolve() / "models", target_is_directory=True)
    (folder / "model.runner.js").symlink_to(Path(site).resolve() / "model.runner.js")
    if WEBGL_BACKEND.is_file():
        shutil.copy(WEBGL_BACKEND, folder / WEBGL_BACKEND.name)
    return folder


def new_page(browser, cores=None):
    """A page in a new browser context: its own empty HTTP cache, no service worker, RECORD_SCRIPT; with
    `cores`, navigator.hardwareConcurrency says the device has that many."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(path=RECORD_SCRIPT)
    if cores:
        report_cores(context, cores)
    return context.new_page()


def wait_settled(page, timeout_ms=READY_TIMEOUT_MS):
    """Waits for data-state ready (or error, which raises); returns the page's __bench record."""
    # A locator, not wait_for_function: that compiles its predicate in the page, which the CSP forbids.
    page.locator("[data-testid=status]:not([data-state=loading])").wait_for(timeout=timeout_ms)
    record = page.evaluate("window.__bench")
    if record["settled"]["state"] != "ready":
        raise RuntimeError(f"{page.url} did not become ready: {record['settled']['text']}")
    return record
