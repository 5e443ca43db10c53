// Evaluated in the check's page (export/tfjs_check.py) once model.runner.js is loaded: starts the site's
// TF.js on `backend`, loads the model, reads the inputs (float32, 0..1, each of the model's own input
// shape) batch by batch and returns the probabilities, and with `features` (models.json's {node, size})
// the penultimate layer's values too.
async ({ backend, count, batch, features }) => {
  await modelRunner.loadTfjs();
  if (!(await modelRunner.useBackend([backend]))) throw new Error(`backend ${backend} did not start`);
  const model = await modelRunner.loadModel("/model/model.json", {}, features);
  const digits = new Float32Array(await (await fetch("/digits.bin")).arrayBuffer());
  const probabilities = new Float32Array(count * 10);
  const values = features ? new Float32Array(count * features.size) : null;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const pixels = digits.subarray(start * model.size, (start + n) * model.size);
    if (features) {
      const read = modelRunner.read(model, pixels, n);
      probabilities.set(read.probabilities, start * 10);
      values.set(read.features, start * features.size);
    } else {
      probabilities.set(modelRunner.predict(model, pixels, n), start * 10);
    }
  }
  return {
    backend: modelRunner.runsOn().backend,
    probabilities: Array.from(probabilities),
    features: values && Array.from(values),
  };
};
