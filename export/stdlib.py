"""The Python standard library the site ships: only the modules its Python imports.

Pyodide downloads its whole standard library, python_stdlib.zip (2.5 MB, already compressed), on a
first visit, and the page imports about a quarter of it.

    python -m export.stdlib trim     # run by `npm run build` after vendor.mjs: site/vendor's zip keeps
                                     # only the modules listed in export/stdlib-modules.txt
    python -m export.stdlib record   # boots the page's Python (site/py) in Chromium on the full zip,
                                     # uses it, and writes that list (needs the dev extras)

`trim` uses the standard library alone, so the build needs nothing but Python. Record the list again
whenever site/py imports something new, or on a new Pyodide: the browser tests fail on a missing module.
"""

import argparse
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODULES_FILE = REPO / "export" / "stdlib-modules.txt"
SITE_ZIP = REPO / "site" / "vendor" / "pyodide" / "python_stdlib.zip"
FULL_PYODIDE = REPO / "node_modules" / "pyodide"
# Kept besides what the recording imports: the text codecs a str.encode or bytes.decode can ask for.
EXTRA = [
    "encodings.ascii",
    "encodings.latin_1",
    "encodings.utf_8_sig",
    "encodings.utf_16",
    "encodings.utf_32",
    "encodings.raw_unicode_escape",
    "encodings.unicode_escape",
    "encodings.idna",
    "stringprep",
]

# The page's worker entry (main.py) and preprocess.py, used the way the page uses them, then asked
# which modules Python has imported.
RECORDER_PY = """import sys

from main import prepare


def fail():
    raise RuntimeError("an uncaught error, so that what formats a traceback is imported too")


def modules():
    return sorted(sys.modules)


__export__ = ["prepare", "fail", "modules"]
"""
RECORDER_JS = """import { PyWorker } from "./vendor/pyscript/core.js";

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
"""
RECORDER_HTML = """<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>stdlib recorder</title><link rel="icon" href="data:," />
  <script type="module" src="recorder.js"></script></head>
  <body><p data-testid="status" data-state="loading"></p></body>
</html>
"""


def module_name(path):
    """A zip entry's module: "json/decoder.py" -> "json.decoder", "json/__init__.py" -> "json"."""
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def read_modules(path=MODULES_FILE):
    return {line.strip() for line in Path(path).read_text().splitlines() if line.strip() and not line.startswith("#")}


def trim(zip_path, modules):
    """Rewrites zip_path with only the .py files of these modules; returns (files kept, files in all)."""
    with zipfile.ZipFile(zip_path) as full:
        entries = [(info, full.read(info)) for info in full.infolist()]
    kept = [
        (info, data)
        for info, data in entries
        if info.filename.endswith(".py") and module_name(info.filename) in modules
    ]
    with zipfile.ZipFile(zip_path, "w") as trimmed:
        for info, data in kept:
            trimmed.writestr(info, data)
    return len(kept), len(entries)


def record():
    """The standard-library modules the page's Python imports, from a run in Chromium on the full zip."""
    from playwright.sync_api import sync_playwright

    from export.browser import launch_chromium
    from export.serve import serve_in_thread

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "vendor").mkdir()
        (root / "vendor" / "pyscript").symlink_to(REPO / "site" / "vendor" / "pyscript", target_is_directory=True)
        (root / "vendor" / "pyodide").symlink_to(FULL_PYODIDE, target_is_directory=True)
        # The page's Python files, as site/pyscript.json lists them, and its entry point.
        listed = json.loads((REPO / "site" / "pyscript.json").read_text())["files"].values()
        names = ["main.py", *(Path(name).name for name in listed)]
        for name in names:
            shutil.copy(REPO / "site" / "py" / name, root / name)
        files = {f"./{name}": f"./{name}" for name in names}
        (root / "recorder.json").write_text(json.dumps({"interpreter": "./vendor/pyodide/pyodide.mjs", "files": files}))
        (root / "recorder.py").write_text(RECORDER_PY)
        (root / "recorder.js").write_text(RECORDER_JS)
        (root / "index.html").write_text(RECORDER_HTML)
        server, url = serve_in_thread(root=root, port=0, quiet=True)
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page()
                page.goto(url)
                page.locator("[data-testid=status][data-state=ready]").wait_for(timeout=120_000)
                imported = set(json.loads(page.get_by_test_id("status").text_content()))
                browser.close()
        finally:
            server.shutdown()
    with zipfile.ZipFile(FULL_PYODIDE / "python_stdlib.zip") as full:
        in_zip = {module_name(name) for name in full.namelist() if name.endswith(".py")}
    return sorted((imported | set(EXTRA)) & in_zip)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m export.stdlib", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["trim", "record"])
    args = parser.parse_args(argv)
    if args.action == "record":
        modules = record()
        header = "# The standard-library modules the site ships (python -m export.stdlib record writes this).\n"
        MODULES_FILE.write_text(header + "".join(f"{name}\n" for name in modules))
        print(f"{MODULES_FILE.relative_to(REPO)}: {len(modules)} modules")
        return
    if not SITE_ZIP.is_file():
        sys.exit(f"export.stdlib: {SITE_ZIP} is missing: run `node export/vendor.mjs` first")
    before = SITE_ZIP.stat().st_size
    kept, total = trim(SITE_ZIP, read_modules())
    after = SITE_ZIP.stat().st_size
    print(f"site/vendor/pyodide/python_stdlib.zip: {kept} of {total} files, {before:,} -> {after:,} bytes")


if __name__ == "__main__":
    main()
