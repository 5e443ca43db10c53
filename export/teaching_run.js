// Evaluated in a page of the served site (export/teaching.py): starts the site's own model worker
// (model.worker.js) with models.json's `entry` and gives the measurement `self.teaching`, which talks
// to it as the page does. Digits come from /digits/NAME (float32, one model input after another), which
// the measurement serves.
async ({ entry }) => {
  const size = entry.input.shape.reduce((a, b) => a * b);
  const digits = async (name) => {
    const all = new Float32Array(await (await fetch(`/digits/${name}`)).arrayBuffer());
    return Array.from({ length: all.length / size }, (_, i) => all.slice(i * size, (i + 1) * size));
  };
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
  await ask({ op: "load", entry });
  let version = 0;

  self.teaching = {
    /** Teaches the digits at /digits/NAME with their labels (no name: nothing taught). */
    teach: async (name, labels) => ask({ op: "teach", version: ++version, digits: name ? await digits(name) : [], labels }),
    /** The worker's score of each candidate's digits (/digits/NAME: `count` candidates, one after another). */
    score: async (name, count, labels) => {
      const all = await digits(name);
      const candidates = Array.from({ length: count }, (_, c) => all.slice(c * labels.length, (c + 1) * labels.length));
      return ask({ op: "score", model: entry.id, candidates, labels });
    },
    /** The digit read for each of /digits/NAME, with /digits/CORRECTED read beside them when named. */
    read: async (name, corrected) => {
      const inputs = await digits(name);
      const besides = corrected ? await digits(corrected) : null;
      const out = [];
      for (let start = 0; start < inputs.length; start += 500) {
        const { probabilities } = await ask({
          op: "predict",
          model: entry.id,
          digits: inputs.slice(start, start + 500),
          corrected: besides && besides.slice(start, start + 500),
        });
        out.push(...probabilities.map((p) => p.indexOf(Math.max(...p))));
      }
      return out;
    },
  };
};
