"""Export: a small CNN converted to a TF.js graph model, run in Chromium on the site's vendored TF.js,
matches Keras; a tampered model fails loudly; `python -m export` writes models.json and the README table;
the ensemble's members are chosen on the validation split and it is measured on the exported files."""

import json

import numpy as np
import pytest
from helpers import SITE, site_runtime

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def small_model():
    """A narrow CNN with random weights: parity does not need a trained model."""
    import keras

    from training.models import build

    keras.utils.set_random_seed(3)
    return build("cnn", width=4)


@pytest.fixture(scope="module")
def exported(small_model, tmp_path_factory):
    from export.convert import convert

    return convert(small_model, tmp_path_factory.mktemp("tfjs") / "cnn")


def test_tfjs_matches_keras_on_200_digits(small_model, exported, mnist_test_digits):
    from export.tfjs_check import check_parity, run_tfjs

    inputs = mnist_test_digits[0][:200].astype("float32") / 255.0
    keras_probabilities = small_model.predict(inputs[..., None], verbose=0)
    tfjs_probabilities = run_tfjs(exported, SITE, inputs)
    assert tfjs_probabilities.shape == (200, 10)
    assert check_parity("cnn", keras_probabilities, tfjs_probabilities) <= 1e-4
    assert json.loads((exported / "model.json").read_text())["format"] == "graph-model"


def test_the_penultimate_layer_models_json_names_is_what_keras_computes_there(small_model, exported, mnist_test_digits):
    # The page compares taught digits in these features (model.worker.js).
    import keras

    from export.manifest import feature_output
    from export.tfjs_check import run_tfjs

    inputs = mnist_test_digits[0][:50].astype("float32") / 255.0
    penultimate = keras.Model(small_model.inputs, small_model.get_layer("probabilities").input)
    keras_features = penultimate.predict(inputs[..., None], verbose=0).reshape(len(inputs), -1)
    features = feature_output(exported / "model.json")
    assert features["size"] == keras_features.shape[1]
    _, tfjs_features = run_tfjs(exported, SITE, inputs, features=features)
    np.testing.assert_allclose(tfjs_features, keras_features, rtol=1e-4, atol=1e-5)


def test_a_tampered_model_fails_parity_loudly(small_model, exported, mnist_test_digits, tmp_path):
    from export.tfjs_check import ParityError, check_parity, run_tfjs

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
        check_parity("cnn", keras_probabilities, run_tfjs(tampered, SITE, inputs))


def test_export_cli_writes_the_manifest_and_readme_table(small_model, tmp_path, mnist_source_dir):
    from export.cli import main
    from export.manifest import README_END, README_START

    artifacts = tmp_path / "artifacts" / "cnn"
    artifacts.mkdir(parents=True)
    small_model.save(artifacts / "model.keras")
    config = {"model": "cnn", "epochs": 1, "batch_size": 128, "lr": 0.003, "seed": 1, "patience": 5, "ema": 0.999}
    config |= {"val_size": 5000, "augment": True, "hands": True, "limit": 0, "data_dir": None, "out": "x", "verbose": 2}
    metrics = {"name": "Compact CNN", "params": small_model.count_params(), "test_accuracy": 0.1}
    metrics |= {"config": config, "train_seconds": 1.0, "epochs_run": 1, "environment": {}}
    metrics |= {"data": {"sha256": {"t10k-images-idx3-ubyte": "0fa7898d"}}}
    (artifacts / "metrics.json").write_text(json.dumps(metrics))
    site = site_runtime(tmp_path / "site")
    (site / "models").mkdir()
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
    # The penultimate layer: the cnn's last convolution (16 channels at this width, 4x4), flattened.
    assert entry["features"]["size"] == 16 * 4 * 4 and "flatten" in entry["features"]["node"]
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


def test_ensemble_members_are_the_most_accurate_group_the_smallest_among_equals():
    from export.ensemble import choose_members

    labels = np.array([1, 2, 3, 4])
    sure = np.eye(10)[labels]
    # "a" and "b" each read one digit as 0, differently (a tie goes to 0 too); only with "c" (right, but
    # barely) are all four read right.
    a, b = sure.copy(), sure.copy()
    a[0] = np.eye(10)[0]
    b[1] = np.eye(10)[0]
    c = np.full((4, 10), 0.09) + 0.1 * sure
    probabilities = {"a": a, "b": b, "c": c}
    assert choose_members(probabilities, labels, {"a": 1, "b": 1, "c": 1}) == ("a", "b", "c")
    # Two groups tie at 100%; the smaller download wins.
    assert choose_members({"a": sure, "b": sure, "c": c}, labels, {"a": 1, "b": 9, "c": 2}) == ("a", "c")


def test_the_ensemble_is_measured_on_the_exported_files(exported, tmp_path, mnist_source_dir):
    import shutil

    from export.ensemble import measure_ensemble
    from training.data import load_mnist

    site = site_runtime(tmp_path / "site")
    training = {"config": {"seed": 1, "val_size": 5000}}
    models = []
    for model_id in ("one", "two"):
        shutil.copytree(exported, site / "models" / model_id)
        models.append({"id": model_id, "params": 10, "bytes": 100, "accuracy": 0.5, "training": training})
    mnist = load_mnist(mnist_source_dir)

    ensemble = measure_ensemble({"default": "one", "models": models}, site, mnist)

    # Two copies of one model average to that model: the same accuracy as measuring it alone.
    from export.tfjs_check import run_tfjs

    alone = run_tfjs(exported, SITE, mnist.x_test.astype("float32") / 255.0)
    assert ensemble["accuracy"] == round(float((alone.argmax(axis=1) == mnist.y_test).mean()), 4)
    assert ensemble["members"] == ["one", "two"] and ensemble["params"] == 20 and ensemble["bytes"] == 200
    # Two copies of one model read no better than it on the validation digits: not offered.
    assert ensemble["best_single"]["validation_accuracy"] == ensemble["validation_accuracy"]
    assert not ensemble["beats_best_single"]
    assert measure_ensemble({"default": "one", "models": models[:1]}, site, mnist) is None


def test_a_run_from_before_the_other_hands_and_ema_options_is_recorded_without_them():
    from export.manifest import training_command

    config = {"model": "dnn", "epochs": 20, "seed": 1, "batch_size": 128, "lr": 0.003, "patience": 5}
    config |= {"val_size": 5000, "limit": 0, "augment": True}
    assert training_command(config) == "python -m training --model dnn --epochs 20 --seed 1 --no-hands --ema 0"
    config |= {"hands": True, "ema": 0.999}
    assert training_command(config) == "python -m training --model dnn --epochs 20 --seed 1"
