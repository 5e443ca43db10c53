"""A phone: a 390x844 touch screen. A digit drawn with a finger is read, the page fits the screen's
width, and every control can be scrolled to and seen whole; the pad and its buttons sit together within
a thumb's reach, and "Take photo" (the camera) classifies what it gets."""

import pytest
from helpers import upload_files
from strokes import ONE, SEVEN, draw_with_touch, paper_png

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 3}
CONTROLS = [
    "draw-pad",
    "clear",
    "camera",
    "upload",
    "status",
    "offline-status",
    "prediction",
    "topk",
    "chart",
    "model-select",
    "model-card",
    "compare",
]
# File inputs are visually hidden inside their labels: the label is what a finger taps.
TAP_TARGETS = {"upload": "label:has([data-testid=upload])", "camera": "label:has([data-testid=camera])"}
MIN_TARGET = 44  # CSS px a side (WCAG 2.5.5)


def test_a_phone_reads_a_finger_drawn_digit_and_fits_every_control(open_app, classify):
    page = open_app(**PHONE)
    page.get_by_test_id("draw-pad").scroll_into_view_if_needed()
    assert classify(page, draw_with_touch(page, SEVEN)) == "7"
    # With a result shown (the tallest, widest state), nothing is wider than the screen.
    width = page.evaluate("innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for test_id in CONTROLS:
        control = page.get_by_test_id(test_id)
        target = page.locator(TAP_TARGETS[test_id]) if test_id in TAP_TARGETS else control
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, test_id
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, test_id


def test_one_hand_draws_clears_and_takes_photos(open_app, classify, tmp_path):
    page = open_app(**PHONE)
    height = page.evaluate("innerHeight")
    # As the page opens: the whole pad, and under it Clear, Take photo and Upload, big enough for a thumb
    # and in the screen's lower half, where a thumb reaches when the phone is held in one hand.
    pad = page.get_by_test_id("draw-pad").bounding_box()
    assert 0 <= pad["y"] and pad["y"] + pad["height"] <= height
    for test_id in ["clear", "camera", "upload"]:
        target = page.locator(TAP_TARGETS.get(test_id, f"[data-testid={test_id}]")).bounding_box()
        assert target["width"] >= MIN_TARGET and target["height"] >= MIN_TARGET, test_id
        assert height / 2 <= target["y"] and target["y"] + target["height"] <= height, test_id
        assert target["y"] >= pad["y"] + pad["height"], test_id

    # The camera hands over one photo, read like an upload.
    seven = paper_png(SEVEN, tmp_path / "photo.png")
    assert classify(page, upload_files(page, seven, test_id="camera")) == "7"
    assert page.get_by_test_id("camera").get_attribute("capture") == "environment"

    # Several images on a phone: the results table scrolls on its own, the page keeps the screen's width.
    names = [tmp_path / f"a-rather-long-file-name-from-a-phone-camera-{i}.png" for i in range(2)]
    classify(page, upload_files(page, paper_png(ONE, names[0]), paper_png(SEVEN, names[1])), count=2)
    page.locator("[data-testid=batch-status][data-state=done]").wait_for()
    assert page.get_by_test_id("results").locator("tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")
