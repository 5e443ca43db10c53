// Evaluated in the check's page (export/tfjs_check.py) once TF.js is loaded: loads the model, reads the
// inputs (float32, 0..1, each of the size of the model's own input shape) and returns the probabilities,
// batch by batch.
async ({backend, count, batch}) => {
  tf.wasm.setWasmPaths("/vendor/tfjs/");
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
  const model = await tf.loadGraphModel("/model/model.json");
  const digits = new Float32Array(await (await fetch("/digits.bin")).arrayBuffer());
  const shape = model.inputs[0].shape.slice(1); // [28, 28, 1]: the converted model's signature
  const size = shape.reduce((a, b) => a * b);
  const out = new Float32Array(count * 10);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const probabilities = tf.tidy(() =>
      model.predict(tf.tensor(digits.subarray(start * size, (start + n) * size), [n, ...shape])),
    );
    out.set(await probabilities.data(), start * 10);
    probabilities.dispose();
  }
  return {backend: tf.getBackend(), probabilities: Array.from(out)};
};
