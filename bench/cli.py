"""python -m bench [--loads 5] [--probes 3] [--repeats 10] [--rounds 5] [--out bench/results.json] ...

Measures the page in headless Chromium (start-up against a bare-PyScript floor, long tasks, drawing while
Python loads, first-visit bytes, page latency, TF.js per model and backend) and the replaced Streamlit app's Keras
model.predict in CPython; writes the results JSON and the README's benchmark section from it."""

import datetime
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import summary
from bench.backends import BACKENDS, backend_timings, time_backend
from bench.images import NOTEBOOK_PHOTOS, notebook_photo, phone_photo, scanned_digit
from bench.latency import app_latency
from bench.lighthouse import LIGHTHOUSE, audit
from bench.machine import describe
from bench.pages import SITE, write_bench_root
from bench.report import README_END, README_START, update_readme
from bench.startup import draw_while_loading, first_visit_bytes, startup_runs
from bench.streamlit_baseline import run_streamlit_baseline
from devtools.browser import chromium_path, launch_chromium
from devtools.serve import serve_in_thread
from training.cli import ArgumentParser, load_mnist_or_exit

REPO = Path(__file__).resolve().parent.parent
DEFAULTS = {
    "loads": 5,  # cold loads (each followed by a warm reload) of the app and of the floor
    "probes": 3,  # cold loads of the app with strokes on the pad until ready
    "repeats": 10,  # uploads, drawings and photos through the page, after one warm-up each
    "rounds": 5,  # TF.js timing rounds per model, backend and batch size
    "calls": 20,  # digits per TF.js round: 20 calls of 1 digit, 1 call of a batch of 20 or more
    "batch": 64,  # the batch size timed besides one digit
    "baseline_calls": 30,  # Keras model.predict calls, after 3 warm-up calls
    "lighthouse": 3,  # Lighthouse runs (mobile performance) of the app
    "backends": "wasm,webgl,cpu",
    "out": str(REPO / "bench" / "results.json"),
    "readme": str(REPO / "README.md"),
}


def parse_args(argv):
    parser = ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[2])
    for key, default in DEFAULTS.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=type(default), default=default)
    parser.add_argument("--no-readme", action="store_true", help="write the JSON only (scratch runs)")
    args = parser.parse_args(argv)
    if not (SITE / "vendor").is_dir():
        parser.error("site/vendor is missing: run `make site` first")
    if not LIGHTHOUSE.is_file():
        parser.error(f"{LIGHTHOUSE.relative_to(REPO)} is missing: run `npm ci` (make bench does)")
    if not set(args.backends.split(",")) <= set(BACKENDS):
        parser.error(f"--backends: choose from {','.join(BACKENDS)}")
    counts = [
        args.loads,
        args.probes,
        args.repeats,
        args.rounds,
        args.calls,
        args.batch,
        args.baseline_calls,
        args.lighthouse,
    ]
    if min(counts) < 1:
        parser.error("every count must be at least 1")
    # The notebook photos are written from MNIST's test digits: a missing copy is said now, in one line.
    load_mnist_or_exit(parser, None)
    return args


def step(message):
    print(f"bench: {message}", flush=True)


