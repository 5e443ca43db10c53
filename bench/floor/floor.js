// The floor's script: ready once the worker's interpreter has run floor.py, marked the way the app marks
// ready. Python runs in a PyScript worker, as in the app: on the main thread @pyscript/core 0.7 calls
// Function() while it starts, which the production CSP (no 'unsafe-eval') forbids.
import { PyWorker } from "./vendor/pyscript/core.js";

const here = (path) => new URL(path, document.baseURI).href;
await PyWorker(here("floor.py"), { config: here("floor.json"), version: here("vendor/pyodide/pyodide.mjs") });
document.querySelector("[data-testid=status]").dataset.state = "ready";
