"""Drawing on the pad in Chromium: with a mouse and with touch, classification when a stroke ends,
Clear, and a pad that never scrolls the page."""

import pytest

pytestmark = pytest.mark.browser

# Strokes in pad coordinates (the pad is 280x280 CSS pixels).
ONE = [[(140, 40), (140, 240)]]
SEVEN = [[(60, 50), (220, 50), (120, 245)]]
ZERO = [
    [
        (140 + 70 * dx, 140 + 100 * dy)
        for dx, dy in [(0, -1), (0.7, -0.7), (1, 0), (0.7, 0.7), (0, 1), (-0.7, 0.7), (-1, 0), (-0.7, -0.7), (0, -1)]
    ]
]


def pad_origin(page):
    box = page.get_by_test_id("draw-pad").bounding_box()
    scale = box["width"] / 280
    return lambda x, y: (box["x"] + x * scale, box["y"] + y * scale)


def path_points(points, steps=8):
    """The stroke's corners with points in between, as a moving pointer reports them."""
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
        for step in range(steps):
            yield x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps
    yield points[-1]


def draw_with_mouse(page, strokes):
    at = pad_origin(page)

    def draw():
        for stroke in strokes:
            page.mouse.move(*at(*stroke[0]))
            page.mouse.down()
            for point in path_points(stroke):
                page.mouse.move(*at(*point))
            page.mouse.up()

    return draw


def draw_with_touch(page, strokes):
    at = pad_origin(page)
    cdp = page.context.new_cdp_session(page)

    def touch(kind, point=None):
        points = [{"x": at(*point)[0], "y": at(*point)[1]}] if point else []
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def draw():
        for stroke in strokes:
            touch("touchStart", stroke[0])
            for point in path_points(stroke):
                touch("touchMove", point)
            touch("touchEnd")

    return draw


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
