// The digits the user taught, kept on this device only: each one's model input (784 values, stored as
// bytes) and its label, in the browser's IndexedDB. Nothing here ever leaves the page. Where the
// browser keeps nothing (private mode, storage blocked or full), what is taught counts until the page
// closes, and the page says so.

const DATABASE = "digitlens";
const STORE = "taught";
// The most digits kept: the oldest go first. A thousand corrections is far more than one hand needs,
// and every reading compares each digit with all of them.
export const MAX_TAUGHT = 1000;

/** A clear message for an IndexedDB failure: what happened, and what still works. */
function storageMessage(error) {
  const full = error?.name === "QuotaExceededError";
  const why = full ? "this device's storage for the page is full" : "this browser keeps no data for the page";
  return `What you teach cannot be kept (${why}): it counts until you close the page.`;
}

function request(call) {
  return new Promise((resolve, reject) => {
    call.onsuccess = () => resolve(call.result);
    call.onerror = () => reject(call.error);
  });
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") throw new Error("no IndexedDB");
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { autoIncrement: true });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () => reject(new Error("the database is held by another tab"));
  });
}

/** A stored record as {pixels: Float32Array (0..1), label}, or null when it is damaged. */
function fromRecord(record, size) {
  const fine = record?.pixels instanceof Uint8Array && record.pixels.length === size;
  if (!fine || !Number.isInteger(record.label) || record.label < 0 || record.label > 9) return null;
  return { pixels: Float32Array.from(record.pixels, (level) => level / 255), label: record.label };
}

function toRecord(pixels, label) {
  return { pixels: Uint8Array.from(pixels, (value) => Math.round(value * 255)), label, at: Date.now() };
}

/**
 * The taught digits of `size` values each: {digits: [{pixels, label}] oldest first, message (why they
 * are not kept, or what was skipped; "" when all is well), add(pixels, label), clear()}. add and clear
 * resolve to a message as well ("" when all is well).
 */
export async function openTaught(size) {
  let database = null;
  let message = "";
  const digits = [];
  try {
    database = await openDatabase();
    const records = await request(database.transaction(STORE).objectStore(STORE).getAll());
    const read = records.map((record) => fromRecord(record, size));
    digits.push(...read.filter(Boolean).slice(-MAX_TAUGHT));
    const damaged = read.length - read.filter(Boolean).length;
    if (damaged) message = `${damaged} damaged taught ${damaged === 1 ? "digit was" : "digits were"} skipped.`;
  } catch (error) {
    database = null;
    message = storageMessage(error);
  }

  /** Runs a change on the store; on failure the page keeps the digits in memory from then on. */
  async function change(apply) {
    if (!database) return storageMessage();
    try {
      const transaction = database.transaction(STORE, "readwrite");
      await new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
        Promise.resolve(apply(transaction.objectStore(STORE))).catch(reject);
      });
      return "";
    } catch (error) {
      database = null;
      return storageMessage(error);
    }
  }

  return {
    digits,
    message,
    async add(pixels, label) {
      digits.push({ pixels: Float32Array.from(pixels), label });
      const dropped = digits.length > MAX_TAUGHT ? digits.splice(0, digits.length - MAX_TAUGHT).length : 0;
      const problem = await change(async (store) => {
        store.add(toRecord(pixels, label));
        if (dropped) {
          // The oldest keys come first: delete as many as were dropped.
          const keys = await request(store.getAllKeys(null, dropped));
          keys.forEach((key) => store.delete(key));
        }
      });
      const most = MAX_TAUGHT.toLocaleString("en");
      const capped = dropped ? `The oldest taught digit was forgotten: at most ${most} are kept.` : "";
      return [problem, capped].filter(Boolean).join(" ");
    },
    async clear() {
      digits.length = 0;
      return change((store) => store.clear());
    },
  };
}
