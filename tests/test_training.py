"""Model builders and a one-epoch training run on a small slice of MNIST."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from training.__main__ import DEFAULTS, parse_args

pytestmark = pytest.mark.slow


def test_cnn_takes_28x28_and_returns_ten_probabilities():
    from training.models import build

    model = build("cnn")
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    probabilities = model.predict(np.random.default_rng(0).random((3, 28, 28, 1), dtype="float32"), verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)
    # Conv32-Pool-Conv64-Conv64-Pool-Dense128-Dense10 with batch norm (and the normalisation constants).
    assert model.count_params() == 459_434


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
