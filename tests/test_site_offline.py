"""Offline use in Chromium: after one visit the service worker serves the whole app, which then loads and
classifies with no network; other models are kept once downloaded; a new version is offered, applied on
request, and the old caches go."""

import shutil

import pytest
from helpers import SITE, wait_for_offline_state, wait_until_ready
from strokes import SEVEN, draw_with_mouse, paper_png

from devtools.serve import serve_in_thread

pytestmark = pytest.mark.browser


def cache_names(page):
    return page.evaluate("caches.keys()")


def test_after_one_visit_the_app_works_offline(app, classify, tmp_path):
    wait_for_offline_state(app, "ready")
    assert app.get_by_test_id("offline-status").is_visible()
    assert app.get_by_test_id("update").is_hidden()
    app.context.set_offline(True)
    responses = []
    app.on("response", lambda response: responses.append(response))
    app.reload()
    wait_until_ready(app)
    # blob: is PyScript's worker script, made in the page, not fetched.
    fetched = [response for response in responses if not response.url.startswith("blob:")]
    not_from_worker = [response.url for response in fetched if not response.from_service_worker]
    assert responses and not not_from_worker
    seven = paper_png(SEVEN, tmp_path / "seven.png")
    assert classify(app, lambda: app.get_by_test_id("upload").set_input_files(seven)) == "7"
    assert classify(app, draw_with_mouse(app, SEVEN)) == "7"


@pytest.fixture
def site_copy(tmp_path):
    """A copy of the site to change: links to site/'s files, its own precache.js, and a second model
    ("spare", the default's files) that the build did not precache. Yields (folder, url)."""
    root = tmp_path / "site"
    root.mkdir()
    for entry in SITE.iterdir():
        if entry.name not in ("precache.js", "models"):
            (root / entry.name).symlink_to(entry)
    shutil.copy(SITE / "precache.js", root / "precache.js")
    (root / "models").mkdir()
    for entry in (SITE / "models").iterdir():
        (root / "models" / entry.name).symlink_to(entry)
    (root / "models" / "spare").symlink_to(SITE / "models" / "cnn")
    server, url = serve_in_thread(root=root, port=0, quiet=True)
    yield root, url
    server.shutdown()


def test_other_models_are_cached_when_first_downloaded(open_app, site_copy):
    _, url = site_copy
    page = open_app(url)
    wait_for_offline_state(page, "ready")
    fetch_spare = "fetch('models/spare/model.json').then((response) => response.json()).then((model) => model.format)"
    assert page.evaluate("caches.match('models/spare/model.json')") is None
    assert page.evaluate(fetch_spare) == "graph-model"
    page.context.set_offline(True)
    assert page.evaluate(fetch_spare) == "graph-model"


def test_a_new_version_is_offered_and_applied(open_app, site_copy):
    root, url = site_copy
    page = open_app(url)
    wait_for_offline_state(page, "ready")
    [old_cache] = cache_names(page)
    # A deploy: the build writes a new version into precache.js.
    precache = root / "precache.js"
    precache.write_text(precache.read_text().replace('"version": "', '"version": "next-', 1))
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    wait_for_offline_state(page, "update")
    with page.expect_navigation():
        page.get_by_test_id("update").click()
    wait_until_ready(page)
    wait_for_offline_state(page, "ready")
    [new_cache] = cache_names(page)
    assert new_cache != old_cache
    assert new_cache.startswith("digitlens-next-")
