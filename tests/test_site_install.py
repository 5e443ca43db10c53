"""Installing and hosting anywhere: under a sub-path the app loads, classifies and stores itself for
offline use, and Chromium finds it installable (manifest, icons, service worker)."""

import pytest
from helpers import wait_for_offline_state, wait_until_ready, watch_for_problems
from strokes import SEVEN, draw_with_mouse

from devtools.browser import CHROMIUM_ARGS, chromium_path

pytestmark = pytest.mark.browser


@pytest.fixture
def installable_page(playwright_session, tmp_path):
    """A page in a profile kept on disk: Chromium never offers to install from an incognito one, which
    is what new_context() gives."""
    context = playwright_session.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )
    yield context.pages[0]
    context.close()


def test_under_a_sub_path_the_app_works_and_installs(installable_page, subpath_url, classify):
    page = installable_page
    problems = watch_for_problems(page, subpath_url.split("/digits/")[0])
    page.goto(subpath_url)
    wait_until_ready(page)
    assert classify(page, draw_with_mouse(page, SEVEN)) == "7"
    wait_for_offline_state(page, "ready")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == subpath_url + "sw.js"
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == subpath_url + "manifest.webmanifest"
    assert manifest["errors"] == []
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    assert not problems, "\n".join(problems)
