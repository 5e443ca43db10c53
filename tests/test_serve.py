"""The local server sends what netlify.toml declares, so browser tests run under production headers."""

import json
import socket
import struct
import time
import urllib.error
import urllib.request

import pytest
from helpers import SITE

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


def test_the_service_worker_adds_netlify_tomls_isolating_headers():
    """sw.js adds to a header-less host's responses what the build copied from netlify.toml, and only that."""
    precache = json.loads((SITE / "precache.js").read_text().split("=", 1)[1].strip().removesuffix(";"))
    sent = headers_for("/index.html", netlify_headers())
    assert precache["isolation"] == {name: sent[name] for name in precache["isolation"]}
    assert set(precache["isolation"]) == {"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy"}


def test_a_browser_leaving_mid_file_is_no_error(tmp_path, capfd):
    """A page closed while a large file is still being sent resets the connection: the server goes on
    quietly, with no traceback on its terminal."""
    (tmp_path / "big.wasm").write_bytes(b"\0" * 20_000_000)
    server, url = serve_in_thread(root=tmp_path, port=0, quiet=True)
    try:
        host, port = server.server_address[:2]
        client = socket.create_connection((host, port), timeout=10)
        client.sendall(b"GET /big.wasm HTTP/1.1\r\nHost: localhost\r\n\r\n")
        client.recv(1024)  # the server is sending
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # a reset, as a closed tab sends
        time.sleep(0.5)
        headers, _ = fetch(url + "big.wasm")
        assert headers["Content-Length"] == "20000000"  # still serving
    finally:
        server.shutdown()
    assert "Traceback" not in capfd.readouterr().err
