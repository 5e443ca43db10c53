"""training/photoset.py: the default set as before, notebook paper that prints its lines, pens that differ,
numbers labelled with the MNIST test digits they use, and one-line command-line errors."""

import csv
import re

import numpy as np
import pytest
from PIL import Image, ImageFilter

from training.photoset import main, pen_glyph, render_numbers, render_photo, write_photoset

SEEDS = [0, 1, 2]


def read_labels(folder):
    with open(folder / "labels.csv", newline="") as file:
        return [(row["file"], row["label"]) for row in csv.DictReader(file)]


def grey(photo):
    return np.asarray(photo.convert("L"), dtype=np.float32)


def periodicity(profile):
    """How strongly a profile repeats: its detail's best autocorrelation (1: exactly periodic, ~0.1: noise)."""
    detail = profile - np.convolve(profile, np.ones(15) / 15, mode="same")
    detail = detail[8:-8] - detail[8:-8].mean()
    return max(np.dot(detail[:-lag], detail[lag:]) for lag in range(6, len(detail) // 3)) / np.dot(detail, detail)


def blank_edge_profile(pixels, width, statistic):
    """Row profile of the left or right edge strip `width` wide, whichever holds no ink (the lighter darkest)."""
    strip = max([pixels[:, :width], pixels[:, -width:]], key=lambda strip: strip.min())
    return statistic(strip, axis=1)


def line_periodicity(photo, paper):
    """How periodic the blank paper is down the page (rows) and across it (columns)."""
    # Dots show in a strip's darkest pixel, wide enough to hold a column of them; lines in a narrow strip's median.
    width, statistic = (80, np.min) if paper == "dotted" else (16, np.median)
    pixels = grey(photo)
    return [periodicity(blank_edge_profile(p, width, statistic)) for p in (pixels, pixels.T)]


def contrast(photo):
    """1 - darkest / paper: how dark the ink shows (noise blurred away first)."""
    pixels = grey(photo.filter(ImageFilter.GaussianBlur(1)))
    return 1 - pixels.min() / np.percentile(pixels, 99)


def test_the_default_set_is_unchanged(tmp_path, mnist_source_dir, mnist_test_digits):
    _, labels = mnist_test_digits
    rows = write_photoset(tmp_path, count=3, seed=0, data_dir=mnist_source_dir)
    assert rows == [(f"photo-{i:04d}.jpg", int(labels[i])) for i in range(3)]
    assert (tmp_path / "labels.csv").read_text().splitlines() == [
        "file,label",
        "photo-0000.jpg,7",
        *[f"photo-{i:04d}.jpg,{labels[i]}" for i in (1, 2)],
    ]
    for name, _ in rows:
        with Image.open(tmp_path / name) as photo:
            assert photo.format == "JPEG" and photo.mode == "RGB"
            assert 480 <= min(photo.size) and max(photo.size) < 1280


@pytest.mark.parametrize(
    ("paper", "down", "across"),
    [("plain", False, False), ("ruled", True, False), ("squared", True, True), ("dotted", True, True)],
)
def test_each_paper_prints_its_lines(paper, down, across, mnist_test_digits):
    images, _ = mnist_test_digits
    for seed in SEEDS:
        rows, columns = line_periodicity(render_photo(images[seed], np.random.default_rng(seed), paper=paper), paper)
        # Measured over 20 photos each: lines 0.77 or more, blank paper 0.2 or less.
        assert (rows > 0.5, columns > 0.5) == (down, across), (seed, rows, columns)
        assert min(rows, columns) < 0.35 or (down and across)


def test_ballpoint_thins_the_stroke_and_felt_thickens_it(mnist_test_digits):
    images, _ = mnist_test_digits
    rng = np.random.default_rng(0)
    ink = {
        pen: np.asarray(pen_glyph(images[0], 200, pen, rng), dtype=np.float32).sum()
        for pen in ("ink", "ballpoint", "felt")
    }
    assert ink["ballpoint"] < 0.7 * ink["ink"] < ink["felt"]


def test_pencil_is_lighter_than_ballpoint(mnist_test_digits):
    images, _ = mnist_test_digits
    pencil = [contrast(render_photo(images[s], np.random.default_rng(s), pen="pencil")) for s in SEEDS]
    ballpoint = [contrast(render_photo(images[s], np.random.default_rng(s), pen="ballpoint")) for s in SEEDS]
    # Measured over 10 photos each: pencil 0.40-0.55, ballpoint 0.83-0.94.
    assert max(pencil) < 0.65 < min(ballpoint), (pencil, ballpoint)


def test_numbers_are_labelled_with_the_test_digits_they_use(tmp_path, mnist_source_dir, mnist_test_digits):
    _, labels = mnist_test_digits
    rows = write_photoset(
        tmp_path, count=4, seed=1, data_dir=mnist_source_dir, paper="mixed", pen="mixed", numbers=True
    )
    written = [label for _, label in rows]
    assert all(re.fullmatch(r"\d{2,8}", label) for label in written), written
    used = "".join(written)
    assert used == "".join(str(digit) for digit in labels[: len(used)])  # in order, none twice
    assert read_labels(tmp_path) == rows


def test_lines_of_numbers_read_top_to_bottom_joined_by_spaces(tmp_path, mnist_source_dir, mnist_test_digits):
    _, labels = mnist_test_digits
    argv = ["--out", str(tmp_path), "--count", "4", "--seed", "2", "--data-dir", str(mnist_source_dir)]
    main([*argv, "--paper", "ruled", "--pen", "ballpoint", "--numbers", "--lines", "3"])
    written = [label for _, label in read_labels(tmp_path)]
    assert len(written) == 4 and any(" " in label for label in written), written
    assert all(re.fullmatch(r"\d{2,8}( \d{2,8}){0,2}", label) for label in written), written
    used = "".join(label.replace(" ", "") for label in written)
    assert used == "".join(str(digit) for digit in labels[: len(used)])


def test_blank_photos_are_the_same_pages_with_nothing_written(tmp_path, mnist_source_dir):
    options = {"count": 4, "seed": 3, "data_dir": mnist_source_dir, "paper": "mixed", "pen": "mixed"}
    written = write_photoset(tmp_path / "written", **options)
    blank = write_photoset(tmp_path / "blank", blank=True, **options)
    assert [label for _, label in blank] == [""] * 4
    for (name, _), (blank_name, _) in zip(written, blank, strict=True):
        with Image.open(tmp_path / "written" / name) as page, Image.open(tmp_path / "blank" / blank_name) as empty:
            assert page.size == empty.size
            # Where the pen wrote, the blank page shows its paper (or a printed line) instead.
            ink = np.asarray(page.convert("L"), np.float32) < np.asarray(empty.convert("L"), np.float32) - 60
            assert ink.sum() > 50


def test_a_crowded_page_is_written_smaller_not_larger_than_1600_pixels(mnist_test_digits):
    images, _ = mnist_test_digits
    photo = render_numbers([list(images[:8])] * 8, np.random.default_rng(0), paper="ruled", pen="ballpoint")
    assert max(photo.size) <= 1600


@pytest.mark.parametrize(
    "mistake",
    [
        ["--paper", "wavy"],
        ["--pen", "quill"],
        ["--count", "0"],
        ["--count", "-3"],
        ["--numbers", "--lines", "0"],
        ["--lines", "2"],  # lines of writing are for numbers
        ["--colour", "red"],
        ["--pap", "ruled"],  # no abbreviations
    ],
)
def test_command_line_mistakes_are_one_line_and_exit_2(mistake, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path), *mistake])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert len(error.splitlines()) == 1 and error.startswith("python -m training.photoset: error: "), error
    assert not any(tmp_path.iterdir())
