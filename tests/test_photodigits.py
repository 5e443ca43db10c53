"""`python -m training.photodigits`: digits cut out of photos by the page's preprocessing, written as
training data the model's training reads (--extra-data), from training digits that neither validation nor
the tuning sets use; its command line's mistakes are one line."""

import json
import zipfile

import numpy as np
from helpers import assert_one_line_mistake, run

from training.config import DEFAULTS
from training.data import load_mnist, split_validation
from training.photodigits import TUNING_DIGITS, allowed_digits, main
from training.taught import read_taught


def test_a_bad_data_folder_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "digits.zip"
    result = run("training.photodigits", "--data-dir", str(tmp_path / "none"), "--out", str(out))
    assert_one_line_mistake(result, "python -m training.photodigits: error: ", "none")
    assert not out.exists()


def test_an_output_that_is_not_a_zip_is_one_line(tmp_path):
    result = run("training.photodigits", "--out", str(tmp_path / "digits"))
    assert_one_line_mistake(result, "python -m training.photodigits: error: ", ".zip")


def test_no_validation_or_tuning_digit_is_used(mnist_source_dir):
    mnist = load_mnist(mnist_source_dir)
    positions = np.arange(len(mnist.x_train))
    _, (held, _) = split_validation(positions, positions, DEFAULTS["val_size"], DEFAULTS["seed"])
    allowed = allowed_digits(mnist)
    assert len(allowed) == len(mnist.x_train) - DEFAULTS["val_size"] - TUNING_DIGITS + np.sum(held < TUNING_DIGITS)
    assert not set(allowed) & set(held) and allowed.min() >= TUNING_DIGITS


def test_photo_digits_are_training_data_the_model_reads(tmp_path, mnist_source_dir):
    out = tmp_path / "digits.zip"
    main(["--data-dir", str(mnist_source_dir), "--count", "12", "--seed", "4", "--out", str(out)])
    images, labels = read_taught(out)  # the reader of python -m training --extra-data
    with zipfile.ZipFile(out) as archive:
        made = json.loads(archive.read("made.json"))
    assert made["digits"] == len(images) == sum(made["per_label"]) and made["photos"] == 12
    # Most photos are read as written (in the full run 95%); each kept digit is an input the page would
    # give the model: white ink on black, centred in the frame.
    assert made["photos_read_as_written"] >= 8 and len(images) >= 20
    assert np.bincount(labels, minlength=10).tolist() == made["per_label"]
    rows, cols = np.mgrid[:28, :28]
    for image in images.astype(float):
        assert image[0].max() < 128 and image[:, 0].max() < 128 and image.max() > 200
        centre = ((rows * image).sum() / image.sum(), (cols * image).sum() / image.sum())
        assert np.allclose(centre, 13.5, atol=2.5), centre
