// The one owner of TensorFlow.js, in a worker of its own (behind model.bridge.js): loads the runtime
// and the models the page asks for, warms them up, keeps them for instant switching, and runs them
// (with model.runner.js, so no tensor outlives a prediction) and times them. Off the page's main
// thread, compiling the runtime, decoding weights and reading a page of writing's hundred digits never
// hold up a stroke or a tap.
//
// What the user taught (digits they corrected) counts in every reading, two ways. The hand's style: the
// page sends each digit corrected for it as well (site/py/style.py, chosen with `score`), and the two
// readings are blended (CORRECTED_SHARE). The taught digits themselves: a digit close to one, in the
// model's own features (its penultimate layer), leans towards its label. With nothing taught, or far
// from everything taught and with no style learned, a digit reads exactly as the model alone reads it.
//
// Messages in: {id, op: "load", entry} (an entry of models.json), {id, op: "teach", version, digits:
// [pixels per digit], labels} (everything taught so far), {id, op: "score", model (an id), candidates:
// [[pixels per digit] per candidate], labels} and {id, op: "predict", model, digits: [pixels per digit],
// corrected (the same digits with the hand's style undone, or null)}. Messages out: {id, progress} while
// a model downloads, then {id, result} or {id, error}: load's result is {backend, threads, medianMs},
// teach's null, score's [per candidate, the sum of the log probabilities of the labels], predict's
// {probabilities: [ten per digit], taught: [per digit, the digit the model alone read where what was
// taught changed it, else null], medianMs}.

importScripts("model.runner.js"); // modelRunner: starts TF.js, loads and runs a graph model

const MODELS_DIR = new URL("models/", self.location);
// Fastest first; cpu always works.
const BACKENDS = ["wasm", "cpu"];
// A model's card shows the median of its last predictions' times, per digit.
const TIMINGS_KEPT = 20;
// The taught digit nearest a digit read counts when their features' cosine similarity is above NEAR:
// its label gets a share of the probabilities, from 0 at NEAR up to TRUST at 1 (the same digit, which
// then reads as taught however sure the model was). Chosen with a NumPy copy of this rule on 60 writers
// drawn like training/writers.py's from training digits, one digit of each taught: NEAR 0.5 or TRUST 1
// lost up to 0.3 and 0.14 points of 5,000 held-out MNIST digits, and from NEAR 0.7 on the rule changed
// none of the writers' other digits. It acts on digits very like a taught one; the hand's style (above)
// is what carries over to the writer's other digits.
const NEAR = 0.6;
const TRUST = 0.8;
// A digit corrected for the hand's style is read beside it, and its reading counts for CORRECTED_SHARE.
// Chosen on the validation split's 100 writers (python -m export.teaching --digits validation): half
// and half read 98.20% of their other digits (97.00% before teaching), but one writer's style cost the
// 5,000 validation digits 0.10 points; a quarter reads 97.70% and costs them at most 0.04. With a Keras
// copy of the reading, a third read 98.00% and cost 0.08, and reading the corrected digit only when the
// model is unsure, or keeping the surer of the two, came out as half and half.
const CORRECTED_SHARE = 0.25;

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

/** work()'s result; its time per digit (of `count`) goes into the model's timings. */
function timed(model, count, work) {
  const started = performance.now();
  const result = work();
  model.timings.add((performance.now() - started) / count);
  return result;
}

/** Ten probabilities for each digit's pixels: all of a reading's digits in one prediction. A batch costs
 * less a digit than one by one; measured here for 16 digits, after warm-up: the cnn 2.1 against 2.2 ms,
 * ResNet50 6.5 against 9.3 ms. */
function run(model, digits) {
  const probabilities = modelRunner.predict(model, batch(model, digits), digits.length);
  return digits.map((_, i) => probabilities.slice(i * 10, (i + 1) * 10));
}

/** The digits' pixels one after another, as the model reads a batch. */
function batch(model, digits) {
  const pixels = new Float32Array(digits.length * model.size);
  digits.forEach((digit, i) => pixels.set(digit, i * model.size));
  return pixels;
}

/** run's probabilities, with each digit's features (of unit length): {probabilities, features}. */
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

/** Probabilities shared with the label of the nearest taught digit as NEAR and TRUST say; unchanged
 * when none is near. */
function leanTowardsTaught(probabilities, features, known) {
  let nearest = -1;
  let best = NEAR;
  known.forEach((other, j) => {
    let similarity = 0;
    for (let k = 0; k < features.length; k++) similarity += features[k] * other[k];
    if (similarity > best) [nearest, best] = [j, similarity];
  });
  if (nearest < 0) return probabilities;
  const share = (TRUST * (best - NEAR)) / (1 - NEAR);
  const label = taught.labels[nearest];
  return probabilities.map((p, digit) => (1 - share) * p + (digit === label ? share : 0));
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
    timed(model, 1, () => run(model, blank)); // a warm timing, so the card has a number before the first digit
  } catch (error) {
    model.graph.dispose();
    throw error;
  }
  models.set(entry.id, model);
  return { ...modelRunner.runsOn(), medianMs: model.timings.median() };
}

function loadedModel(id) {
  const model = models.get(id);
  if (!model) throw new Error(`model ${id} is not loaded`);
  return model;
}

function predict({ model: id, digits, corrected = null }) {
  const model = loadedModel(id);
  const reading = timed(model, digits.length, () => readWithWhatWasTaught(model, digits, corrected));
  return { ...reading, medianMs: model.timings.median() };
}

/** {probabilities, taught} (predict's): the model alone reads each digit; with `corrected`, it reads
 * those too and the two are blended (CORRECTED_SHARE); near a taught digit, the reading leans towards its
 * label. */
function readWithWhatWasTaught(model, digits, corrected) {
  const nearTaught = taught.labels.length > 0 && Boolean(model.features);
  // The corrected copies go in the digits' batch: one prediction and one read-back for both.
  const all = corrected ? digits.concat(corrected) : digits;
  const read = nearTaught ? readFeatures(model, all) : { probabilities: run(model, all) };
  const alone = read.probabilities.slice(0, digits.length);
  let probabilities = alone;
  if (corrected) {
    const again = read.probabilities.slice(digits.length);
    const share = (value, other) => (1 - CORRECTED_SHARE) * value + CORRECTED_SHARE * other;
    probabilities = alone.map((p, i) => p.map((value, digit) => share(value, again[i][digit])));
  }
  if (nearTaught) {
    const known = taughtFeatures(model);
    probabilities = probabilities.map((p, i) => leanTowardsTaught(p, read.features[i], known));
  }
  const changed = probabilities.map((p, i) => (argmax(p) === argmax(alone[i]) ? null : argmax(alone[i])));
  return { probabilities, taught: changed };
}

// Candidates are read this many digits at a time: a big model's activations for hundreds of digits at once
// would take hundreds of MB.
const SCORE_BATCH = 100;

/** How surely the model alone reads each candidate's digits as their labels: the sum of the log
 * probabilities, per candidate. */
function score({ model: id, candidates, labels }) {
  const model = loadedModel(id);
  const all = candidates.flat();
  const readings = [];
  for (let start = 0; start < all.length; start += SCORE_BATCH) {
    readings.push(...run(model, all.slice(start, start + SCORE_BATCH)));
  }
  return candidates.map((_, c) =>
    labels.reduce((sum, label, i) => sum + Math.log(readings[c * labels.length + i][label] + 1e-9), 0),
  );
}

function teach({ version, digits, labels }) {
  taught = { version, digits, labels };
  return null;
}

const OPS = { load, teach, score, predict };

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
