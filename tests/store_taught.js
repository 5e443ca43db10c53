// Evaluated in a page of the site (tests/test_site_teach.py): adds records to the page's store of taught
// digits (site/taught.js's IndexedDB "digitlens", store "taught"), as a damaged or an old store would
// hold them. Each record's `pixels` that is a list becomes a Uint8Array, as the page stores them;
// anything else is stored as it is. `copies` repeats the records.
({ records, copies = 1 }) =>
  new Promise((resolve, reject) => {
    const opening = indexedDB.open("digitlens", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("taught", { autoIncrement: true });
    opening.onsuccess = () => {
      const store = opening.result.transaction("taught", "readwrite").objectStore("taught");
      for (let copy = 0; copy < copies; copy++) {
        for (const { pixels, ...rest } of records) {
          store.add({ pixels: Array.isArray(pixels) ? Uint8Array.from(pixels) : pixels, ...rest });
        }
      }
      store.transaction.oncomplete = () => resolve();
      store.transaction.onerror = () => reject(store.transaction.error);
    };
    opening.onerror = () => reject(opening.error);
  });
