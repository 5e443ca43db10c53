// Turns a user's file into RGBA pixels. The browser decodes (every format it knows, EXIF orientation
// applied); big images are scaled down here so Python gets a bounded number of pixels.

// Long side, in pixels, of what Python receives.
const MAX_SIDE = 512;

/** File -> {data: Uint8ClampedArray RGBA, width, height}; rejects with a message a person can act on. */
export async function decodeFile(file) {
  if (file.size === 0) throw new Error(`${file.name} is empty.`);
  // SVG is a document that can carry scripts, not a picture: it is never handed to the browser.
  if (file.type === "image/svg+xml") {
    throw new Error(`${file.name} is an SVG drawing, which is not read: save it as PNG or JPEG first.`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw new Error(
      `${file.name} is not an image this browser can read (try PNG or JPEG). ` +
        "It may be another kind of file, or damaged or cut short.",
    );
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}
