"""site/models/models.json, the page's list of models, and the README table made from it."""

import json
from pathlib import Path

# What every model takes: MNIST's own convention.
MODEL_INPUT = {"shape": [28, 28, 1], "range": [0, 1], "ink": "white-on-black"}

README_START = "<!-- models-table:start (python -m export writes this table from site/models/models.json) -->"
README_END = "<!-- models-table:end -->"


def read_manifest(path):
    """The manifest at path, or an empty one."""
    path = Path(path)
    if not path.exists():
        return {"default": None, "models": []}
    return json.loads(path.read_text())


def with_entry(manifest, entry, order):
    """The manifest with `entry` added or replaced, models kept in `order` (the builders' order)."""
    models = {model["id"]: model for model in manifest["models"]}
    models[entry["id"]] = entry
    ranked = sorted(models.values(), key=lambda m: order.index(m["id"]) if m["id"] in order else len(order))
    default = manifest["default"] if manifest["default"] in models else ranked[0]["id"]
    return {"default": default, "models": ranked}


def write_manifest(path, manifest):
    Path(path).write_text(json.dumps(manifest, indent=2) + "\n")


def models_table(manifest):
    """Markdown: one row per model, from the numbers export measured."""
    rows = [
        "| model | params | download | weights | MNIST test accuracy (TF.js) | training time |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for model in manifest["models"]:
        default = " (default)" if model["id"] == manifest["default"] else ""
        minutes = model["training"]["seconds"] / 60
        rows.append(
            f"| {model['name']} (`{model['id']}`){default} | {model['params']:,} | "
            f"{model['bytes'] / 1e6:.2f} MB | {model['weights']} | {model['accuracy']:.2%} | "
            f"{minutes:.1f} min, {model['training']['epochs']} epochs |"
        )
    return "\n".join(rows)


def replace_section(readme, start, end, body):
    """Replace what lies between a README's start and end markers with body; a README without them is
    left alone. Returns whether it was replaced (python -m bench writes its section this way too)."""
    readme = Path(readme)
    text = readme.read_text() if readme.exists() else ""
    if start not in text or end not in text:
        return False
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{body}\n{end}{tail}")
    return True


def update_readme(readme, manifest):
    """Replace the models table between the README's markers; a README without them is left alone."""
    return replace_section(readme, README_START, README_END, models_table(manifest))
