"""Several digits in one image: found left to right, specks dropped, broken strokes kept together,
touching digits split, noise refused; and the shipped model reads the string."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

import preprocess
from training.photoset import pen_glyph

LABELS = [2, 0, 2, 5]


def first_of(digits, labels, label):
    return digits[int((labels == label).argmax())]


def paper(width, height):
    return np.full((height, width), 255, dtype=np.uint8)


def write(page, digit, left, top, scale=4):
    """Dark ink of an MNIST digit (scaled up) onto a white page."""
    ink = np.kron(digit, np.ones((scale, scale), dtype=np.uint8))
    region = page[top : top + ink.shape[0], left : left + ink.shape[1]]
    np.minimum(region, 255 - ink, out=region)


def rgba(page):
    return np.repeat(page[..., None], 4, axis=2).astype(np.uint8).copy().tobytes()


def correlation(a, b):
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


@pytest.fixture(scope="module")
def year(mnist_test_digits):
    """'2025' written on a page: four MNIST test digits side by side with gaps."""
    digits, labels = mnist_test_digits
    page = paper(560, 200)
    originals = [first_of(digits, labels, label) for label in LABELS]
    for position, digit in enumerate(originals):
        write(page, digit, 20 + 130 * position, 40)
    return page, originals


def test_separate_digits_are_found_left_to_right(year):
    page, originals = year
    inputs = preprocess.to_mnist_digits(rgba(page), page.shape[1], page.shape[0])
    assert len(inputs) == len(LABELS)
    for made, original in zip(inputs, originals, strict=True):
        # As close as a single digit comes through (0.80 to 0.99 here: MNIST rounds some shifts the other way).
        assert correlation(made, original / 255) > 0.75


def test_specks_are_dropped(mnist_test_digits):
    digits, labels = mnist_test_digits
    page = paper(300, 300)
    write(page, first_of(digits, labels, 7), 100, 100)
    for x, y in [(10, 10), (280, 20), (15, 270)]:
        page[y : y + 3, x : x + 3] = 0  # dust
    ink = preprocess.ink_map(rgba(page), 300, 300)
    (box,) = preprocess.digit_boxes(ink, 300, 300)
    assert 100 <= box[0] and box[2] <= 212 and 100 <= box[1] and box[3] <= 212


def write_five_body(page):
    """A blocky '5' without its bar (which belongs at rows 40-52): the down-stroke from row 58, a gap
    below where the bar would be, then the belly; 12-pixel strokes, columns 60 to 137."""
    page[58:100, 60:72] = 0
    page[95:107, 60:130] = 0
    page[100:160, 125:137] = 0
    page[150:162, 60:130] = 0


def test_a_broken_stroke_stays_one_digit():
    """A '5' whose top bar did not meet the rest: two pieces, one digit."""
    page = paper(200, 200)
    page[40:52, 60:140] = 0  # the bar
    write_five_body(page)
    ink = preprocess.ink_map(rgba(page), 200, 200)
    assert len(preprocess.ink_pieces(ink, 200)) == 2
    assert preprocess.digit_boxes(ink, 200, 200) == [(60, 40, 140, 162)]


def test_a_digit_cut_by_an_erased_line_stays_one_digit():
    """A '3' whose middle ran along a printed line, erased with it: a gap of half the upper part's height."""
    page = Image.new("L", (200, 240), 255)
    draw = ImageDraw.Draw(page)
    draw.arc([70, 40, 130, 110], 200, 90, fill=0, width=8)  # the upper bowl
    draw.arc([70, 100, 130, 180], 270, 160, fill=0, width=8)  # the lower bowl
    draw.rectangle([0, 95, 199, 122], fill=255)  # where the line was erased
    ink = preprocess.ink_map(rgba(np.asarray(page)), 200, 240)
    assert len(preprocess.ink_pieces(ink, 200)) == 2
    assert len(preprocess.digit_boxes(ink, 200, 240)) == 1


