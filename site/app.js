// The page's entry point: starts Python and the model side by side, then classifies what the user
// draws or uploads. DOM work is in ui.js, the models in models.js (TF.js in the worker behind
// model.bridge.js), Python behind python.js, what the readings mean in results.js.
import { decodeFile, decodeRegion, toFilePixels } from "./decode.js";
import { ENSEMBLE_ID, ensembleEntry } from "./ensemble.js";
import { keepLoadedModelsOffline, loadEnsemble, loadedModels, loadManifest, loadModel, teachModels } from "./models.js";
import { registerOffline } from "./offline.js";
import { chosenCuts, correctDigits, learnedStyle, prepareImage, styleCandidates, whenPythonReady } from "./python.js";
import { readDigits, toCsv } from "./results.js";
import { openTaught } from "./taught.js";
import * as ui from "./ui.js";
import { zipFiles } from "./zip.js";

let manifest = null;
// The picker's models: models.json's, and the ensemble when it is offered.
let choices = [];
let model = null;
// What Python made of the last image the user gave ({image, seen, prepared, preprocessMs}, see
// classify): another model reads its digits without Python, and compare runs every model on them.
let lastPrepared = null;
// The last classification's reading and model inputs: choosing a box in the picture shows one of them.
let shown = null;
// The box chosen in the picture (its position in reading order), or null: the digit a correction is for.
let chosen = null;
// The digits the user taught (taught.js), opened at start, and the shape of one (every model's input).
let taught = null;
let inputShape = null;
// The hand's style learned from the last STYLE_DIGITS taught digits for the model reading ([slant, width],
// site/py/style.py), or null: fewer than MIN_STYLE_DIGITS taught (one correction is about that digit, not
// a hand), or none better than the digits as written.
let style = null;
// Trying every correction on ten digits takes Python and the model about 2 s here (2 cores).
const STYLE_DIGITS = 10;
const MIN_STYLE_DIGITS = 5;
// The corrections Python made of those digits, kept while they stay the same: they do not depend on the
// model, so another model scores them without Python making them again (0.7 s in CPython here).
let tried = { recent: [], candidates: [] };
// Classifications run one at a time, in the order the inputs came.
let queue = Promise.resolve();

// What is still loading, named in the status line until both are ready.
const loading = new Set(["Python", "the model"]);

function loaded(part) {
  loading.delete(part);
  if (loading.size) ui.setStatus("loading", `Loading ${[...loading].join(" and ")}…`);
}

/** The ensemble is offered only when models.json measured it better than every single model. */
function offersEnsemble() {
  return Boolean(manifest.ensemble?.beats_best_single);
}

/** Loads a model by id, a models.json entry or the ensemble (downloading, with progress, the first time). */
async function fetchModel(id) {
  const onProgress = (fraction) => ui.showModelProgress(id, fraction);
  try {
    if (id === ENSEMBLE_ID) return await loadEnsemble(manifest.ensemble, manifest.models, onProgress);
    return await loadModel(manifest.models.find((candidate) => candidate.id === id), onProgress);
  } finally {
    ui.hideModelProgress();
  }
}

function showModel() {
  ui.showModel(model.entry, { backend: model.backend, threads: model.threads, inferenceMs: model.medianMs() });
}

async function start() {
  manifest = await loadManifest();
  choices = [...manifest.models];
  if (offersEnsemble()) choices.push(ensembleEntry(manifest.ensemble, manifest.models));
  ui.showModels(choices, manifest.default);
  const pythonReady = whenPythonReady().then(() => loaded("Python"));
  inputShape = manifest.models[0].input.shape; // every model takes the same input
  taught = await openTaught(inputShape.reduce((a, b) => a * b));
  sendTaught(taught.message);
  model = await fetchModel(manifest.default);
  loaded("the model");
  await pythonReady;
  showModel();
}

/** The user picked another model: it becomes the one that reads, starting with the last image. */
async function switchModel(id) {
  try {
    model = await fetchModel(id);
  } catch (error) {
    ui.selectModel(model.entry.id);
    const { name } = choices.find((choice) => choice.id === id);
    ui.showError(`Could not load ${name}: ${error.message}`);
    return;
  }
  showModel();
  await learnStyle(); // each model reads a corrected digit its own way
  if (lastPrepared) await read(lastPrepared);
}

/** Every downloaded model reads the last image's digits; the table shows them side by side. */
async function compare() {
  if (!lastPrepared) {
    ui.showError("Draw or upload a digit first, then compare the models on it.");
    return;
  }
  const { prepared } = lastPrepared;
  if (prepared.error) {
    ui.showError(prepared.error);
    return;
  }
  const rows = [];
  // The digits as Python cut them are corrected once; a model that chose other cuts has its own corrected.
  const correctedAsCut = await correctedDigits(prepared.digits);
  for (const each of await loadedModels()) {
    const started = performance.now();
    const { digits, numbers } = await withChosenCuts(prepared, each);
    const corrected = digits === prepared.digits ? correctedAsCut : await correctedDigits(digits);
    const reading = readDigits(await each.predict(digits, corrected), numbers);
    rows.push({ entry: each.entry, ...reading, inferenceMs: performance.now() - started });
  }
  ui.showComparison(rows);
  ui.showInferenceMs(model.medianMs());
}

