"""site/py/preprocess.py properties: any input is a digit or a NoDigitError; a blob anywhere is centred."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import preprocess
from preprocess import BOX, GRID, NoDigitError

# The machine is shared and small: few examples, no per-example deadline.
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def random_images(draw):
    """(rgba, width, height) of arbitrary bytes: any values, or a few levels only, opaque or not.

    The bytes come from a seeded generator: images of up to 16 KiB are beyond what Hypothesis draws well.
    """
    width = draw(st.integers(1, 64))
    height = draw(st.integers(1, 64))
    levels = draw(st.sampled_from([range(256), (0, 255), (0, 128, 255), (250, 251, 252)]))
    rng = draw(st.randoms(use_true_random=False))
    pixels = bytearray(rng.choice(levels) for _ in range(4 * width * height))
    if draw(st.booleans()):
        pixels[3::4] = b"\xff" * (width * height)
    return bytes(pixels), width, height


def luma(rgb):
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


colours = st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))


@st.composite
def blob_scenes(draw):
    """A filled disc of ink, clearly lighter or darker than the paper, somewhere on a plain canvas."""
    width = draw(st.integers(40, 120))
    height = draw(st.integers(40, 120))
    radius = draw(st.floats(3, min(width, height) / 2 - 1))
    cx = draw(st.floats(radius, width - radius))
    cy = draw(st.floats(radius, height - radius))
    paper = draw(colours)
    ink = draw(colours.filter(lambda ink: abs(luma(ink) - luma(paper)) >= 80))
    return width, height, cx, cy, radius, paper, ink


def render_disc(width, height, cx, cy, radius, paper, ink):
    ys, xs = np.mgrid[0:height, 0:width] + 0.5
    inside = (np.hypot(xs - cx, ys - cy) <= radius)[..., None]
    rgb = np.where(inside, np.array(ink), np.array(paper))
    alpha = np.full((height, width, 1), 255)
    return np.concatenate([rgb, alpha], axis=2).astype(np.uint8).tobytes()


@PROPERTY_SETTINGS
@given(random_images())
def test_any_image_is_a_digit_or_no_digit(image):
    rgba, width, height = image
    try:
        pixels = preprocess.to_mnist(rgba, width, height)
    except NoDigitError as error:
        assert str(error).startswith("No digit found: ")
        return
    assert len(pixels) == GRID * GRID
    assert all(type(value) is float and 0.0 <= value <= 1.0 for value in pixels)
    assert max(pixels) > 0


@PROPERTY_SETTINGS
@given(random_images())
def test_any_image_is_digits_or_no_digit(image):
    """The page's path (several digits) on anything: model inputs, or a NoDigitError for the user."""
    rgba, width, height = image
    try:
        digits = preprocess.to_mnist_digits(rgba, width, height)
    except NoDigitError as error:
        assert str(error).startswith("No digit found: ")
        return
    assert digits
    for pixels in digits:
        assert len(pixels) == GRID * GRID
        assert all(0.0 <= value <= 1.0 for value in pixels)


@PROPERTY_SETTINGS
@given(blob_scenes())
def test_a_blob_anywhere_is_found_and_centred(scene):
    width, height = scene[0], scene[1]
    grid = np.array(preprocess.to_mnist(render_disc(*scene), width, height)).reshape(GRID, GRID)
    ys, xs = np.mgrid[0:GRID, 0:GRID]
    assert abs((grid * xs).sum() / grid.sum() - GRID / 2) <= 1
    assert abs((grid * ys).sum() / grid.sum() - GRID / 2) <= 1
    rows, columns = np.nonzero(grid.max(axis=1))[0], np.nonzero(grid.max(axis=0))[0]
    assert max(rows[-1] - rows[0], columns[-1] - columns[0]) + 1 == BOX
    # A disc is solid: its middle is full ink.
    assert grid[13:15, 13:15].min() > 0.9


@PROPERTY_SETTINGS
@given(st.integers(1, 40), st.integers(1, 40), st.integers(1, 30), st.data())
def test_fit_box_keeps_the_mean_ink(width, height, box, data):
    pixels = data.draw(st.lists(st.floats(0, 1), min_size=width * height, max_size=width * height))
    resized, new_width, new_height = preprocess.fit_box(pixels, width, height, box=box)
    assert max(new_width, new_height) == box
    assert len(resized) == new_width * new_height
    # Area averaging spreads each input pixel over the output: the mean level is unchanged.
    assert sum(resized) / len(resized) == pytest.approx(sum(pixels) / len(pixels), abs=1e-9)
