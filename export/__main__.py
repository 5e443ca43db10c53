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

import numpy as np

from export.manifest import read_manifest, update_readme, with_entry, write_manifest
from export.tfjs_check import run_tfjs
from training.cli import ArgumentParser, import_tensorflow, load_mnist_or_exit
from training.config import DEFAULTS as TRAINING_DEFAULTS
from training.models import BUILDERS, MODEL_INPUT

# tensorflowjs imports TensorFlow Decision Forests, whose welcome banner needs IPython when output is captured.
os.environ.setdefault("TFDF_DISABLE_WELCOME_MESSAGE", "1")

REPO = Path(__file__).resolve().parent.parent
# Largest |Keras - TF.js| probability difference accepted for float32 weights.
PARITY_TOLERANCE = 1e-4
# Quantized weights, smallest first; one is kept if MNIST test accuracy falls by at most 0.05 points.
QUANTIZATIONS = ("uint8", "float16")
MAX_ACCURACY_DROP = 0.0005


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
    return "python -m training " + " ".join(flags)


class ParityError(SystemExit):
    """The TF.js model does not compute what the Keras model computes."""


def check_parity(model_id, keras_probabilities, tfjs_probabilities, tolerance=PARITY_TOLERANCE):
    """Largest |Keras - TF.js| probability difference; raises ParityError beyond the tolerance."""
    difference = float(np.abs(keras_probabilities - tfjs_probabilities).max())
    if difference > tolerance:
        raise ParityError(
            f"export: {model_id} fails parity: TF.js differs from Keras by {difference:.2e} "
            f"(tolerance {tolerance:.0e}); the exported model is wrong"
        )
    return difference


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
    vendor = Path(site) / "vendor"
    inputs = mnist.x_test.astype("float32") / 255.0

    def measure(weights, folder):
        """Convert with these weights into folder; (TF.js probabilities, accuracy, bytes)."""
        convert(model, folder, None if weights == "float32" else weights)
        probabilities = run_tfjs(folder, vendor, inputs)
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
    # The models changed, so the ensemble is chosen and measured again.
    ensemble = measure_ensemble(manifest, args.site, mnist)
    if ensemble:
        manifest["ensemble"] = ensemble
    write_manifest(manifest_path, manifest)
    if update_readme(args.readme, manifest):
        print(f"updated the model table in {args.readme}")


if __name__ == "__main__":
    main()
