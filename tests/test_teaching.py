"""Measuring how the page learns a hand: writers with a style each (training/writers.py) and
`python -m export.teaching`, which reads them through the page's own model worker."""

import json
import re

import numpy as np
import pytest
from helpers import SITE, run

from training.writers import SIZE, writers


def test_each_writer_keeps_one_style_and_every_mnist_digit_is_written_once(mnist_test_digits):
    images, labels = mnist_test_digits
    drawn = writers(images[:2000], labels[:2000], count=3, per_digit=2, seed=4)
    again = writers(images[:2000], labels[:2000], count=3, per_digit=2, seed=4)
    assert len(drawn) == 3
    for (style, ink, written), (same_style, same_ink, _) in zip(drawn, again, strict=True):
        assert style == same_style and np.array_equal(ink, same_ink)  # the seed decides everything
        assert ink.shape == (20, SIZE, SIZE) and 0 <= ink.min() and ink.max() <= 1
        assert written.tolist() == [digit for digit in range(10) for _ in range(2)]
        assert (ink.reshape(20, -1).max(axis=1) > 0.5).all()  # every digit kept its ink
    assert len({style["slant"] for style, _, _ in drawn}) == 3  # each writer a style of their own


def test_too_few_digits_for_the_writers_is_said():
    images, labels = np.zeros((30, 28, 28), np.uint8), np.arange(30) % 10
    with pytest.raises(ValueError, match="need more digits"):
        writers(images, labels, count=2, per_digit=2, seed=0)


@pytest.mark.slow
@pytest.mark.browser
def test_with_nothing_taught_the_worker_reads_mnist_as_export_measured(mnist_source_dir):
    # The measurement goes through the page's own model worker: with nothing taught, it reads the
    # 10,000 test digits exactly as the export check did (models.json's accuracy).
    result = run("export.teaching", "--writers", "1", "--mnist-checks", "0", "--data-dir", str(mnist_source_dir))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((SITE / "models" / "models.json").read_text())
    default = next(model for model in manifest["models"] if model["id"] == manifest["default"])
    alone = re.search(r"MNIST test \(10,000 digits\): ([\d.]+)% with nothing taught", result.stdout)
    assert alone and float(alone.group(1)) == pytest.approx(100 * default["accuracy"], abs=0.005), result.stdout
    assert re.search(r"their other digits: [\d.]+% before teaching, [\d.]+% after \(10 digits\)", result.stdout)
