"""The page's Python (Pyodide) and CPython turn the same pixels into identical model inputs."""

import base64

import numpy as np
import pytest
from PIL import Image

import preprocess
from training.photoset import render_photo

pytestmark = pytest.mark.browser


def test_pyodide_and_cpython_make_identical_inputs(app, mnist_test_digits):
    images, _ = mnist_test_digits
    photo = render_photo(images[5], np.random.default_rng(5)).convert("RGBA")
    photo.thumbnail((400, 400), Image.Resampling.LANCZOS)
    expected = np.array(preprocess.to_mnist(photo.tobytes(), photo.width, photo.height), dtype=np.float32)

    in_browser = app.evaluate(
        """async ([payload, width, height]) => {
          const { prepareImage } = await import('./python.js');
          const data = Uint8ClampedArray.from(atob(payload), (c) => c.charCodeAt(0));
          const prepared = await prepareImage({ data, width, height });
          return prepared.digits.map((pixels) => Array.from(pixels));
        }""",
        [base64.b64encode(photo.tobytes()).decode(), photo.width, photo.height],
    )
    (made,) = in_browser
    np.testing.assert_array_equal(np.array(made, dtype=np.float32), expected)
    assert expected.max() > 0.9  # a real digit, not an empty grid
