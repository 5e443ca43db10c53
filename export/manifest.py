"""site/models/models.json, the page's list of models, the README table made from it, and the training
command each entry records."""

import json
from pathlib import Path

from training.config import DEFAULTS as TRAINING_DEFAULTS

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


def feature_output(model_json):
    """{node, size}: the graph's penultimate layer, what its last layer turns into the ten
    probabilities (the page compares digits there, for what the user taught). It is the first input of
    the last matrix product, the one the softmax reads, in the converted graph (model_json, a path)."""
    graph = json.loads(Path(model_json).read_text())
    nodes = {node["name"]: node for node in graph["modelTopology"]["node"]}
    softmax = next(node for node in nodes.values() if node["op"] == "Softmax")
    last = nodes[softmax["input"][0]]
    while last["op"] not in ("MatMul", "_FusedMatMul"):
        last = nodes[last["input"][0]]
    kernel = last["input"][1]
    shapes = {weight["name"]: weight["shape"] for group in graph["weightsManifest"] for weight in group["weights"]}
    return {"node": last["input"][0], "size": shapes[kernel][0]}


def write_manifest(path, manifest):
    Path(path).write_text(json.dumps(manifest, indent=2) + "\n")


# The replaced app's four models, as it stated them: the row each of ours replaces.
STREAMLIT_MODELS = {
    "cnn": "Baseline CNN: 54K params, 0.65 MB, 98.17%",
    "dnn": "DNN with Dropout: 244K params, 2.84 MB, 94.91%",
    "mobilenetv2": "MobileNetV2, transfer learning: 2.4M params, 11.07 MB, 63.17%",
    "resnet50": "ResNet50, transfer learning: 23.8M params, 93.63 MB, 78.01%",
}


def models_table(manifest):
    """Markdown: one row per model, from the numbers export measured, beside the Streamlit app's model it replaces."""
    rows = [
        "| model | params | weights | download | MNIST test accuracy (TF.js) | float32 download, accuracy "
        "| training on 2 CPU cores | replaces (Streamlit app) |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for model in manifest["models"]:
        default = " (default)" if model["id"] == manifest["default"] else ""
        float32 = next(option for option in model["quantization"] if option["weights"] == "float32")
        minutes = model["training"]["seconds"] / 60
        rows.append(
            f"| {model['name']} (`{model['id']}`){default} | {model['params']:,} | {model['weights']} | "
            f"{model['bytes'] / 1e6:.2f} MB | {model['accuracy']:.2%} | "
            f"{float32['bytes'] / 1e6:.2f} MB, {float32['accuracy']:.2%} | "
            f"{minutes:.1f} min, {model['training']['epochs']} epochs | {STREAMLIT_MODELS.get(model['id'], '')} |"
        )
    ensemble = manifest.get("ensemble")
    if ensemble:
        names = " + ".join(f"`{member}`" for member in ensemble["members"])
        single = ensemble["best_single"]
        best = f"`{single['id']}` ({single['validation_accuracy']:.2%} on validation)"
        verdict = (
            f"beats {best}: offered in the page"
            if ensemble["beats_best_single"]
            else f"not offered: no better than {best}"
        )
        rows.append(
            f"| Ensemble: average of {names} | {ensemble['params']:,} | (members') | "
            f"{ensemble['bytes'] / 1e6:.2f} MB | {ensemble['accuracy']:.2%} | | members chosen on the "
            f"validation split ({ensemble['validation_accuracy']:.2%}) | {verdict} |"
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


def training_command(config):
    """The `python -m training` command line that reproduces a run, from its recorded config."""
    flags = [f"--model {config['model']}", f"--epochs {config['epochs']}", f"--seed {config['seed']}"]
    for key in ("batch_size", "lr", "patience", "val_size", "limit"):
        if config[key] != TRAINING_DEFAULTS[key]:
            flags.append(f"--{key.replace('_', '-')} {config[key]}")
    if not config["augment"]:
        flags.append("--no-augment")
    if not config.get("hands", False):  # runs from before the other-hands augmentation trained without it
        flags.append("--no-hands")
    ema = config.get("ema", 0)  # runs from before the moving average kept the last step's weights
    if ema != TRAINING_DEFAULTS["ema"]:
        flags.append(f"--ema {ema}")
    for key in ("init", "extra_data"):
        if config.get(key):
            flags.append(f"--{key.replace('_', '-')} {config[key]}")
    return "python -m training " + " ".join(flags)
