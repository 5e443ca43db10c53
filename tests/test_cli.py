"""The command lines as a new user meets them: a mistake is one line on stderr and exit status 2, with no
traceback and no folder left behind; options are read without loading TensorFlow; the defaults train the
shipped model."""

import json
import subprocess
import sys

import pytest
from helpers import REPO, assert_one_line_mistake, link_files, run

from training.config import DEFAULTS
from training.data import MNIST_FILES


def test_a_missing_data_folder_is_one_line_and_leaves_no_output_folder(tmp_path):
    out = tmp_path / "out"
    result = run("training", "--data-dir", str(tmp_path / "no-data"), "--out", str(out))
    assert_one_line_mistake(result, "python -m training: error: ", "no-data", "no such folder")
    assert not out.exists()


def test_a_truncated_data_file_is_one_line_naming_it_and_leaves_no_output_folder(tmp_path, mnist_source_dir):
    data, out = tmp_path / "mnist", tmp_path / "out"
    labels = MNIST_FILES["test_labels"]
    link_files(mnist_source_dir, data, [base for base in MNIST_FILES.values() if base != labels])
    whole = (mnist_source_dir / f"{labels}.gz").read_bytes()
    (data / f"{labels}.gz").write_bytes(whole[: len(whole) // 2])
    result = run("training", "--data-dir", str(data), "--out", str(out))
    assert_one_line_mistake(result, f"{labels}.gz", "truncated")
    assert not out.exists()


@pytest.mark.parametrize(
    "mistake",
    [
        ["--model", "foo"],
        ["--modle", "cnn"],  # mistyped
        ["--mod", "cnn"],  # abbreviated
        ["--epochs", "many"],
        ["--weights", "imagenet"],  # for the keras.applications models only
        ["--ema", "1.5"],  # a momentum is below 1
    ],
)
def test_training_option_mistakes_are_one_line(mistake, tmp_path):
    result = run("training", *mistake, "--out", str(tmp_path / "out"))
    assert_one_line_mistake(result, "python -m training: error: ")
    assert not (tmp_path / "out").exists()


def test_parsing_the_training_options_loads_no_tensorflow():
    # Why --help and a mistyped option answer at once: TensorFlow takes seconds to load.
    code = "import sys; from training.cli import parse_args; parse_args(['--model', 'cnn']);"
    code += "print('tensorflow' in sys.modules or 'keras' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--images", "/no/such/images"], "/no/such/images"),
        (["--imags", "x"], "--images"),  # mistyped: --images is then missing
        (["--images", "."], "models.json"),  # with --site below: nothing exported there
    ],
)
def test_evaluate_mistakes_are_one_line(arguments, named, tmp_path):
    result = run("export.evaluate", *arguments, "--site", str(tmp_path))
    assert_one_line_mistake(result, "python -m export.evaluate: error: ", named)


def test_evaluate_names_a_listed_image_that_is_not_there(tmp_path):
    (tmp_path / "labels.csv").write_text("file,label\nmissing.png,3\n")
    result = run("export.evaluate", "--images", str(tmp_path))
    assert_one_line_mistake(result, "missing.png")


def test_evaluate_names_a_listing_without_its_columns(tmp_path):
    (tmp_path / "labels.csv").write_text("image,digit\na.png,3\n")
    result = run("export.evaluate", "--images", str(tmp_path))
    assert_one_line_mistake(result, "labels.csv", "file and label")


def test_an_output_folder_behind_a_file_is_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("")
    result = run("training", "--out", str(tmp_path / "notes.txt" / "run"))
    assert_one_line_mistake(result, "python -m training: error: ", "notes.txt")


def test_photoset_with_a_missing_data_folder_is_one_line_and_leaves_no_output_folder(tmp_path):
    out = tmp_path / "photos"
    result = run("training.photoset", "--out", str(out), "--data-dir", str(tmp_path / "no-data"))
    assert_one_line_mistake(result, "python -m training.photoset: error: ", "no-data")
    assert not out.exists()


def test_export_mistakes_are_one_line(tmp_path):
    assert_one_line_mistake(run("export", "--modls", "cnn"), "python -m export: error: ", "--modls")
    assert_one_line_mistake(run("export", "--models", "foo"), "invalid choice: 'foo'")
    assert_one_line_mistake(run("export", "--artifacts", str(tmp_path)), "no trained model")
    # A trained model is only looked for, not opened, before the data is read.
    (tmp_path / "cnn").mkdir()
    (tmp_path / "cnn" / "model.keras").touch()
    result = run("export", "--artifacts", str(tmp_path), "--data-dir", str(tmp_path / "no-data"))
    assert_one_line_mistake(result, "no-data", "no such folder")


@pytest.mark.slow
def test_imagenet_weights_that_cannot_be_downloaded_are_one_line(monkeypatch, capsys, tmp_path, mnist_source_dir):
    from training.cli import main

    def no_network(*args, **kwargs):
        raise Exception("URL fetch failure: [Errno -2] Name or service not known")

    # In-process, so keras' downloader can fail as it does with no network wherever the test runs.
    monkeypatch.setattr("keras.src.applications.mobilenet_v2.file_utils.get_file", no_network)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main(
            ["--model", "mobilenetv2", "--weights", "imagenet", "--limit", "300", "--data-dir", str(mnist_source_dir)]
            + ["--out", str(out)]
        )
    assert stop.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("python -m training: error: could not download the ImageNet weights for mobilenetv2")
    assert line.endswith("--weights none")
    assert not out.exists()


def test_python_m_training_alone_trains_the_shipped_default_model():
    manifest = json.loads((REPO / "site" / "models" / "models.json").read_text())
    (shipped,) = [model for model in manifest["models"] if model["id"] == manifest["default"]]
    assert shipped["training"]["config"] == {key: DEFAULTS[key] for key in shipped["training"]["config"]}


@pytest.mark.slow
def test_a_quick_run_says_the_test_set_was_cut(tmp_path, mnist_source_dir):
    result = run(
        "training",
        "--epochs",
        "1",
        "--limit",
        "300",
        "--val-size",
        "30",
        "--verbose",
        "0",
        "--data-dir",
        str(mnist_source_dir),
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "on the first 300 of 10,000 test digits, cut by --limit" in result.stdout
    assert result.stderr == ""  # no CUDA chatter from TensorFlow on a machine without a GPU
