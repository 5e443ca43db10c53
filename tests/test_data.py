"""training.data: reading and verifying MNIST from IDX and CSV folders, and its one-line errors."""

import gzip
import hashlib
import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers import link_files

from training.data import (
    CSV_FILES,
    IMAGES_MAGIC,
    LABELS_MAGIC,
    MNIST_FILES,
    SHA256,
    DataError,
    default_cache_dir,
    find_mnist_files,
    load_mnist,
    read_csv,
    read_idx,
)

TEST_IMAGES = MNIST_FILES["test_images"]
TEST_LABELS = MNIST_FILES["test_labels"]


@pytest.fixture(scope="module")
def mnist(mnist_source_dir):
    """The real data set, loaded once for this module (the 60k training files are the slow part)."""
    return load_mnist(mnist_source_dir)


@pytest.fixture(scope="module")
def test_raw(mnist_source_dir) -> dict[str, bytes]:
    """Decompressed bytes of the two 10k test files, keyed by base name."""
    return {
        base: gzip.decompress((mnist_source_dir / f"{base}.gz").read_bytes()) for base in (TEST_IMAGES, TEST_LABELS)
    }


def csv_text(images: np.ndarray, labels: np.ndarray, header: bool) -> str:
    rows = np.column_stack([labels, images.reshape(len(images), -1)])
    buffer = io.StringIO()
    header_line = ",".join(["label"] + [f"{row}x{col}" for row in range(1, 29) for col in range(1, 29)])
    np.savetxt(buffer, rows, fmt="%d", delimiter=",", header=header_line if header else "", comments="")
    # savetxt writes an empty first line for an empty header.
    return buffer.getvalue().lstrip("\n")


def assert_one_line_naming(error: DataError, name: str) -> str:
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert name in message
    return message


# --- the real data ---


def test_real_mnist_shapes_dtypes_and_labels(mnist):
    assert mnist.x_train.shape == (60000, 28, 28)
    assert mnist.y_train.shape == (60000,)
    assert mnist.x_test.shape == (10000, 28, 28)
    assert mnist.y_test.shape == (10000,)
    for array in (mnist.x_train, mnist.y_train, mnist.x_test, mnist.y_test):
        assert array.dtype == np.uint8
    assert set(np.unique(mnist.y_train)) == set(range(10))
    assert set(np.unique(mnist.y_test)) == set(range(10))


def test_real_mnist_pixel_means_match_the_readme(mnist):
    assert mnist.x_test.mean() / 255 == pytest.approx(0.1325146058, abs=1e-9)
    assert mnist.x_train.mean() / 255 == pytest.approx(0.1306604763, abs=1e-9)


def test_real_mnist_checksums_and_source(mnist, mnist_source_dir):
    assert mnist.checksums == SHA256
    assert mnist.source == str(mnist_source_dir)


def test_raw_idx_files_read_like_gzip_ones(tmp_path, mnist, test_raw):
    for base, data in test_raw.items():
        (tmp_path / base).write_bytes(data)
    images = read_idx(tmp_path / TEST_IMAGES, sha256=SHA256[TEST_IMAGES], magic=IMAGES_MAGIC)
    labels = read_idx(tmp_path / TEST_LABELS, sha256=SHA256[TEST_LABELS], magic=LABELS_MAGIC)
    np.testing.assert_array_equal(images, mnist.x_test)
    np.testing.assert_array_equal(labels, mnist.y_test)
    assert find_mnist_files(tmp_path) == {
        "test_images": tmp_path / TEST_IMAGES,
        "test_labels": tmp_path / TEST_LABELS,
    }


def test_gzip_file_is_preferred_over_raw(tmp_path, mnist_source_dir, test_raw):
    link_files(mnist_source_dir, tmp_path, [TEST_LABELS])
    (tmp_path / TEST_LABELS).write_bytes(test_raw[TEST_LABELS])
    assert find_mnist_files(tmp_path) == {"test_labels": tmp_path / f"{TEST_LABELS}.gz"}


# --- folders, environment and cache ---


def write_csv_pair(folder: Path, mnist, count: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / CSV_FILES["train"]).write_text(csv_text(mnist.x_train[:count], mnist.y_train[:count], header=True))
    (folder / CSV_FILES["test"]).write_text(csv_text(mnist.x_test[:count], mnist.y_test[:count], header=False))


