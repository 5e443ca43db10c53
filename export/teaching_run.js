// Evaluated in a page of the served site (export/teaching.py): the site's own model worker
// (model.worker.js) loads `entry`, then for each writer reads their other digits with nothing taught and
// again with their taught digits, and reads MNIST's digits with the taught digits of the writers listed
// in mnistChecks. The digits (float32, one model input after another) are at /teaching.bin; each
// [start, count] below counts model inputs in it. Returns the digits read (argmax), in order.
async ({ entry, writers, mnist, mnistChecks }) => {
  const all = new Float32Array(await (await fetch("/teaching.bin")).arrayBuffer());
  const size = entry.input.shape.reduce((a, b) => a * b);
  const digits = ([start, count]) =>
    Array.from({ length: count }, (_, i) => all.slice((start + i) * size, (start + i + 1) * size));

  const worker = new Worker("/model.worker.js");
  let lastId = 0;
  const ask = (request) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      const listen = ({ data }) => {
        if (data.id !== id || data.progress !== undefined) return;
        worker.removeEventListener("message", listen);
        if (data.error !== undefined) reject(new Error(data.error));
        else resolve(data.result);
      };
      worker.addEventListener("message", listen);
      worker.postMessage({ id, ...request });
    });
  let version = 0;
  const teach = (taught, labels) => ask({ op: "teach", version: ++version, digits: taught, labels });
  const read = async (inputs) => {
    const out = [];
    for (let start = 0; start < inputs.length; start += 500) {
      const { probabilities } = await ask({ op: "predict", model: entry.id, digits: inputs.slice(start, start + 500) });
      out.push(...probabilities.map((p) => p.indexOf(Math.max(...p))));
    }
    return out;
  };

  await ask({ op: "load", entry });
  const mnistDigits = digits(mnist);
  const results = { mnist: await read(mnistDigits), writers: [] };
  for (const [index, writer] of writers.entries()) {
    const others = digits(writer.others);
    await teach([], []);
    const before = await read(others);
    await teach(digits(writer.taught), writer.labels);
    const row = { before, after: await read(others) };
    if (mnistChecks.includes(index)) row.mnist = await read(mnistDigits);
    results.writers.push(row);
  }
  worker.terminate();
  return results;
};
