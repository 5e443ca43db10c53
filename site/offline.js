// Offline use: registers the service worker (sw.js) and tells the user, through ui.js, when the app
// is stored on this device and when a new version is waiting to be switched on.
import * as ui from "./ui.js";

/** Resolves once an active worker controls this page (its first install claims the page). */
async function whenControlled(container) {
  await container.ready;
  if (container.controller) return;
  await new Promise((resolve) => container.addEventListener("controllerchange", resolve, { once: true }));
}

function offerUpdate(container, worker) {
  ui.offerUpdate(() => {
    // The new worker takes over, then the page reloads to run the new version's files.
    container.addEventListener("controllerchange", () => window.location.reload(), { once: true });
    worker.postMessage("activate-update");
  });
}

/** Registers sw.js (beside index.html, so its scope is the app's folder, wherever it is hosted). Once
 * it controls the page, keep() stores what the page loaded before that (a model chosen early), and only
 * then is the app said to work offline. */
export async function registerOffline(keep) {
  const container = navigator.serviceWorker;
  if (!container) {
    ui.setOfflineStatus("unavailable", "This browser cannot keep the app for offline use.");
    return;
  }
  // updateViaCache "none": update checks always reach the host for sw.js and precache.js.
  const registration = await container.register("sw.js", { updateViaCache: "none" });
  if (registration.waiting && container.controller) offerUpdate(container, registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && container.controller) offerUpdate(container, worker);
    });
  });
  await whenControlled(container);
  await keep();
  if (!registration.waiting) ui.setOfflineStatus("ready", "Ready to work offline: this app is saved on this device.");
}
