// The stdlib recorder's page script (sitebuild/stdlib.py record): runs recorder.py in the page's PyScript
// worker on a stroke, a blank paper and an error, then shows the modules it imported.
import { PyWorker } from "./vendor/pyscript/core.js";

const here = (path) => new URL(path, document.baseURI).href;
const { sync } = await PyWorker(here("recorder.py"), {
  config: here("recorder.json"),
  version: here("vendor/pyodide/pyodide.mjs"),
});
const size = 40;
const paper = new Uint8ClampedArray(size * size * 4).fill(255);
const stroke = paper.slice();
for (let y = 10; y < 30; y++) for (let x = 18; x < 22; x++) stroke.set([0, 0, 0, 255], (y * size + x) * 4);
await sync.prepare(stroke, size, size);
await sync.prepare(paper, size, size);
await sync.fail().catch(() => null);
const status = document.querySelector("[data-testid=status]");
status.textContent = JSON.stringify(await sync.modules());
status.dataset.state = "ready";
