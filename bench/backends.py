"""TF.js inference per model and per backend, on the site's vendored TF.js and model runner (webgl from
node_modules): one digit and a batch, timed in a blank page of the same origin."""

from pathlib import Path

from playwright.sync_api import Error

from bench.pages import WEBGL_BACKEND, new_page

BACKENDS = ("wasm", "webgl", "cpu")

# Times model.predict, one digit and a batch, after a warm-up.
TIME_PREDICT = Path(__file__).with_name("time_predict.js")


def time_backend(browser, root_url, model, backend, batches, rounds, calls, warmup=3, warmup_ms=1000, cores=None):
    """{"samples": {batch: [ms per call]}, "notes": {...}} or {"error": why, ...} for one model and backend;
    with `cores`, in a page told the device has that many (TF.js's threaded wasm takes half of them)."""
    if backend == "webgl" and not WEBGL_BACKEND.is_file():
        return {"error": f"{WEBGL_BACKEND} is missing (npm ci installs it)"}
    page = new_page(browser, cores)
    try:
        page.goto(root_url + "blank.html")
        page.add_script_tag(url=root_url + "model.runner.js")
        # The site's TF.js, and webgl beside it.
        webgl = [root_url + WEBGL_BACKEND.name] if backend == "webgl" else []
        options = {"extra": webgl, "modelUrl": f"{root_url}models/{model['path']}", "backend": backend}
        timing = {"batches": batches, "rounds": rounds, "calls": calls, "warmup": warmup, "warmupMs": warmup_ms}
        result = page.evaluate(TIME_PREDICT.read_text(), options | timing)
    except Error as error:
        # A backend that breaks on this device (a GPU driver, say) is reported, not fatal.
        return {"error": str(error).splitlines()[0]}
    finally:
        page.context.close()
    if "error" not in result and result["backend"] != backend:
        return {"error": f"TF.js ran on {result['backend']}, not {backend}", "notes": result["notes"]}
    return result


def backend_timings(browser, root_url, manifest, backends, batches, rounds, calls):
    """{model id: {backend: result}} for every model in models.json."""
    return {
        model["id"]: {
            backend: time_backend(browser, root_url, model, backend, batches, rounds, calls) for backend in backends
        }
        for model in manifest["models"]
    }
