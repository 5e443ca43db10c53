// Evaluated in the check's page (export/tfjs_check.py) once model.runner.js is loaded: starts the site's
// TF.js on `backend`, loads the model, reads the inputs (float32, 0..1, each of the model's own input
// shape) batch by batch and returns the probabilities.
async ({ backend, count, batch }) => {
  await modelRunner.loadTfjs();
  if (!(await modelRunner.useBackend([backend]))) throw new Error(`backend ${backend} did not start`);
  const model = await modelRunner.loadModel("/model/model.json");
  const digits = new Float32Array(await (await fetch("/digits.bin")).arrayBuffer());
  const out = new Float32Array(count * 10);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    out.set(modelRunner.predict(model, digits.subarray(start * model.size, (start + n) * model.size), n), start * 10);
  }
  return { backend: modelRunner.runsOn().backend, probabilities: Array.from(out) };
};
