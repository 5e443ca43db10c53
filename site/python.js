// The bridge to Python: the one module that talks to PyScript. main.py announces its functions
// with a "digitlens:python-ready" event; PyScript's own "py:done" says every script has run, so a
// "py:done" without our event means main.py failed.

const ready = new Promise((resolve, reject) => {
  document.addEventListener("digitlens:python-ready", (event) => resolve(event.detail), { once: true });
  document.addEventListener("py:done", () => reject(new Error("Python started but main.py failed to load")), {
    once: true,
  });
});

/** Resolves once Python can preprocess images. */
export async function whenPythonReady() {
  await ready;
}

/**
 * RGBA pixels -> the model's 28x28 input for each digit in the image, left to right (preprocess.py).
 * @returns {Promise<{digits: Float32Array[]} | {error: string}>}
 */
export async function prepareImage({ data, width, height }) {
  const { prepare } = await ready;
  const result = prepare(data, width, height);
  return result.error ? { error: result.error } : { digits: result.digits.map((pixels) => Float32Array.from(pixels)) };
}
