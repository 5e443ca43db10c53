// Copies the runtime the page uses from node_modules (pinned by package-lock.json) into site/vendor/.
// Run by `npm run build` (`make site`, and Netlify's build command). Only the files the page loads are
// copied: no source maps, no TF.js layers/data/webgl.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "site", "vendor");

const groups = {
  pyodide: {
    from: "pyodide",
    files: ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"],
  },
  pyscript: {
    from: "@pyscript/core/dist",
    // core.js imports its plugins' chunks at start-up, whatever the page uses.
    files: readdirSync(join(modules, "@pyscript/core/dist")).filter((name) => /\.(js|css)$/.test(name)),
  },
  tfjs: {
    from: "@tensorflow",
    files: [
      "tfjs-core/dist/tf-core.es2017.min.js",
      "tfjs-converter/dist/tf-converter.es2017.min.js",
      "tfjs-backend-cpu/dist/tf-backend-cpu.es2017.min.js",
      "tfjs-backend-wasm/dist/tf-backend-wasm.es2017.min.js",
      "tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm",
      "tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
      "tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm",
    ],
  },
};

function packageVersion(name) {
  return JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
}

rmSync(vendor, { recursive: true, force: true });
for (const [group, { from, files }] of Object.entries(groups)) {
  mkdirSync(join(vendor, group), { recursive: true });
  for (const file of files) {
    copyFileSync(join(modules, from, file), join(vendor, group, file.split("/").pop()));
  }
}

// TF.js's scripts in the order they load (the core, the converter, then the backends): the page's model
// worker, the export check and the bench all load this list.
const scripts = groups.tfjs.files.map((file) => file.split("/").pop()).filter((name) => name.endsWith(".js"));
writeFileSync(join(vendor, "tfjs", "scripts.json"), JSON.stringify(scripts, null, 2) + "\n");

// The versions travel with the files: the page and the service worker key their caches on them.
const versions = {
  pyodide: packageVersion("pyodide"),
  pyscript: packageVersion("@pyscript/core"),
  tfjs: packageVersion("@tensorflow/tfjs-core"),
};
writeFileSync(join(vendor, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`site/vendor: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(", ")}`);