/** What Python prepared, with the cuts a model (`reader`) chose where Python cut digits apart: every
 * option read in one prediction, the cuts whose digits it is surest of kept (preprocess.chosen_cuts). */
async function withChosenCuts(prepared, reader) {
  const { recuts } = prepared;
  if (!recuts.length) return prepared;
  const { probabilities } = await reader.predict(recuts.flatMap((cut) => cut.digits));
  let offset = 0;
  const perCut = recuts.map((cut) => probabilities.slice(offset, (offset += cut.digits.length)).map((p) => [...p]));
  const choices = await chosenCuts(recuts.map((cut) => cut.options), perCut);
  const digits = [...prepared.digits];
  const boxes = [...prepared.boxes];
  recuts.forEach((cut, i) => {
    digits.splice(cut.at, choices[i].length, ...choices[i].map((option) => cut.digits[option]));
    boxes.splice(cut.at, choices[i].length, ...choices[i].map((option) => cut.boxes[option]));
  });
  return { ...prepared, digits, boxes, recuts: [] };
}

/** Python's reading of an image -> {image: the pixels read, prepared}. Small digits in a big file are
 * read again from the region around them, drawn from the file closer (prepared.closer); what was found
 * at first stands when that finds nothing or the file is no longer at hand. */
async function prepare(image) {
  const prepared = await prepareImage(image);
  if (!prepared.closer) return { image, prepared };
  try {
    const closer = await decodeRegion(image, prepared.closer.region, prepared.closer.size);
    const again = await prepareImage(closer);
    if (!again.error) return { image: closer, prepared: again };
  } catch {
    // The decode worker no longer holds the file (it was restarted): the first look stands.
  }
  return { image, prepared };
}

/** Shows that nothing was read, and why; returns the outcome. */
function noDigit(message, timings) {
  ui.showNoPrediction(message, timings);
  return { digits: "", confidence: 0, unsure: false, message };
}

/** Every later reading counts what is taught now; the count and any message about keeping it show. */
function sendTaught(message) {
  teachModels(
    taught.digits.map((digit) => digit.pixels),
    taught.digits.map((digit) => digit.label),
  );
  ui.showTaught(taught.digits.length, message);
}

/** The hand's style, from the last taught digits: the correction (style.py) under which the model reading
 * now reads them most surely; null when too few are taught or the digits as written read best. */
async function learnStyle() {
  const recent = taught.digits.slice(-STYLE_DIGITS);
  style = null;
  let problem = "";
  if (recent.length >= MIN_STYLE_DIGITS) {
    ui.showTeachTarget("Learning your slant and width from what you taught…", false);
    try {
      const candidates = await correctionsOf(recent);
      style = await learnedStyle(await model.score(candidates, recent.map((digit) => digit.label)));
    } catch (error) {
      problem = error.message; // the taught digits still count; only the style is missing
    }
    showTeaching();
  }
  ui.showStyle(style, problem);
}

/** Every correction style.py tries, of each of the `recent` taught digits (taught.js keeps each one's
 * object, so the same digits are the same objects). */
async function correctionsOf(recent) {
  const same = recent.length === tried.recent.length && recent.every((digit, i) => digit === tried.recent[i]);
  if (!same) tried = { recent, candidates: await styleCandidates(recent.map((digit) => digit.pixels)) };
  return tried.candidates;
}

/** The digits with the hand's style undone, read beside them; null when no style is learned. */
function correctedDigits(digits) {
  return style ? correctDigits(digits, style) : null;
}

/** The digit a correction acts on: the box chosen, or the only digit read; else null. */
function teachPosition() {
  if (!shown) return null;
  return chosen ?? (shown.inputs.digits.length === 1 ? 0 : null);
}

/** Says which digit a correction acts on, and whether what was taught changed the reading. */
function showTeaching() {
  const position = teachPosition();
  if (!shown) {
    ui.showTeachTarget("Draw or upload a digit, then choose what it really is.", false);
  } else if (position === null) {
    const how = lastPrepared.image.original ? "choose its box in the picture" : "draw one digit at a time";
    ui.showTeachTarget(`Several digits were read: to correct one, ${how}.`, false);
  } else {
    const { digit } = shown.reading.each[position];
    const which = shown.inputs.digits.length > 1 ? `Digit ${position + 1} was read as` : "Read as";
    ui.showTeachTarget(`${which} ${digit}. If it is another digit, choose it here or type it:`, true);
  }
  const changed = shown?.reading.each.filter((each) => each.taught !== null) ?? [];
  if (!changed.length) ui.showTaughtNote(null);
  else if (shown.reading.each.length === 1) {
    ui.showTaughtNote(`Read with what you taught: the model alone read ${changed[0].taught}.`);
  } else {
    const count = changed.length === 1 ? "1 digit was" : `${changed.length} digits were`;
    ui.showTaughtNote(`${count} read with what you taught.`);
  }
}

