"""A phone: a 390x844 touch screen. A digit drawn with a finger is read, the page fits the screen's
width, and every control can be scrolled to and seen whole."""

import pytest
from strokes import SEVEN, draw_with_touch

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}
CONTROLS = ["draw-pad", "clear", "upload", "status", "offline-status", "prediction", "topk", "chart"]


def test_a_phone_reads_a_finger_drawn_digit_and_fits_every_control(open_app, classify):
    page = open_app(**PHONE)
    page.get_by_test_id("draw-pad").scroll_into_view_if_needed()
    assert classify(page, draw_with_touch(page, SEVEN)) == "7"
    # With a result shown (the tallest, widest state), nothing is wider than the screen.
    width = page.evaluate("innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for test_id in CONTROLS:
        control = page.get_by_test_id(test_id)
        # The upload input is visually hidden inside its label: the label is what a finger taps.
        target = page.locator("label.upload-button") if test_id == "upload" else control
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, test_id
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, test_id
