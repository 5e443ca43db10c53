// The one owner of TensorFlow.js: loads the runtime and the models listed in models/models.json,
// warms them up, keeps them for instant switching, and runs them inside tf.tidy so no tensor outlives
// a prediction.

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

// A model's card shows the median of its last predictions' times.
const TIMINGS_KEPT = 20;

// The picker's value for the ensemble of models.json.
export const ENSEMBLE_ID = "ensemble";

let tfReady = null;
// Loaded models by id, as promises: switching back is instant and two choices share one download.
// None is disposed: all of models.json together are a few MB, and any may be chosen again.
const models = new Map();

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

/** models.json: {default, models: [{id, name, path, params, bytes, weights, accuracy, input, ...}]} */
export async function loadManifest() {
  const response = await fetch(new URL("models.json", MODELS_DIR));
  if (!response.ok) throw new Error(`models/models.json: HTTP ${response.status}`);
  return response.json();
}

/**
 * The model of a models.json entry, loaded and warmed up once: {entry, backend, predict(pixels) -> ten
 * probabilities, medianMs() -> its median inference time in this browser}. onProgress(fraction) follows
 * a download; a model already loaded (or loading) comes back at once, without one.
 */
export function loadModel(entry, onProgress) {
  return loadOnce(entry.id, () => load(entry, onProgress));
}

/** The model loading under this id, else the one start() begins; a failed load (offline, say) is
 * forgotten so it can be tried again. */
function loadOnce(id, start) {
  if (!models.has(id)) {
    const loading = start();
    models.set(id, loading);
    loading.catch(() => models.delete(id));
  }
  return models.get(id);
}

/** Every model loaded so far, in the order they were first chosen. */
export function loadedModels() {
  return Promise.all(models.values());
}

/**
 * The ensemble of models.json ({members, params, bytes, accuracy, ...}) as one model: its members
 * (loaded like any model, one after another, onProgress covering them all) read each digit and their
 * probabilities are averaged.
 */
export function loadEnsemble(ensemble, entries, onProgress) {
  const entry = ensembleEntry(ensemble, entries);
  return loadOnce(entry.id, async () => {
    const members = [];
    for (const [index, id] of ensemble.members.entries()) {
      const share = (fraction) => onProgress((index + fraction) / ensemble.members.length);
      members.push(await loadModel(byId(entries, id), share));
    }
    return averaged(entry, members);
  });
}

/** What the picker and the card show for the ensemble, shaped like a models.json entry. */
export function ensembleEntry(ensemble, entries) {
  const members = ensemble.members.map((id) => byId(entries, id));
  return {
    id: ENSEMBLE_ID,
    name: `Ensemble: ${members.map((member) => member.name).join(" + ")}`,
    params: ensemble.params,
    bytes: ensemble.bytes,
    weights: [...new Set(members.map((member) => member.weights))].join(", "),
    accuracy: ensemble.accuracy,
  };
}

function byId(entries, id) {
  return entries.find((entry) => entry.id === id);
}

function averaged(entry, members) {
  const timings = recentTimings();

  function predict(pixels) {
    const started = performance.now();
    const sum = new Float32Array(10);
    for (const member of members) member.predict(pixels).forEach((p, digit) => (sum[digit] += p));
    timings.add(performance.now() - started);
    return sum.map((total) => total / members.length);
  }

  predict(new Float32Array(members[0].entry.input.shape.reduce((a, b) => a * b))); // a timing for the card
  return { entry, backend: members[0].backend, predict, medianMs: () => timings.median() };
}

/**
 * Fetches again the files of every model loaded so far, through the service worker that has just taken
 * control, so a model chosen before it did is kept for offline use too (the HTTP cache answers).
 */
export async function keepLoadedModelsOffline() {
  const loads = await Promise.allSettled(models.values());
  // Models of models.json that loaded (the ensemble has no files of its own).
  const entries = loads
    .filter((load) => load.status === "fulfilled" && load.value.entry.path)
    .map((load) => load.value.entry);
  await Promise.all(
    entries.map(async (entry) => {
      const url = new URL(entry.path, MODELS_DIR);
      const { weightsManifest } = await (await fetch(url)).json();
      const shards = weightsManifest.flatMap((group) => group.paths).map((path) => new URL(path, url));
      await Promise.all(shards.map((shard) => fetch(shard)));
    }),
  );
}

async function load(entry, onProgress) {
  const tf = await loadTf();
  onProgress(0); // the bar shows before the first byte: one-shard models report only when done
  const graph = await tf.loadGraphModel(new URL(entry.path, MODELS_DIR).href, { onProgress });
  const [height, width, channels] = entry.input.shape;
  let timings = recentTimings();

  function predict(pixels) {
    const started = performance.now();
    const probabilities = tf.tidy(() => graph.predict(tf.tensor4d(pixels, [1, height, width, channels])));
    const values = probabilities.dataSync();
    probabilities.dispose();
    timings.add(performance.now() - started);
    return Float32Array.from(values);
  }

  const blank = new Float32Array(height * width * channels);
  try {
    predict(blank); // compiles the kernels before the first real use
    timings = recentTimings(); // that first run's compile time says nothing about later predictions
    predict(blank); // a warm timing, so the card has a number before the first digit
  } catch (error) {
    graph.dispose();
    throw error;
  }
  return { entry, backend: tf.getBackend(), predict, medianMs: () => timings.median() };
}

/** The last TIMINGS_KEPT times added (ms), and their median: what a model's card shows. */
function recentTimings() {
  const kept = [];
  return {
    add(ms) {
      kept.push(ms);
      if (kept.length > TIMINGS_KEPT) kept.shift();
    },
    median() {
      const sorted = [...kept].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)];
    },
  };
}
