"""The local server sends what netlify.toml declares, so browser tests run under production headers."""

import urllib.error
import urllib.request

import pytest

from devtools.serve import headers_for, netlify_headers, serve_in_thread


@pytest.fixture
def served(tmp_path):
    """A tiny site under the sub-path /digits/."""
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    (tmp_path / "engine.wasm").write_bytes(b"\0asm\1\0\0\0")
    (tmp_path / "module.mjs").write_text("export {};")
    server, url = serve_in_thread(root=tmp_path, port=0, base="/digits/", quiet=True)
    yield url
    server.shutdown()


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, response.read()


def test_netlify_headers_are_parsed_in_order():
    rules = netlify_headers()
    assert rules[0][0] == "/*"
    everywhere = headers_for("/index.html", rules)
    assert "default-src 'self'" in everywhere["Content-Security-Policy"]
    assert everywhere["X-Content-Type-Options"] == "nosniff"
    assert everywhere["Cache-Control"] == "no-cache"
    assert headers_for("/vendor/tfjs/x.wasm", rules)["Content-Type"] == "application/wasm"


def test_index_under_the_sub_path_carries_the_policy(served):
    headers, body = fetch(served)
    assert body.startswith(b"<!doctype html>")
    assert headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("name, content_type", [("engine.wasm", "application/wasm"), ("module.mjs", "text/javascript")])
def test_runtime_files_have_the_types_browsers_require(served, name, content_type):
    headers, _ = fetch(served + name)
    assert headers.get_all("Content-Type") == [content_type]


def test_paths_outside_the_sub_path_are_not_found(served):
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch(served.replace("/digits/", "/index.html"))
    assert error.value.code == 404
