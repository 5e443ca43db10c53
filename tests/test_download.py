"""training.data downloads: mirrors tried in turn, files verified before they land, clear failures.

Every mirror here is a local http.server on 127.0.0.1; nothing else is ever contacted.
"""

import functools
import gzip
import http.server
import socket
import threading
import time
from pathlib import Path

import pytest
from helpers import link_files

from training.data import MNIST_FILES, SHA256, DataError, download_mnist, load_mnist, read_idx

TRAIN_BASES = [MNIST_FILES["train_images"], MNIST_FILES["train_labels"]]
TEST_IMAGES = MNIST_FILES["test_images"]
TEST_LABELS = MNIST_FILES["test_labels"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        """Keep request logs out of the stderr the tests inspect."""


@pytest.fixture
def serve():
    """A function that serves a folder over HTTP on 127.0.0.1 and returns its base URL."""
    running = []

    def start(folder: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        # A short poll interval: shutdown() waits up to one interval.
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def direct_local_connections(monkeypatch):
    """No proxy (urllib would send 127.0.0.1 requests through one) and no MNIST_DIR overriding the cache."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MNIST_DIR", raising=False)


def closed_port_url() -> str:
    """A localhost URL nobody listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_load_mnist_downloads_into_the_cache(tmp_path, serve, mnist_source_dir, capsys):
    cache = tmp_path / "cache"
    mnist = load_mnist(download=True, cache_dir=cache, mirrors=[serve(mnist_source_dir)])
    assert mnist.source == str(cache)
    assert mnist.checksums == SHA256
    assert mnist.x_train.shape == (60000, 28, 28) and mnist.x_test.shape == (10000, 28, 28)
    # Exactly the four files: no temporary leftovers.
    assert sorted(path.name for path in cache.iterdir()) == sorted(f"{base}.gz" for base in MNIST_FILES.values())
    stderr = capsys.readouterr().err
    assert "t10k-labels-idx1-ubyte.gz: 100% 4,517/4,517 bytes" in stderr


def test_404_mirror_falls_through_to_the_next(tmp_path, serve, mnist_source_dir, capsys):
    # Only the two small test files are missing from the cache, so only they are fetched.
    cache = tmp_path / "cache"
    link_files(mnist_source_dir, cache, TRAIN_BASES)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert download_mnist(cache, mirrors=[serve(empty), serve(mnist_source_dir)]) == cache
    read_idx(cache / f"{TEST_IMAGES}.gz", sha256=SHA256[TEST_IMAGES])
    read_idx(cache / f"{TEST_LABELS}.gz", sha256=SHA256[TEST_LABELS])
    stderr = capsys.readouterr().err
    assert f"{TEST_IMAGES}.gz: 100%" in stderr
    assert f"{TEST_LABELS}.gz: 100% 4,517/4,517 bytes" in stderr


def test_progress_false_is_silent(tmp_path, serve, mnist_source_dir, capsys):
    cache = tmp_path / "cache"
    link_files(mnist_source_dir, cache, [base for base in MNIST_FILES.values() if base != TEST_LABELS])
    download_mnist(cache, mirrors=[serve(mnist_source_dir)], progress=False)
    assert (cache / f"{TEST_LABELS}.gz").is_file()
    assert capsys.readouterr().err == ""


def flip_first_pixel(gz_bytes: bytes) -> bytes:
    """A valid gzip of a structurally valid IDX file whose content differs: only the checksum can tell."""
    images = bytearray(gzip.decompress(gz_bytes))
    images[16] ^= 0xFF
    return gzip.compress(bytes(images), compresslevel=1)


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (lambda gz: gz[: len(gz) // 2], "corrupt or truncated gzip"),
        (flip_first_pixel, "sha256 mismatch"),
        (lambda gz: b"<html>Not the file you wanted</html>", "not a gzip file"),
    ],
    ids=["truncated", "sha256-mismatch", "html-page"],
)
def test_corrupt_download_is_rejected_and_nothing_is_left(tmp_path, serve, mnist_source_dir, corrupt, expected):
    bad_mirror = tmp_path / "bad-mirror"
    bad_mirror.mkdir()
    (bad_mirror / f"{TEST_IMAGES}.gz").write_bytes(corrupt((mnist_source_dir / f"{TEST_IMAGES}.gz").read_bytes()))
    link_files(mnist_source_dir, bad_mirror, [TEST_LABELS])
    cache = tmp_path / "cache"
    link_files(mnist_source_dir, cache, TRAIN_BASES)
    url = serve(bad_mirror)

    with pytest.raises(DataError) as caught:
        download_mnist(cache, mirrors=[url], progress=False)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{TEST_IMAGES}.gz: download failed")
    assert f"{url}{TEST_IMAGES}.gz" in message and expected in message
    assert "MNIST_DIR" in message
    assert sorted(path.name for path in cache.iterdir()) == sorted(f"{base}.gz" for base in TRAIN_BASES)


def test_unreachable_mirrors_fail_fast_naming_each(tmp_path, serve):
    empty = tmp_path / "empty"
    empty.mkdir()
    mirrors = [serve(empty), closed_port_url()]
    dest = tmp_path / "cache"
    start = time.monotonic()
    with pytest.raises(DataError) as caught:
        download_mnist(dest, mirrors=mirrors, timeout=5, progress=False)
    assert time.monotonic() - start < 5
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{MNIST_FILES['train_images']}.gz: download failed")
    assert "HTTP Error 404" in message and mirrors[1] in message
    assert "--data-dir" in message and "MNIST_DIR" in message
    assert list(dest.iterdir()) == []


def test_files_already_present_are_not_downloaded(tmp_path, mnist_source_dir):
    cache = tmp_path / "cache"
    link_files(mnist_source_dir, cache, MNIST_FILES.values())
    assert download_mnist(cache, mirrors=[closed_port_url()]) == cache
