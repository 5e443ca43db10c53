"""The benchmark's floor, a bare PyScript page, boots the site's Pyodide under the production headers
(the app's CSP) in Chromium, with no console error: every start-up goal is judged against it."""

import pytest
from helpers import wait_until_ready, watch_for_problems

pytestmark = pytest.mark.browser


def test_the_floor_page_boots_python_under_the_production_policy(browser, tmp_path):
    from bench.pages import write_bench_root
    from devtools.serve import serve_in_thread

    server, url = serve_in_thread(root=write_bench_root(tmp_path / "root"), port=0, quiet=True)
    context = browser.new_context()
    try:
        page = context.new_page()
        problems = watch_for_problems(page, url.rstrip("/"))
        page.goto(url)
        wait_until_ready(page)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
        server.shutdown()
