// ESLint for the repository's JavaScript: the page's modules and workers, the site build's scripts, and
// the pages and scripts that the build, the bench and the tests add. `make test` and `make lint` run it,
// as ruff checks the Python.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["site/vendor/", "site/precache.js", "node_modules/", ".venv/"] },
  js.configs.recommended,
  // The page's ES modules, and those of the pages the build and the bench serve beside it.
  {
    files: ["site/**/*.js", "sitebuild/recorder/*.js", "bench/floor/*.js"],
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
  // Classic workers: the model's (TF.js and the model runner from importScripts) and the service worker.
  {
    files: ["site/model.worker.js", "site/sw.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.worker, tf: "readonly", modelRunner: "readonly" } },
  },
  // The model runner: a classic script for the model worker and for the export check's and bench's pages.
  {
    files: ["site/model.runner.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser, ...globals.worker, tf: "readonly" } },
  },
  { files: ["site/decode.worker.js"], languageOptions: { globals: globals.worker } },
  { files: ["sitebuild/*.mjs"], languageOptions: { globals: globals.node } },
  // Functions that Playwright evaluates in a page where the model runner is loaded.
  {
    files: ["export/run_model.js", "bench/time_predict.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser, tf: "readonly", modelRunner: "readonly" } },
  },
  // A function Playwright evaluates in a page of the served site: the teaching measurement's.
  { files: ["export/teaching_run.js"], languageOptions: { sourceType: "module", globals: globals.browser } },
  // Scripts added to a page before its own (Playwright's add_init_script).
  { files: ["bench/record.js", "tests/*.js"], languageOptions: { sourceType: "script", globals: globals.browser } },
];
