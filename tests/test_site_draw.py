"""Drawing on the pad in Chromium: with a mouse and with touch, classification when a stroke ends,
Clear, and a pad that never scrolls the page."""

import pytest
from strokes import ONE, SEVEN, ZERO, draw_with_mouse, draw_with_touch

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("strokes, digit", [(ONE, "1"), (SEVEN, "7"), (ZERO, "0")], ids=["one", "seven", "zero"])
def test_mouse_drawing_is_read(app, classify, strokes, digit):
    assert classify(app, draw_with_mouse(app, strokes)) == digit
    assert app.get_by_test_id("topk").locator("li").count() == 5


@pytest.fixture
def phone(open_app):
    """A ready page on a touch phone's screen, scrolled so the pad is in view."""
    page = open_app(viewport={"width": 390, "height": 700}, has_touch=True, is_mobile=True)
    page.get_by_test_id("draw-pad").scroll_into_view_if_needed()
    return page


@pytest.mark.parametrize("strokes, digit", [(ONE, "1"), (ZERO, "0")], ids=["one", "zero"])
def test_touch_drawing_is_read_and_does_not_scroll(phone, classify, strokes, digit):
    scroll_before = phone.evaluate("[window.scrollX, window.scrollY]")
    assert classify(phone, draw_with_touch(phone, strokes)) == digit
    assert phone.evaluate("[window.scrollX, window.scrollY]") == scroll_before


def test_clear_empties_the_pad(app, classify):
    classify(app, draw_with_mouse(app, SEVEN))
    app.get_by_test_id("clear").click()
    ink = app.evaluate(
        """() => {
          const pad = document.querySelector('[data-testid=draw-pad]');
          const data = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
          return data.filter((v, i) => i % 4 === 0 && v < 128).length;
        }"""
    )
    assert ink == 0
    # Each stroke is classified on its own canvas state: after Clear a "1" is a 1, not a 7.
    assert classify(app, draw_with_mouse(app, ONE)) == "1"
