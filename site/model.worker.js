// The one owner of TensorFlow.js, in a worker of its own (behind model.bridge.js): loads the runtime
// and the models the page asks for, warms them up, keeps them for instant switching, and runs them
// (with model.runner.js, so no tensor outlives a prediction) and times them. Off the page's main
// thread, compiling the runtime, decoding weights and reading a page of writing's hundred digits never
// hold up a stroke or a tap.
//
// What the user taught (digits they corrected) counts in every reading: a digit close to a taught one,
// in the model's own features (its penultimate layer), leans towards the taught label; a digit far from
// all of them reads exactly as the model alone reads it.
//
// Messages in: {id, op: "load", entry} (an entry of models.json), {id, op: "teach", version, digits:
// [pixels per digit], labels} (everything taught so far) and {id, op: "predict", model (an id), digits:
// [pixels per digit]}. Messages out: {id, progress} while a model downloads, then {id, result} or {id,
// error}: load's result is {backend, threads, medianMs}, teach's null, predict's {probabilities: [ten
// per digit], taught: [per digit, the digit the model alone read where what was taught changed it, else
// null], medianMs}.

importScripts("model.runner.js"); // modelRunner: starts TF.js, loads and runs a graph model

const MODELS_DIR = new URL("models/", self.location);
// Fastest first; cpu always works.
const BACKENDS = ["wasm", "cpu"];
// A model's card shows the median of its last predictions' times, per digit.
const TIMINGS_KEPT = 20;
// The taught digit nearest a digit read counts when their features' cosine similarity is above NEAR:
// its label gets a share of the probabilities, from 0 at NEAR up to TRUST at 1 (the same digit, which
// then reads as taught however sure the model was). Chosen on 60 writers drawn from MNIST's training
// digits, each with a style (slant, pen width, squashed or stretched, a flag on the 1, a bar on the 7,
// an open 4), one digit of each taught and two of each read: NEAR 0.6 and TRUST 0.8 read 97.83% of
// them (97.58% before teaching), and 5,000 held-out MNIST digits within 0.02 points of the model alone;
// TRUST 1 lost up to 0.14 points of those, NEAR 0.5 up to 0.3, and from NEAR 0.7 teaching gained none.
const NEAR = 0.6;
const TRUST = 0.8;

let backendReady = null;
// Loaded models by id: {graph, shape, size, features, timings, taughtFeatures}.
const models = new Map();
// Everything taught, as the page last sent it: {version, digits, labels}.
let taught = { version: 0, digits: [], labels: [] };

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
  const started = performance.now();
  const probabilities = modelRunner.predict(model, batch(model, digits), digits.length);
  model.timings.add((performance.now() - started) / digits.length);
  return digits.map((_, i) => probabilities.slice(i * 10, (i + 1) * 10));
}

/** The digits' pixels one after another, as the model reads a batch. */
function batch(model, digits) {
  const pixels = new Float32Array(digits.length * model.size);
  digits.forEach((digit, i) => pixels.set(digit, i * model.size));
  return pixels;
}

/** run's probabilities, with each digit's features (of unit length): {probabilities, features}. */
function runWithFeatures(model, digits) {
  const started = performance.now();
  const read = readFeatures(model, digits);
  model.timings.add((performance.now() - started) / digits.length);
  return read;
}

function readFeatures(model, digits) {
  const { probabilities, features } = modelRunner.read(model, batch(model, digits), digits.length);
  const size = model.features.size;
  return {
    probabilities: digits.map((_, i) => probabilities.slice(i * 10, (i + 1) * 10)),
    features: digits.map((_, i) => unit(features.subarray(i * size, (i + 1) * size))),
  };
}

function unit(vector) {
  const length = Math.hypot(...vector) || 1;
  return vector.map((value) => value / length);
}

/** The taught digits' features under this model. Each digit's are computed once (the page sends every
 * taught digit with each change, and a correction adds one), kept by the digit's pixels. */
function taughtFeatures(model) {
  if (model.taughtFeatures?.version === taught.version) return model.taughtFeatures.features;
  const known = model.taughtFeatures?.byPixels ?? new Map();
  const keys = taught.digits.map((digit) => digit.join());
  const missing = taught.digits.filter((_, i) => !known.has(keys[i]));
  if (missing.length) {
    const { features } = readFeatures(model, missing);
    missing.forEach((digit, i) => known.set(digit.join(), features[i]));
  }
  const byPixels = new Map(keys.map((key) => [key, known.get(key)])); // forgotten digits go
  model.taughtFeatures = { version: taught.version, byPixels, features: keys.map((key) => byPixels.get(key)) };
  return model.taughtFeatures.features;
}

/** {probabilities: shared with the label of the nearest taught digit as NEAR and TRUST say, changed:
 * the digit the model alone read if that changed it, else null}; unchanged when none is near. */
function blend(probabilities, features, known) {
  let nearest = -1;
  let best = NEAR;
  known.forEach((other, j) => {
    let similarity = 0;
    for (let k = 0; k < features.length; k++) similarity += features[k] * other[k];
    if (similarity > best) [nearest, best] = [j, similarity];
  });
  if (nearest < 0) return { probabilities, changed: null };
  const share = (TRUST * (best - NEAR)) / (1 - NEAR);
  const label = taught.labels[nearest];
  const blended = probabilities.map((p, digit) => (1 - share) * p + (digit === label ? share : 0));
  const alone = argmax(probabilities);
  return { probabilities: blended, changed: argmax(blended) === alone ? null : alone };
}

function argmax(values) {
  return values.indexOf(Math.max(...values));
}

async function load({ entry }, progress) {
  await startBackend();
  progress(0); // the bar shows before the first byte: one-shard models report only when done
  const url = new URL(entry.path, MODELS_DIR).href;
  const loaded = await modelRunner.loadModel(url, { onProgress: progress }, entry.features);
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
  if (!taught.labels.length || !model.features) {
    return { probabilities: run(model, digits), taught: digits.map(() => null), medianMs: model.timings.median() };
  }
  const known = taughtFeatures(model);
  const read = runWithFeatures(model, digits);
  const blended = read.probabilities.map((probabilities, i) => blend(probabilities, read.features[i], known));
  return {
    probabilities: blended.map((each) => each.probabilities),
    taught: blended.map((each) => each.changed),
    medianMs: model.timings.median(),
  };
}

function teach({ version, digits, labels }) {
  taught = { version, digits, labels };
  return null;
}

const OPS = { load, teach, predict };

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
