// The only module that touches the DOM: it renders state and reports what the user does.
import { outcomeKind, outcomeText } from "./results.js";

const $ = (id) => document.getElementById(id);
const percent = (p) => `${(p * 100).toFixed(1)}%`;

const INK_WIDTH = 20; // px on the 280 px pad: about MNIST's stroke once the digit is fitted into 20x20

export function setStatus(state, text) {
  const status = $("status");
  status.dataset.state = state;
  status.textContent = text;
}

/** Offline storage: data-state is installing, ready, update (a new version waits), unavailable or error. */
export function setOfflineStatus(state, text) {
  const status = $("offline-status");
  status.dataset.state = state;
  status.textContent = text;
}

/** A new version is waiting: the update button appears and calls onUpdate once. */
export function offerUpdate(onUpdate) {
  setOfflineStatus("update", "A new version of digitlens is ready.");
  const button = $("update");
  button.hidden = false;
  button.addEventListener(
    "click",
    () => {
      button.disabled = true;
      onUpdate();
    },
    { once: true },
  );
}

export function showError(message) {
  const error = $("error");
  error.textContent = message;
  error.hidden = false;
}

export function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

/** The model picker: one option per models.json entry, in its order, with `selected` chosen. */
export function showModels(entries, selected) {
  $("model-select").replaceChildren(
    ...entries.map((entry) => Object.assign(document.createElement("option"), { value: entry.id, text: entry.name })),
  );
  selectModel(selected);
}

/** Puts the picker back on a model (after a download that failed). */
export function selectModel(id) {
  $("model-select").value = id;
}

/** onChoose(id) runs each time the user picks another model. */
export function onModelChoice(onChoose) {
  const select = $("model-select");
  select.addEventListener("change", () => onChoose(select.value));
}

/** A model downloads: the bar shows how much has come (0..1); data-model names the model. */
export function showModelProgress(id, fraction) {
  const progress = $("model-progress");
  Object.assign(progress, { hidden: false, value: fraction });
  Object.assign(progress.dataset, { model: id, state: "loading" });
}

export function hideModelProgress() {
  const progress = $("model-progress");
  Object.assign(progress, { hidden: true, value: progress.max });
  progress.dataset.state = "done";
}

/** The model card: models.json's numbers and the inference time measured here (model.js medianMs). */
export function showModel(entry, { backend, inferenceMs }) {
  $("model-card").dataset.model = entry.id;
  $("model-params").textContent = entry.params.toLocaleString("en");
  $("model-bytes").textContent = `${(entry.bytes / 1e6).toFixed(2)} MB (${entry.bytes.toLocaleString("en")} bytes)`;
  $("model-weights").textContent = entry.weights;
  $("model-accuracy").textContent = `${(entry.accuracy * 100).toFixed(2)}%`; // 99.52% vs 99.38%: one decimal hides it
  showInferenceMs(inferenceMs);
  $("model-info").textContent = `${entry.name} runs on the TensorFlow.js ${backend} backend.`;
}

/** The current model's median inference time in this browser, in ms. */
export function showInferenceMs(ms) {
  const cell = $("model-inference-ms");
  cell.dataset.ms = ms.toFixed(2);
  cell.textContent = `${ms.toFixed(1)} ms (median here)`;
}

export function onCompare(handler) {
  $("compare").addEventListener("click", handler);
}

/** The compare table: one row per model ({entry, digits, confidence, inferenceMs}); bumps its data-seq. */
export function showComparison(rows) {
  $("compare-body").replaceChildren(
    ...rows.map(({ entry, digits, confidence, inferenceMs }) => {
      const row = document.createElement("tr");
      Object.assign(row.dataset, { model: entry.id, digit: digits, confidence: confidence.toFixed(4) });
      row.dataset.inferenceMs = inferenceMs.toFixed(2);
      row.append(...[entry.name, digits, percent(confidence), `${inferenceMs.toFixed(1)} ms`].map(tableCell));
      return row;
    }),
  );
  const table = $("compare-results");
  table.hidden = false;
  table.dataset.seq = String(Number(table.dataset.seq) + 1);
}