def test_mnist_dir_env_var_is_honoured(tmp_path, monkeypatch, mnist):
    write_csv_pair(tmp_path, mnist, count=50)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    loaded = load_mnist(download=False)
    assert loaded.source == str(tmp_path)
    np.testing.assert_array_equal(loaded.x_train, mnist.x_train[:50])
    np.testing.assert_array_equal(loaded.y_test, mnist.y_test[:50])
    assert loaded.checksums == {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in CSV_FILES.values()
    }


def test_data_dir_argument_beats_mnist_dir(tmp_path, monkeypatch, mnist):
    write_csv_pair(tmp_path, mnist, count=5)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "not-there"))
    assert load_mnist(tmp_path).source == str(tmp_path)


def test_missing_folder_says_how_to_point_at_the_data(tmp_path):
    with pytest.raises(DataError) as caught:
        load_mnist(tmp_path / "no-such-folder")
    message = assert_one_line_naming(caught.value, "no-such-folder")
    assert "missing" in message and "MNIST_DIR" in message


def test_empty_cache_without_download_says_how_to_point_at_the_data(tmp_path, monkeypatch):
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "digitlens" / "mnist"
    with pytest.raises(DataError) as caught:
        load_mnist(download=False)
    message = assert_one_line_naming(caught.value, str(tmp_path / "digitlens" / "mnist"))
    assert "--data-dir" in message and "MNIST_DIR" in message


def test_missing_idx_file_is_named(tmp_path, mnist_source_dir):
    link_files(mnist_source_dir, tmp_path, [base for base in MNIST_FILES.values() if base != TEST_LABELS])
    with pytest.raises(DataError) as caught:
        load_mnist(tmp_path)
    message = assert_one_line_naming(caught.value, TEST_LABELS)
    assert "missing" in message and CSV_FILES["train"] in message


def test_labels_file_named_as_images_is_rejected(tmp_path, mnist_source_dir):
    train_images = MNIST_FILES["train_images"]
    link_files(mnist_source_dir, tmp_path, [base for base in MNIST_FILES.values() if base != train_images])
    shutil.copyfile(mnist_source_dir / f"{MNIST_FILES['train_labels']}.gz", tmp_path / f"{train_images}.gz")
    with pytest.raises(DataError) as caught:
        load_mnist(tmp_path)
    message = assert_one_line_naming(caught.value, f"{train_images}.gz")
    assert "bad magic number 2049, expected 2051 (an image file)" in message


# --- bad IDX files ---


def flip_first_pixel(images: bytes) -> bytes:
    """Same structure, different content: only the checksum can tell."""
    corrupted = bytearray(images)
    corrupted[16] ^= 0xFF
    return bytes(corrupted)


BAD_IDX_CASES = [
    (
        "truncated",
        f"{TEST_LABELS}.gz",
        lambda raw: gzip.compress(raw[TEST_LABELS][:1000]),
        "truncated: expected 10008 bytes for shape (10000,), got 1000",
    ),
    (
        "truncated-header",
        TEST_IMAGES,
        lambda raw: raw[TEST_IMAGES][:10],
        "truncated header: expected 16 bytes, got 10",
    ),
    (
        "trailing-garbage",
        f"{TEST_LABELS}.gz",
        lambda raw: gzip.compress(raw[TEST_LABELS] + b"garbage"),
        "trailing bytes: expected 10008 bytes",
    ),
    (
        "wrong-magic",
        f"{TEST_IMAGES}.gz",
        lambda raw: gzip.compress(raw[TEST_LABELS]),
        "bad magic number 2049, expected 2051 (an image file)",
    ),
    (
        "corrupt-gzip",
        f"{TEST_LABELS}.gz",
        lambda raw: gzip.compress(raw[TEST_LABELS])[:-100],
        "corrupt or truncated gzip",
    ),
    ("not-gzip", f"{TEST_LABELS}.gz", lambda raw: b"label,pixel\n7,0\n", "not a gzip file"),
    ("text-as-raw-idx", TEST_LABELS, lambda raw: b"label,pixel\n7,0\n", "bad magic number"),
    (
        "sha256-mismatch",
        f"{TEST_IMAGES}.gz",
        lambda raw: gzip.compress(flip_first_pixel(raw[TEST_IMAGES]), compresslevel=1),
        "sha256 mismatch",
    ),
]


