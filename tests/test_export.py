"""Export: a small CNN converted to a TF.js graph model, run in Chromium on the site's vendored TF.js,
matches Keras; a tampered model fails loudly; `python -m export` writes models.json and the README table."""

import json
import os

import numpy as np
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO_VENDOR = os.path.join(os.path.dirname(__file__), "..", "site", "vendor")


@pytest.fixture(scope="module")
def small_model():
    """A narrow CNN with random weights: parity does not need a trained model."""
    import keras

    from training.models import build

    keras.utils.set_random_seed(3)
    return build("cnn", width=4, dense=16)


@pytest.fixture(scope="module")
def exported(small_model, tmp_path_factory):
    from export.convert import convert

    return convert(small_model, tmp_path_factory.mktemp("tfjs") / "cnn")


def test_tfjs_matches_keras_on_200_digits(small_model, exported, mnist_test_digits):
    from export.__main__ import check_parity
    from export.tfjs_check import run_tfjs

    inputs = mnist_test_digits[0][:200].astype("float32") / 255.0
    keras_probabilities = small_model.predict(inputs[..., None], verbose=0)
    tfjs_probabilities = run_tfjs(exported, REPO_VENDOR, inputs)
    assert tfjs_probabilities.shape == (200, 10)
    assert check_parity("cnn", keras_probabilities, tfjs_probabilities) <= 1e-4
    assert json.loads((exported / "model.json").read_text())["format"] == "graph-model"


def test_a_tampered_model_fails_parity_loudly(small_model, exported, mnist_test_digits, tmp_path):
    from export.__main__ import ParityError, check_parity
    from export.tfjs_check import run_tfjs

    tampered = tmp_path / "cnn"
    tampered.mkdir()
    for file in exported.iterdir():
        (tampered / file.name).write_bytes(file.read_bytes())
    shard = next(tampered.glob("*.bin"))
    weights = np.frombuffer(shard.read_bytes(), dtype=np.float32).copy()
    weights[-16 * 10 - 10 :] *= 1.5  # the last dense layer's weights and biases
    shard.write_bytes(weights.tobytes())

    inputs = mnist_test_digits[0][:200].astype("float32") / 255.0
    keras_probabilities = small_model.predict(inputs[..., None], verbose=0)
    with pytest.raises(ParityError, match="fails parity"):
        check_parity("cnn", keras_probabilities, run_tfjs(tampered, REPO_VENDOR, inputs))


def test_export_cli_writes_the_manifest_and_readme_table(small_model, tmp_path, mnist_source_dir):
    from export.__main__ import main
    from export.manifest import README_END, README_START

    artifacts = tmp_path / "artifacts" / "cnn"
    artifacts.mkdir(parents=True)
    small_model.save(artifacts / "model.keras")
    config = {"model": "cnn", "epochs": 1, "batch_size": 128, "lr": 0.003, "seed": 1, "patience": 4}
    config |= {"val_size": 5000, "augment": True, "limit": 0, "data_dir": None, "out": "x", "verbose": 2}
    metrics = {"name": "Compact CNN", "params": small_model.count_params(), "test_accuracy": 0.1}
    metrics |= {"config": config, "train_seconds": 1.0, "epochs_run": 1, "environment": {}}
    metrics |= {"data": {"sha256": {"t10k-images-idx3-ubyte": "0fa7898d"}}}
    (artifacts / "metrics.json").write_text(json.dumps(metrics))
    site = tmp_path / "site"
    (site / "models").mkdir(parents=True)
    (site / "vendor").symlink_to(os.path.abspath(REPO_VENDOR))
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{README_START}\nold table\n{README_END}\nafter\n")

    main(
        [
            "--artifacts",
            str(tmp_path / "artifacts"),
            "--site",
            str(site),
            "--data-dir",
            str(mnist_source_dir),
            "--readme",
            str(readme),
        ]
    )

    manifest = json.loads((site / "models" / "models.json").read_text())
    assert manifest["default"] == "cnn"
    (entry,) = manifest["models"]
    assert entry["path"] == "cnn/model.json" and (site / "models" / entry["path"]).is_file()
    assert entry["input"] == {"shape": [28, 28, 1], "range": [0, 1], "ink": "white-on-black"}
    assert entry["bytes"] == sum(f.stat().st_size for f in (site / "models" / "cnn").iterdir())
    assert 0 <= entry["accuracy"] <= 1 and entry["parity_max_abs_diff"] <= 1e-4
    # float32 first, then quantized weights smallest first until one keeps the accuracy; the kept one ships.
    options = entry["quantization"]
    assert (
        options[0]["weights"] == "float32"
        and [o["weights"] for o in options[1:]] == ["uint8", "float16"][: len(options) - 1]
    )
    shipped = next(o for o in options if o["weights"] == entry["weights"])
    assert shipped["bytes"] == entry["bytes"] and options[0]["accuracy"] - entry["accuracy"] <= 0.0005
    assert entry["training"]["command"] == "python -m training --model cnn --epochs 1 --seed 1"
    table = readme.read_text()
    assert "old table" not in table and "| Compact CNN (`cnn`) (default) |" in table and table.endswith("after\n")
