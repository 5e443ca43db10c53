"""python -m export [--models cnn ...] [--artifacts artifacts] [--site site] [--data-dir DIR]

Converts each trained model (artifacts/<id>/model.keras) into a TF.js graph model under
site/models/<id>/, runs it in Chromium on all 10,000 MNIST test digits, fails loudly if it differs
from Keras, and records what it measured in site/models/models.json and the README's table. Then it
measures the ensemble of the exported models (export/ensemble.py) and records it beside them."""

import json
import os
import shutil
import tempfile
from pathlib import Path

from export.manifest import (
    feature_output,
    read_manifest,
    training_command,
    update_readme,
    with_entry,
    write_manifest,
)
from export.tfjs_check import check_parity, run_tfjs
from training.cli import ArgumentParser, import_tensorflow, load_mnist_or_exit
from training.models import BUILDERS, MODEL_INPUT

# tensorflowjs imports TensorFlow Decision Forests, whose welcome banner needs IPython when output is captured.
os.environ.setdefault("TFDF_DISABLE_WELCOME_MESSAGE", "1")

REPO = Path(__file__).resolve().parent.parent
# Quantized weights, smallest first; one is kept if MNIST test accuracy falls by at most 0.05 points.
QUANTIZATIONS = ("uint8", "float16")
MAX_ACCURACY_DROP = 0.0005


def export_model(model_id, artifacts, site, mnist):
    """Convert, check and describe one model, its weights as small as accuracy allows; returns its
    models.json entry."""
    import keras
    import tensorflowjs

    from export.convert import convert, download_bytes

    trained = Path(artifacts) / model_id
    metrics = json.loads((trained / "metrics.json").read_text())
    model = keras.models.load_model(trained / "model.keras")
    out_dir = Path(site) / "models" / model_id
    inputs = mnist.x_test.astype("float32") / 255.0

    def measure(weights, folder):
        """Convert with these weights into folder; (TF.js probabilities, accuracy, bytes)."""
        convert(model, folder, None if weights == "float32" else weights)
        probabilities = run_tfjs(folder, site, inputs)
        accuracy = float((probabilities.argmax(axis=1) == mnist.y_test).mean())
        size = download_bytes(folder)
        print(f"{model_id} {weights}: TF.js accuracy {accuracy:.4%}, {size:,} bytes")
        return probabilities, accuracy, size

    keras_probabilities = model.predict(inputs[..., None], batch_size=500, verbose=0)
    tfjs_probabilities, float_accuracy, float_bytes = measure("float32", out_dir)
    difference = check_parity(model_id, keras_probabilities, tfjs_probabilities)
    print(f"{model_id}: max |Keras - TF.js| {difference:.1e} on {len(inputs)} digits")

    # The smallest weights whose accuracy stays within MAX_ACCURACY_DROP of float32's.
    chosen = {"weights": "float32", "accuracy": float_accuracy, "bytes": float_bytes}
    tried = [dict(chosen)]
    for weights in QUANTIZATIONS:
        with tempfile.TemporaryDirectory() as scratch:
            _, accuracy, size = measure(weights, Path(scratch) / model_id)
            tried.append({"weights": weights, "accuracy": accuracy, "bytes": size})
            if float_accuracy - accuracy <= MAX_ACCURACY_DROP:
                shutil.rmtree(out_dir)
                shutil.copytree(Path(scratch) / model_id, out_dir)
                chosen = tried[-1]
                break

    return {
        "id": model_id,
        "name": metrics["name"],
        "path": f"{model_id}/model.json",
        "params": metrics["params"],
        "bytes": chosen["bytes"],
        "weights": chosen["weights"],
        "accuracy": round(chosen["accuracy"], 4),
        "quantization": [{**option, "accuracy": round(option["accuracy"], 4)} for option in tried],
        "keras_accuracy": round(metrics["test_accuracy"], 4),
        "parity_max_abs_diff": float(f"{difference:.3g}"),
        "input": MODEL_INPUT,
        "training": {
            "command": training_command(metrics["config"]),
            "config": {k: v for k, v in metrics["config"].items() if k not in ("data_dir", "out", "verbose")},
            "seconds": metrics["train_seconds"],
            "epochs": metrics["epochs_run"],
            "environment": metrics["environment"],
            # How the --extra-data digits were made, where a command made them (training.photodigits).
            **({"extra_data_made": metrics["extra_data_made"]} if metrics.get("extra_data_made") else {}),
        },
        "data_sha256": metrics["data"]["sha256"],
        "converter": f"tensorflowjs {tensorflowjs.__version__}, keras {keras.__version__}",
    }


def main(argv=None):
    parser = ArgumentParser(prog="python -m export", description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", choices=list(BUILDERS), help="default: every trained model")
    parser.add_argument("--artifacts", default=str(REPO / "artifacts"))
    parser.add_argument("--site", default=str(REPO / "site"))
    parser.add_argument("--data-dir", default=None, help="MNIST folder (else $MNIST_DIR, else the cache)")
    parser.add_argument("--readme", default=str(REPO / "README.md"))
    args = parser.parse_args(argv)
    trained = [m for m in BUILDERS if (Path(args.artifacts) / m / "model.keras").exists()]
    model_ids = args.models or trained
    missing = sorted(set(model_ids) - set(trained))
    if not model_ids or missing:
        parser.error(
            f"no trained model for {', '.join(missing) or 'any id'} in {args.artifacts}: "
            "run `python -m training --model ID` first"
        )
    if not (Path(args.site) / "vendor" / "tfjs").is_dir():
        parser.error(f"{args.site}/vendor is missing: run `make site` first")
    mnist = load_mnist_or_exit(parser, args.data_dir)
    import_tensorflow()
    from export.ensemble import measure_ensemble

    manifest_path = Path(args.site) / "models" / "models.json"
    manifest = read_manifest(manifest_path)
    for model_id in model_ids:
        manifest = with_entry(manifest, export_model(model_id, args.artifacts, args.site, mnist), list(BUILDERS))
        write_manifest(manifest_path, manifest)
    # Every entry names its penultimate layer, read from its converted graph (the ones exported now and
    # those exported before alike).
    for entry in manifest["models"]:
        entry["features"] = feature_output(Path(args.site) / "models" / entry["path"])
    # The models changed, so the ensemble is chosen and measured again.
    ensemble = measure_ensemble(manifest, args.site, mnist)
    if ensemble:
        manifest["ensemble"] = ensemble
    write_manifest(manifest_path, manifest)
    if update_readme(args.readme, manifest):
        print(f"updated the model table in {args.readme}")
