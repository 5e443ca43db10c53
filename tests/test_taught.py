"""The page's taught digits as Python reads them (training/taught.py, for `python -m training
--extra-data`): a zip of 28x28 PNGs and labels.csv; files it does not list are left alone, and every
damaged zip is a one-line message naming it, from the command line too."""

import io
import json
import zipfile

import numpy as np
import pytest
from helpers import assert_one_line_mistake, run
from PIL import Image

from training.data import DataError
from training.taught import made_record, read_taught


def png(pixels):
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


def write_zip(path, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


DIGIT = np.zeros((28, 28), dtype=np.uint8)
DIGIT[6:22, 12:15] = 255  # a 1, white on black as the model reads it


def test_the_listed_digits_are_read_with_their_labels_and_other_files_left_alone(tmp_path):
    other = DIGIT.T.copy()
    zipped = write_zip(
        tmp_path / "taught.zip",
        {
            "a.png": png(DIGIT),
            "b.png": png(other),
            "notes.txt": b"junk the page never writes",
            "labels.csv": "file,label\r\na.png,1\r\nb.png,7\r\n",
        },
    )
    images, labels = read_taught(zipped)
    assert labels.tolist() == [1, 7]
    assert np.array_equal(images[0], DIGIT) and np.array_equal(images[1], other)


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({"a.png": png(DIGIT)}, "no labels.csv"),
        ({"labels.csv": "file,label\na.png,1\n"}, "no file 'a.png'"),
        ({"a.png": png(DIGIT), "labels.csv": "file,label\na.png,12\n"}, "'12' is not one digit"),
        ({"a.png": b"not a picture", "labels.csv": "file,label\na.png,1\n"}, "a.png is not an image"),
        ({"a.png": png(np.zeros((8, 8), np.uint8)), "labels.csv": "file,label\na.png,1\n"}, "8x8"),
        ({"labels.csv": "file,label\n"}, "lists no digits"),
    ],
)
def test_a_damaged_zip_is_one_message_naming_it(files, named, tmp_path):
    zipped = write_zip(tmp_path / "taught.zip", files)
    with pytest.raises(DataError, match=named) as raised:
        read_taught(zipped)
    assert str(zipped) in str(raised.value) and "\n" not in str(raised.value)


def test_a_file_that_is_not_a_zip_is_one_line_on_the_command_line(tmp_path):
    (tmp_path / "taught.zip").write_bytes(b"PK but no zip")
    result = run("training", "--extra-data", str(tmp_path / "taught.zip"), "--out", str(tmp_path / "out"))
    assert_one_line_mistake(result, "python -m training: error: ", "taught.zip", "not a readable zip")
    assert not (tmp_path / "out").exists()


def test_how_generated_digits_were_made_travels_with_them(tmp_path):
    files = {"a.png": png(DIGIT), "labels.csv": "file,label\na.png,1\n"}
    assert made_record(write_zip(tmp_path / "taught.zip", files)) is None  # the page's download has none
    made = {"command": "python -m training.photodigits --count 1", "digits": 1}
    assert made_record(write_zip(tmp_path / "photos.zip", {**files, "made.json": json.dumps(made)})) == made
    write_zip(tmp_path / "bad.zip", {**files, "made.json": "{not json"})
    result = run("training", "--extra-data", str(tmp_path / "bad.zip"), "--out", str(tmp_path / "out"))
    assert_one_line_mistake(result, "python -m training: error: ", "bad.zip", "made.json")
    assert not (tmp_path / "out").exists()


def test_a_missing_starting_model_is_one_line(tmp_path):
    result = run("training", "--init", str(tmp_path / "model.keras"), "--out", str(tmp_path / "out"))
    assert_one_line_mistake(result, "python -m training: error: ", "model.keras", "no such model file")


@pytest.mark.slow
def test_a_starting_model_that_is_not_one_is_one_line_and_leaves_no_output_folder(tmp_path, mnist_source_dir):
    (tmp_path / "model.keras").write_text("not a model")
    out = tmp_path / "out"
    arguments = ["--init", str(tmp_path / "model.keras"), "--out", str(out), "--data-dir", str(mnist_source_dir)]
    result = run("training", *arguments)
    assert_one_line_mistake(result, "python -m training: error: ", "model.keras", "not a Keras model")
    assert not out.exists()
