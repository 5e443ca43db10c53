"""Helpers the tests and their fixtures share: paths, the shared MNIST files, running the command lines,
and opening and watching a page of the built site."""

import subprocess
import sys
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "site"
READY_TIMEOUT_MS = 90_000  # Pyodide and TF.js boot in a few seconds; a loaded CI machine is slower
# The shared read-only MNIST copy, beside the repository (never copied into it).
MNIST_SOURCE_DIR = (REPO.parent / "shared" / "data" / "mnist").resolve()


def run(*arguments):
    """`python -m ARGUMENTS` run to its end, from the repository root."""
    return subprocess.run([sys.executable, "-m", *arguments], capture_output=True, text=True, cwd=REPO, timeout=120)


def assert_one_line_mistake(result, *named):
    """Exit status 2 and one line on stderr, naming each of `named`; no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.strip() and all(name in line for name in named), line


def link_files(source: Path, folder: Path, bases) -> None:
    """Make `folder` hold `base.gz` for each base, as symlinks: the shared files are never copied."""
    folder.mkdir(exist_ok=True)
    for base in bases:
        (folder / f"{base}.gz").symlink_to(source / f"{base}.gz")


def site_runtime(folder: Path) -> Path:
    """A site folder holding the built site's TF.js (vendor/) and model runner, as symlinks, for export to
    write models into and run them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("vendor", "model.runner.js"):
        (folder / name).symlink_to(SITE / name)
    return folder


def watch_for_problems(page, origin):
    """Collects console errors, page errors and requests to any other origin; returns the list."""
    problems = []
    # A blocked resource or script is reported on the console by Chromium; this names the directive too.
    page.add_init_script(path=Path(__file__).with_name("report_csp_violations.js"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def check_request(request):
        if not request.url.startswith((origin, "data:", "blob:")):
            problems.append(f"request to another origin: {request.url}")

    page.on("request", check_request)
    return problems


def wait_until_ready(page):
    """Waits for the status to leave `loading`; fails with the page's message unless it is `ready`."""
    status = page.get_by_test_id("status")
    # Locators, not wait_for_function: that compiles its predicate in the page, which the CSP forbids.
    page.locator("[data-testid=status]:not([data-state=loading])").wait_for(timeout=READY_TIMEOUT_MS)
    state = status.get_attribute("data-state")
    assert state == "ready", f"page did not become ready ({state}): {status.text_content()}"


def wait_for_offline_state(page, state):
    """Waits for offline-status's data-state (installing, ready, update, ...) to be `state`."""
    page.locator(f"[data-testid=offline-status][data-state={state}]").wait_for(timeout=READY_TIMEOUT_MS)


def open_ready_page(browser, url, routes=None, cores=None, **context_options):
    """(page, problems): url loaded and ready in a new context, its problems (console errors, page errors,
    requests to another origin) collected; routes ({URL pattern: handler}) go to context.route first; with
    `cores`, the page and its model worker see a device with that many (devtools.browser.report_cores)."""
    from devtools.browser import report_cores

    context = browser.new_context(**context_options)
    for pattern, handler in (routes or {}).items():
        context.route(pattern, handler)
    if cores:
        report_cores(context, cores)
    page = context.new_page()
    problems = watch_for_problems(page, "/".join(url.split("/", 3)[:3]))
    page.goto(url)
    wait_until_ready(page)
    return page, problems


def wait_for_predictions(page, seq_before, count=1):
    """Waits until prediction's data-seq has grown by `count`; returns its data-digit."""
    page.locator(f"[data-testid=prediction][data-seq='{seq_before + count}']").wait_for()
    return page.get_by_test_id("prediction").get_attribute("data-digit")


def upload_files(page, *paths, test_id="upload"):
    """An action for `classify`: chooses the files in the file input `test_id`."""
    return lambda: page.get_by_test_id(test_id).set_input_files(list(paths))


def mnist_paper_png(digit, path, scale=8, margin=48):
    """An MNIST digit as a scan would show it: dark ink on white, enlarged, with a white margin."""
    ink = Image.fromarray(255 - digit).resize((28 * scale, 28 * scale), Image.Resampling.BILINEAR)
    sheet = Image.new("L", (28 * scale + 2 * margin, 28 * scale + 2 * margin), 255)
    sheet.paste(ink, (margin, margin))
    sheet.save(path)
    return path


def luminance(rgb):
    """WCAG relative luminance of an [r, g, b] colour (0..255)."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    """WCAG contrast ratio of two [r, g, b] colours."""
    lighter, darker = sorted([luminance(first), luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