/** The digit shown in detail is a `label`: it is kept, and the last input is read again with it. */
async function teach(label) {
  const position = teachPosition();
  if (position === null) return;
  const message = await taught.add(shown.inputs.digits[position], label);
  sendTaught(message);
  await learnStyle();
  await read(lastPrepared);
  // A box chosen in the picture stays chosen, showing what the correction did to it.
  if (shown?.inputs.digits.length > 1) chooseDigit(position);
}

async function forget() {
  sendTaught(await taught.clear());
  await learnStyle();
  if (lastPrepared) await read(lastPrepared);
}

/** The taught digits as a zip: one PNG each (the model's input, white on black) and labels.csv. */
async function exportTaught() {
  const files = [];
  const rows = ["file,label"];
  for (const [index, { pixels, label }] of taught.digits.entries()) {
    const name = `taught-${String(index + 1).padStart(4, "0")}.png`;
    files.push({ name, bytes: await ui.pngBytes(pixels, inputShape) });
    rows.push(`${name},${label}`);
  }
  files.push({ name: "labels.csv", bytes: new TextEncoder().encode(`${rows.join("\r\n")}\r\n`) });
  ui.saveFile(zipFiles(files), "digitlens-taught.zip");
}

function chooseDigit(position) {
  chosen = position;
  if (shown) ui.showDetail(shown.reading, shown.inputs, position);
  showTeaching();
}

/** Classifies pixels (a drawing, or a decoded file, which has its original size) and shows the result,
 * a file's picture with its digits boxed; returns the outcome: {digits ('' when none), confidence, unsure,
 * message (why nothing was read)}. */
async function classify(image) {
  shown = null;
  ui.clearError();
  // Drawn first: Python may take the pixels over.
  if (image.original) ui.showPicture(image);
  else ui.hideFound();
  const started = performance.now();
  // seen: the pixels Python read last, the file drawn down or a closer look at part of it.
  const { image: seen, prepared } = await prepare(image);
  lastPrepared = { image, seen, prepared, preprocessMs: performance.now() - started };
  return read(lastPrepared);
}

/** The chosen model reads what Python prepared (classify) and the page shows it; returns the outcome, as
 * classify does. The preprocessing time shown is that of the digits read. */
async function read({ image, seen, prepared, preprocessMs }) {
  shown = null;
  chosen = null;
  ui.clearError();
  if (prepared.error) {
    if (image.original) ui.showFound([], image.original);
    showTeaching();
    return noDigit(prepared.error, { preprocessMs });
  }
  const inferenceStarted = performance.now();
  const { digits, boxes, numbers } = await withChosenCuts(prepared, model);
  const reading = readDigits(await model.predict(digits, await correctedDigits(digits)), numbers);
  const inferenceMs = performance.now() - inferenceStarted;
  shown = { reading, inputs: { digits, shape: model.entry.input.shape } };
  if (image.original) {
    const found = boxes.map((box, i) => ({ box: toFilePixels(box, seen), ...reading.each[i] }));
    ui.showFound(found, image.original);
  }
  ui.showPrediction({ reading, inputs: shown.inputs, preprocessMs, inferenceMs });
  showTeaching();
  ui.showInferenceMs(model.medianMs());
  return { digits: reading.digits, confidence: reading.confidence, unsure: reading.unsure, message: "" };
}

async function classifyFile(file) {
  let image;
  try {
    image = await decodeFile(file);
  } catch (error) {
    ui.hideFound();
    return noDigit(error.message);
  }
  return classify(image);
}

// Saving for offline use starts once the page works, so the worker mostly revalidates files the
// browser has just downloaded instead of fetching them a second time.
function startOffline() {
  registerOffline(keepLoadedModelsOffline).catch((error) => {
    console.error(error);
    ui.setOfflineStatus("error", `Offline use is not available: ${error.message}`);
  });
}

const ready = start().then(
  () => {
    ui.setStatus("ready", "Ready: draw a digit or upload an image.");
    startOffline();
    // The hand's style kept from an earlier visit is learned again, first in the queue, so the first
    // reading counts it, while the page is already ready to be drawn on.
    enqueue(learnStyle);
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

/** One file shows in the result panel alone; several also fill the results table, with progress and a
 * CSV of every outcome at the end. */
function classifyFiles(files) {
  if (files.length === 1) {
    enqueue(() => classifyFile(files[0]));
    return;
  }
  const results = [];
  enqueue(() => ui.startBatch(files.length));
  for (const file of files) {
    enqueue(async () => {
      const result = { file: file.name, ...(await classifyFile(file)) };
      results.push(result);
      ui.addBatchResult(result, files.length);
    });
  }
  enqueue(() => ui.finishBatch(results, toCsv(results)));
}

const pad = ui.setupDrawPad((image) => enqueue(() => classify(image)));
ui.onClear(() => {
  pad.clear();
  ui.clearError();
});
ui.onFiles(classifyFiles);
ui.onModelChoice((id) => enqueue(() => switchModel(id)));
ui.onCompare(() => enqueue(compare));
ui.onDigitChoice(chooseDigit);
ui.onTeach((label) => enqueue(() => teach(label)));
ui.onForget(() => enqueue(forget));
ui.onExportTaught(() => enqueue(exportTaught));
