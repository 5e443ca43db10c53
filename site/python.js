// The bridge to Python: the one module that talks to PyScript. Python runs in a PyScript worker, so
// Pyodide's start-up and every preprocessing call stay off the page's main thread; main.py exports
// its functions to this module (__export__).
const here = (path) => new URL(path, document.baseURI).href;
let worker = null;

/** Starts the worker once; resolves to it when Python is ready. PyScript is imported here, not at the
 * top, so the page (the draw pad first) does not wait for its modules to download. */
function startWorker() {
  // version: the vendored Pyodide (a worker ignores pyscript.json's "interpreter", so without it
  // PyScript would fetch Pyodide from its CDN).
  worker ??= import("./vendor/pyscript/core.js").then(({ PyWorker }) =>
    PyWorker(here("py/main.py"), { config: here("pyscript.json"), version: here("vendor/pyodide/pyodide.mjs") }),
  );
  return worker;
}

/** Resolves once Python can preprocess images. */
export async function whenPythonReady() {
  await startWorker();
}

/**
 * RGBA pixels -> the model's 28x28 input for each digit in the image, in reading order (preprocess.py),
 * other cuts of digits cut apart (recuts, see chosenCuts), and for a file drawn down whose digits are
 * small, where to look closer (closer: {region, size}).
 * @returns {Promise<{digits: Float32Array[], boxes, numbers, recuts, closer} | {error: string}>}
 */
export async function prepareImage({ data, width, height, original, region }) {
  const { sync } = await startWorker();
  // A closer look is taken once: the region is not looked at again.
  const file = original && !region ? [original.width, original.height] : null;
  return sync.prepare(data, width, height, file);
}

/** Each recut's options and the model's probabilities for its digits ([per recut, ten per option]) ->
 * per recut, the options to keep, one per digit of its row (indexes into its digits, in order). */
export async function chosenCuts(options, probabilities) {
  const { sync } = await startWorker();
  return sync.chosen_cuts(options, probabilities);
}

/** The taught digits (model inputs) under every correction of the hand's style that style.py tries:
 * [[each digit corrected] per candidate]. */
export async function styleCandidates(digits) {
  const { sync } = await startWorker();
  return sync.style_candidates(digits);
}

/** The hand's style ([slant, width]) that the model's scores of styleCandidates point to, or null. */
export async function learnedStyle(scores) {
  const { sync } = await startWorker();
  return (await sync.learned_style(scores)) ?? null;
}

/** Digits (model inputs) with the hand's style ([slant, width]) undone. */
export async function correctDigits(digits, [slant, width]) {
  const { sync } = await startWorker();
  return sync.correct(digits, slant, width);
}
