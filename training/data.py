"""MNIST on disk: find it, download it, read and verify it.

The data folder is the `data_dir` argument, else $MNIST_DIR, else a user cache folder that is filled from
public mirrors on first use. A folder holds either the four IDX files (each gzip-compressed `name.gz` or
raw `name`) or the CSV pair mnist_train.csv / mnist_test.csv (one row per digit: label, then 784 pixels).
IDX files are checked against the sha256 of their decompressed bytes, so both re-compressed copies and
the public mirrors' files are accepted. Every failure is a DataError with a one-line message naming
the file. Only numpy and the standard library: importing this module must stay fast.
"""

import gzip
import hashlib
import http.client
import math
import os
import sys
import tempfile
import time
import urllib.request
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

StrPath = str | os.PathLike[str]

# Logical name -> IDX base file name (the mirrors serve `base + ".gz"`).
MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

# sha256 of the decompressed IDX files (from the data README; identical for every mirror).
SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# The replaced Streamlit app's CSV layout: label then 784 pixel values per row, optional header row.
CSV_FILES = {"train": "mnist_train.csv", "test": "mnist_test.csv"}

# Public base URLs serving the four `.gz` files; tried in order. A tuple: it is a shared default.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

IMAGES_MAGIC = 2051  # 0x0803: unsigned bytes, 3 dimensions
LABELS_MAGIC = 2049  # 0x0801: unsigned bytes, 1 dimension
IMAGE_SIZE = 28
CSV_COLUMNS = 1 + IMAGE_SIZE * IMAGE_SIZE

# Rows parsed per np.loadtxt call: bounds the int64 scratch array to about 60 MB.
_CSV_CHUNK_ROWS = 10_000
_DOWNLOAD_CHUNK_BYTES = 64 * 1024
_PROGRESS_INTERVAL_S = 0.1
_POINT_AT_DATA = "pass --data-dir or set MNIST_DIR to a folder holding the MNIST files"


class DataError(Exception):
    """MNIST is missing, incomplete or corrupt; the message is one line naming the file."""


@dataclass(frozen=True, eq=False)  # eq=False: comparing numpy arrays field by field has no single truth value
class Mnist:
    x_train: np.ndarray  # uint8 [60000, 28, 28]
    y_train: np.ndarray  # uint8 [60000]
    x_test: np.ndarray  # uint8 [10000, 28, 28]
    y_test: np.ndarray  # uint8 [10000]
    checksums: dict[str, str]  # file base name -> sha256 (of the decompressed IDX bytes, or of the CSV file)
    source: str  # the folder the data came from


# --- IDX files ---


def read_idx(path: StrPath, *, sha256: str | None = None, magic: int | None = None) -> np.ndarray:
    """Read a gzip-compressed (`.gz`) or raw IDX file of unsigned bytes.

    `magic` is IMAGES_MAGIC or LABELS_MAGIC when the caller knows what the file must hold; `sha256` is
    the expected digest of the decompressed bytes.
    """
    path = Path(path)
    array, digest = _read_idx(path, magic)
    _check_sha256(str(path), digest, sha256)
    return array