/** Shows one classification (results.js readDigits) and bumps prediction's data-seq (tests and
 * benchmarks wait on it). */
export function showPrediction({ reading, preprocessMs, inferenceMs }) {
  const { digits, confidence, probabilities, ranked } = reading;
  finishPrediction({ digit: digits, confidence, preprocessMs, inferenceMs });
  $("top-digit").textContent = digits;
  $("top-confidence").textContent = `${percent(confidence)} sure`;
  $("low-confidence").hidden = !reading.unsure;
  if (probabilities.length === 1) {
    showRanking(probabilities[0], ranked[0]);
  } else {
    showEachDigit(probabilities, ranked);
  }
}

/** One digit: its five likeliest readings and a bar for each of the ten. */
function showRanking(probabilities, ranked) {
  const [top] = ranked;
  $("topk-heading").textContent = "Top 5";
  $("chart-heading").hidden = false;
  $("topk").replaceChildren(
    ...ranked.slice(0, 5).map((digit, rank) =>
      listItem(digit, `${digit}: ${percent(probabilities[digit])}`, rank === 0 ? "top" : ""),
    ),
  );
  $("chart").replaceChildren(
    ...Array.from(probabilities, (p, digit) => {
      const bar = document.createElement("div");
      bar.className = digit === top ? "bar top" : "bar";
      bar.title = `${digit}: ${percent(p)}`;
      const fill = document.createElement("span");
      fill.className = "fill";
      fill.style.height = `${Math.max(p * 100, 0.5)}%`;
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = String(digit);
      bar.append(fill, label);
      return bar;
    }),
  );
}

/** Several digits: each one's reading and how sure it is, in order; no single chart. */
function showEachDigit(readings, ranked) {
  $("topk-heading").textContent = "Each digit";
  $("chart-heading").hidden = true;
  $("topk").replaceChildren(
    ...ranked.map(([top], position) =>
      listItem(top, `digit ${position + 1}: ${top} (${percent(readings[position][top])})`, "top"),
    ),
  );
  $("chart").replaceChildren();
}

function listItem(digit, text, className) {
  const item = document.createElement("li");
  item.dataset.digit = String(digit);
  item.className = className;
  item.textContent = text;
  return item;
}

/** An input that gave no digit: the message is shown and the result cleared. */
export function showNoPrediction(message, { preprocessMs = 0 } = {}) {
  finishPrediction({ digit: "", confidence: 0, preprocessMs, inferenceMs: 0 });
  showError(message);
  $("top-digit").textContent = "–";
  $("top-confidence").textContent = "";
  $("low-confidence").hidden = true;
  $("topk").replaceChildren();
  $("chart").replaceChildren();
  clearPreview();
}

function finishPrediction({ digit, confidence, preprocessMs, inferenceMs }) {
  const prediction = $("prediction");
  prediction.dataset.digit = digit;
  prediction.dataset.confidence = confidence.toFixed(4);
  prediction.dataset.preprocessMs = preprocessMs.toFixed(1);
  prediction.dataset.inferenceMs = inferenceMs.toFixed(1);
  prediction.dataset.seq = String(Number(prediction.dataset.seq) + 1);
}

/** Paints the model's 28x28 input for each digit, side by side (white ink on black, values 0..1). */
export function showPreview(digits) {
  const canvas = $("preview");
  canvas.width = 28 * digits.length;
  const context = canvas.getContext("2d");
  const image = context.createImageData(canvas.width, canvas.height);
  digits.forEach((pixels, position) => {
    pixels.forEach((value, i) => {
      const level = Math.round(value * 255);
      const x = position * 28 + (i % 28);
      image.data.set([level, level, level, 255], (Math.floor(i / 28) * canvas.width + x) * 4);
    });
  });
  context.putImageData(image, 0, 0);
}

function clearPreview() {
  const canvas = $("preview");
  canvas.width = 28;
  const context = canvas.getContext("2d");
  context.fillStyle = "black";
  context.fillRect(0, 0, canvas.width, canvas.height);
}

