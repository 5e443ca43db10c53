"""The production Content-Security-Policy holds in the page, and a violation is a problem the browser
tests report (so any test that triggers one fails)."""

import pytest
from helpers import watch_for_problems

pytestmark = pytest.mark.browser


def test_an_inline_script_is_blocked_and_reported(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    problems = watch_for_problems(page, site_url.rstrip("/"))
    page.goto(site_url)
    with page.expect_console_message(lambda message: message.text.startswith("CSP violation")):
        page.evaluate(
            "document.head.append(Object.assign(document.createElement('script'), {textContent: 'window.ran = 1'}))"
        )
    assert page.evaluate("window.ran") is None
    assert any("CSP violation: script-src" in problem for problem in problems), problems
    context.close()
