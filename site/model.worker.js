// The one owner of TensorFlow.js, in a worker of its own (behind model.bridge.js): loads the runtime
// and the models the page asks for, warms them up, keeps them for instant switching, and runs them
// (with model.runner.js, so no tensor outlives a prediction) and times them. Off the page's main
// thread, compiling the runtime, decoding weights and reading a page of writing's hundred digits never
// hold up a stroke or a tap.
//
// Messages in: {id, op: "load", entry} (an entry of models.json) and {id, op: "predict", model (an id),
// digits: [pixels per digit]}. Messages out: {id, progress} while a model downloads, then {id, result}
// or {id, error}: load's result is {backend, threads, medianMs}, predict's {probabilities: [ten per
// digit], medianMs}.

importScripts("model.runner.js"); // modelRunner: starts TF.js, loads and runs a graph model

const MODELS_DIR = new URL("models/", self.location);
// Fastest first; cpu always works.
const BACKENDS = ["wasm", "cpu"];
// A model's card shows the median of its last predictions' times, per digit.
const TIMINGS_KEPT = 20;

let backendReady = null;
// Loaded models by id: {graph, shape, size, timings}.
const models = new Map();

/** Loads TF.js and picks the first backend that initialises, once; after a failure the next load
 * tries again. */
function startBackend() {
  backendReady ??= (async () => {
    await modelRunner.loadTfjs();
    if (!(await modelRunner.useBackend(BACKENDS))) throw new Error("no TensorFlow.js backend could start");
  })();
  backendReady.catch(() => (backendReady = null));
  return backendReady;
}

/** Ten probabilities for each digit's pixels: all of a reading's digits in one prediction, timed per
 * digit. A batch costs less a digit than one by one; measured here for 16 digits, after warm-up: the cnn
 * 2.1 against 2.2 ms, ResNet50 6.5 against 9.3 ms. */
function run(model, digits) {
  const pixels = new Float32Array(digits.length * model.size);
  digits.forEach((digit, i) => pixels.set(digit, i * model.size));
  const started = performance.now();
  const probabilities = modelRunner.predict(model, pixels, digits.length);
  model.timings.add((performance.now() - started) / digits.length);
  return digits.map((_, i) => probabilities.slice(i * 10, (i + 1) * 10));
}

async function load({ entry }, progress) {
  await startBackend();
  progress(0); // the bar shows before the first byte: one-shard models report only when done
  const loaded = await modelRunner.loadModel(new URL(entry.path, MODELS_DIR).href, { onProgress: progress });
  const model = { ...loaded, timings: recentTimings() };
  const blank = [new Float32Array(model.size)];
  try {
    run(model, blank); // compiles the kernels before the first real use
    model.timings = recentTimings(); // that first run's compile time says nothing about later predictions
    run(model, blank); // a warm timing, so the card has a number before the first digit
  } catch (error) {
    model.graph.dispose();
    throw error;
  }
  models.set(entry.id, model);
  return { ...modelRunner.runsOn(), medianMs: model.timings.median() };
}

function predict({ model: id, digits }) {
  const model = models.get(id);
  if (!model) throw new Error(`model ${id} is not loaded`);
  return { probabilities: run(model, digits), medianMs: model.timings.median() };
}

const OPS = { load, predict };

self.onmessage = async ({ data: { id, op, ...request } }) => {
  try {
    const result = await OPS[op](request, (progress) => self.postMessage({ id, progress }));
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: error.message });
  }
};

/** The last TIMINGS_KEPT times added (ms), and their median. */
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
