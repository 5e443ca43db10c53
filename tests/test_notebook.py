"""Notebook pages (site/py/ruling.py and the segmentation in preprocess.py): printed lines, a margin and
dots are paper, not ink; numbers are read whole, line by line; and a notebook set made by
training/photoset.py is read through the page itself."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

import preprocess
import ruling
from export.evaluate import decode, drawn_down, labelled_images, page_inputs, page_readings, python_readings, score
from training.photoset import draw_ruling, photograph, render_photo, write_photoset

PAPER = (248, 246, 240)
BLUE_RULE = (150, 185, 225)
MARGIN_RED = (225, 90, 100)


def first_of(digits, labels, label, nth=0):
    return digits[np.nonzero(labels == label)[0][nth]]


def notebook(width, height, *, ruled=0, squared=0, dotted=0, margin=False, tilt=0.0, rule=2):
    """A page (PIL RGB) with printed lines `ruled` pixels apart, a grid of `squared` cells or dots every
    `dotted` pixels, tilted by `tilt` pixels across the page."""
    page = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(page)
    for y in range(ruled // 2, height, ruled) if ruled else []:
        draw.line([(0, y), (width, y + tilt)], fill=BLUE_RULE, width=rule)
    for step in [squared] if squared else []:
        for y in range(step // 2, height, step):
            draw.line([(0, y), (width, y + tilt)], fill=BLUE_RULE, width=rule)
        for x in range(step // 2, width, step):
            draw.line([(x, 0), (x - tilt, height)], fill=BLUE_RULE, width=rule)
    for y in range(dotted // 2, height, dotted) if dotted else []:
        for x in range(dotted // 2, width, dotted):
            draw.ellipse([x - 1, y - 1, x + 1, y + 1], fill=BLUE_RULE)
    if margin:
        draw.line([(width // 8, 0), (width // 8, height)], fill=MARGIN_RED, width=rule)
    return page


def write(page, digit, left, top, size, pen=(25, 25, 30)):
    """An MNIST digit (white on black) written in `pen` onto the page at (left, top), size pixels a side."""
    ink = np.asarray(Image.fromarray(digit).resize((size, size), Image.Resampling.BICUBIC), np.float32)[..., None] / 255
    pixels = np.asarray(page, np.float32)
    region = pixels[top : top + size, left : left + size]
    region[:] = region * (1 - ink) + np.array(pen, np.float32) * ink
    return Image.fromarray(pixels.astype(np.uint8))


def read(page):
    image = page.convert("RGBA")
    return preprocess.read_image(image.tobytes(), image.width, image.height)


def correlation(a, b):
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


@pytest.mark.parametrize(
    "paper",
    [
        {"ruled": 40},
        {"ruled": 40, "margin": True, "tilt": 12},
        {"squared": 30},
        {"squared": 30, "tilt": 8},
        {"dotted": 24},
    ],
    ids=["ruled", "ruled-margin-tilted", "squared", "squared-fine-tilted", "dotted"],
)
def test_a_digit_across_the_lines_reads_as_on_plain_paper(mnist_test_digits, paper):
    digits, labels = mnist_test_digits
    digit = first_of(digits, labels, 4)
    plain = write(notebook(480, 360), digit, 200, 140, 64)
    lined = write(notebook(480, 360, **paper), digit, 200, 140, 64)
    (on_plain,) = read(plain).digits
    reading = read(lined)
    assert len(reading.digits) == 1, reading.boxes
    # The lines crossing it are gone, the strokes crossing them kept (no line left: 0.5 and lower).
    assert correlation(reading.digits[0], on_plain) > 0.85


@pytest.mark.parametrize(
    "paper",
    [
        {"ruled": 40},
        {"ruled": 30, "margin": True, "tilt": 10},
        {"squared": 30},
        {"squared": 20, "rule": 1},
        {"dotted": 24},
    ],
    ids=["ruled", "ruled-margin-tilted", "squared", "squared-fine", "dotted"],
)
def test_a_blank_notebook_page_has_no_digit(paper):
    with pytest.raises(preprocess.NoDigitError):
        read(notebook(480, 360, **paper))


def test_lines_are_found_whatever_their_colour_and_erasing_keeps_the_pen():
    """Grey or blue, a line is a line; the dark stroke through it stays whole."""
    page = Image.new("L", (400, 300), 250)
    draw = ImageDraw.Draw(page)
    for y, level in [(60, 200), (120, 170), (180, 215)]:
        draw.line([(0, y), (400, y)], fill=level, width=2)
    draw.line([(200, 40), (200, 200)], fill=20, width=4)  # a stroke across all three
    strengths = [250 - level for level in page.tobytes()]
    erased, count = ruling.erase_lines(strengths, 400, 300)
    assert count == 3
    grid = np.array(erased).reshape(300, 400)
    assert grid[:, 20:180].max() < 20 and grid[:, 220:380].max() < 20  # the lines are gone
    assert (grid[40:200, 199:201] > 150).all()  # the stroke is unbroken


def test_a_faint_stroke_ending_beside_a_line_keeps_its_end():
    """A 2 px line is cleared on its own rows and one row of blur, not on a band wider than that: the
    end of a pencil stroke, fainter than the line, that stops a row above it stays."""
    page = Image.new("L", (400, 300), 250)
    draw = ImageDraw.Draw(page)
    for y in (60, 120, 180):
        draw.line([(0, y), (400, y)], fill=200, width=2)
    draw.line([(200, 70), (200, 118)], fill=215, width=3)
    strengths = [250 - level for level in page.tobytes()]
    erased, count = ruling.erase_lines(strengths, 400, 300)
    assert count == 3
    before, after = np.array(strengths).reshape(300, 400), np.array(erased).reshape(300, 400)
    assert after[119:122, 20:180].max() == 0  # the line is gone
    assert (after[70:119, 199:202] == before[70:119, 199:202]).all()  # the stroke is whole, to its end


@pytest.mark.parametrize("label", [7, 9, 4])
def test_erasing_a_grid_never_adds_ink(mnist_test_digits, label):
    """Where a grid line runs beside a stroke, what is erased is the line: the ink on either side is not
    copied over it (a blob once filled a 7's bar and a 9's loop where a line ran along them)."""
    digits, labels = mnist_test_digits
    page = write(notebook(480, 360, squared=30), first_of(digits, labels, label), 200, 140, 64).convert("L")
    strengths = [255 - level for level in page.tobytes()]
    erased, count = ruling.erase_lines(strengths, 480, 360)
    assert count > 0
    assert max(after - before for after, before in zip(erased, strengths, strict=True)) <= 0


@pytest.mark.parametrize("hidden", [4, 6], ids=["a-quarter", "six-strips"])
@pytest.mark.parametrize("tilt", range(16, 28))
def test_a_tilted_line_hidden_by_writing_is_still_found(tilt, hidden):
    """A line rising `tilt` pixels across 512 (1.8 to 3 degrees), under a number written over `hidden`
    of its sixteen 32-pixel strips (six: an 8-digit number): found on both sides of the writing, it is
    one line, erased, the writing kept."""
    page = Image.new("L", (512, 200), 250)
    draw = ImageDraw.Draw(page)
    draw.line([(0, 100), (512, 100 - tilt)], fill=170, width=2)
    start, end = 256 - 16 * hidden, 256 + 16 * hidden
    for x in range(start + 4, end, 14):  # strokes crossing the line between x start and end
        y = 100 - tilt * x / 512
        draw.line([(x, y - 30), (x + 6, y + 20)], fill=30, width=4)
    erased, count = ruling.erase_lines([250 - level for level in page.tobytes()], 512, 200)
    assert count == 1
    grid = np.array(erased).reshape(200, 512)
    assert grid[:, : start - 12].max() < 20 and grid[:, end + 20 :].max() < 20
    assert (grid > 150).sum() >= 0.9 * (np.asarray(page) < 100).sum()


def test_a_grid_drawn_down_smoothly_as_the_browser_does_is_still_found(mnist_test_digits):
    """Chromium draws a photo down more smoothly than PIL's Lanczos: a grid line tilted by a degree or so
    then spreads over two rows within a strip. It is still a line, and the digit on it is read alone."""
    digits, _ = mnist_test_digits
    photo = render_photo(digits[9], np.random.default_rng(9), "squared", "ink")
    photo.thumbnail((512, 512), Image.Resampling.HAMMING)
    assert len(read(photo).digits) == 1


def test_a_small_cropped_digit_is_not_taken_for_lines(mnist_test_digits):
    """A 7 whose bar spans its whole image is writing, not a printed line: too few strips to tell."""
    digits, labels = mnist_test_digits
    seven = 255 - first_of(digits, labels, 7)
    image = Image.fromarray(seven).resize((112, 112)).convert("RGBA")
    reading = preprocess.read_image(image.tobytes(), 112, 112)
    assert len(reading.digits) == 1


def test_numbers_are_read_line_by_line_top_to_bottom(mnist_test_digits):
    digits, labels = mnist_test_digits
    page = notebook(640, 400, ruled=80)
    for position, label in enumerate([4, 7, 2]):  # the lower line, written first
        page = write(page, first_of(digits, labels, label), 60 + 56 * position, 240, 60)
    for position, label in enumerate([9, 0]):
        page = write(page, first_of(digits, labels, label), 300 + 56 * position, 80, 60)
    reading = read(page)
    assert reading.numbers == [2, 3]
    tops = [y for _, y, _, _ in reading.boxes]
    assert tops[:2] < tops[2:] and [x for x, _, _, _ in reading.boxes[2:]] == sorted(
        x for x, _, _, _ in reading.boxes[2:]
    )


def test_a_number_tilted_by_ten_degrees_stays_one_number(mnist_test_digits):
    digits, labels = mnist_test_digits
    row = np.zeros((60, 6 * 50 + 20), np.uint8)
    for position, label in enumerate([1, 2, 3, 4, 5, 6]):
        row[2:58, 5 + 50 * position : 61 + 50 * position] |= np.asarray(
            Image.fromarray(first_of(digits, labels, label)).resize((56, 56))
        )
    turned = Image.fromarray(row).rotate(10, expand=True, fillcolor=0)
    page = Image.new("L", (480, 240), 0)
    page.paste(turned, (60, 40))
    image = Image.eval(page, lambda level: 255 - level).convert("RGBA")
    reading = preprocess.read_image(image.tobytes(), image.width, image.height)
    assert reading.numbers == [6]


def test_a_thin_one_touching_its_neighbour_is_split_not_dropped():
    """A 0 and a 1 joined by a faint touch: two digits, 0 then 1."""
    page = Image.new("L", (300, 200), 250)
    draw = ImageDraw.Draw(page)
    draw.ellipse([100, 60, 150, 140], outline=20, width=7)
    draw.line([(170, 60), (166, 140)], fill=20, width=7)
    draw.line([(150, 100), (167, 100)], fill=160, width=2)  # the pen touched on its way
    image = page.convert("RGBA")
    reading = preprocess.read_image(image.tobytes(), 300, 200)
    assert reading.numbers == [2]
    (x0, _, w0, _), (x1, _, w1, _) = reading.boxes
    assert x0 <= 100 and x0 + w0 >= 150 and w1 < 20  # the 0 whole, the 1 alone


def test_dust_and_dots_are_not_digits_but_a_one_is(mnist_test_digits):
    digits, labels = mnist_test_digits
    page = write(notebook(480, 360, dotted=20), first_of(digits, labels, 1), 150, 120, 64)
    page = write(page, first_of(digits, labels, 8), 230, 120, 64)
    reading = read(page)
    assert reading.numbers == [2]


def test_under_a_lamp_to_one_side_the_ink_is_still_dark(mnist_test_digits):
    """Paper from bright to shadowed across the photo: its darkest pixels are the shadow, not the ink,
    and its border's level lies halfway between darkest and lightest. The ink is still dark, and the box
    is the digit's."""
    digits, _ = mnist_test_digits
    paper = np.repeat(245 - 150 * np.linspace(0, 1, 512)[None, :] ** 0.8, 384, axis=0)
    ink = np.asarray(Image.fromarray(digits[0]).resize((96, 96), Image.Resampling.BICUBIC), np.float32) / 255
    paper[140:236, 60:156] = paper[140:236, 60:156] * (1 - ink) + 110 * ink
    rows, columns = np.nonzero(ink >= 0.3)
    expected = (60 + columns.min(), 140 + rows.min(), columns.max() - columns.min() + 1, rows.max() - rows.min() + 1)
    reading = read(Image.fromarray(paper.astype(np.uint8)))
    assert len(reading.boxes) == 1
    assert np.abs(np.subtract(reading.boxes[0], expected)).max() <= 3


