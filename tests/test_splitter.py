"""The touching-digit splitter: `python -m training.splitter` trains it from photo sets of numbers and
writes weights that site/py/splitter.py reads as Keras does; its command line's mistakes are one line."""

import json

from helpers import assert_one_line_mistake, run

import splitter
from training.photoset import write_photoset
from training.splitter import main


def test_a_missing_folder_is_one_line(tmp_path):
    result = run("training.splitter", "--images", str(tmp_path / "none"), "--out", str(tmp_path / "s.json"))
    assert_one_line_mistake(result, "python -m training.splitter: error: ", "none", "no such folder")
    assert not (tmp_path / "s.json").exists()


def test_photos_of_single_digits_are_one_line(tmp_path):
    (tmp_path / "labels.csv").write_text("file,label\na.png,7\n")
    result = run("training.splitter", "--images", str(tmp_path), "--out", str(tmp_path / "s.json"))
    assert_one_line_mistake(result, "python -m training.splitter: error: ", "no photos of numbers")


def test_trained_weights_are_read_by_the_page_as_keras_reads_them(tmp_path, mnist_source_dir):
    photos, out = tmp_path / "photos", tmp_path / "splitter.json"
    write_photoset(photos, count=12, seed=3, data_dir=mnist_source_dir, numbers=True, digits="train")
    main(["--images", str(photos), "--epochs", "1", "--out", str(out)])
    weights = json.loads(out.read_text())
    made = weights["made"]
    assert made["photos"] == 12 and made["examples"]["pairs"] > 0
    # Checked by the run itself on held-out pieces (it stops when they differ).
    assert made["largest_difference_from_keras"] <= 1e-4
    # Six decimals, as written: a float32 rounded and then printed would carry 17 digits, twice the bytes.
    numbers = [value for name in ("conv1", "conv2", "dense", "out") for value in flat(weights[name])]
    assert len(numbers) == 17_761 and all(round(value, 6) == value for value in numbers)
    picture = [[0.0] * splitter.WIDTH for _ in range(splitter.HEIGHT)]
    assert 0 <= splitter.probability(picture, (1.0, 1.0), weights) <= 1


def flat(weights):
    """Every number in a layer's weights (its kernel's columns and its bias)."""
    return [value for column in weights["kernel"] for value in column] + weights["bias"]