def _read_idx(path: Path, magic: int | None) -> tuple[np.ndarray, str]:
    """The array and the sha256 of the decompressed bytes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: missing") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {_one_line(exc)}") from None
    return _decode_idx(raw, name=str(path), compressed=path.suffix == ".gz", magic=magic)


def _decode_idx(raw: bytes, *, name: str, compressed: bool, magic: int | None) -> tuple[np.ndarray, str]:
    """Parse IDX bytes (gzip-compressed when `compressed`); `name` is what error messages call the file."""
    data = _gunzip(raw, name) if compressed else raw
    if len(data) < 4:
        raise DataError(f"{name}: truncated: expected at least 4 bytes, got {len(data)}")
    found_magic = int.from_bytes(data[:4], "big")
    if magic is not None and found_magic != magic:
        raise DataError(f"{name}: bad magic number {found_magic}, expected {magic} ({_describe_magic(magic)})")
    if found_magic not in (IMAGES_MAGIC, LABELS_MAGIC):
        raise DataError(
            f"{name}: bad magic number {found_magic}, expected {IMAGES_MAGIC} (an image file)"
            f" or {LABELS_MAGIC} (a label file)"
        )

    # The low byte of the magic number is the number of dimensions; each is a big-endian uint32.
    ndim = found_magic & 0xFF
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise DataError(f"{name}: truncated header: expected {header_size} bytes, got {len(data)}")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected_size = header_size + math.prod(shape)
    if len(data) < expected_size:
        raise DataError(f"{name}: truncated: expected {expected_size} bytes for shape {shape}, got {len(data)}")
    if len(data) > expected_size:
        raise DataError(f"{name}: trailing bytes: expected {expected_size} bytes for shape {shape}, got {len(data)}")

    # Copy so the caller owns writable memory rather than a read-only view of `data`.
    array = np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(shape).copy()
    return array, hashlib.sha256(data).hexdigest()


def _gunzip(raw: bytes, name: str) -> bytes:
    if raw[:2] != b"\x1f\x8b":
        raise DataError(f"{name}: not a gzip file (it does not start with the gzip magic bytes)")
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{name}: corrupt or truncated gzip: {_one_line(exc)}") from None


def _describe_magic(magic: int) -> str:
    return {IMAGES_MAGIC: "an image file", LABELS_MAGIC: "a label file"}.get(magic, "an IDX file")


def _check_sha256(name: str, digest: str, expected: str | None) -> None:
    if expected is not None and digest != expected:
        raise DataError(
            f"{name}: sha256 mismatch (corrupt or not the official MNIST file): expected {expected}, got {digest}"
        )


def _expected_magic(logical_name: str) -> int:
    return IMAGES_MAGIC if logical_name.endswith("_images") else LABELS_MAGIC


# --- CSV files ---


def read_csv(path: StrPath) -> tuple[np.ndarray, np.ndarray]:
    """Read the CSV layout (label then 784 pixels per row, optional header) as uint8 images [N,28,28]
    and labels [N]."""
    images, labels, _ = _read_csv(Path(path))
    return images, labels


def _read_csv(path: Path) -> tuple[np.ndarray, np.ndarray, str]:
    """Images, labels and the sha256 of the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: missing") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {_one_line(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")  # -sig: tolerate the byte-order mark spreadsheet programs write
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a text CSV file: {_one_line(exc)}") from None

    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise DataError(f"{path}: empty file")
    first_data = 1 if _is_header(lines[0]) else 0
    rows = lines[first_data:]
    if not rows:
        raise DataError(f"{path}: no data rows after the header")

    # Line numbers in messages are 1-based lines of the file, so the header counts.
    first_line_number = first_data + 1
    _check_column_counts(path, rows, first_line_number)
    values = np.empty((len(rows), CSV_COLUMNS), dtype=np.uint8)
    for start in range(0, len(rows), _CSV_CHUNK_ROWS):
        chunk = rows[start : start + _CSV_CHUNK_ROWS]
        values[start : start + len(chunk)] = _parse_csv_chunk(path, chunk, first_line_number + start)
    images = values[:, 1:].reshape(-1, IMAGE_SIZE, IMAGE_SIZE)
    labels = values[:, 0].copy()
    return images, labels, hashlib.sha256(raw).hexdigest()


def _is_header(line: str) -> bool:
    first_field = line.split(",", 1)[0].strip()
    return not (first_field.isascii() and first_field.isdigit())


def _check_column_counts(path: Path, rows: list[str], first_line_number: int) -> None:
    for number, row in enumerate(rows, start=first_line_number):
        columns = row.count(",") + 1
        if columns != CSV_COLUMNS:
            raise DataError(f"{path}: line {number}: expected {CSV_COLUMNS} values (label + 784 pixels), got {columns}")