def test_a_digit_in_faint_pencil_is_read(mnist_test_digits):
    """Light pencil on ruled paper, 25 levels darker than the paper: fainter than MIN_CONTRAST, one digit."""
    digits, labels = mnist_test_digits
    page = write(notebook(480, 360, ruled=40), first_of(digits, labels, 3), 200, 130, 80, pen=(222, 222, 222))
    reading = read(page)
    assert reading.numbers == [1]
    x, y, w, h = reading.boxes[0]
    assert 200 <= x and x + w <= 280 and 130 <= y and y + h <= 210


def test_faint_marks_all_over_a_page_are_not_writing():
    """What a printed ruling too faint to be found leaves: slanted bits of line on every line of the page."""
    page = Image.new("RGB", (512, 384), PAPER)
    draw = ImageDraw.Draw(page)
    for y in range(40, 384, 56):
        draw.line([(60, y), (240, y + 16)], fill=(222, 222, 222), width=2)
        draw.line([(280, y + 2), (460, y + 18)], fill=(222, 222, 222), width=2)
    with pytest.raises(preprocess.NoDigitError):
        read(page)


def test_what_the_frame_left_of_a_grid_is_no_digit():
    """A grid's crossing cut by the photo's corner: a small piece at the image's edge, alone."""
    page = Image.new("RGB", (384, 512), PAPER)
    draw = ImageDraw.Draw(page)
    draw.line([(372, 500), (384, 500)], fill=(60, 60, 60), width=2)
    draw.line([(376, 501), (376, 512)], fill=(60, 60, 60), width=2)
    with pytest.raises(preprocess.NoDigitError):
        read(page)


