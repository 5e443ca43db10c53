// What the model's readings mean, as plain data: the digits read and how sure, and a batch's results
// as CSV. No DOM here: ui.js shows these, app.js passes them along.

// Below this probability the page says it is unsure: the model gives most MNIST test digits above 0.9.
const LOW_CONFIDENCE = 0.7;

/**
 * A model's prediction ({probabilities: ten per digit in reading order, taught: per digit, what the model
 * alone read where what the user taught changed it, else null}) and how many digits each number (a line
 * of writing) has -> {digits: "4721 90", the numbers joined by a space, confidence, unsure, taught (how
 * many digits what was taught changed), probabilities, ranked: each digit's ten classes, likeliest first,
 * each: per digit {digit, confidence, unsure, taught} (a box in the picture)}.
 */
export function readDigits({ probabilities, taught }, numbers) {
  const ranked = probabilities.map((p) => [...p.keys()].sort((a, b) => p[b] - p[a]));
  const each = ranked.map(([top], i) => {
    const sure = probabilities[i][top];
    return { digit: top, confidence: sure, unsure: sure < LOW_CONFIDENCE, taught: taught[i] };
  });
  // A string is only as sure as its least sure digit.
  const confidence = Math.min(...each.map((digit) => digit.confidence));
  return {
    digits: splitIntoNumbers(each.map(({ digit }) => digit), numbers).join(" "),
    confidence,
    unsure: confidence < LOW_CONFIDENCE,
    taught: taught.filter((alone) => alone !== null).length,
    probabilities,
    ranked,
    each,
  };
}

/** The digits cut into numbers of the given lengths, each as its string. */
function splitIntoNumbers(digits, numbers) {
  const strings = [];
  let start = 0;
  for (const length of numbers) {
    strings.push(digits.slice(start, start + length).join(""));
    start += length;
  }
  return strings;
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
