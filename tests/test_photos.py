"""Photo-like pages (training/photoset.py) read through the page's preprocessing and the shipped model,
beside the replaced app's preprocessing on the same images; and the evaluation CLI."""

import shutil

import pytest
from helpers import SITE

from export.evaluate import NONE, SEVERAL, evaluate, labelled_images, main, page_inputs, streamlit_inputs
from training.photoset import write_photoset

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def photos(tmp_path_factory, mnist_source_dir):
    folder = tmp_path_factory.mktemp("photos")
    write_photoset(folder, count=60, seed=11, data_dir=mnist_source_dir)
    return folder


def test_photos_are_read_about_as_well_as_clean_digits(photos):
    items = labelled_images(photos)
    assert len(items) == 60
    accuracy, confusion = evaluate(items, page_inputs, SITE / "models" / "cnn", SITE)
    # Measured: 299 of 300 photos right with the shipped cnn (README, "Photos of paper").
    assert accuracy >= 0.95, confusion
    assert confusion[:, NONE].sum() == 0  # a digit was found on every page
    assert confusion[:, SEVERAL].sum() <= 1


def test_the_streamlit_preprocessing_reads_photos_at_chance(photos):
    accuracy, _ = evaluate(labelled_images(photos), streamlit_inputs, SITE / "models" / "cnn", SITE)
    assert accuracy < 0.3


def test_evaluate_cli_reads_labels_from_sub_folders(photos, tmp_path, capsys):
    for path, label in labelled_images(photos)[:12]:
        (tmp_path / str(label)).mkdir(exist_ok=True)
        shutil.copy(path, tmp_path / str(label) / path.name)
    main(["--images", str(tmp_path), "--streamlit-preprocessing"])
    out = capsys.readouterr().out
    assert "digitlens preprocessing: " in out and "of 12 images (cnn)" in out
    assert "Streamlit preprocessing: " in out
    assert "true\\pred" in out