def test_a_line_along_the_pages_edge_is_no_digit():
    """The page's edge, a shadow: a thin slanted line a pixel or two from the image's side, alone."""
    page = Image.new("RGB", (512, 384), PAPER)
    ImageDraw.Draw(page).line([(1, 20), (4, 120)], fill=(60, 60, 60), width=2)
    with pytest.raises(preprocess.NoDigitError):
        read(page)


def test_blank_notebook_photos_have_no_digit(tmp_path):
    """Photographed blank pages (light, noise, blur, JPEG): what erasing the lines leaves is no digit."""
    rng = np.random.default_rng(3)
    pitches = {"ruled": 60, "squared": 35, "dotted": 28}  # as training/photoset.py prints them on 700 px
    for kind in list(pitches) * 4:
        ruling = draw_ruling(kind, pitches[kind], rng.uniform(0, pitches[kind]), 200, rng)
        page = photograph(np.zeros((700, 900), np.float32), "ink", rng, ruling)
        page.save(tmp_path / "blank.jpg", quality=80)
        image = drawn_down(decode(tmp_path / "blank.jpg"))
        with pytest.raises(preprocess.NoDigitError):
            preprocess.read_image(image.tobytes(), image.width, image.height)


@pytest.mark.parametrize("index", [26, 30, 43])
def test_a_small_digit_in_faint_pencil_on_dotted_paper_is_found(mnist_test_digits, index):
    """Small and faint, the photo's noise is most of what stands a quarter of the digit's strongest pixel
    over the paper (preprocess.FAINT_CLEAR_SHARE): the digit is found all the same, and the same photo
    with nothing written has no digit."""
    digits, _ = mnist_test_digits
    written = drawn_down(render_photo(digits[index], np.random.default_rng(index), "dotted", "pencil"))
    assert len(read(written).digits) == 1
    blank = drawn_down(render_photo(digits[index], np.random.default_rng(index), "dotted", "pencil", blank=True))
    with pytest.raises(preprocess.NoDigitError):
        read(blank)


