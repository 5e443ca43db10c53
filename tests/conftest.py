"""Shared pytest fixtures; the helpers they and the tests use are in helpers.py."""

from pathlib import Path

import pytest
from helpers import MNIST_SOURCE_DIR, SITE, open_ready_page, wait_for_predictions

from training.data import MNIST_FILES

# --- data fixtures ---


@pytest.fixture(scope="session")
def mnist_source_dir() -> Path:
    """The folder holding the four official MNIST .gz files; skips the test when it is absent."""
    if not all((MNIST_SOURCE_DIR / f"{base}.gz").is_file() for base in MNIST_FILES.values()):
        pytest.skip(f"MNIST not found in {MNIST_SOURCE_DIR} (expected the shared data folder ../shared/data/mnist)")
    return MNIST_SOURCE_DIR


# --- end of data fixtures ---


# --- browser fixtures ---


@pytest.fixture(scope="session")
def site_url():
    """The built site, served on 127.0.0.1 with netlify.toml's headers (the production CSP)."""
    from devtools.serve import serve_in_thread

    if not (SITE / "vendor").is_dir():
        pytest.fail("site/vendor is missing: run `make site` (make test does it)")
    server, url = serve_in_thread(root=SITE, port=0, quiet=True)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def subpath_url():
    """The same site under a sub-path, as on https://someone.github.io/digits/."""
    from devtools.serve import serve_in_thread

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
    from devtools.browser import launch_chromium

    chromium = launch_chromium(playwright_session)
    yield chromium
    chromium.close()


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


# --- end of shared-page fixtures ---