def test_a_slanted_digit_cut_by_a_thin_line_stays_one_digit():
    """A slanted '3' written across a ruled line, erased with it: the upper bowl ends left of where the
    lower one starts, so the two pieces share few columns, but only the line's width lies between."""
    page = Image.new("L", (220, 220), 255)
    draw = ImageDraw.Draw(page)
    draw.arc([60, 40, 112, 100], 200, 90, fill=0, width=7)  # the upper bowl
    draw.arc([100, 98, 160, 164], 270, 160, fill=0, width=7)  # the lower bowl, further right
    draw.rectangle([0, 97, 219, 100], fill=255)  # the erased line
    ink = preprocess.ink_map(rgba(np.asarray(page)), 220, 220)
    assert len(preprocess.ink_pieces(ink, 220)) == 2
    assert len(preprocess.digit_boxes(ink, 220, 220)) == 1


def test_a_small_digit_in_two_strokes_between_larger_ones_is_kept(mnist_test_digits):
    """A '5' half the height of the 2 and 0 beside it, its bar written apart: each stroke is shorter than
    a digit's core, together they are a digit."""
    digits, labels = mnist_test_digits
    page = paper(420, 200)
    write(page, first_of(digits, labels, 2), 20, 40)
    write(page, first_of(digits, labels, 0), 290, 40)
    page[86:96, 184:214] = 0  # the 5's bar
    page[101:112, 182:188] = 0  # its down-stroke, a gap below the bar
    page[106:112, 182:208] = 0  # and its belly
    page[106:128, 202:208] = 0
    page[122:128, 182:208] = 0
    ink = preprocess.ink_map(rgba(page), 420, 200)
    assert len(preprocess.ink_pieces(ink, 420)) == 4
    boxes = preprocess.digit_boxes(ink, 420, 200)
    assert len(boxes) == 3
    assert boxes[1] == (182, 86, 214, 128)


def test_a_one_in_grainy_pencil_is_a_digit(mnist_test_digits):
    """A slanted 1 between a 2 and a 0, its grainy stroke broken into grains a pixel apart, each far
    smaller than a speck (preprocess.CHAIN_GAP): together they are a digit."""
    digits, labels = mnist_test_digits
    page = paper(420, 200)
    write(page, first_of(digits, labels, 2), 20, 40)
    write(page, first_of(digits, labels, 0), 290, 40)
    for grain in range(9):
        top, left = 58 + 9 * grain, 214 - 3 * grain
        page[top : top + 8, left : left + 4] = 0
    ink = preprocess.ink_map(rgba(page), 420, 200)
    assert len(preprocess.ink_pieces(ink, 420)) == 11
    boxes = preprocess.digit_boxes(ink, 420, 200)
    assert len(boxes) == 3
    assert boxes[1] == (190, 58, 218, 138)


def test_a_small_digit_all_in_grains_is_a_digit():
    """A small slanted 1 in a thin pen, as Python first sees a photo (512 pixels on its long side): the
    stroke faded into grains a pixel apart, each shorter than a legible digit (MIN_DIGIT_SHARE), and
    no taller piece to measure them by. Together they are a digit, not a blank page."""
    page = paper(512, 300)
    for grain in range(6):
        top, left = 140 + 4 * grain, 250 - grain
        page[top : top + 3, left : left + 2] = 0
    ink = preprocess.ink_map(rgba(page), 512, 300)
    assert len(preprocess.ink_pieces(ink, 512)) == 6
    assert preprocess.digit_boxes(ink, 512, 300) == [(245, 140, 252, 163)]


def test_a_bar_written_apart_joins_its_digit():
    """A '5' whose bar was written apart and runs on past its body, as people write them."""
    page = paper(240, 220)
    page[40:52, 110:200] = 0  # the bar, from over the body's right half to well past it
    write_five_body(page)
    ink = preprocess.ink_map(rgba(page), 240, 220)
    assert len(preprocess.ink_pieces(ink, 240)) == 2
    assert preprocess.digit_boxes(ink, 240, 220) == [(60, 40, 200, 162)]


