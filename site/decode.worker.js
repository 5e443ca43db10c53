// Runs in a worker (started by decode.js): the browser decodes the file here (every format it knows,
// EXIF orientation applied) and big images are drawn down here, so a huge photo never blocks the page.

// Long side, in pixels, of what Python receives.
const MAX_SIDE = 512;

// The last file decoded, kept at full size so a region of it can be drawn again, closer: {id, bitmap}.
let last = null;

/** File -> {data: Uint8ClampedArray RGBA, width, height} at most MAX_SIDE on its long side, and the
 * file's own size once upright (original: {width, height}), so what is found can be told in its pixels. */
async function decode(id, file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw new Error(
      `${file.name} is not an image this browser can read (try PNG or JPEG). ` +
        "It may be another kind of file, or damaged or cut short.",
    );
  }
  last?.bitmap.close();
  last = { id, bitmap };
  const original = { width: bitmap.width, height: bitmap.height };
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  return { ...draw(bitmap, [0, 0, bitmap.width, bitmap.height], width, height), original, source: id };
}

/** A region [x, y, w, h] of the bitmap drawn at width x height -> {data, width, height}. */
function draw(bitmap, [x, y, w, h], width, height) {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, x, y, w, h, 0, 0, width, height);
  const { data } = context.getImageData(0, 0, width, height);
  return { data, width, height };
}

/** A region of the file decoded as `source`, drawn at size [width, height]. */
function closer(source, region, [width, height]) {
  if (last?.id !== source) throw new Error("That picture is no longer at hand.");
  return draw(last.bitmap, region, width, height);
}

self.onmessage = async ({ data: { id, file, source, region, size } }) => {
  try {
    const image = file ? await decode(id, file) : closer(source, region, size);
    // The pixels move to the page instead of being copied.
    self.postMessage({ id, image }, [image.data.buffer]);
  } catch (error) {
    self.postMessage({ id, error: error.message });
  }
};
