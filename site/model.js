// The bridge to the model worker (model.worker.js), which owns TensorFlow.js: loads the models listed
// in models/models.json there, keeps them for instant switching, averages the ensemble, and fetches a
// loaded model's files again for the service worker.

const MODELS_DIR = new URL("models/", document.baseURI);

// The picker's value for the ensemble of models.json.
export const ENSEMBLE_ID = "ensemble";

// Loaded models by id, as promises: switching back is instant and two choices share one download.
// None is disposed: all of models.json together are a few MB, and any may be chosen again.
const models = new Map();

let worker = null;
// How many workers have stopped: a model loaded in an earlier one is loaded again before it reads.
let stopped = 0;
let lastRequest = 0;
// Requests the worker has not answered, by id: {resolve, reject, onProgress}.
const pending = new Map();

/** The worker, started on first use; a worker that fails (its scripts do not load, an error it did not
 * catch) fails every request it holds, and the next request starts a new one. */
function modelWorker() {
  if (worker) return worker;
  worker = new Worker(new URL("model.worker.js", document.baseURI));
  worker.onmessage = ({ data: { id, progress, result, error } }) => {
    const request = pending.get(id);
    if (progress !== undefined) return request.onProgress?.(progress);
    pending.delete(id);
    if (error !== undefined) request.reject(new Error(error));
    else request.resolve(result);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    worker = null;
    stopped += 1;
    const failed = new Error(`the model worker stopped: ${event.message || "it could not start"}`);
    for (const request of pending.values()) request.reject(failed);
    pending.clear();
  };
  return worker;
}

/** Sends the worker one request ({op, ...}); resolves to its result. */
function ask(request, onProgress) {
  return new Promise((resolve, reject) => {
    const id = ++lastRequest;
    pending.set(id, { resolve, reject, onProgress });
    modelWorker().postMessage({ id, ...request });
  });
}

/** models.json: {default, models: [{id, name, path, params, bytes, weights, accuracy, input, ...}]} */
export async function loadManifest() {
  const response = await fetch(new URL("models.json", MODELS_DIR));
  if (!response.ok) throw new Error(`models/models.json: HTTP ${response.status}`);
  return response.json();
}

/**
 * The model of a models.json entry, loaded and warmed up once: {entry, backend, threads, predict(digits)
 * -> a promise of ten probabilities per digit's pixels, medianMs() -> its median inference time in this
 * browser}. onProgress(fraction) follows a download; a model already loaded (or loading) comes back at
 * once, without one.
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
  async function predict(digits) {
    const readings = [];
    for (const member of members) readings.push(await member.predict(digits));
    return digits.map((_, i) => {
      const sum = new Float32Array(10);
      for (const reading of readings) reading[i].forEach((p, digit) => (sum[digit] += p));
      return sum.map((total) => total / members.length);
    });
  }

  // Each member reads each digit: the ensemble takes their times together.
  const medianMs = () => members.reduce((total, member) => total + member.medianMs(), 0);
  const { backend, threads } = members[0];
  return { entry, backend, threads, predict, medianMs };
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
  const loaded = await ask({ op: "load", entry }, onProgress);
  let medianMs = loaded.medianMs;
  let loadedIn = stopped;

  async function predict(digits) {
    if (loadedIn !== stopped) {
      await ask({ op: "load", entry }); // from the HTTP cache, or the service worker's
      loadedIn = stopped;
    }
    const read = await ask({ op: "predict", model: entry.id, digits });
    medianMs = read.medianMs;
    return read.probabilities;
  }

  return { entry, backend: loaded.backend, threads: loaded.threads, predict, medianMs: () => medianMs };
}