def test_a_stroke_written_apart_joins_its_digit():
    """An open '4' whose down-stroke was written apart, beside the rest and shorter: one digit."""
    page = Image.new("L", (300, 260), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(100, 50), (90, 140), (175, 140)], fill=0, width=9)  # the left stroke and the crossbar
    draw.line([(182, 60), (180, 120)], fill=0, width=9)  # the down-stroke's top, a gap from the bar
    draw.line([(178, 146), (176, 210)], fill=0, width=9)  # and below the bar
    ink = preprocess.ink_map(rgba(np.asarray(page)), 300, 260)
    assert len(preprocess.ink_pieces(ink, 300)) == 3
    (box,) = preprocess.digit_boxes(ink, 300, 260)
    assert box[0] <= 86 and box[2] >= 184 and box[1] <= 50 and box[3] >= 210


def test_a_slanted_one_broken_in_two_is_one_digit():
    """A pen that skipped halfway down a slanted 1: two pieces sharing few columns, one above the other."""
    page = Image.new("L", (200, 240), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(90, 40), (100, 110)], fill=0, width=8)
    draw.line([(101, 118), (111, 188)], fill=0, width=8)
    ink = preprocess.ink_map(rgba(np.asarray(page)), 200, 240)
    assert len(preprocess.ink_pieces(ink, 200)) == 2
    assert len(preprocess.digit_boxes(ink, 200, 240)) == 1


def test_a_slanted_one_broken_corner_to_corner_is_one_digit():
    """Broken further down its slant, the 1's pieces share no column: one ends where the other begins,
    a little above it (preprocess.MERGE_CORNER). Beside each other, with their rows overlapping, two
    pieces meeting so are two digits (the tail of a 9 and an open 4's crossbar)."""
    page = Image.new("L", (200, 240), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(90, 40), (102, 100)], fill=0, width=4)
    draw.line([(108, 110), (120, 170)], fill=0, width=4)
    ink = preprocess.ink_map(rgba(np.asarray(page)), 200, 240)
    upper, lower = sorted(preprocess.ink_pieces(ink, 200), key=lambda piece: piece[1])
    assert 0 < lower[0] - upper[2] <= 2  # apart: a column or two between them
    assert preprocess.digit_boxes(ink, 200, 240) == [(upper[0], upper[1], lower[2], lower[3])]

    page = Image.new("L", (240, 200), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(60, 80), (106, 80), (106, 160)], fill=0, width=8)  # a digit, and beside it and higher,
    draw.line([(114, 40), (150, 40), (150, 110)], fill=0, width=8)  # another starting where it ends
    ink = preprocess.ink_map(rgba(np.asarray(page)), 240, 200)
    assert len(preprocess.digit_boxes(ink, 240, 200)) == 2


def test_a_bar_is_not_cut_off_a_lone_digit():
    """A '5' with a long bar, in one piece: wider than MNIST's widest 5s, but the bar is no digit."""
    page = paper(320, 200)
    page[40:50, 60:275] = 0  # the bar, three times the body's width: 1.8 times the digit's height
    page[40:100, 60:70] = 0
    page[95:105, 60:130] = 0
    page[100:160, 125:135] = 0
    page[150:160, 60:130] = 0
    ink = preprocess.ink_map(rgba(page), 320, 200)
    assert preprocess.digit_boxes(ink, 320, 200) == [(60, 40, 275, 160)]


@pytest.fixture(scope="module")
def four_touching_one(mnist_test_digits):
    """A 4 and a 1 written so close that their strokes touch: one piece of ink on a 260x160 page."""
    digits, labels = mnist_test_digits
    page = paper(260, 160)
    write(page, first_of(digits, labels, 4), 20, 20)
    write(page, first_of(digits, labels, 1), 100, 20)
    page[60:66, 80:170] = 0  # a stroke running into the 1
    return page


def test_touching_digits_are_split(four_touching_one):
    ink = preprocess.ink_map(rgba(four_touching_one), 260, 160)
    assert len(preprocess.ink_pieces(ink, 260)) == 1
    assert len(preprocess.digit_boxes(ink, 260, 160)) == 2