def _parse_csv_chunk(path: Path, rows: list[str], first_line_number: int) -> np.ndarray:
    """Rows of equal length as validated uint8 [len(rows), 785]."""
    try:
        # Warnings as errors: loadtxt only warns when it reads a float ("3.0") or a huge integer.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            values = np.loadtxt(rows, delimiter=",", dtype=np.int64, ndmin=2)
    except (ValueError, OverflowError, DeprecationWarning) as exc:
        raise _locate_bad_field(path, rows, first_line_number, exc) from None

    bad_rows, bad_columns = np.nonzero((values < 0) | (values > 255))
    if len(bad_rows):
        row, column = bad_rows[0], bad_columns[0]
        raise DataError(
            f"{path}: line {first_line_number + row}: value {values[row, column]} out of range 0..255"
            f" (column {column + 1})"
        )
    bad_labels = np.nonzero(values[:, 0] > 9)[0]
    if len(bad_labels):
        row = bad_labels[0]
        raise DataError(f"{path}: line {first_line_number + row}: label {values[row, 0]} is not a digit 0..9")
    return values.astype(np.uint8)


def _locate_bad_field(path: Path, rows: list[str], first_line_number: int, exc: Exception) -> DataError:
    """After loadtxt rejected a chunk, find the first field that is not an integer 0..255 to name its line."""
    for number, row in enumerate(rows, start=first_line_number):
        for column, field in enumerate(row.split(","), start=1):
            value = field.strip()
            if not (value.isascii() and value.isdigit()):
                return DataError(f"{path}: line {number}: non-numeric value {value!r} (column {column})")
            if int(value) > 255:
                return DataError(f"{path}: line {number}: value {value} out of range 0..255 (column {column})")
    last_line_number = first_line_number + len(rows) - 1
    return DataError(f"{path}: lines {first_line_number}-{last_line_number}: {_one_line(exc)}")


# --- Folders ---


def default_cache_dir() -> Path:
    """Where downloads go by default: $XDG_CACHE_HOME/digitlens/mnist, else ~/.cache/digitlens/mnist."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "digitlens" / "mnist"


def find_mnist_files(folder: StrPath) -> dict[str, Path]:
    """Logical name -> path of the IDX files present in `folder` (`name.gz` preferred over raw `name`)."""
    found = {}
    for logical_name, base in MNIST_FILES.items():
        for candidate in (Path(folder) / f"{base}.gz", Path(folder) / base):
            if candidate.is_file():
                found[logical_name] = candidate
                break
    return found


def load_mnist(
    data_dir: StrPath | None = None,
    *,
    download: bool = True,
    mirrors: Sequence[str] = MIRRORS,
    cache_dir: StrPath | None = None,
) -> Mnist:
    """Load MNIST from `data_dir`, else $MNIST_DIR, else the user cache folder (downloading into it when
    `download`)."""
    if data_dir is not None:
        return _load_folder(Path(data_dir))
    if os.environ.get("MNIST_DIR"):
        return _load_folder(Path(os.environ["MNIST_DIR"]))

    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    csv_complete = all((folder / name).is_file() for name in CSV_FILES.values())
    if len(find_mnist_files(folder)) < len(MNIST_FILES) and not csv_complete:
        if not download:
            raise DataError(f"{folder}: no MNIST data in the cache and downloading is off; {_POINT_AT_DATA}")
        download_mnist(folder, mirrors=mirrors)
    return _load_folder(folder)


def _load_folder(folder: Path) -> Mnist:
    """Load the IDX files of `folder` if all four are there, else its CSV pair."""
    if not folder.is_dir():
        raise DataError(f"{folder}: missing: no such folder; {_POINT_AT_DATA}")

    idx_files = find_mnist_files(folder)
    if len(idx_files) == len(MNIST_FILES):
        arrays, checksums = {}, {}
        for logical_name, path in idx_files.items():
            base = MNIST_FILES[logical_name]
            array, digest = _read_idx(path, _expected_magic(logical_name))
            _check_sha256(str(path), digest, SHA256[base])
            arrays[logical_name] = array
            checksums[base] = digest
        return Mnist(
            x_train=arrays["train_images"],
            y_train=arrays["train_labels"],
            x_test=arrays["test_images"],
            y_test=arrays["test_labels"],
            checksums=checksums,
            source=str(folder),
        )

    csv_paths = {split: folder / name for split, name in CSV_FILES.items()}
    if all(path.is_file() for path in csv_paths.values()):
        x_train, y_train, train_digest = _read_csv(csv_paths["train"])
        x_test, y_test, test_digest = _read_csv(csv_paths["test"])
        return Mnist(
            x_train=x_train,
            y_train=y_train,
            x_test=x_test,
            y_test=y_test,
            checksums={CSV_FILES["train"]: train_digest, CSV_FILES["test"]: test_digest},
            source=str(folder),
        )

    missing = [f"{base}[.gz]" for name, base in MNIST_FILES.items() if name not in idx_files]
    if any(path.is_file() for path in csv_paths.values()):
        missing += [f"{path.name} (for the CSV layout)" for path in csv_paths.values() if not path.is_file()]
    idx_names = ", ".join(f"{base}[.gz]" for base in MNIST_FILES.values())
    csv_names = ", ".join(CSV_FILES.values())
    raise DataError(
        f"{folder}: missing {', '.join(missing)};"
        f" a data folder needs the four IDX files {idx_names} or the two CSV files {csv_names}"
    )


# --- Downloading ---


def download_mnist(
    dest_dir: StrPath,
    *,
    mirrors: Sequence[str] = MIRRORS,
    timeout: float = 30,
    progress: bool = True,
) -> Path:
    """Download the IDX `.gz` files missing from `dest_dir`, each verified before it is moved into place."""
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    present = find_mnist_files(dest)
    for logical_name, base in MNIST_FILES.items():
        if logical_name not in present:
            _download_file(dest / f"{base}.gz", logical_name, mirrors, timeout, progress)
    return dest


def _download_file(target: Path, logical_name: str, mirrors: Sequence[str], timeout: float, progress: bool) -> None:
    """Try each mirror in turn; raise one DataError listing every mirror's failure."""
    errors = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + target.name
        try:
            _fetch_verified(url, target, logical_name, timeout, progress)
            return
        except DataError as exc:
            errors.append(str(exc))  # already names the URL
        except (OSError, http.client.HTTPException, ValueError) as exc:
            errors.append(f"{url}: {_one_line(exc)}")
    reasons = "; ".join(errors) or "no mirrors given"
    raise DataError(f"{target.name}: download failed: {reasons}; download it yourself and {_POINT_AT_DATA}")