def test_a_closer_look_is_taken_only_where_the_file_has_more_to_show():
    small_digits = [(200, 150, 8, 12), (210, 151, 8, 12)]
    assert preprocess.closer_look(small_digits, 512, 384, (512, 384)) is None  # no more pixels in the file
    assert preprocess.closer_look([(100, 100, 40, 60)], 512, 384, (4000, 3000)) is None  # big enough
    region, size = preprocess.closer_look(small_digits, 512, 384, (4000, 3000))
    x, y, w, h = region
    scale = 4000 / 512
    # The digits with room around them, in the file's pixels, drawn at up to CLOSER_HEIGHT a digit.
    assert x <= 200 * scale - 12 * scale and x + w >= 218 * scale + 12 * scale
    assert y <= 150 * scale - 12 * scale and y + h >= 163 * scale + 12 * scale
    zoom = size[1] / (h / scale)
    assert preprocess.MIN_ZOOM <= zoom <= preprocess.CLOSER_HEIGHT / 12 + 0.01
    assert size[0] * size[1] <= preprocess.CLOSER_PIXELS


def test_a_page_covered_in_writing_is_looked_at_closer():
    """Ten lines of ten digits 16 pixels high over a whole 512x384 picture of a 12 MP file: the look takes
    DIGIT_PIXELS for each digit, where CLOSER_PIXELS alone would not be close enough to look."""
    page = [(20 + 48 * column, 10 + 37 * line, 12, 16) for line in range(10) for column in range(10)]
    region, size = preprocess.closer_look(page, 512, 384, (4000, 3000))
    assert region[2] * region[3] > 0.8 * 4000 * 3000  # the whole page
    assert preprocess.CLOSER_PIXELS < (size[0] - 1) * (size[1] - 1) <= preprocess.MAX_CLOSER_PIXELS  # rounded
    assert size[0] / (region[2] * 512 / 4000) >= preprocess.MIN_ZOOM
    corners = [page[0], page[9], page[90], page[99]]  # the same region, four digits
    assert preprocess.closer_look(corners, 512, 384, (4000, 3000)) is None