@pytest.fixture(scope="module")
def four_one_seven_touching(mnist_test_digits):
    """A 4, a 1 and a 7 written so close that strokes join them: one piece of ink on a 340x160 page."""
    digits, labels = mnist_test_digits
    page = paper(340, 160)
    for position, label in enumerate((4, 1, 7)):
        write(page, first_of(digits, labels, label), 20 + 80 * position, 20)
    page[60:66, 80:230] = 0  # strokes running into the 1 and on into the 7
    return page


def test_digits_cut_apart_are_offered_cut_elsewhere_too(four_one_seven_touching, year):
    page = four_one_seven_touching
    reading = preprocess.read_image(rgba(page), page.shape[1], page.shape[0])
    assert len(reading.boxes) == 3
    (recut,) = reading.recuts
    assert recut.at == 0
    assert len(recut.digits) == len(recut.boxes) == len(recut.options)
    assert all(len(pixels) == 784 for pixels in recut.digits)
    options = {tuple(option): i for i, option in enumerate(recut.options)}
    # The page's own cuts, as read.
    own = [options[digit, 0, 0] for digit in range(3)]
    assert [recut.digits[i] for i in own] == reading.digits
    assert [recut.boxes[i] for i in own] == reading.boxes
    # Each cut moved gives both digits beside it, and each keeps its other edge; the 1 in the middle is
    # offered with one of its cuts moved at a time.
    edges = [box[0] for box in reading.boxes] + [reading.boxes[-1][0] + reading.boxes[-1][2]]
    for digit, left, right in options:
        assert not (left and right)
        if left:
            assert (digit - 1, 0, left) in options
        if right:
            assert (digit + 1, right, 0) in options
        x, _, w, _ = recut.boxes[options[digit, left, right]]
        assert x == edges[digit] or left
        assert x + w == edges[digit + 1] or right
    for junction in (0, 1):
        cuts = [right for digit, _, right in options if digit == junction and right]
        assert len(cuts) > 1
        columns = {
            recut.boxes[options[junction, 0, cut]][0] + recut.boxes[options[junction, 0, cut]][2] for cut in cuts
        }
        assert len(columns) == len(cuts)  # each at a column of its own
    # Digits written apart are not cut: nothing to choose.
    page, _ = year
    assert preprocess.read_image(rgba(page), page.shape[1], page.shape[0]).recuts == []


def test_a_reading_that_will_look_closer_offers_no_other_cuts(mnist_test_digits):
    """Touching digits 20 pixels high in a file drawn down from ten times as many pixels: the closer look
    (preprocess.closer_look) reads them again, and offers the other cuts then."""
    digits, labels = mnist_test_digits
    page = paper(260, 160)
    write(page, first_of(digits, labels, 4), 20, 20, scale=1)
    write(page, first_of(digits, labels, 1), 40, 20, scale=1)
    page[30:32, 35:62] = 0  # a stroke running into the 1
    drawn_down = preprocess.read_image(rgba(page), 260, 160, (2600, 1600))
    assert drawn_down.closer is not None and drawn_down.recuts == []
    alone = preprocess.read_image(rgba(page), 260, 160)
    assert alone.closer is None and len(alone.recuts) == 1
    assert alone.boxes == drawn_down.boxes


