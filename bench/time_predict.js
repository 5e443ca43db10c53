// Evaluated in a blank page (bench/backends.py) once TF.js and a backend are loaded. Per batch: warm-up
// calls (kernels compiled, shaders built, WebAssembly's optimising compiler done: at least `warmup` calls
// and `warmupMs`), then `rounds` rounds of calls; a call is tensor in, predict, dataSync, as
// model.worker.js does. A round's time over its calls is one sample.
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
};
