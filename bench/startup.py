"""Start-up in Chromium: navigation to ready, cold and warm, for the app and the floor; main-thread long
tasks until ready; strokes on the draw pad while Python loads; and the bytes of a first visit."""

import gzip
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.pages import RECORD_SCRIPT, VIEWPORT, new_page, wait_settled
from devtools.browser import launch_chromium_profile

# gzip level of the byte count: zlib's default, what static hosts and nginx's gzip_comp_level 6 use.
GZIP_LEVEL = 6
# Strokes start on a grid of pad points (fractions of the pad), far enough apart that no stroke inks
# another's start, with a pause between strokes: a long task that starts in a pause still meets the
# next stroke's events, which wait for it.
GRID = [(0.1 + 0.08 * i, 0.1 + 0.08 * j) for j in range(10) for i in range(10)]
STROKE_PAUSE_S = 0.05


def long_tasks_until(record, end_ms):
    """Count, total and longest duration (ms) of the long tasks that started before end_ms."""
    durations = [task["duration"] for task in record["longtasks"] if task["start"] < end_ms]
    return {"count": len(durations), "total_ms": sum(durations), "longest_ms": max(durations, default=0.0)}


def load(page, url=None):
    """Navigates to url (or reloads when url is None) and waits for ready; returns ready time and long tasks."""
    if url is None:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    record = wait_settled(page)
    # Untimed: lets the service worker finish installing, as it has for a returning visitor.
    page.wait_for_load_state("networkidle")
    ready_ms = record["settled"]["at"]
    return {"ready_ms": ready_ms, "longtasks": long_tasks_until(record, ready_ms)}


def startup_runs(browser, urls, repeats):
    """{name: {"cold": [run], "warm": [run]}}: per repeat and page, a load in a new context, then a reload.

    The pages alternate within each repeat, so a busy moment of the machine falls on both alike."""
    runs = {name: {"cold": [], "warm": []} for name in urls}
    for _ in range(repeats):
        for name, url in urls.items():
            page = new_page(browser)
            runs[name]["cold"].append(load(page, url))
            runs[name]["warm"].append(load(page))
            page.context.close()
    return runs


def stroke(cdp, box, fx, fy):
    """A short vertical stroke at (fx, fy) of the pad's box, sent through Chromium's input pipeline.

    Each event carries the time it is sent, so its input delay counts from then, however long the
    page's main thread keeps it waiting."""
    x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
    events = [("mouseMoved", y, "none"), ("mousePressed", y, "left")]
    events += [("mouseMoved", y + step * 0.01 * box["height"], "left") for step in (1, 2, 3)]
    events += [("mouseReleased", y + 0.03 * box["height"], "left")]
    for kind, at_y, button in events:
        event = {"type": kind, "x": x, "y": at_y, "button": button, "clickCount": 1, "timestamp": time.time()}
        cdp.send("Input.dispatchMouseEvent", event)


def inked(page, points):
    """For each pad point (fractions), whether the pad shows ink there."""
    return page.evaluate(
        """(points) => {
          const pad = document.querySelector("[data-testid=draw-pad]");
          const context = pad.getContext("2d");
          return points.map(([fx, fy]) =>
            context.getImageData(Math.floor(fx * pad.width), Math.floor(fy * pad.height), 1, 1).data[0] < 128);
        }""",
        points,
    )


def draw_while_loading(browser, url):
    """Strokes on the pad from the moment it is visible until the page is ready, in a cold load.

    Returns the pointer events (made and handled, ms since navigation), whether each stroke left ink,
    the ready time and the long tasks until then."""
    page = new_page(browser)
    # The page reports ready through a binding, not a query: a query waits behind the long tasks too.
    settled = []
    page.expose_function("benchSettled", lambda: settled.append(True))
    page.goto(url, wait_until="commit")
    pad = page.get_by_test_id("draw-pad")
    pad.wait_for(state="visible")
    box = pad.bounding_box()
    cdp = page.context.new_cdp_session(page)
    points = []
    for point in GRID:
        if settled:
            break
        stroke(cdp, box, *point)
        points.append(point)
        time.sleep(STROKE_PAUSE_S)
    record = wait_settled(page)
    hits = inked(page, points)
    page.wait_for_load_state("networkidle")
    page.context.close()
    ready_ms = record["settled"]["at"]
    return {
        "ready_ms": ready_ms,
        "pointer": record["pointer"],
        "inked": hits,
        "longtasks": long_tasks_until(record, ready_ms),
    }


def file_for(url, root, base_url):
    """The file under root that the local server sent for url."""
    path = unquote(urlsplit(url).path).removeprefix(urlsplit(base_url).path)
    file = Path(root) / path
    return file / "index.html" if file.is_dir() else file


def first_visit_bytes(playwright, url, root):
    """Every response body sent over the network in a cold load of a new browser profile, until ready
    and the network is idle.

    raw is the body's size on the wire (the local server sends files uncompressed); gzip is that file
    compressed here, as a host would send it. A service worker's own fetches count (a revalidated,
    304 one sends no body); its answers to the page do not. Headers are not counted. The profile has a
    disk HTTP cache, as a person's browser does: a new context's in-memory cache refuses big files, so
    there the worker would download Pyodide's 9.6 MB wasm again instead of revalidating it."""
    with tempfile.TemporaryDirectory(prefix="digitlens-profile-") as profile:
        context = launch_chromium_profile(playwright, profile, viewport=VIEWPORT)
        context.add_init_script(path=RECORD_SCRIPT)
        responses = []
        context.on("response", lambda response: responses.append(response))
        page = context.new_page()
        page.goto(url, wait_until="commit")
        wait_settled(page)
        page.wait_for_load_state("networkidle")
        files = [visited_file(response, url, root) for response in responses]
        context.close()
    files = [file for file in files if file]
    return {
        "gzip_level": GZIP_LEVEL,
        "raw": sum(file["raw"] for file in files),
        "gzip": sum(file["gzip"] for file in files),
        "service_worker_gzip": sum(file["gzip"] for file in files if file["by"] == "service worker"),
        "files": sorted(files, key=lambda file: -file["gzip"]),
    }


def visited_file(response, url, root):
    """{path, by, raw, gzip} for a response body that crossed the network; None for any other."""
    if response.url.startswith(("data:", "blob:")) or response.from_service_worker:
        return None
    if not response.url.startswith(url):
        raise RuntimeError(f"the page fetched from another origin: {response.url}")
    raw = response.request.sizes()["responseBodySize"]
    if raw == 0:
        return None
    body = file_for(response.url, root, url).read_bytes()
    by = "service worker" if response.request.service_worker else "page"
    return {"path": response.url.removeprefix(url), "by": by, "raw": raw, "gzip": gzip_size(body)}


def gzip_size(body):
    return len(gzip.compress(body, GZIP_LEVEL))
