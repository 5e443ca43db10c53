// The ensemble of models.json as one model: how the picker and the card show it, and its members'
// probabilities averaged. Loading its members is models.js's.

// The picker's value for the ensemble.
export const ENSEMBLE_ID = "ensemble";

/** What the picker and the card show for the ensemble ({members, params, bytes, accuracy, ...}), shaped
 * like a models.json entry. */
export function ensembleEntry(ensemble, entries) {
  const members = ensemble.members.map((id) => entries.find((entry) => entry.id === id));
  return {
    id: ENSEMBLE_ID,
    name: `Ensemble: ${members.map((member) => member.name).join(" + ")}`,
    params: ensemble.params,
    bytes: ensemble.bytes,
    weights: [...new Set(members.map((member) => member.weights))].join(", "),
    accuracy: ensemble.accuracy,
    // Every member takes the same input (models.json).
    input: members[0].input,
  };
}

/** Loaded models as one: each member reads each digit, and their probabilities are averaged; where what
 * was taught changed a member's reading of a digit, taught holds that member's own reading. A
 * candidate style's score is the members' scores together. */
export function averaged(entry, members) {
  async function predict(digits, corrected = null) {
    const readings = [];
    for (const member of members) readings.push(await member.predict(digits, corrected));
    const probabilities = digits.map((_, i) => {
      const sum = new Float32Array(10);
      for (const reading of readings) reading.probabilities[i].forEach((p, digit) => (sum[digit] += p));
      return sum.map((total) => total / members.length);
    });
    const taught = digits.map((_, i) => readings.map((reading) => reading.taught[i]).find((alone) => alone !== null));
    return { probabilities, taught: taught.map((alone) => alone ?? null) };
  }

  // Each member reads each digit: the ensemble takes their times together.
  const medianMs = () => members.reduce((total, member) => total + member.medianMs(), 0);
  async function score(candidates, labels) {
    const scores = [];
    for (const member of members) scores.push(await member.score(candidates, labels));
    return candidates.map((_, c) => scores.reduce((sum, each) => sum + each[c], 0));
  }

  const { backend, threads } = members[0];
  return { entry, backend, threads, predict, score, medianMs };
}
