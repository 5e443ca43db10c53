"""A hand's style (site/py/style.py), in CPython as in Pyodide: a correction shears and scales a digit
and frames it again the MNIST way; no correction leaves a digit as it was; the learned style is the
best-scored correction, or none when the digits as written read best."""

import sys

import numpy as np
import pytest
from helpers import REPO

sys.path.insert(0, str(REPO / "site" / "py"))

import style  # noqa: E402


def stroke(slant):
    """A 1 as the model reads it: a straight stroke through the middle, leaning by `slant` columns per row."""
    digit = np.zeros((28, 28))
    for row in range(4, 24):
        column = 14 + slant * (row - 13.5)
        digit[row, int(round(column)) - 1 : int(round(column)) + 2] = 1.0
    return digit.ravel().tolist()


def lean(digit):
    """How far the ink's middle moves across per row, from top to bottom (a least-squares line)."""
    pixels = np.array(digit).reshape(28, 28)
    rows, columns = np.nonzero(pixels > 0.5)
    return np.polyfit(rows, columns, 1)[0]


def test_no_correction_gives_the_digit_back(mnist_test_digits):
    digit = (mnist_test_digits[0][0] / 255).ravel().tolist()
    assert np.abs(np.array(style.corrected(digit, 0.0, 1.0)) - digit).max() < 0.05


def test_a_slanted_stroke_is_straightened_by_the_opposite_slant():
    leaning = stroke(0.4)
    assert lean(leaning) == pytest.approx(0.4, abs=0.05)
    assert abs(lean(style.corrected(leaning, -0.4, 1.0))) < 0.05
    assert lean(style.corrected(leaning, 0.4, 1.0)) > 0.6  # the wrong way leans it further


def test_every_candidate_is_tried_on_every_digit():
    digits = [stroke(0.2), stroke(-0.2)]
    tried = style.candidates(digits)
    assert len(tried) == len(style.CANDIDATES) and all(len(each) == 2 for each in tried)
    assert all(len(digit) == 784 for each in tried for digit in each)


def test_the_learned_style_is_the_best_scored_correction_and_none_for_the_digits_as_written():
    scores = [0.0] * len(style.CANDIDATES)
    scores[style.CANDIDATES.index((0.25, 1.15))] = 1.0
    assert style.learned(scores) == [0.25, 1.15]
    scores[style.CANDIDATES.index((0.0, 1.0))] = 2.0
    assert style.learned(scores) is None