def test_the_cuts_whose_digits_the_model_is_surest_of_are_kept():
    def read(*sure):  # ten probabilities per option, the likeliest (a 3) at each of `sure`
        return [[top if d == 3 else (1 - top) / 9 for d in range(10)] for top in sure]

    # Two digits cut at the page's column (cut 0) or another (1).
    pair = [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 1, 0]]
    assert preprocess.chosen_cuts([pair], [read(0.6, 0.95, 0.9, 0.9)]) == [[1, 3]]
    # As sure either way (0.54): the page's own cut stays.
    assert preprocess.chosen_cuts([pair, pair], [read(0.9, 0.9, 0.6, 0.6), read(0.9, 0.6, 0.6, 0.9)]) == [[0, 2]] * 2
    # Three digits: the middle one is surest with its left cut moved (0.99), but then the first is
    # unsure (0.5); moving its right cut instead reads all three surest (0.9 * 0.6 * 0.9).
    row = [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0], [2, 0, 0], [2, 1, 0]]
    assert preprocess.chosen_cuts([row], [read(0.9, 0.5, 0.5, 0.6, 0.99, 0.5, 0.9)]) == [[0, 3, 6]]
    # Where the third digit has no part for the right cut (too short there), that cut cannot be taken.
    without = [option for option in row if option != [2, 1, 0]]
    assert preprocess.chosen_cuts([without], [read(0.9, 0.5, 0.5, 0.6, 0.99, 0.5)]) == [[1, 4, 5]]
    boxes = [(0, 0, 5, 9), (0, 0, 4, 9), (5, 0, 5, 9), (4, 0, 6, 9)]
    third = (20, 0, 5, 9)
    cut = preprocess.Recut(0, ["a", "a2", "b", "b2"], boxes, pair)
    reading = preprocess.Reading(["a", "b", "c"], [boxes[0], boxes[2], third], [3], [cut], None)
    assert preprocess.recut(reading, [[1, 3]]) == (["a2", "b2", "c"], [boxes[1], boxes[3], third], [3], [], None)
    assert preprocess.recut(reading, [[0, 2]]) == (["a", "b", "c"], [boxes[0], boxes[2], third], [3], [], None)


@pytest.mark.parametrize(("left", "right", "overlap"), [(3, 1, 6), (1, 0, 9)])
def test_touching_digits_no_valley_shows_are_told_apart(mnist_test_digits, left, right, overlap):
    """Felt-pen digits slid together until their strokes overlap: one piece, with no column of little ink,
    that the rules alone leave whole; the splitter network (splitter.py) tells it is two digits."""
    digits, labels = mnist_test_digits
    rng = np.random.default_rng(0)
    three, first, second, seven = (
        np.asarray(pen_glyph(first_of(digits, labels, label), 100, "felt", rng)) for label in (3, left, right, 7)
    )
    # The second's ink starts `overlap` pixels before the first's ends.
    joined = 150 + np.flatnonzero((first > 80).any(0))[-1] + 1 - np.flatnonzero((second > 80).any(0))[0] - overlap
    page = paper(700, 200)
    for glyph, x in ((three, 20), (first, 150), (second, joined), (seven, joined + 110)):
        region = page[40:140, x : x + 100]
        np.minimum(region, 255 - glyph, out=region)
    ink = preprocess.ink_map(rgba(page), 700, 200)
    assert len(preprocess.ink_pieces(ink, 700)) == 3
    assert preprocess.read_image(rgba(page), 700, 200).numbers == [4]


@pytest.mark.parametrize(("sureness", "alone", "among_others"), [(0.93, 1, 2), (0.97, 2, 2), (0.8, 1, 1)])
def test_a_wide_digit_alone_is_cut_only_where_the_network_is_surer(monkeypatch, sureness, alone, among_others):
    """A wide 0, 1.3 times as wide as tall, that no rule cuts: the splitter network decides. Alone on its
    line (a digit written or drawn on its own) it must be surer (preprocess.LONE_TWO_DIGITS) than among
    other digits of its height (TWO_DIGITS)."""
    monkeypatch.setattr(preprocess, "two_digits", lambda *_: sureness)
    page = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(page)
    draw.ellipse((235, 50, 365, 150), outline=0, width=8)
    ink = preprocess.ink_map(rgba(np.asarray(page)), 600, 200)
    assert len(preprocess.digit_boxes(ink, 600, 200)) == alone
    draw.line([(80, 50), (80, 150)], fill=0, width=8)  # a 1 on each side
    draw.line([(520, 50), (520, 150)], fill=0, width=8)
    ink = preprocess.ink_map(rgba(np.asarray(page)), 600, 200)
    assert len(preprocess.digit_boxes(ink, 600, 200)) == among_others + 2


