"""Take the README's screenshots of the app in Chromium: a drawn 7 on a desktop (docs/screenshot.png)
and on a phone (docs/phone.png).

    python -m sitebuild.screenshots

Needs the built site (`make site`)."""

from pathlib import Path

from playwright.sync_api import sync_playwright

from devtools.browser import launch_chromium
from devtools.serve import serve_in_thread

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
# A 7 in the pad's 280x280 coordinates.
SEVEN = [(60, 50), (220, 50), (120, 245)]
SHOTS = {
    "screenshot.png": {"viewport": {"width": 1100, "height": 900}},
    "phone.png": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}
READY = "[data-testid=status][data-state=ready]"
READ = "[data-testid=prediction][data-seq='1']"
OFFLINE = "[data-testid=offline-status][data-state=ready]"


def draw(page, stroke):
    """A mouse stroke; the page handles every pointer alike, so the picture is the same for a finger."""
    box = page.get_by_test_id("draw-pad").bounding_box()
    scale = box["width"] / 280
    points = [(box["x"] + x * scale, box["y"] + y * scale) for x, y in stroke]
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=12)
    page.mouse.up()


def main():
    server, url = serve_in_thread(root=REPO / "site", port=0, quiet=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for name, options in SHOTS.items():
            page = browser.new_page(**options)
            page.goto(url)
            page.locator(READY).wait_for(timeout=90_000)
            draw(page, SEVEN)
            page.locator(READ).wait_for()
            page.locator(OFFLINE).wait_for(timeout=90_000)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=DOCS / name, full_page=name == "phone.png")
            page.close()
            print(f"docs/{name}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
