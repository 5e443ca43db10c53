// The models of models/models.json: the manifest, each model loaded once (through the model worker's
// bridge) and kept for instant switching, the ensemble's members, and a loaded model's files fetched
// again for the service worker.
import { averaged, ensembleEntry } from "./ensemble.js";
import { loadInWorker, teachWorker } from "./model.bridge.js";

const MODELS_DIR = new URL("models/", document.baseURI);

// Loaded models by id, as promises: switching back is instant and two choices share one download.
// None is disposed: all of models.json together are a few MB, and any may be chosen again.
const models = new Map();

/** What the user taught (pixels and labels of every taught digit): every model's later readings count it. */
export const teachModels = teachWorker;

/** models.json: {default, models: [{id, name, path, params, bytes, weights, accuracy, input, ...}]} */
export async function loadManifest() {
  const response = await fetch(new URL("models.json", MODELS_DIR));
  if (!response.ok) throw new Error(`models/models.json: HTTP ${response.status}`);
  return response.json();
}

/**
 * The model of a models.json entry, loaded and warmed up once (model.bridge.js's loadInWorker).
 * onProgress(fraction) follows a download; a model already loaded (or loading) comes back at once,
 * without one.
 */
export function loadModel(entry, onProgress) {
  return loadOnce(entry.id, () => loadInWorker(entry, onProgress));
}

/** The model loading under this id, else the one start() begins; a failed load (offline, say) is
 * forgotten so it can be tried again. */
function loadOnce(id, start) {
  if (!models.has(id)) {
    const loading = start();
    models.set(id, loading);
    loading.catch(() => models.delete(id));
  }
  return models.get(id);
}

/** Every model loaded so far, in the order they were first chosen. */
export function loadedModels() {
  return Promise.all(models.values());
}

/** The ensemble of models.json ({members, ...}) as one model (ensemble.js); its members are loaded like
 * any model, one after another, onProgress covering them all. */
export function loadEnsemble(ensemble, entries, onProgress) {
  const entry = ensembleEntry(ensemble, entries);
  return loadOnce(entry.id, async () => {
    const members = [];
    for (const [index, id] of ensemble.members.entries()) {
      const share = (fraction) => onProgress((index + fraction) / ensemble.members.length);
      members.push(await loadModel(entries.find((each) => each.id === id), share));
    }
    return averaged(entry, members);
  });
}

/**
 * Fetches again the files of every model loaded so far, through the service worker that has just taken
 * control, so a model chosen before it did is kept for offline use too (the HTTP cache answers).
 */
export async function keepLoadedModelsOffline() {
  const loads = await Promise.allSettled(models.values());
  // Models of models.json that loaded (the ensemble has no files of its own).
  const entries = loads
    .filter((load) => load.status === "fulfilled" && load.value.entry.path)
    .map((load) => load.value.entry);
  await Promise.all(
    entries.map(async (entry) => {
      const url = new URL(entry.path, MODELS_DIR);
      const { weightsManifest } = await (await fetch(url)).json();
      const shards = weightsManifest.flatMap((group) => group.paths).map((path) => new URL(path, url));
      await Promise.all(shards.map((shard) => fetch(shard)));
    }),
  );
}
