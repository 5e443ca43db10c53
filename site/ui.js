// The only module that touches the DOM: it renders state and reports what the user does.
import { outcomeKind, outcomeText } from "./results.js";

const $ = (id) => document.getElementById(id);
const percent = (p) => `${(p * 100).toFixed(1)}%`;

const INK_WIDTH = 20; // px on the 280 px pad: about MNIST's stroke once the digit is fitted into 20x20
// A digit found in a picture and shown under this many CSS pixels high gets a small label (showFound).
const SMALL_DIGIT_PX = 24;

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

/** 1234567 -> "1,234,567". Not toLocaleString: its first call loads the browser's locale data, an 18 ms
 * task here while the page starts (four times that on Lighthouse's emulated phone). */
function grouped(count) {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** The model card: models.json's numbers and the inference time measured here (medianMs). */
export function showModel(entry, { backend, threads, inferenceMs }) {
  Object.assign($("model-card").dataset, { model: entry.id, backend, threads });
  $("model-params").textContent = grouped(entry.params);
  $("model-bytes").textContent = `${(entry.bytes / 1e6).toFixed(2)} MB (${grouped(entry.bytes)} bytes)`;
  $("model-weights").textContent = entry.weights;
  $("model-accuracy").textContent = `${(entry.accuracy * 100).toFixed(2)}%`; // 99.52% vs 99.38%: one decimal hides it
  showInferenceMs(inferenceMs);
  const on = threads > 1 ? `${threads} threads` : "one thread";
  $("model-info").textContent = `${entry.name} runs on the TensorFlow.js ${backend} backend, on ${on}.`;
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

/** Shows one classification (results.js readDigits; inputs: {digits: each digit's model input, shape: the
 * model's input shape from models.json}) with every digit in the detail, and bumps prediction's data-seq
 * (tests and benchmarks wait on it). */
export function showPrediction({ reading, inputs, preprocessMs, inferenceMs }) {
  const { digits, confidence } = reading;
  finishPrediction({ digit: digits, confidence, preprocessMs, inferenceMs });
  $("top-digit").textContent = digits;
  $("top-confidence").textContent = `${percent(confidence)} sure`;
  $("low-confidence").hidden = !reading.unsure;
  showDetail(reading, inputs, null);
}

/**
 * The result panel's detail: every digit (position null: all inputs side by side, and the top 5 of a
 * lone digit or each digit's reading), or the digit chosen in the picture alone, with its top 5 and all
 * ten. prediction's data-digit keeps the whole reading either way.
 */
export function showDetail(reading, inputs, position) {
  const { probabilities, ranked } = reading;
  const { digits, shape } = inputs;
  if (position !== null) {
    showPreview([digits[position]], shape);
    showRanking(probabilities[position], ranked[position], `Top 5 for digit ${position + 1} of ${digits.length}`);
  } else if (digits.length === 1) {
    showPreview(digits, shape);
    showRanking(probabilities[0], ranked[0], "Top 5");
  } else {
    showPreview(digits, shape);
    showEachDigit(probabilities, ranked);
  }
  markChosen(position);
}

/** One digit: its five likeliest readings and a bar for each of the ten. */
function showRanking(probabilities, ranked, heading) {
  const [top] = ranked;
  $("topk-heading").textContent = heading;
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

/** Paints the model's input for each digit (shape [rows, columns, 1], white ink on black, values 0..1),
 * side by side. */
function showPreview(digits, [rows, columns]) {
  const canvas = $("preview");
  canvas.width = columns * digits.length;
  canvas.height = rows;
  const context = canvas.getContext("2d");
  const image = context.createImageData(canvas.width, canvas.height);
  digits.forEach((pixels, position) => {
    pixels.forEach((value, i) => {
      const level = Math.round(value * 255);
      const x = position * columns + (i % columns);
      image.data.set([level, level, level, 255], (Math.floor(i / columns) * canvas.width + x) * 4);
    });
  });
  context.putImageData(image, 0, 0);
}

/** One black square, the size of the last input shown. */
function clearPreview() {
  const canvas = $("preview");
  canvas.width = canvas.height;
  const context = canvas.getContext("2d");
  context.fillStyle = "black";
  context.fillRect(0, 0, canvas.width, canvas.height);
}

/** An uploaded picture (the decoded pixels) is shown, without the last one's boxes. Called before
 * Python gets the pixels, which may move them to its worker. */
export function showPicture({ data, width, height }) {
  const canvas = $("found-canvas");
  Object.assign(canvas, { width, height });
  canvas.getContext("2d").putImageData(new ImageData(data, width, height), 0, 0);
  // At most 70% of the screen's height: a portrait photo narrows, keeping its shape and its boxes on it.
  $("found-picture").style.maxWidth = `${((70 * width) / height).toFixed(2)}vh`;
  $("found-boxes").replaceChildren();
  $("found-caption").textContent = "Looking for digits…";
  $("found").dataset.selected = "";
  $("found").hidden = false;
}

/** A drawing (or a file that could not be opened) has no picture to show. */
export function hideFound() {
  $("found").hidden = true;
  $("found-boxes").replaceChildren();
}

/**
 * The digits found in the picture: one button per digit, in reading order ({box: [x, y, w, h] in the
 * file's pixels, digit, confidence, unsure}), placed in percent of the file's size (original) so it stays
 * on its digit at whatever size the picture is shown.
 */
export function showFound(found, original) {
  const boxes = $("found-boxes");
  boxes.replaceChildren(
    ...found.map((digit, position) => digitBox(digit, `digit ${position + 1} of ${found.length}`, original)),
  );
  // Digits shown smaller than a label (a page covered in writing) get small labels and thin frames, so
  // one digit's label does not cover its neighbours.
  const heights = found.map(({ box }) => box[3]).sort((a, b) => a - b);
  const shown = heights.length ? (heights[heights.length >> 1] * boxes.clientHeight) / original.height : 0;
  boxes.classList.toggle("small-digits", shown > 0 && shown < SMALL_DIGIT_PX);
  markChosen(null);
}

function digitBox({ box, digit, confidence, unsure }, name, { width, height }) {
  const [x, y, w, h] = box;
  const button = document.createElement("button");
  button.type = "button";
  button.className = unsure ? "digit-box unsure" : "digit-box";
  Object.assign(button.dataset, { testid: "digit-box", digit: String(digit), box: box.join(",") });
  button.dataset.confidence = confidence.toFixed(4);
  const sure = `${Math.round(confidence * 100)}% sure${unsure ? ", not sure: check it" : ""}`;
  button.setAttribute("aria-label", `${name}: read ${digit}, ${sure}`);
  button.setAttribute("aria-pressed", "false");
  const share = (part, whole) => `${((100 * part) / whole).toFixed(3)}%`;
  Object.assign(button.style, { left: share(x, width), top: share(y, height), width: share(w, width) });
  button.style.height = share(h, height);
  // The digit read, beside the box: a "?" marks an unsure one in words as well as by the dashed frame.
  const label = document.createElement("span");
  label.className = y < 0.12 * height ? "digit-box-label below" : "digit-box-label";
  label.textContent = unsure ? `${digit}?` : String(digit);
  button.append(label);
  return button;
}

/** Marks the chosen box (position null: none) and says in the caption what the result panel shows. */
function markChosen(position) {
  const boxes = [...$("found-boxes").children];
  boxes.forEach((box, index) => box.setAttribute("aria-pressed", String(index === position)));
  $("found").dataset.selected = position === null ? "" : String(position);
  $("found-caption").textContent = foundCaption(boxes, position === null ? null : boxes[position]);
}

/** The picture in words: how many digits and how many unsure, or the chosen one and the way back. */
function foundCaption(boxes, chosen) {
  if (!boxes.length) return "No digit found in this picture.";
  if (chosen) {
    const label = chosen.getAttribute("aria-label");
    return `${label[0].toUpperCase()}${label.slice(1)}. Choose it again, or press Escape, for every digit.`;
  }
  const unsure = boxes.filter((box) => box.classList.contains("unsure")).length;
  const count = `${boxes.length} ${boxes.length === 1 ? "digit" : "digits"} found`;
  const note = unsure ? `, ${unsure} not sure (dashed, with “?”)` : "";
  return `${count}${note}. Choose a box to see what the model saw there.`;
}

/** onChoose(position in reading order) runs when a box is chosen; onChoose(null) when the chosen box is
 * chosen again or Escape is pressed: back to every digit. */
export function onDigitChoice(onChoose) {
  const boxes = $("found-boxes");
  boxes.addEventListener("click", (event) => {
    const box = event.target.closest("[data-testid=digit-box]");
    if (!box) return;
    onChoose(box.getAttribute("aria-pressed") === "true" ? null : [...boxes.children].indexOf(box));
  });
  boxes.addEventListener("keydown", (event) => {
    if (event.key === "Escape") onChoose(null);
  });
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

/** The teach buttons: onTeach(digit) when one is pressed, or a digit key is typed outside a form field. */
export function onTeach(handler) {
  $("teach").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-digit]");
    if (button && !button.disabled) handler(Number(button.dataset.digit));
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, select, textarea");
    const modified = event.ctrlKey || event.metaKey || event.altKey;
    if (!typing && !modified && /^[0-9]$/.test(event.key) && !$("teach").querySelector("button").disabled) {
      handler(Number(event.key));
    }
  });
}

/** What a correction would act on, in words; the buttons are enabled when there is such a digit. */
export function showTeachTarget(text, enabled) {
  $("teach-target").textContent = text;
  for (const button of $("teach").querySelectorAll("button")) button.disabled = !enabled;
}

/** How many digits are taught, and any message about keeping them (storage, a cap, damaged entries). */
export function showTaught(count, message = "") {
  const taught = $("taught");
  taught.dataset.count = String(count);
  const kept = count
    ? `Taught: ${count} ${count === 1 ? "digit" : "digits"}, kept on this device only.`
    : "Nothing taught yet. What you teach stays on this device.";
  taught.textContent = message ? `${kept} ${message}` : kept;
  $("forget").disabled = count === 0;
  $("export-taught").disabled = count === 0;
}

/** The hand's style learned from what was taught ([slant, width], or null), in words and in data-style;
 * or why it could not be learned. */
export function showStyle(style, problem = "") {
  const taught = $("taught");
  taught.dataset.style = style ? style.join(",") : "";
  const learned = style ? "Your slant and width are learned from them too." : "";
  $("taught-style").textContent = problem ? `Your slant and width could not be learned: ${problem}` : learned;
}

/** Says that what was taught changed the reading, and what the model alone read (text); null hides it. */
export function showTaughtNote(text) {
  const note = $("taught-note");
  note.hidden = text === null;
  note.textContent = text ?? "";
}

/** onForget() once the user confirms that every taught digit goes. */
export function onForget(handler) {
  $("forget").addEventListener("click", () => {
    const count = $("taught").dataset.count;
    const which = count === "1" ? "the digit" : `the ${count} digits`;
    if (window.confirm(`Forget ${which} you taught? Readings go back to the model alone.`)) handler();
  });
}

export function onExportTaught(handler) {
  $("export-taught").addEventListener("click", handler);
}

/** Saves a file the page made (a Blob) under name, as a download. */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** One digit's model input (shape [rows, columns, 1], 0..1) as the bytes of a grey PNG, white on black. */
export async function pngBytes(pixels, [rows, columns]) {
  const canvas = new OffscreenCanvas(columns, rows);
  const image = new ImageData(columns, rows);
  pixels.forEach((value, i) => {
    const level = Math.round(value * 255);
    image.data.set([level, level, level, 255], i * 4);
  });
  canvas.getContext("2d").putImageData(image, 0, 0);
  return new Uint8Array(await (await canvas.convertToBlob({ type: "image/png" })).arrayBuffer());
}