def _fetch_verified(url: str, target: Path, logical_name: str, timeout: float, progress: bool) -> None:
    """Stream `url` to a temporary file beside `target`, verify it, then rename it into place."""
    # Hidden name in the same folder: the rename is atomic and a leftover is never taken for MNIST.
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    temp_path = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            _copy_with_progress(response, out, url, target.name, progress)
        _, digest = _decode_idx(temp_path.read_bytes(), name=url, compressed=True, magic=_expected_magic(logical_name))
        _check_sha256(url, digest, SHA256[MNIST_FILES[logical_name]])
        os.replace(temp_path, target)
    finally:
        temp_path.unlink(missing_ok=True)


def _copy_with_progress(response: http.client.HTTPResponse, out: BinaryIO, url: str, name: str, progress: bool) -> None:
    total = int(response.headers.get("Content-Length") or 0)  # 0: the server did not say
    done = 0
    last_shown = 0.0
    if progress:
        print(f"downloading {url}", file=sys.stderr)
    try:
        while chunk := response.read(_DOWNLOAD_CHUNK_BYTES):
            out.write(chunk)
            done += len(chunk)
            now = time.monotonic()
            if progress and now - last_shown >= _PROGRESS_INTERVAL_S:
                _show_progress(name, done, total)
                last_shown = now
    finally:
        if progress:
            _show_progress(name, done, total, end="\n")
    if total and done != total:
        raise DataError(f"{url}: incomplete download: got {done} of {total} bytes")


def _show_progress(name: str, done: int, total: int, end: str = "") -> None:
    percent = f"{100 * done // total:3d}% " if total else ""
    size = f"{done:,}/{total:,} bytes" if total else f"{done:,} bytes"
    print(f"\r{name}: {percent}{size}", end=end, file=sys.stderr, flush=True)


def _one_line(exc: BaseException) -> str:
    """An exception's text with newlines and runs of spaces collapsed: DataError messages are one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def split_validation(x, y, size, seed):
    """Hold out `size` training digits, chosen by the seed, for early stopping and for every choice made
    on a model (the test set decides nothing)."""
    order = np.random.default_rng(seed).permutation(len(x))
    held, kept = order[:size], order[size:]
    return (x[kept], y[kept]), (x[held], y[held])
