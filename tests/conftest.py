"""Shared pytest fixtures."""

from pathlib import Path

import pytest

from training.data import MNIST_FILES

# --- data fixtures ---

# The shared read-only MNIST copy, beside the repository (never copied into it).
MNIST_SOURCE_DIR = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mnist").resolve()


@pytest.fixture(scope="session")
def mnist_source_dir() -> Path:
    """The folder holding the four official MNIST .gz files; skips the test when it is absent."""
    if not all((MNIST_SOURCE_DIR / f"{base}.gz").is_file() for base in MNIST_FILES.values()):
        pytest.skip(f"MNIST not found in {MNIST_SOURCE_DIR} (expected the shared data folder ../shared/data/mnist)")
    return MNIST_SOURCE_DIR


def link_files(source: Path, folder: Path, bases) -> None:
    """Make `folder` hold `base.gz` for each base, as symlinks: the shared files are never copied."""
    folder.mkdir(exist_ok=True)
    for base in bases:
        (folder / f"{base}.gz").symlink_to(source / f"{base}.gz")


# --- end of data fixtures ---


# --- browser fixtures ---

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "site"
READY_TIMEOUT_MS = 90_000  # Pyodide and TF.js boot in a few seconds; a loaded CI machine is slower


@pytest.fixture(scope="session")
def site_url():
    """The built site, served on 127.0.0.1 with netlify.toml's headers (the production CSP)."""
    from export.serve import serve_in_thread

    if not (SITE / "vendor").is_dir():
        pytest.fail("site/vendor is missing: run `make site` (make test does it)")
    server, url = serve_in_thread(root=SITE, port=0, quiet=True)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def subpath_url():
    """The same site under a sub-path, as on https://someone.github.io/digits/."""
    from export.serve import serve_in_thread

    server, url = serve_in_thread(root=SITE, port=0, base="/digits/", quiet=True)
    yield url
    server.shutdown()


# Per test module, not per session: while one runs, no other sync Playwright can start in this process,
# and export's own Chromium runs (export.tfjs_check) start one.
@pytest.fixture(scope="module")
def playwright_session():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_session):
    from export.browser import launch_chromium

    chromium = launch_chromium(playwright_session)
    yield chromium
    chromium.close()


def watch_for_problems(page, origin):
    """Collects console errors, page errors and requests to any other origin; returns the list."""
    problems = []
    # A blocked resource or script is reported on the console by Chromium; this names the directive too.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (event) =>"
        " console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`))"
    )
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
    `cores`, the page and its model worker see a device with that many (export.browser.report_cores)."""
    from export.browser import report_cores

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


@pytest.fixture
def open_app(browser, site_url):
    """open_app(url=site_url, routes={}, **context_options) -> a ready page; the test fails on any console
    error, page error or request to another origin. routes ({URL pattern: handler}) go to context.route
    before the page loads."""
    opened = []

    def open_page(url=site_url, routes=None, **context_options):
        page, problems = open_ready_page(browser, url, routes, **context_options)
        opened.append((page.context, problems))
        return page

    yield open_page
    for context, problems in opened:
        context.close()
        assert not problems, "\n".join(problems)


@pytest.fixture
def app(open_app):
    """A ready desktop page."""
    return open_app(viewport={"width": 1280, "height": 900})


def wait_for_predictions(page, seq_before, count=1):
    """Waits until prediction's data-seq has grown by `count`; returns its data-digit."""
    page.locator(f"[data-testid=prediction][data-seq='{seq_before + count}']").wait_for()
    return page.get_by_test_id("prediction").get_attribute("data-digit")


@pytest.fixture
def classify():
    """classify(page, action, count=1): runs action() and returns data-digit once `count` more
    classifications have finished."""

    def run(page, action, count=1):
        seq_before = int(page.get_by_test_id("prediction").get_attribute("data-seq"))
        action()
        return wait_for_predictions(page, seq_before, count)

    return run


@pytest.fixture(scope="session")
def mnist_test_digits(mnist_source_dir):
    """(images uint8 [10000, 28, 28], labels) of the MNIST test set."""
    from training.data import read_idx

    return (
        read_idx(mnist_source_dir / "t10k-images-idx3-ubyte.gz"),
        read_idx(mnist_source_dir / "t10k-labels-idx1-ubyte.gz"),
    )


# --- end of browser fixtures ---


# --- shared-page fixtures (batch and awkward files: many uploads, one page load per module) ---


@pytest.fixture(scope="module")
def module_page(browser, site_url):
    """(page, problems): one ready desktop page for a whole test module."""
    page, problems = open_ready_page(browser, site_url, viewport={"width": 1280, "height": 900})
    yield page, problems
    page.context.close()


@pytest.fixture
def shared_app(module_page):
    """The module's page; like `app`, each test fails on any console error, page error or request to
    another origin that happened during it."""
    page, problems = module_page
    problems.clear()
    yield page
    assert not problems, "\n".join(problems)


def upload_files(page, *paths, test_id="upload"):
    """An action for `classify`: chooses the files in the file input `test_id`."""
    return lambda: page.get_by_test_id(test_id).set_input_files(list(paths))


# --- end of shared-page fixtures ---
