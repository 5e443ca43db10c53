"""TF.js inference per model and per backend, on the site's vendored TF.js (webgl from node_modules):
one digit and a batch, timed in a blank page of the same origin."""

from playwright.sync_api import Error

from bench.pages import WEBGL_BACKEND, new_page

BACKEND_SCRIPTS = {
    "wasm": "vendor/tfjs/tf-backend-wasm.es2017.min.js",
    "webgl": WEBGL_BACKEND.name,
    "cpu": "vendor/tfjs/tf-backend-cpu.es2017.min.js",
}
TFJS_SCRIPTS = ["vendor/tfjs/tf-core.es2017.min.js", "vendor/tfjs/tf-converter.es2017.min.js"]

# Per batch: warm-up calls (kernels compiled, shaders built, WebAssembly's optimising compiler done:
# at least `warmup` calls and `warmupMs`), then `rounds` rounds of calls; a call is tensor in, predict,
# dataSync, as model.worker.js does. A round's time over its calls is one sample.
TIME_PREDICT = """
async ({ modelUrl, backend, shape, batches, rounds, calls, warmup, warmupMs }) => {
  const canvas = document.createElement("canvas");
  const gl = canvas.getContext("webgl2") || canvas.getContext("webgl");
  const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
  const notes = { webgl_renderer: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl ? "unknown" : null };
  if (tf.wasm) tf.wasm.setWasmPaths(new URL("vendor/tfjs/", document.baseURI).href);
  if (!(await tf.setBackend(backend))) {
    return { error: `tf.setBackend("${backend}") failed` + (gl ? "" : ": no WebGL context in this browser"), notes };
  }
  if (backend === "wasm") {
    notes.wasm_simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    notes.wasm_threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    notes.wasm_thread_count = tf.wasm.getThreadsCount();
  }
  const model = await tf.loadGraphModel(modelUrl);
  const samples = {};
  for (const batch of batches) {
    const pixels = Float32Array.from({ length: batch * shape[0] * shape[1] * shape[2] }, Math.random);
    const call = () => {
      const probabilities = tf.tidy(() => model.predict(tf.tensor4d(pixels, [batch, ...shape])));
      probabilities.dataSync();
      probabilities.dispose();
    };
    const warm = performance.now() + warmupMs;
    for (let i = 0; i < warmup || performance.now() < warm; i++) call();
    const count = Math.max(1, Math.round(calls / batch));
    samples[batch] = [];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      for (let i = 0; i < count; i++) call();
      samples[batch].push((performance.now() - started) / count);
    }
  }
  model.dispose();
  return { backend: tf.getBackend(), samples, notes };
}
"""


def time_backend(browser, root_url, model, backend, batches, rounds, calls, warmup=3, warmup_ms=1000, cores=None):
    """{"samples": {batch: [ms per call]}, "notes": {...}} or {"error": why, ...} for one model and backend;
    with `cores`, in a page told the device has that many (TF.js's threaded wasm takes half of them)."""
    if backend == "webgl" and not WEBGL_BACKEND.is_file():
        return {"error": f"{WEBGL_BACKEND} is missing (npm ci installs it)"}
    page = new_page(browser, cores)
    try:
        page.goto(root_url + "blank.html")
        for script in [*TFJS_SCRIPTS, BACKEND_SCRIPTS[backend]]:
            page.add_script_tag(url=root_url + script)
        model_url = f"{root_url}models/{model['path']}"
        options = {"modelUrl": model_url, "backend": backend, "shape": model["input"]["shape"], "batches": batches}
        timing = {"rounds": rounds, "calls": calls, "warmup": warmup, "warmupMs": warmup_ms}
        result = page.evaluate(TIME_PREDICT, dict(options, **timing))
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