def test_a_single_digit_gives_one_input(mnist_test_digits):
    digits, labels = mnist_test_digits
    page = paper(200, 200)
    write(page, first_of(digits, labels, 0), 40, 40)
    (made,) = preprocess.to_mnist_digits(rgba(page), 200, 200)
    assert made == preprocess.to_mnist(rgba(page), 200, 200)


@pytest.mark.parametrize("width", [2, 3, 5])
def test_a_short_flat_dash_is_not_split_into_nothing(width):
    """A piece one pixel high and a few wide is wider than tall, yet has no column to cut at."""
    page = paper(20, 20)
    page[10, 8 : 8 + width] = 0
    assert len(preprocess.to_mnist_digits(rgba(page), 20, 20)) == 1


def test_blank_page_has_no_digits():
    with pytest.raises(preprocess.NoDigitError):
        preprocess.to_mnist_digits(rgba(paper(50, 50)), 50, 50)


# From 12x12 up: an image of fewer pixels can be a pixel-font digit (a 5x7 "1" is read), and random
# pixels that few can look like one too.
@pytest.mark.parametrize("size", [(12, 12), (16, 24), (28, 28), (63, 40), (40, 40), (200, 200), (512, 384)])
@pytest.mark.parametrize("kind", ["colour", "grey", "black and white"])
def test_random_noise_is_no_digit(kind, size):
    width, height = size
    rng = np.random.default_rng(width)
    if kind == "colour":
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    else:
        levels = [0, 255] if kind == "black and white" else range(256)
        pixels = np.repeat(rng.choice(levels, (height, width, 1)).astype(np.uint8), 3, axis=2)
    noise = np.concatenate([pixels, np.full((height, width, 1), 255, np.uint8)], axis=2)
    with pytest.raises(preprocess.NoDigitError, match="^No digit found: the image looks like noise"):
        preprocess.to_mnist_digits(noise.tobytes(), width, height)


@pytest.mark.parametrize("label", range(10))
def test_a_tightly_cropped_digit_is_not_noise(mnist_test_digits, label):
    """A digit cropped to its ink fills much of its image, in a piece or two: still a digit."""
    digits, labels = mnist_test_digits
    digit = first_of(digits, labels, label)
    rows, columns = np.nonzero(digit.max(axis=1))[0], np.nonzero(digit.max(axis=0))[0]
    cropped = 255 - digit[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    assert preprocess.to_mnist_digits(rgba(cropped), cropped.shape[1], cropped.shape[0])


@pytest.mark.parametrize("label", range(10))
@pytest.mark.parametrize("size", [8, 12, 20])
def test_a_digit_shrunk_to_a_few_pixels_is_not_noise(mnist_test_digits, label, size):
    """Shrunk (area averaging), a digit's strokes still keep ink together: not taken for noise."""
    digits, labels = mnist_test_digits
    shrunk = np.asarray(Image.fromarray(255 - first_of(digits, labels, label)).resize((size, size), Image.BOX))
    assert preprocess.to_mnist_digits(rgba(shrunk), size, size)


def test_a_long_number_is_not_noise(mnist_test_digits):
    """Twelve digits in a row: a dozen pieces of ink, far from looking like noise."""
    digits, labels = mnist_test_digits
    page = paper(12 * 120 + 40, 160)
    for position in range(12):
        write(page, first_of(digits, labels, position % 10), 20 + 120 * position, 20)
    assert len(preprocess.to_mnist_digits(rgba(page), page.shape[1], page.shape[0])) == 12


@pytest.mark.browser
def test_the_model_reads_the_year(year):
    from export.tfjs_check import run_tfjs

    page, _ = year
    inputs = np.array(preprocess.to_mnist_digits(rgba(page), page.shape[1], page.shape[0]), dtype=np.float32)
    probabilities = run_tfjs("site/models/cnn", "site", inputs.reshape(-1, 28, 28))
    assert "".join(str(d) for d in probabilities.argmax(axis=1)) == "".join(map(str, LABELS))
