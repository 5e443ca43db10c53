"""The app's own path in a ready page: an uploaded digit, a drawn digit and 12 MP photos (of a digit, of
notebook pages), each from the input (the upload's change event, the stroke's pointerup) to the result
shown (data-seq), with the page's own data-preprocess-ms and data-inference-ms and the longest task that
held the page's main thread meanwhile (the page cannot answer a tap or a stroke during it)."""

from functools import partial

from bench.images import SEVEN
from bench.pages import new_page, wait_settled


def last_result(page, count_before):
    """Waits for the next data-seq bump; returns the page's __bench record and prediction's attributes."""
    # __bench.results gains one entry per data-seq bump, both from 0.
    page.locator(f"[data-testid=prediction][data-seq='{count_before + 1}']").wait_for(timeout=60_000)
    prediction = page.get_by_test_id("prediction")
    digit = prediction.get_attribute("data-digit")
    if not digit:
        raise RuntimeError(f"the page read no digit: {page.get_by_test_id('error').text_content()}")
    return page.evaluate("window.__bench"), {
        "digit": digit,
        "preprocess_ms": float(prediction.get_attribute("data-preprocess-ms")),
        "inference_ms": float(prediction.get_attribute("data-inference-ms")),
    }


def longest_task(record, start_ms, end_ms):
    """The longest main-thread long task (50 ms or more) that started between two moments; 0 if none."""
    return max((task["duration"] for task in record["longtasks"] if start_ms <= task["start"] <= end_ms), default=0.0)


def upload(page, path):
    """One upload, from the change event to the result."""
    before = len(page.evaluate("window.__bench.results"))
    page.get_by_test_id("upload").set_input_files(path)
    record, result = last_result(page, before)
    changed, shown = record["changes"][-1], record["results"][-1]
    return dict(result, total_ms=shown - changed, longest_task_ms=longest_task(record, changed, shown))


def draw(page):
    """A drawn 7, from the pointerup that ends the stroke to the result; the pad is cleared first."""
    page.get_by_test_id("clear").click()
    box = page.get_by_test_id("draw-pad").bounding_box()
    at = [(box["x"] + fx * box["width"], box["y"] + (0.1 + 0.8 * fy) * box["height"]) for fx, fy in SEVEN]
    before = len(page.evaluate("window.__bench.results"))
    page.mouse.move(*at[0])
    page.mouse.down()
    for point in at[1:]:
        page.mouse.move(*point, steps=8)
    page.mouse.up()
    record, result = last_result(page, before)
    ended = [event["at"] for event in record["pointer"] if event["type"] == "pointerup"][-1]
    shown = record["results"][-1]
    return dict(result, total_ms=shown - ended, longest_task_ms=longest_task(record, ended, shown))


def app_latency(browser, url, uploads, repeats):
    """{name: [run]} for each upload ({name: path}) and "draw", each after one unmeasured warm-up run."""
    page = new_page(browser)
    page.goto(url)
    wait_settled(page)
    actions = {name: partial(upload, page, path) for name, path in uploads.items()}
    actions["draw"] = partial(draw, page)
    runs = {}
    for name, action in actions.items():
        action()
        runs[name] = [action() for _ in range(repeats)]
    page.context.close()
    return runs