/**
 * The draw pad: pointer events cover mouse, touch and pen alike; CSS touch-action: none keeps a
 * stroke from scrolling the page. onStroke(image) gets the pad's pixels when a stroke ends.
 */
export function setupDrawPad(onStroke) {
  const canvas = $("draw-pad");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let drawing = false;

  function clear() {
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
  }

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) * canvas.width) / box.width,
      ((event.clientY - box.top) * canvas.height) / box.height,
    ];
  }

  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    const [x, y] = point(event);
    Object.assign(context, { strokeStyle: "black", fillStyle: "black", lineWidth: INK_WIDTH });
    Object.assign(context, { lineCap: "round", lineJoin: "round" });
    context.beginPath();
    context.arc(x, y, INK_WIDTH / 2, 0, 2 * Math.PI);
    context.fill();
    context.beginPath();
    context.moveTo(x, y);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    for (const coalesced of event.getCoalescedEvents?.() ?? [event]) {
      context.lineTo(...point(coalesced));
    }
    context.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    onStroke(context.getImageData(0, 0, canvas.width, canvas.height));
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  clear();
  return { clear };
}

/** Upload (several files), the camera, drag and drop anywhere, and paste all call onFiles(File[]). */
export function onFiles(handler) {
  for (const input of [$("upload"), $("camera")]) {
    input.addEventListener("change", () => {
      if (input.files.length) handler([...input.files]);
      input.value = ""; // choosing the same file again still fires change
    });
  }
  document.addEventListener("dragover", (event) => {
    event.preventDefault();
    document.body.classList.add("dragging");
  });
  document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    document.body.classList.remove("dragging");
    const files = [...event.dataTransfer.files];
    if (files.length) handler(files);
  });
  document.addEventListener("paste", (event) => {
    const files = [...event.clipboardData.files];
    if (files.length) handler(files);
  });
}

// The CSV of the last batch, revoked when the next batch starts.
let csvUrl = null;

/** Several files are on their way: the results table empties and progress counts up to total. */
export function startBatch(total) {
  $("batch").hidden = false;
  $("results-body").replaceChildren();
  Object.assign($("batch-progress"), { max: total, value: 0 });
  $("batch-count").textContent = `0 of ${total}`;
  setBatchStatus("running", `Reading ${total} images…`);
  const link = $("download-csv");
  link.hidden = true;
  link.removeAttribute("href");
  if (csvUrl) URL.revokeObjectURL(csvUrl);
  csvUrl = null;
}

/** One file's row: its name, what was read ('' when nothing) and the outcome in words. */
export function addBatchResult(result, total) {
  const row = document.createElement("tr");
  row.setAttribute("role", "row");
  row.dataset.file = result.file;
  row.dataset.digit = result.digits;
  row.dataset.outcome = outcomeKind(result);
  const sure = result.digits ? percent(result.confidence) : "";
  row.append(...[result.file, result.digits || "–", sure, outcomeText(result)].map(tableCell));
  $("results-body").append(row);
  const done = $("results-body").rows.length;
  $("batch-progress").value = done;
  $("batch-count").textContent = `${done} of ${total}`;
}

/** Every file is done: a summary, and the results as a CSV file to download. */
export function finishBatch(results, csv) {
  const count = (kind) => results.filter((result) => outcomeKind(result) === kind).length;
  const read = count("read") + count("unsure");
  const unsure = count("unsure") ? `, ${count("unsure")} of them unsure` : "";
  setBatchStatus("done", `Done: ${results.length} images, ${read} read${unsure}, ${count("none")} with no digit.`);
  csvUrl = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  const link = $("download-csv");
  link.href = csvUrl;
  link.hidden = false;
}

function setBatchStatus(state, text) {
  const status = $("batch-status");
  status.dataset.state = state;
  status.textContent = text;
}

function tableCell(text) {
  const cell = document.createElement("td");
  cell.setAttribute("role", "cell");
  cell.textContent = text;
  return cell;
}

export function onClear(handler) {
  $("clear").addEventListener("click", handler);
}
