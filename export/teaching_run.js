// Evaluated in a page of the served site (export/teaching.py): loads models.json's `entry` through the
// page's own bridge to its model worker (model.bridge.js, model.worker.js) and gives the measurement
// `self.teaching`, which teaches and reads as the page does. Digits come from /digits/NAME (float32,
// one model input after another), which the measurement serves.
async ({ entry }) => {
  const { loadInWorker, teachWorker } = await import("/model.bridge.js");
  const size = entry.input.shape.reduce((a, b) => a * b);
  const digits = async (name) => {
    const all = new Float32Array(await (await fetch(`/digits/${name}`)).arrayBuffer());
    return Array.from({ length: all.length / size }, (_, i) => all.slice(i * size, (i + 1) * size));
  };
  const model = await loadInWorker(entry, () => {});

  self.teaching = {
    /** Teaches the digits at /digits/NAME with their labels (no name: nothing taught). */
    teach: async (name, labels) => teachWorker(name ? await digits(name) : [], labels),
    /** The worker's score of each candidate's digits (/digits/NAME: `count` candidates, one after another). */
    score: async (name, count, labels) => {
      const all = await digits(name);
      const candidates = Array.from({ length: count }, (_, c) => all.slice(c * labels.length, (c + 1) * labels.length));
      return model.score(candidates, labels);
    },
    /** The digit read for each of /digits/NAME, with /digits/CORRECTED read beside them when named. */
    read: async (name, corrected) => {
      const inputs = await digits(name);
      const besides = corrected ? await digits(corrected) : null;
      const out = [];
      for (let start = 0; start < inputs.length; start += 500) {
        const batch = (list) => list && list.slice(start, start + 500);
        const { probabilities } = await model.predict(batch(inputs), batch(besides));
        out.push(...probabilities.map((p) => p.indexOf(Math.max(...p))));
      }
      return out;
    },
  };
};
