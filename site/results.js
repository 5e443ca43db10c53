// What the model's readings mean, as plain data: the digits read and how sure, and a batch's results
// as CSV. No DOM here: ui.js shows these, app.js passes them along.

// Below this probability the page says it is unsure: the model gives most MNIST test digits above 0.9.
const LOW_CONFIDENCE = 0.7;

/**
 * Ten probabilities per digit, left to right -> {digits: "2025", confidence, unsure, probabilities,
 * ranked: each digit's ten classes, likeliest first}.
 */
export function readDigits(probabilities) {
  const ranked = probabilities.map((p) => [...p.keys()].sort((a, b) => p[b] - p[a]));
  // A string is only as sure as its least sure digit.
  const confidence = Math.min(...probabilities.map((p, i) => p[ranked[i][0]]));
  return {
    digits: ranked.map(([top]) => top).join(""),
    confidence,
    unsure: confidence < LOW_CONFIDENCE,
    probabilities,
    ranked,
  };
}

/** A file's outcome ({digits, unsure, message}): "read", "unsure" (read, but not sure) or "none". */
export function outcomeKind({ digits, unsure }) {
  if (!digits) return "none";
  return unsure ? "unsure" : "read";
}

/** The outcome in words: read, read but unsure, or why nothing was read. */
export function outcomeText(result) {
  const words = { read: "Read", unsure: "Read, but not sure: check it", none: result.message };
  return words[outcomeKind(result)];
}

/** A batch's results ({file, digits, confidence, unsure, message} each) -> CSV text (RFC 4180). */
export function toCsv(results) {
  const lines = results.map((result) => [
    result.file,
    result.digits,
    result.digits ? result.confidence.toFixed(4) : "",
    outcomeText(result),
  ]);
  const table = [["file", "digits", "confidence", "outcome"], ...lines];
  return table.map((cells) => `${cells.map(csvCell).join(",")}\r\n`).join("");
}

function csvCell(value) {
  // A spreadsheet runs a cell starting with = + - @ as a formula: a hostile file name must stay text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
