"""What the benchmark loads besides the app, and what it injects into every page.

The floor (a bare PyScript page booting the site's vendored Pyodide in a worker, as the app does) and
a blank page for TF.js are written into a temporary folder that links to the site's vendor/ and
models/, so nothing is added to site/ and both are served with the same headers as the app."""

import json
import shutil
from pathlib import Path

from export.browser import report_cores

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "site"
# Not shipped by the site (vendor.mjs leaves it out); the benchmark serves it to time the webgl backend.
WEBGL_BACKEND = REPO / "node_modules/@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.es2017.min.js"
VIEWPORT = {"width": 1280, "height": 900}
# Pyodide and TF.js start in seconds; a busy machine is slower, a broken page never gets there.
READY_TIMEOUT_MS = 120_000

# The floor runs Python the way the app does, in a PyScript worker: on the main thread @pyscript/core
# 0.7 calls Function() while it starts, which the production CSP (no 'unsafe-eval') forbids.
FLOOR_HTML = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>floor: bare PyScript</title>
    <link rel="icon" href="data:," />
    <script type="module" src="floor.js"></script>
  </head>
  <body>
    <p data-testid="status" data-state="loading">Loading Python…</p>
  </body>
</html>
"""
# Ready once the worker's interpreter has run floor.py, marked the way the app marks ready.
FLOOR_JS = """import { PyWorker } from "./vendor/pyscript/core.js";

const here = (path) => new URL(path, document.baseURI).href;
await PyWorker(here("floor.py"), { config: here("floor.json"), version: here("vendor/pyodide/pyodide.mjs") });
document.querySelector("[data-testid=status]").dataset.state = "ready";
"""
FLOOR_CONFIG = {"interpreter": "./vendor/pyodide/pyodide.mjs"}
FLOOR_PY = "__export__ = []\n"
BLANK_HTML = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>TF.js</title></head></html>\n'

# Injected before any page script. Records, on the page's own clock (ms since navigation start):
# long tasks; when the status (data-testid=status) first reaches data-state ready or error (then it
# calls window.benchSettled where a page exposes it); each data-seq bump of the prediction (a result
# shown); each upload's change event; and each pointer event, when it was made and when handled.
INIT_SCRIPT = """
(() => {
  const bench = (window.__bench = { longtasks: [], settled: null, results: [], changes: [], pointer: [] });
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) bench.longtasks.push({ start: task.startTime, duration: task.duration });
  }).observe({ type: "longtask", buffered: true });
  new MutationObserver((records) => {
    const now = performance.now();
    for (const { target, attributeName } of records) {
      const state = target.dataset.testid === "status" && target.dataset.state;
      if (attributeName === "data-state" && !bench.settled && (state === "ready" || state === "error")) {
        bench.settled = { state, at: now, text: target.textContent.trim() };
        if (window.benchSettled) window.benchSettled();
      }
      if (attributeName === "data-seq" && target.dataset.testid === "prediction") bench.results.push(now);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state", "data-seq"] });
  addEventListener("change", () => bench.changes.push(performance.now()), { capture: true });
  for (const type of ["pointerdown", "pointermove", "pointerup"]) {
    addEventListener(type, (event) => bench.pointer.push({ type, made: event.timeStamp, at: performance.now() }), {
      capture: true,
    });
  }
})();
"""


def write_bench_root(folder, site=SITE):
    """The floor (index.html), the blank TF.js page and links to site/vendor and site/models in folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(FLOOR_HTML)
    (folder / "floor.js").write_text(FLOOR_JS)
    (folder / "floor.json").write_text(json.dumps(FLOOR_CONFIG))
    (folder / "floor.py").write_text(FLOOR_PY)
    (folder / "blank.html").write_text(BLANK_HTML)
    (folder / "vendor").symlink_to(Path(site).resolve() / "vendor", target_is_directory=True)
    (folder / "models").symlink_to(Path(site).resolve() / "models", target_is_directory=True)
    if WEBGL_BACKEND.is_file():
        shutil.copy(WEBGL_BACKEND, folder / WEBGL_BACKEND.name)
    return folder


def new_page(browser, cores=None):
    """A page in a new browser context: its own empty HTTP cache, no service worker, INIT_SCRIPT; with
    `cores`, navigator.hardwareConcurrency says the device has that many."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_SCRIPT)
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
