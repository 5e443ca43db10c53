"""The trimmed standard library: the zip keeps exactly the listed modules, and every module the page's
Python imports is listed (or built into Pyodide)."""

import ast
import zipfile
from pathlib import Path

from sitebuild.stdlib import FULL_PYODIDE, module_name, read_modules, trim

SITE_PY = Path(__file__).resolve().parent.parent / "site" / "py"


def test_module_names_of_zip_entries():
    assert module_name("json/decoder.py") == "json.decoder"
    assert module_name("json/__init__.py") == "json"
    assert module_name("typing.py") == "typing"


def test_trim_keeps_only_the_listed_modules(tmp_path):
    path = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as full:
        for name in ["json/__init__.py", "json/decoder.py", "email/__init__.py", "typing.py", "LICENSE.txt"]:
            full.writestr(name, f"# {name}\n")
    assert trim(path, {"json", "json.decoder", "typing"}) == (3, 5)
    with zipfile.ZipFile(path) as trimmed:
        assert trimmed.namelist() == ["json/__init__.py", "json/decoder.py", "typing.py"]
        assert trimmed.read("json/decoder.py") == b"# json/decoder.py\n"
        assert trimmed.getinfo("typing.py").compress_type == zipfile.ZIP_DEFLATED


def test_every_module_the_page_imports_ships():
    with zipfile.ZipFile(FULL_PYODIDE / "python_stdlib.zip") as full:
        in_zip = {module_name(name) for name in full.namelist() if name.endswith(".py")}
    local = {path.stem for path in SITE_PY.glob("*.py")}
    imported = set()
    for path in SITE_PY.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module)
    needed = {name for name in imported - local if name in in_zip}  # the others are built into Pyodide
    assert needed <= read_modules()
