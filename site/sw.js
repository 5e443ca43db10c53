// The service worker: stores every file the page needs (precache.js, written by the build, lists
// them with the site's version) so the app opens without a connection, and keeps other models once
// they have been downloaded. One cache per version; activating a version deletes the older ones.
importScripts("precache.js");

const CACHE_PREFIX = "digitlens-";
const CACHE = CACHE_PREFIX + self.PRECACHE.version;
const PRECACHED = new Set(self.PRECACHE.files.map((path) => new URL(path, self.location).href));
const MODELS = new URL("models/", self.location).href;
// The page is stored once, as "./"; index.html is the same file.
const PAGE = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  // "no-cache" revalidates each file, so a new version never stores an older copy from the HTTP
  // cache, yet files the page has just loaded come back as cheap 304s.
  const requests = [...PRECACHED].map((url) => new Request(url, { cache: "no-cache" }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const old = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE);
      await Promise.all(old.map((name) => caches.delete(name)));
      // The page that installed the first version works offline without a reload.
      await self.clients.claim();
    })(),
  );
});

// A waiting version takes over only when the page asks (its update button).
self.addEventListener("message", (event) => {
  if (event.data === "activate-update") self.skipWaiting();
});

async function cacheFirst(request, key) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  if (cached) return isolated(cached);
  const response = await fetch(request);
  if (response.ok) await cache.put(key, response.clone());
  return isolated(response);
}

// The headers that isolate the page (netlify.toml's, which the build copied into precache.js), added
// where the host sent none (GitHub Pages, say): from the second visit, the page served from here gets
// TF.js's threads there too.
const ISOLATION = self.PRECACHE.isolation;

function isolated(response) {
  if (response.headers.has("Cross-Origin-Embedder-Policy") || response.type === "opaque") return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  const { status, statusText } = response;
  return new Response(response.body, { status, statusText, headers });
}

// Precached files and models come from the cache (models are stored on first download); anything
// else goes to the network.
self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const key = request.url === PAGE + "index.html" ? PAGE : request.url;
  if (PRECACHED.has(key) || key.startsWith(MODELS)) event.respondWith(cacheFirst(request, key));
});
