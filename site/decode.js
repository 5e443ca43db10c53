// Turns a user's file into RGBA pixels. The bridge to the decode worker (decode.worker.js), the one
// module that talks to it: decoding and drawing down a big photo happen there, off the page's thread.

let worker = null;
let nextId = 0;
// Decodes sent to the worker and not yet answered: id -> {resolve, reject}.
const pending = new Map();

/** Fails every decode in flight and lets the next one start a new worker. */
function stopWorker(message) {
  worker?.terminate();
  worker = null;
  for (const { reject } of pending.values()) reject(new Error(message));
  pending.clear();
}

function startWorker() {
  if (worker) return worker;
  worker = new Worker(new URL("./decode.worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data: { id, image, error } }) => {
    const { resolve, reject } = pending.get(id);
    pending.delete(id);
    if (error === undefined) resolve(image);
    else reject(new Error(error));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    stopWorker(`The image decoder stopped (${event.message || "it could not start"}). Try the file again.`);
  };
  return worker;
}

/** Sends a request to the worker; resolves to its image. */
function ask(request) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    startWorker().postMessage({ id, ...request });
  });
}

/** File -> {data: Uint8ClampedArray RGBA, width, height (at most 512 px on the long side), original:
 * the upright file's {width, height}, source: which decode it was}; rejects with a message a person
 * can act on. */
export async function decodeFile(file) {
  if (file.size === 0) throw new Error(`${file.name} is empty.`);
  // SVG is a document that can carry scripts, not a picture: it is never handed to the browser.
  if (file.type === "image/svg+xml") {
    throw new Error(`${file.name} is an SVG drawing, which is not read: save it as PNG or JPEG first.`);
  }
  return ask({ file });
}

/** A region [x, y, w, h] of a decoded file's own pixels, drawn again at size [width, height] from the
 * file (the last one decoded) -> an image like decodeFile's, whose region says where it lies. */
export async function decodeRegion(image, region, size) {
  const closer = await ask({ source: image.source, region, size });
  return { ...closer, original: image.original, source: image.source, region };
}

/** A box [x, y, w, h] in the decoded pixels -> the same box in the file's own (upright) pixels, since
 * big files are drawn down before Python sees them, and a closer look shows only a region. */
export function toFilePixels([x, y, w, h], { width, height, original, region }) {
  const [left0, top0, across, down] = region ?? [0, 0, original.width, original.height];
  const sx = across / width;
  const sy = down / height;
  const left = Math.round(left0 + x * sx);
  const top = Math.round(top0 + y * sy);
  return [left, top, Math.round(left0 + (x + w) * sx) - left, Math.round(top0 + (y + h) * sy) - top];
}
