"""Model builders and a one-epoch training run on a small slice of MNIST."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from training.__main__ import DEFAULTS, parse_args

pytestmark = pytest.mark.slow


# Parameter counts: cnn is Conv32-Pool-Conv64-Conv64-Pool-Dense128-Dense10 with batch norm; dnn is
# 784-512-256-10 with batch norm; the applications are keras' own bases with a 10-way softmax on top.
PARAMS = {"cnn": 459_434, "dnn": 538_122, "mobilenetv2": 2_270_794, "resnet50": 23_608_202}


@pytest.mark.parametrize("model_id", list(PARAMS))
def test_each_model_takes_28x28_and_returns_ten_probabilities(model_id):
    from training.models import build

    model = build(model_id)
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    probabilities = model.predict(np.random.default_rng(0).random((3, 28, 28, 1), dtype="float32"), verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)
    assert model.count_params() == PARAMS[model_id]


def test_unknown_model_and_options_are_rejected():
    from training.models import build

    with pytest.raises(ValueError, match="unknown model"):
        build("vgg")
    with pytest.raises(SystemExit):
        parse_args(["--model", "vgg"])
    with pytest.raises(SystemExit):
        parse_args(["--epoch", "3"])  # a misspelt option is an error, not ignored


def test_defaults_come_from_the_top_of_the_script():
    args = parse_args([])
    assert (args.model, args.epochs, args.seed) == (DEFAULTS["model"], DEFAULTS["epochs"], DEFAULTS["seed"])


@pytest.mark.parametrize("model_id", ["dnn", "mobilenetv2", "resnet50"])
def test_one_epoch_of_each_other_model_trains(model_id, mnist_source_dir, tmp_path):
    from training.train import run

    config = dict(DEFAULTS, model=model_id, epochs=1, limit=300, val_size=100, batch_size=64, verbose=0)
    metrics = run(dict(config, data_dir=str(mnist_source_dir), out=str(tmp_path)))
    assert metrics["epochs_run"] == 1 and metrics["test_size"] == 300
    assert (tmp_path / model_id / "model.keras").stat().st_size > 0


def test_imagenet_weights_without_a_network_stop_with_a_clear_message(monkeypatch):
    from training.train import build_model

    def no_network(*args, **kwargs):
        raise Exception("URL fetch failure: [Errno -2] Name or service not known")

    # keras' downloader fails like this with no network (as on this project's machines); patched so the
    # test does not download 9 MB where there is one.
    monkeypatch.setattr("keras.src.applications.mobilenet_v2.file_utils.get_file", no_network)
    with pytest.raises(SystemExit, match="could not download the ImageNet weights for mobilenetv2.*--weights none"):
        build_model("mobilenetv2", "imagenet")


def test_one_epoch_on_a_small_slice_writes_model_metrics_and_plots(tmp_path, mnist_source_dir):
    command = [sys.executable, "-m", "training", "--model", "cnn", "--epochs", "1", "--limit", "2000"]
    command += ["--data-dir", str(mnist_source_dir), "--out", str(tmp_path), "--verbose", "2"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"\d+/\d+ - \d+s - .*accuracy: ", result.stdout)  # Keras' progress output

    out = tmp_path / "cnn"
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["test_size"] == 2000
    assert metrics["test_accuracy"] > 0.3  # far above chance after one short epoch
    confusion = np.array(metrics["confusion_matrix"])
    assert confusion.shape == (10, 10) and confusion.sum() == 2000
    assert len(metrics["per_class_accuracy"]) == 10
    assert metrics["data"]["sha256"]["t10k-images-idx3-ubyte"].startswith("0fa7898d")
    assert metrics["config"]["epochs"] == 1 and metrics["epochs_run"] == 1
    for name in ("model.keras", "history.json", "curves.png", "confusion.png"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
