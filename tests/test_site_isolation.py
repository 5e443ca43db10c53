"""Cross-origin isolation in Chromium: the page is isolated (netlify.toml's headers, or on a host that
sends none, the service worker's from the second visit), so TF.js's threaded WebAssembly runs the model
on threads, and reads as it does on one."""

import pytest
from helpers import SITE, open_ready_page, wait_for_offline_state, wait_until_ready
from strokes import SEVEN, paper_png

from devtools.serve import serve_in_thread

pytestmark = pytest.mark.browser


def four_core_page(browser, url):
    """(page, problems): url loaded and ready, its navigator reporting 4 cores, as a phone's does (TF.js's
    threaded wasm takes half of them; this machine may have 2)."""
    return open_ready_page(browser, url, cores=4)


def runs_on(page):
    card = page.get_by_test_id("model-card")
    return page.evaluate("crossOriginIsolated"), card.get_attribute("data-backend"), card.get_attribute("data-threads")


@pytest.fixture
def headerless_url():
    """The site from a server that sends no headers, as GitHub Pages does: the page is not isolated."""
    server, url = serve_in_thread(root=SITE, port=0, quiet=True, headers=False)
    yield url
    server.shutdown()


def reads_a_seven(page, classify, tmp_path):
    seven = paper_png(SEVEN, tmp_path / "seven.png")
    return classify(page, lambda: page.get_by_test_id("upload").set_input_files(seven)) == "7"


def test_the_page_is_isolated_and_reads_on_two_threads_of_a_four_core_device(browser, site_url, classify, tmp_path):
    page, problems = four_core_page(browser, site_url)
    assert runs_on(page) == (True, "wasm", "2")
    assert "on 2 threads" in page.locator("#model-info").text_content()
    assert reads_a_seven(page, classify, tmp_path)
    page.context.close()
    assert not problems, "\n".join(problems)


def test_without_isolation_the_model_runs_on_one_thread(browser, headerless_url, classify, tmp_path):
    page, problems = open_ready_page(browser, headerless_url)
    assert runs_on(page) == (False, "wasm", "1")
    assert reads_a_seven(page, classify, tmp_path)
    page.context.close()
    assert not problems, "\n".join(problems)


def test_on_a_host_without_headers_the_service_worker_isolates_the_page_from_the_second_visit(
    browser, headerless_url, classify, tmp_path
):
    page, problems = four_core_page(browser, headerless_url)
    assert runs_on(page) == (False, "wasm", "1")
    wait_for_offline_state(page, "ready")
    page.reload()
    wait_until_ready(page)
    assert runs_on(page) == (True, "wasm", "2")
    assert reads_a_seven(page, classify, tmp_path)
    page.context.close()
    assert not problems, "\n".join(problems)
