// Writes site/precache.js for the service worker (site/sw.js): every file the page loads and a
// version hashed from their contents, so any change to the site installs a new worker and new caches;
// and the headers that isolate the page, as netlify.toml sends them, for hosts that send none.
// Run by `npm run build` after vendor.mjs, and by `make site`, so the list follows the site's files.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";

const site = join(dirname(fileURLToPath(import.meta.url)), "..", "site");
const OUTPUT = "precache.js";
// The browser fetches the worker and its list itself on every update check: they are never cached.
const NOT_CACHED = new Set(["sw.js", OUTPUT]);

function siteFiles() {
  return readdirSync(site, { recursive: true })
    .map((path) => path.split("\\").join("/"))
    .filter((path) => statSync(join(site, path)).isFile())
    // CPython's tests import site/py/preprocess.py and may leave bytecode beside it.
    .filter((path) => !path.includes("__pycache__/"))
    .sort();
}

// Files the page never loads, so a first visit does not download them for the cache: index.html
// (stored once, as "./", the URL the browser asks for), the manifest's PNG icons (the browser fetches
// them itself to install the app), versions.json (for people) and TF.js's wasm build without SIMD
// (browsers from before 2021; offline they fall back to the cpu backend). Both SIMD builds are kept:
// an isolated page loads the threaded one, a page that is not isolated the other.
const NEVER_LOADED = new Set(["index.html", "vendor/versions.json", "vendor/tfjs/tfjs-backend-wasm.wasm"]);
// core.js loads only its core chunk and its plugins at start-up; the rest of PyScript (the editor's
// CodeMirror, the terminal's xterm, MicroPython, TOML, archives, packages) serves features we do not use.
const PYSCRIPT_AT_START = /^vendor\/pyscript\/(core|deprecations-manager|donkey|error|py-editor|py-game|py-terminal)(-[\w-]+)?\.js$/;

/** Models other than the default are left out: the worker caches them when they are first used. */
function isPrecached(path, defaultModelDir) {
  if (NOT_CACHED.has(path) || NEVER_LOADED.has(path) || path.startsWith("icons/")) return false;
  if (path.startsWith("vendor/pyscript/")) return PYSCRIPT_AT_START.test(path);
  return !path.startsWith("models/") || path === "models/models.json" || path.startsWith(defaultModelDir);
}

// The isolating headers are netlify.toml's own lines (`Name = "value"` in its [[headers]] for "/*").
const ISOLATING = ["Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy"];

function isolationHeaders() {
  const toml = readFileSync(join(site, "..", "netlify.toml"), "utf8");
  return Object.fromEntries(
    ISOLATING.map((name) => {
      const line = toml.match(new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`, "m"));
      if (!line) throw new Error(`netlify.toml sets no ${name}`);
      return [name, line[1]];
    }),
  );
}

const manifest = JSON.parse(readFileSync(join(site, "models", "models.json"), "utf8"));
const defaultEntry = manifest.models.find((entry) => entry.id === manifest.default);
const defaultModelDir = posix.join("models", posix.dirname(defaultEntry.path)) + "/";

const files = siteFiles().filter((path) => isPrecached(path, defaultModelDir));
const hash = createHash("sha256");
for (const path of files) hash.update(path).update("\0").update(readFileSync(join(site, path)));
const version = hash.digest("hex").slice(0, 16);

// "./" is the page itself as the browser asks for it (the start URL and the scope).
const precache = { version, files: ["./", ...files], isolation: isolationHeaders() };
writeFileSync(
  join(site, OUTPUT),
  `// Written by sitebuild/precache.mjs (npm run build, make site): do not edit.\nself.PRECACHE = ${JSON.stringify(precache, null, 2)};\n`,
);
console.log(`site/${OUTPUT}: ${files.length} files, version ${version}`);