@pytest.mark.parametrize(
    ("file_name", "make_bytes", "expected"),
    [case[1:] for case in BAD_IDX_CASES],
    ids=[case[0] for case in BAD_IDX_CASES],
)
def test_bad_idx_file_raises_one_line_error_naming_it(tmp_path, test_raw, file_name, make_bytes, expected):
    path = tmp_path / file_name
    path.write_bytes(make_bytes(test_raw))
    base = file_name.removesuffix(".gz")
    magic = IMAGES_MAGIC if base == TEST_IMAGES else LABELS_MAGIC
    with pytest.raises(DataError) as caught:
        read_idx(path, sha256=SHA256[base], magic=magic)
    assert expected in assert_one_line_naming(caught.value, str(path))


def test_missing_idx_file_read_directly(tmp_path):
    with pytest.raises(DataError) as caught:
        read_idx(tmp_path / f"{TEST_LABELS}.gz")
    assert "missing" in assert_one_line_naming(caught.value, f"{TEST_LABELS}.gz")


# --- CSV ---


@pytest.mark.parametrize("header", [True, False], ids=["header", "no-header"])
def test_csv_round_trip(tmp_path, mnist, header):
    path = tmp_path / "digits.csv"
    path.write_text(csv_text(mnist.x_test[:300], mnist.y_test[:300], header=header))
    images, labels = read_csv(path)
    assert images.dtype == labels.dtype == np.uint8
    np.testing.assert_array_equal(images, mnist.x_test[:300])
    np.testing.assert_array_equal(labels, mnist.y_test[:300])


def test_csv_of_the_whole_test_set(tmp_path, mnist):
    path = tmp_path / CSV_FILES["test"]
    path.write_text(csv_text(mnist.x_test, mnist.y_test, header=True))
    images, labels = read_csv(path)
    np.testing.assert_array_equal(images, mnist.x_test)
    np.testing.assert_array_equal(labels, mnist.y_test)


def replace_field(lines: list[str], line_number: int, column: int, value: str) -> list[str]:
    """`lines` with field `column` (0 = label) of 1-based `line_number` set to `value`."""
    fields = lines[line_number - 1].split(",")
    fields[column] = value
    return lines[: line_number - 1] + [",".join(fields)] + lines[line_number:]


# Each case edits a 5-digit CSV whose line 1 is the header, so data lines are 2..6.
BAD_CSV_CASES = [
    (
        "too-few-columns",
        lambda lines: lines[:2] + [lines[2].rsplit(",", 1)[0]] + lines[3:],
        "line 3: expected 785 values (label + 784 pixels), got 784",
    ),
    (
        "too-many-columns",
        lambda lines: lines[:5] + [lines[5] + ",0"],
        "line 6: expected 785 values (label + 784 pixels), got 786",
    ),
    ("pixel-300", lambda lines: replace_field(lines, 4, 17, "300"), "line 4: value 300 out of range 0..255"),
    (
        "pixel-negative",
        lambda lines: replace_field(lines, 2, 5, "-1"),
        "line 2: value -1 out of range 0..255",
    ),
    ("label-12", lambda lines: replace_field(lines, 5, 0, "12"), "line 5: label 12 is not a digit 0..9"),
    (
        "text",
        lambda lines: replace_field(lines, 3, 100, "abc"),
        "line 3: non-numeric value 'abc' (column 101)",
    ),
    ("float", lambda lines: replace_field(lines, 6, 9, "3.5"), "line 6: non-numeric value '3.5'"),
    ("empty-field", lambda lines: replace_field(lines, 2, 9, ""), "line 2: non-numeric value ''"),
    ("huge", lambda lines: replace_field(lines, 3, 9, "9" * 30), "line 3: value 999"),
    ("header-only", lambda lines: lines[:1], "no data rows"),
    ("empty", lambda lines: [], "empty file"),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [case[1:] for case in BAD_CSV_CASES], ids=[case[0] for case in BAD_CSV_CASES]
)
def test_bad_csv_raises_one_line_error_naming_file_and_line(tmp_path, mnist, edit, expected):
    lines = csv_text(mnist.x_test[:5], mnist.y_test[:5], header=True).splitlines()
    path = tmp_path / "mnist_test.csv"
    path.write_text("\n".join(edit(lines)) + "\n")
    with pytest.raises(DataError) as caught:
        read_csv(path)
    assert expected in assert_one_line_naming(caught.value, str(path))
