// Evaluated in a blank page (bench/backends.py) once model.runner.js is loaded: starts the site's TF.js
// (and any `extra` backend script) on `backend` and loads the model. Per batch: warm-up calls (kernels
// compiled, shaders built, WebAssembly's optimising compiler done: at least `warmup` calls and
// `warmupMs`), then `rounds` rounds of calls; a call is the runner's predict, as the page's model worker
// makes it. A round's time over its calls is one sample.
async ({ extra, modelUrl, backend, batches, rounds, calls, warmup, warmupMs }) => {
  const canvas = document.createElement("canvas");
  const gl = canvas.getContext("webgl2") || canvas.getContext("webgl");
  const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
  const notes = { webgl_renderer: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl ? "unknown" : null };
  await modelRunner.loadTfjs(extra);
  if (!(await modelRunner.useBackend([backend]))) {
    return { error: `tf.setBackend("${backend}") failed` + (gl ? "" : ": no WebGL context in this browser"), notes };
  }
  if (backend === "wasm") {
    notes.wasm_simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    notes.wasm_threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    notes.wasm_thread_count = tf.wasm.getThreadsCount();
  }
  const model = await modelRunner.loadModel(modelUrl);
  const samples = {};
  for (const batch of batches) {
    const pixels = Float32Array.from({ length: batch * model.size }, Math.random);
    const call = () => modelRunner.predict(model, pixels, batch);
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
  model.graph.dispose();
  return { backend: modelRunner.runsOn().backend, samples, notes };
};
