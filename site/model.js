// The one owner of TensorFlow.js: loads the runtime and the models listed in models/models.json,
// warms them up, and runs them inside tf.tidy so no tensor outlives a prediction.

const TFJS_DIR = new URL("vendor/tfjs/", document.baseURI);
const MODELS_DIR = new URL("models/", document.baseURI);
// Fastest first; cpu always works.
const BACKENDS = ["wasm", "cpu"];
const TFJS_SCRIPTS = [
  "tf-core.es2017.min.js",
  "tf-converter.es2017.min.js",
  "tf-backend-cpu.es2017.min.js",
  "tf-backend-wasm.es2017.min.js",
];

let tfReady = null;

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement("script"), { src: url, async: false });
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  });
}

/** Loads the TF.js bundles once and picks the first backend that initialises. Returns `tf`. */
function loadTf() {
  tfReady ??= (async () => {
    await Promise.all(TFJS_SCRIPTS.map((name) => loadScript(new URL(name, TFJS_DIR).href)));
    const tf = globalThis.tf;
    tf.wasm.setWasmPaths(TFJS_DIR.href);
    for (const backend of BACKENDS) {
      if (await tf.setBackend(backend).catch(() => false)) return tf;
    }
    throw new Error("no TensorFlow.js backend could start");
  })();
  return tfReady;
}

/** models.json: {default, models: [{id, name, path, params, bytes, accuracy, input, ...}]} */
export async function loadManifest() {
  const response = await fetch(new URL("models.json", MODELS_DIR));
  if (!response.ok) throw new Error(`models/models.json: HTTP ${response.status}`);
  return response.json();
}

/** A loaded, warmed-up model: predict(pixels) returns ten probabilities. */
export async function loadModel(entry) {
  const tf = await loadTf();
  const graph = await tf.loadGraphModel(new URL(entry.path, MODELS_DIR).href);
  const [height, width, channels] = entry.input.shape;

  function predict(pixels) {
    const probabilities = tf.tidy(() => graph.predict(tf.tensor4d(pixels, [1, height, width, channels])));
    const values = probabilities.dataSync();
    probabilities.dispose();
    return Float32Array.from(values);
  }

  predict(new Float32Array(height * width * channels)); // compiles the kernels before the first real use
  return { entry, backend: tf.getBackend(), predict, dispose: () => graph.dispose() };
}
