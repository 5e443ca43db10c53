// Runs in a worker (started by decode.js): the browser decodes the file here (every format it knows,
// EXIF orientation applied) and big images are drawn down here, so a huge photo never blocks the page.

// Long side, in pixels, of what Python receives.
const MAX_SIDE = 512;

/** File -> {data: Uint8ClampedArray RGBA, width, height} at most MAX_SIDE on its long side, and the
 * file's own size once upright (original: {width, height}), so what is found can be told in its pixels. */
async function decode(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw new Error(
      `${file.name} is not an image this browser can read (try PNG or JPEG). ` +
        "It may be another kind of file, or damaged or cut short.",
    );
  }
  const original = { width: bitmap.width, height: bitmap.height };
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const { data } = context.getImageData(0, 0, width, height);
  return { data, width, height, original };
}

self.onmessage = async ({ data: { id, file } }) => {
  try {
    const image = await decode(file);
    // The pixels move to the page instead of being copied.
    self.postMessage({ id, image }, [image.data.buffer]);
  } catch (error) {
    self.postMessage({ id, error: error.message });
  }
};