def measure(args, scratch):
    """Every measurement, summarised; the goals judged on them."""
    manifest = json.loads((SITE / "models" / "models.json").read_text())
    # TensorFlow first and in its own process: its threads are gone before the browser runs.
    step(f"Keras model.predict of `{manifest['default']}`, {args.baseline_calls} calls")
    baseline = run_streamlit_baseline(manifest["default"], args.baseline_calls, warmup=3)
    digit_png = scanned_digit(scratch / "digit.png")
    photo_jpeg = phone_photo(scratch / "photo.jpg")
    notebooks = {name: notebook_photo(scratch / f"{name}.jpg", **shape) for name, shape in NOTEBOOK_PHOTOS.items()}
    root = write_bench_root(scratch / "root")
    app_server, app_url = serve_in_thread(root=SITE, port=0, quiet=True)
    root_server, root_url = serve_in_thread(root=root, port=0, quiet=True)
    # The same pages from a host that sends no headers: not cross-origin isolated, so TF.js has no threads.
    plain_server, plain_url = serve_in_thread(root=root, port=0, quiet=True, headers=False)
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            step(f"start-up: {args.loads} cold loads and reloads of the app and of the floor")
            startup = startup_runs(browser, {"app": app_url, "floor": root_url}, args.loads)
            step(f"drawing while Python loads: {args.probes} cold loads")
            drawing = [draw_while_loading(browser, app_url) for _ in range(args.probes)]
            step("first-visit bytes")
            visit = {
                "app": first_visit_bytes(playwright, app_url, SITE),
                "floor": first_visit_bytes(playwright, root_url, root),
            }
            step(f"page latency: {args.repeats} uploads, drawings, 12 MP photos and notebook photos")
            uploads = {"upload": digit_png, "photo": photo_jpeg} | {name: path for name, (path, _) in notebooks.items()}
            latency = app_latency(browser, app_url, uploads, args.repeats)
            step(f"TF.js: backends {args.backends}, batches 1 and {args.batch}")
            backends = args.backends.split(",")
            tfjs = backend_timings(browser, root_url, manifest, backends, [1, args.batch], args.rounds, args.calls)
            step(f"TF.js threads: `{manifest['default']}` on wasm, not isolated and on a 4-core device")
            default = next(model for model in manifest["models"] if model["id"] == manifest["default"])
            timed = {"rounds": args.rounds, "calls": args.calls}
            threads = {
                "not isolated": time_backend(browser, plain_url, default, "wasm", [1], **timed),
                "4 cores": time_backend(browser, root_url, default, "wasm", [1], **timed, cores=4),
            }
            machine = describe(browser.version)
            browser.close()
            step(f"Lighthouse: {args.lighthouse} mobile performance runs of the app")
            chromium = chromium_path() or playwright.chromium.executable_path
            lighthouse = [audit(app_url, chromium) for _ in range(args.lighthouse)]
    finally:
        app_server.shutdown()
        root_server.shutdown()
        plain_server.shutdown()
    results = {
        "machine": dict(machine, tensorflow=baseline["tensorflow"], keras=baseline["keras"]),
        "startup": {page: summary.startup_summary(runs) for page, runs in startup.items()},
        "draw_while_loading": summary.drawing_summary(drawing),
        "first_visit": visit,
        "app": summary.latency_summary(latency),
        "photo_bytes": photo_jpeg.stat().st_size,
        "notebooks": {
            name: dict(
                NOTEBOOK_PHOTOS[name],
                bytes=path.stat().st_size,
                reading=summary.reading([run["digit"] for run in latency[name]], label),
            )
            for name, (path, label) in notebooks.items()
        },
        "tfjs": summary.tfjs_summary(tfjs),
        "lighthouse": summary.lighthouse_summary(lighthouse),
        "threads": summary.tfjs_summary({manifest["default"]: threads})[manifest["default"]],
        "streamlit_baseline": {
            "model": manifest["default"],
            "predict_ms": summary.stat(baseline["samples"]),
            "weights": baseline["weights"],
            "device": baseline["device"],
        },
    }
    results["goals"] = summary.judge(results)
    return results


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="digitlens-bench-") as scratch:
        results = measure(args, Path(scratch))
    options = {key: getattr(args, key) for key in DEFAULTS if key not in ("out", "readme")}
    head = {
        "command": shlex.join(["python", "-m", "bench", *(sys.argv[1:] if argv is None else argv)]),
        "date": datetime.date.today().isoformat(),
        "seconds": round(time.monotonic() - started, 1),
        "options": options,
    }
    results = head | results
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    step(f"wrote {args.out}")
    for row in results["goals"]:
        step(f"{'met    ' if row['met'] else 'not met'}  {row['goal']}: {row['measured']}")
    if not args.no_readme:
        if not update_readme(args.readme, results):
            sys.exit(f"bench: {args.readme} has no {README_START} ... {README_END} markers")
        step(f"updated {args.readme}")
