"""The Python standard library the site ships: only the modules its Python imports.

Pyodide downloads its whole standard library, python_stdlib.zip (2.5 MB, already compressed), on a
first visit, and the page imports about a quarter of it.

    python -m sitebuild.stdlib trim     # run by `npm run build` after vendor.mjs: site/vendor's zip keeps
                                     # only the modules listed in sitebuild/stdlib-modules.txt
    python -m sitebuild.stdlib record   # boots the page's Python (site/py) in Chromium on the full zip,
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
MODULES_FILE = REPO / "sitebuild" / "stdlib-modules.txt"
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

# The recorder page: the page's Python used the way the page uses it, then asked what it imported.
RECORDER = Path(__file__).with_name("recorder")


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

    from devtools.browser import launch_chromium
    from devtools.serve import serve_in_thread

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
        for page_file in RECORDER.iterdir():
            shutil.copy(page_file, root / page_file.name)
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
    parser = argparse.ArgumentParser(prog="python -m sitebuild.stdlib", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["trim", "record"])
    args = parser.parse_args(argv)
    if args.action == "record":
        modules = record()
        header = "# The standard-library modules the site ships (python -m sitebuild.stdlib record writes this).\n"
        MODULES_FILE.write_text(header + "".join(f"{name}\n" for name in modules))
        print(f"{MODULES_FILE.relative_to(REPO)}: {len(modules)} modules")
        return
    if not SITE_ZIP.is_file():
        sys.exit(f"sitebuild.stdlib: {SITE_ZIP} is missing: run `node sitebuild/vendor.mjs` first")
    before = SITE_ZIP.stat().st_size
    kept, total = trim(SITE_ZIP, read_modules())
    after = SITE_ZIP.stat().st_size
    print(f"site/vendor/pyodide/python_stdlib.zip: {kept} of {total} files, {before:,} -> {after:,} bytes")


if __name__ == "__main__":
    main()
