// Starting TensorFlow.js and running a graph model, written once: the page's model worker
// (model.worker.js) imports it, and the export check (export/run_model.js) and the bench
// (bench/time_predict.js) add it to a page of their own, so what they check and time is what the page
// runs. A classic script, for importScripts and a page's <script> alike: it defines `modelRunner`.
/* exported modelRunner */

const modelRunner = (() => {
  // TF.js as the vendoring step left it, beside this script in the site: in a worker that imported it,
  // the worker's own script is beside it too.
  const here = typeof document === "undefined" ? self.location.href : document.currentScript.src;
  const TFJS_DIR = new URL("vendor/tfjs/", here).href;

  /** Adds a <script> to a page and waits for it to run. */
  function addScript(url) {
    return new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src: url, async: false });
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${url}`));
      document.head.append(script);
    });
  }

  /** Loads TF.js's scripts in the order its scripts.json (written by the vendoring step) lists them,
   * then any `extra` scripts (a backend the site does not ship), and tells the wasm backend where its
   * binaries are. */
  async function loadTfjs(extra = []) {
    const scripts = await (await fetch(new URL("scripts.json", TFJS_DIR))).json();
    const urls = [...scripts.map((name) => new URL(name, TFJS_DIR).href), ...extra];
    if (typeof importScripts === "function") importScripts(...urls);
    else for (const url of urls) await addScript(url);
    tf.wasm.setWasmPaths(TFJS_DIR);
  }

  /** Starts the first of `backends` that initialises here and returns its name, or null if none does. */
  async function useBackend(backends) {
    for (const backend of backends) {
      if (await tf.setBackend(backend).catch(() => false)) return backend;
    }
    return null;
  }

  /** {backend, threads}: where TF.js runs. The wasm backend has threads only in an isolated page
   * (crossOriginIsolated), and there takes half the device's cores, at most 4. */
  function runsOn() {
    const backend = tf.getBackend();
    return { backend, threads: backend === "wasm" ? tf.wasm.getThreadsCount() : 1 };
  }

  /** {graph, shape, size, features}: the graph model at url, the shape of one digit as its signature
   * gives it ([28, 28, 1]), the number of values in it, and `features` as given (models.json's: the
   * penultimate layer's node and size, which `read` returns). `options` go to tf.loadGraphModel
   * (onProgress). */
  async function loadModel(url, options = {}, features = null) {
    const graph = await tf.loadGraphModel(url, options);
    const shape = graph.inputs[0].shape.slice(1);
    return { graph, shape, size: shape.reduce((a, b) => a * b), features };
  }

  /** Ten probabilities for each of `count` digits in `pixels` (float32, 0..1, one digit's shape after
   * another), in one call: tensor in, predict inside tf.tidy, read back; no tensor outlives it. */
  function predict(model, pixels, count = 1) {
    const probabilities = tf.tidy(() => model.graph.predict(tf.tensor4d(pixels, [count, ...model.shape])));
    try {
      return Float32Array.from(probabilities.dataSync());
    } finally {
      probabilities.dispose();
    }
  }

  /** {probabilities, features} for each of `count` digits, from one run of the graph: ten
   * probabilities and the model's features.size values of its penultimate layer per digit. */
  function read(model, pixels, count = 1) {
    const outputs = tf.tidy(() =>
      model.graph.execute(tf.tensor4d(pixels, [count, ...model.shape]), [
        model.graph.outputNodes[0],
        model.features.node,
      ]),
    );
    try {
      const [probabilities, features] = outputs.map((output) => Float32Array.from(output.dataSync()));
      return { probabilities, features };
    } finally {
      outputs.forEach((output) => output.dispose());
    }
  }

  return { loadTfjs, useBackend, runsOn, loadModel, predict, read };
})();
