// The page's entry point: starts Python and the model side by side, then classifies what the user
// draws or uploads. DOM work is in ui.js, TF.js in model.js, Python behind python.js.
import { decodeFile } from "./decode.js";
import { loadManifest, loadModel } from "./model.js";
import { registerOffline } from "./offline.js";
import { prepareImage, whenPythonReady } from "./python.js";
import * as ui from "./ui.js";

let model = null;
// Classifications run one at a time, in the order the inputs came.
let queue = Promise.resolve();

// What is still loading, named in the status line until both are ready.
const loading = new Set(["Python", "the model"]);

function loaded(part) {
  loading.delete(part);
  if (loading.size) ui.setStatus("loading", `Loading ${[...loading].join(" and ")}…`);
}

async function start() {
  const manifest = await loadManifest();
  const entry = manifest.models.find((candidate) => candidate.id === manifest.default);
  const pythonReady = whenPythonReady().then(() => loaded("Python"));
  model = await loadModel(entry);
  loaded("the model");
  await pythonReady;
  ui.showModelInfo(entry, model.backend);
}

async function classify(image) {
  ui.clearError();
  const started = performance.now();
  const prepared = await prepareImage(image);
  const preprocessMs = performance.now() - started;
  if (prepared.error) {
    ui.showNoPrediction(prepared.error, { preprocessMs });
    return;
  }
  const inferenceStarted = performance.now();
  const readings = prepared.digits.map((pixels) => model.predict(pixels));
  const inferenceMs = performance.now() - inferenceStarted;
  ui.showPreview(prepared.digits);
  ui.showPrediction({ readings, preprocessMs, inferenceMs });
}

async function classifyFile(file) {
  let image;
  try {
    image = await decodeFile(file);
  } catch (error) {
    ui.showNoPrediction(error.message);
    return;
  }
  await classify(image);
}

// Saving for offline use starts once the page works, so the worker mostly revalidates files the
// browser has just downloaded instead of fetching them a second time.
function startOffline() {
  registerOffline().catch((error) => {
    console.error(error);
    ui.setOfflineStatus("error", `Offline use is not available: ${error.message}`);
  });
}

const ready = start().then(
  () => {
    ui.setStatus("ready", "Ready: draw a digit or upload an image.");
    startOffline();
  },
  (error) => {
    ui.setStatus("error", `Could not start: ${error.message}`);
    throw error;
  },
);

function enqueue(task) {
  queue = queue.then(() => ready).then(task).catch((error) => {
    console.error(error);
    ui.showNoPrediction(`Something went wrong: ${error.message}`);
  });
}

const pad = ui.setupDrawPad((image) => enqueue(() => classify(image)));
ui.onClear(() => {
  pad.clear();
  ui.clearError();
});
ui.onFiles((files) => files.forEach((file) => enqueue(() => classifyFile(file))));