@pytest.fixture(scope="module")
def notebook_sets(tmp_path_factory, mnist_source_dir):
    """Small notebook sets written as the README's measurement, from other MNIST test digits."""
    root = tmp_path_factory.mktemp("notebook")
    options = {"data_dir": mnist_source_dir, "paper": "mixed", "pen": "mixed"}
    write_photoset(root / "single", count=24, seed=21, **options)
    write_photoset(root / "numbers", count=12, seed=22, numbers=True, lines=2, **options)
    return root


@pytest.mark.browser
def test_a_notebook_set_is_read_through_the_page(notebook_sets, site_url):
    """The page reads notebook photos of single digits and of numbers; measured on the README's sets. Where
    the model moves a cut between touching digits, the page reads what CPython's evaluation reads."""
    from devtools.serve import REPO

    for name, floor in [("single", 0.8), ("numbers", 0.5)]:
        items = labelled_images(notebook_sets / name)
        readings = page_readings([path for path, _ in items], REPO / "site")
        accuracy, _ = score([label for _, label in items], readings)
        assert accuracy >= floor, list(zip([label for _, label in items], readings, strict=True))
        assert all(reading for reading in readings), "every notebook photo holds a digit"

    site = REPO / "site"
    prepared = [page_inputs(decode(path)) for path, _ in items]
    chosen = python_readings(prepared, lambda reading: reading, site / "models" / "cnn", site)
    as_cut = python_readings(prepared, lambda reading: reading._replace(recuts=[]), site / "models" / "cnn", site)
    moved = [i for i, (a, b) in enumerate(zip(chosen, as_cut, strict=True)) if a != b]
    assert moved, "in this set the model moves a cut and reads the number otherwise"
    assert [readings[i] for i in moved] == [chosen[i] for i in moved]
