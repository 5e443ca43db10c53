// Injected by the bench before any page script. Records, on the page's own clock (ms since navigation
// start): long tasks; when the status (data-testid=status) first reaches data-state ready or error (then
// it calls window.benchSettled where a page exposes it); each data-seq bump of the prediction (a result
// shown); each upload's change event; and each pointer event, when it was made and when handled.
(() => {
  const bench = (window.__bench = { longtasks: [], settled: null, results: [], changes: [], pointer: [] });
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) bench.longtasks.push({ start: task.startTime, duration: task.duration });
  }).observe({ type: "longtask", buffered: true });
  new MutationObserver((records) => {
    const now = performance.now();
    for (const { target, attributeName } of records) {
      const state = target.dataset.testid === "status" && target.dataset.state;
      if (attributeName === "data-state" && !bench.settled && (state === "ready" || state === "error")) {
        bench.settled = { state, at: now, text: target.textContent.trim() };
        if (window.benchSettled) window.benchSettled();
      }
      if (attributeName === "data-seq" && target.dataset.testid === "prediction") bench.results.push(now);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state", "data-seq"] });
  addEventListener("change", () => bench.changes.push(performance.now()), { capture: true });
  for (const type of ["pointerdown", "pointermove", "pointerup"]) {
    addEventListener(type, (event) => bench.pointer.push({ type, made: event.timeStamp, at: performance.now() }), {
      capture: true,
    });
  }
})();
