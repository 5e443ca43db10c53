// The bridge to the model worker (model.worker.js), which owns TensorFlow.js: the one module that
// talks to it. A worker that stops is started again, and a model loaded in it is loaded again before
// it next reads.

let worker = null;
// How many workers have stopped: a model loaded in an earlier one is loaded again before it reads.
let stopped = 0;
let lastRequest = 0;
// Requests the worker has not answered, by id: {resolve, reject, onProgress}.
const pending = new Map();
// What the user taught ({version, digits, labels}), and the version the running worker holds.
let taught = { version: 0, digits: [], labels: [] };
let taughtSent = 0;

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
    taughtSent = 0;
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

/** What the user taught: digits (pixels each) and their labels, all of them; every later reading
 * counts them. */
export function teachWorker(digits, labels) {
  taught = { version: taught.version + 1, digits, labels };
}

/**
 * The model of a models.json entry, loaded and warmed up in the worker: {entry, backend, threads,
 * predict(digits, corrected) -> a promise of {probabilities: ten per digit's pixels, taught: per digit,
 * the digit the model alone read where what was taught changed it, else null} (corrected: the digits
 * with the hand's style undone, read too, or null), score(candidates, labels) -> a promise of how surely
 * it reads each candidate's digits as the labels, medianMs() -> its median inference time in this
 * browser}.
 * onProgress(fraction) follows the download.
 */
export async function loadInWorker(entry, onProgress) {
  const loaded = await ask({ op: "load", entry }, onProgress);
  let medianMs = loaded.medianMs;
  let loadedIn = stopped;

  /** The worker, with this model loaded and what was taught sent. */
  async function ready() {
    if (loadedIn !== stopped) {
      await ask({ op: "load", entry }); // from the HTTP cache, or the service worker's
      loadedIn = stopped;
    }
    if (taughtSent !== taught.version) {
      const sending = taught.version;
      await ask({ op: "teach", ...taught });
      taughtSent = sending;
    }
  }

  async function predict(digits, corrected = null) {
    await ready();
    const read = await ask({ op: "predict", model: entry.id, digits, corrected });
    medianMs = read.medianMs;
    return { probabilities: read.probabilities, taught: read.taught };
  }

  async function score(candidates, labels) {
    await ready();
    return ask({ op: "score", model: entry.id, candidates, labels });
  }

  return { entry, backend: loaded.backend, threads: loaded.threads, predict, score, medianMs: () => medianMs };
}
