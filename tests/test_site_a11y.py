"""Accessibility in Chromium: the controls are reached and used with the keyboard, results are announced,
text meets WCAG AA contrast in the light and the dark theme, and the dark theme follows the system."""

import pytest
from helpers import contrast, luminance
from strokes import SEVEN, draw_with_mouse, paper_png

pytestmark = pytest.mark.browser

# Text whose colour and background come from styles.css, in each theme.
TEXT = [
    "h1",
    ".tagline",
    "#status",
    "#offline-status",
    "h2",
    ".hint",
    "#clear",
    ".upload-button",
    ".model-info",
    ".footer p",
]

# Each element's text colour and the first opaque background behind it, as [r, g, b] lists.
COLOURS = """(selectors) => selectors.map((selector) => {
  const element = document.querySelector(selector);
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  let behind = element;
  while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
  return {
    selector,
    text: rgb(getComputedStyle(element).color).slice(0, 3),
    background: rgb(getComputedStyle(behind ?? document.documentElement).backgroundColor).slice(0, 3),
  };
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa(open_app, scheme):
    page = open_app(color_scheme=scheme)
    page.get_by_test_id("offline-status").wait_for()
    low = [
        (found["selector"], round(contrast(found["text"], found["background"]), 2))
        for found in page.evaluate(COLOURS, TEXT)
        if contrast(found["text"], found["background"]) < 4.5
    ]
    assert low == []


def test_dark_theme_follows_the_system_and_keeps_a_paper_pad(open_app, classify):
    page = open_app(color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert luminance([int(v) for v in background[4:-1].split(",")]) < 0.05
    pad = page.evaluate("getComputedStyle(document.querySelector('[data-testid=draw-pad]')).backgroundColor")
    assert pad == "rgb(255, 255, 255)"
    assert classify(page, draw_with_mouse(page, SEVEN)) == "7"


def test_keyboard_reaches_the_controls_and_uploads(app, classify, tmp_path):
    # Playwright turns on file-chooser interception without waiting when the first listener comes; a
    # listener from the start has it on long before Enter, so the chooser cannot open unintercepted.
    app.on("filechooser", lambda chooser: None)
    reached = []
    for _ in range(10):
        app.keyboard.press("Tab")
        reached.append(app.evaluate("document.activeElement.dataset.testid ?? document.activeElement.tagName"))
    assert "clear" in reached and "upload" in reached
    seven = paper_png(SEVEN, tmp_path / "seven.png")

    def choose_with_enter():
        # Locator.press focuses the file input, then presses Enter on it, as a keyboard user would.
        with app.expect_file_chooser() as chooser:
            app.get_by_test_id("upload").press("Enter")
        chooser.value.set_files(seven)

    assert classify(app, choose_with_enter) == "7"


def test_the_result_is_announced(app, classify):
    classify(app, draw_with_mouse(app, SEVEN))
    live = app.locator("[aria-live=polite]:has(#top-digit)")
    assert live.get_attribute("aria-atomic") == "true"
    assert live.inner_text().split()[:3] == ["Recognised", "digit:", "7"]
    assert live.inner_text().endswith("sure")
