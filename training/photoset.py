"""A photo-like test set: MNIST test digits as phone photos of paper would show them.

Example: python -m training.photoset --out /tmp/notes --paper mixed --pen mixed --numbers --lines 3

Each photo shows MNIST *test* digits, in order, written on a page (white, cream, grey or tinted paper) and
photographed under a lighting gradient, with sensor noise and blur, and saved as JPEG. The --out folder gets the
images and labels.csv (file,label), the layout `python -m export.evaluate` reads. A seed always writes the
same set.

By default a photo holds one digit (its label is the digit) anywhere on plain paper, a tenth to a half of the
page's short side, tilted up to 15 degrees, in MNIST's own stroke: the set the README measures.

--paper prints notebook paper, up to 3 degrees off square, before the photo is taken (the lines get the same
light, noise, blur and JPEG as the ink): ruled (pale blue, grey, green or violet lines 1-3 px thick, 6-12% of
the page's short side apart, sometimes a red or pink margin line), squared (a pale blue or grey grid of 1-2 px
lines, cells 3-8% of the short side) or dotted (pale dots 2-4 px across, 3-6% of the short side apart); mixed
picks one of the four papers (plain included) for each photo. On notebook paper the writing sits on the ruling:
digits 0.6-1.3 line spacings (1-2.5 grid cells) high with their bottom near a line, one number in four written
across a line. The phone is held close enough to read the writing: a digit is at least 4% of the photo's long
side (a closer photo shows a smaller part of the page, and so fewer lines).

--pen: ink (the default: MNIST's stroke scaled up, in black, blue, grey or green), ballpoint (a black line along the
middle of MNIST's stroke, a quarter to a half as wide, round any loop MNIST's thick stroke filled, now and then
skipping), blue (a blue ballpoint), felt (nearly black, about as wide as MNIST's stroke) or pencil (thin, light grey
110-170 and grainy); mixed picks one pen for each photo.

--numbers: a photo holds a number of 2 to 8 digits written left to right, from touching to half a digit apart,
sizes within 15%, on a wavering baseline, the whole number tilted up to 10 degrees. --lines K writes 1 to K
numbers, one per line of writing, top to bottom. The label is the digits, the numbers joined by one space in
reading order ("4721 90"). No test digit is used twice before the test set runs out. Photos are 480 to 1280
pixels a side, or up to 1600 where the writing needs it.

--blank writes the same photos with nothing written on them, and empty labels: the paper, its printed lines,
the light, noise, blur and JPEG of each, which must read as no digit."""

import argparse
import csv
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from training.cli import ArgumentParser
from training.data import DataError, load_mnist

PAPERS = [(250, 250, 247), (243, 236, 214), (222, 222, 222), (226, 236, 246), (250, 240, 200)]
INKS = [(20, 20, 25), (25, 40, 110), (70, 70, 75), (10, 60, 30)]

PAPER_KINDS = ("plain", "ruled", "squared", "dotted")
PEN_KINDS = ("ink", "ballpoint", "blue", "felt", "pencil")

# Line spacing (a fraction of the page's short side) and digit height (in spacings) for each paper. Plain paper
# prints no lines: its spacing only sizes and places the numbers.
RULINGS = {
    "plain": ((0.06, 0.12), (0.8, 2.5)),
    "ruled": ((0.06, 0.12), (0.6, 1.3)),
    "squared": ((0.03, 0.08), (1.0, 2.5)),
    "dotted": ((0.03, 0.06), (1.0, 2.5)),
}
# Printed lines: the pale colours of exercise books, how strongly they print, and the red or pink margin.
RULE_COLOURS = [(150, 185, 225), (120, 160, 215), (165, 165, 175), (155, 205, 170), (190, 170, 220)]
GRID_COLOURS = [(150, 185, 225), (120, 160, 215), (165, 165, 175)]
MARGIN_COLOURS = [(220, 80, 90), (235, 130, 150)]
RULE_WIDTHS = {"ruled": (1, 3), "squared": (1, 2), "dotted": (2, 4)}  # pixels: line thickness, dot diameter
MARGIN_CHANCE = 0.4
MAX_TILT = 3  # degrees the phone is turned from the page's edges
MIN_DIGIT_SHARE = 0.04

# Pens: stroke width as a fraction of the digit's 28-pixel box (MNIST's own is about 0.1), and colours.
PEN_WIDTHS = {"ballpoint": (0.025, 0.045), "blue": (0.025, 0.045), "felt": (0.09, 0.13), "pencil": (0.035, 0.06)}
MIN_PEN_WIDTH = 1.5  # pixels: a thinner line would vanish in the photo's blur
PEN_COLOURS = {
    "ink": INKS,
    "ballpoint": [(20, 20, 25), (40, 40, 45), (30, 30, 40)],
    "blue": [(20, 40, 130), (30, 60, 160), (25, 30, 95)],
    "felt": [(10, 10, 12), (18, 18, 28)],
}
PENCIL_LEVELS = (110, 170)  # graphite's grey on white paper: low contrast
SKIP_CHANCE = 0.08  # a ballpoint that skips leaves a digit in two pieces
NEIGHBOURS = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]  # clockwise from north
FILLED = 2.0  # a part of MNIST's stroke this many times deeper than its thin parts is a filled loop
STROKE_DEPTH = 5  # at four times MNIST's size, a stroke of MNIST's usual width is 5 erosions deep
LOOP_LEVELS = (160, 220)  # MNIST's levels at which a loop its stroke filled may show its hole
SUPERSAMPLE = 4  # pen strokes are drawn this much finer, then averaged down for smooth edges

# Numbers: MNIST fits a digit's height into 20 of its 28 pixels, so a digit's box is 1.4 digit heights.
DIGIT_BOX = 28 / 20
NUMBER_LENGTHS = (2, 8)
ACROSS_CHANCE = 0.25  # numbers written across a rule rather than on it
BORDER = 0.5  # digit heights of paper kept clear round the writing
MAX_SIDE = 1600  # pixels: a larger page is written smaller


def pick(choice, kinds, rng):
    """`choice`, or for "mixed" one of `kinds` at random."""
    return kinds[rng.integers(len(kinds))] if choice == "mixed" else choice


# --- pens ---


def neighbours_of(padded):
    """The eight neighbours of every pixel of an image padded by one pixel, as views of it, clockwise from north."""
    height, width = padded.shape[0] - 2, padded.shape[1] - 2
    return [padded[1 + dy : 1 + dy + height, 1 + dx : 1 + dx + width] for dy, dx in NEIGHBOURS]


def thin(mask):
    """Zhang-Suen thinning: peel a boolean mask's border pixels until only one-pixel lines remain."""
    image = np.pad(mask, 1).astype(np.uint8)
    while True:
        peeled = 0
        for first_pass in (True, False):
            centre = image[1:-1, 1:-1]
            around = neighbours_of(image)
            north, east, south, west = around[0], around[2], around[4], around[6]
            neighbours = sum(around)
            crossings = sum((a == 0) & (b == 1) for a, b in zip(around, around[1:] + around[:1], strict=True))
            if first_pass:
                outer = (north * east * south == 0) & (east * south * west == 0)
            else:
                outer = (north * east * west == 0) & (north * south * west == 0)
            peel = (centre == 1) & (neighbours >= 2) & (neighbours <= 6) & (crossings == 1) & outer
            centre[peel] = 0
            peeled += peel.sum()
        if not peeled:
            return image[1:-1, 1:-1] == 1


def depth(mask):
    """For each pixel of a boolean mask, how many 3x3 erosions it survives (0 outside the mask)."""
    depths = np.zeros(mask.shape, dtype=np.int32)
    inside = mask.copy()
    while inside.any():
        depths += inside
        inside = np.logical_and.reduce([inside, *neighbours_of(np.pad(inside, 1))])
    return depths


def holes(mask):
    """The background pixels of a boolean mask that its ink closes in (a loop's inside)."""
    # A copy: fromarray shares the array's read-only buffer, which floodfill would leave unchanged.
    image = Image.fromarray(np.pad(mask, 1).astype(np.uint8) * 255).copy()
    ImageDraw.floodfill(image, (0, 0), 128)
    return (np.asarray(image) == 0)[1:-1, 1:-1]


def centre_line(digit):
    """Points (x, y in MNIST pixels) along the middle of the digit's stroke, found at four times MNIST's size.

    Where MNIST's thick stroke closed a loop (a 6's, an 8's), the loop is opened again first: a hole its
    darker levels show (LOOP_LEVELS), and a part deeper than FILLED times the stroke's thin parts (taken as
    at least STROKE_DEPTH deep), are taken out of the stroke, so the pen goes round the loop, not through it."""
    levels = np.asarray(Image.fromarray(digit).resize((112, 112), Image.Resampling.BICUBIC))
    mask = levels > 100
    for level in LOOP_LEVELS:
        mask &= ~holes(levels > level)
    depths = depth(mask)
    mask &= depths <= FILLED * max(np.percentile(depths[thin(mask)], 10), STROKE_DEPTH)
    rows, cols = np.nonzero(thin(mask))
    points = (np.stack([cols, rows], axis=1) + 0.5) / 4
    # Each point moved to the middle of its neighbours within a pixel: a smooth line, not a staircase.
    near = np.hypot(*(points[:, None] - points[None]).transpose(2, 0, 1)) < 1
    return near @ points / near.sum(axis=1, keepdims=True)


def trace(points, size, width):
    """A round pen `width` pixels wide drawn through `points` in a size x size box (PIL "L")."""
    canvas = Image.new("L", (size * SUPERSAMPLE, size * SUPERSAMPLE))
    draw = ImageDraw.Draw(canvas)
    radius = width * SUPERSAMPLE / 2
    for x, y in points * size * SUPERSAMPLE / 28:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return canvas.reduce(SUPERSAMPLE)


def pen_glyph(digit, size, pen, rng):
    """The digit written with `pen` in a size x size box (PIL "L", 255 where the ink covers the paper)."""
    if pen == "ink":
        return Image.fromarray(digit).resize((size, size), Image.Resampling.BICUBIC)
    points = centre_line(digit)
    if pen in ("ballpoint", "blue") and rng.random() < SKIP_CHANCE:
        gap = np.hypot(*(points - points[rng.integers(len(points))]).T)
        points = points[gap > rng.uniform(0.8, 1.6)]
    width = max(MIN_PEN_WIDTH, size * rng.uniform(*PEN_WIDTHS[pen]))
    glyph = trace(points, size, width)
    if pen == "pencil":
        # Graphite marks only the tops of the paper's grain, a few grains across the line.
        cells = math.ceil(size / max(1.5, width / 3))
        grain = rng.uniform(80, 255, (cells, cells)).astype(np.uint8)
        glyph = ImageChops.multiply(glyph, Image.fromarray(grain).resize((size, size), Image.Resampling.BILINEAR))
    return glyph


def pen_colour(pen, rng):
    """The ink's colour (RGB floats)."""
    if pen == "pencil":
        level = rng.uniform(*PENCIL_LEVELS)
        return np.array([level, level, level + 6], dtype=np.float32)  # graphite is a slightly cool grey
    colours = PEN_COLOURS[pen]
    return np.array(colours[rng.integers(len(colours))], dtype=np.float32)


# --- notebook paper and the photo ---


@dataclass
class Ruling:
    """Lines printed on the paper, in photo pixels; paper coordinates are the photo's turned by -tilt."""

    kind: str  # "ruled", "squared" or "dotted"
    pitch: float  # between lines, grid cells or dots
    phase: float  # from the paper's top (and left) edge to the first line
    tilt: float  # degrees the page is turned counterclockwise in the photo
    width: float  # line thickness, or dot diameter
    colour: tuple
    strength: float  # how much of the colour prints: the paper shows through thin print
    margin: float | None = None  # x of the margin line (ruled paper), in paper coordinates
    margin_colour: tuple = MARGIN_COLOURS[0]


def turn(x, y, degrees, centre):
    """(x, y) turned counterclockwise on screen by `degrees` about `centre` (image axes: y points down)."""
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    dx, dy = x - centre[0], y - centre[1]
    return centre[0] + dx * cos + dy * sin, centre[1] - dx * sin + dy * cos


def draw_ruling(kind, pitch, phase, writing_left, rng):
    """The look of `kind` paper's lines: colour, thickness, strength, tilt and, left of the writing, a margin."""
    colours = RULE_COLOURS if kind == "ruled" else GRID_COLOURS
    ruling = Ruling(
        kind,
        pitch,
        phase,
        tilt=rng.uniform(-MAX_TILT, MAX_TILT),
        width=rng.uniform(*RULE_WIDTHS[kind]),
        colour=colours[rng.integers(len(colours))],
        strength=rng.uniform(0.5, 0.9),
    )
    if kind == "ruled" and rng.random() < MARGIN_CHANCE:
        ruling.margin = writing_left * rng.uniform(0.2, 0.8)
        ruling.margin_colour = MARGIN_COLOURS[rng.integers(len(MARGIN_COLOURS))]
    return ruling


def off_line(offset, pitch):
    """Distance to the nearest of lines `pitch` apart, from each point's offset past the first one."""
    return np.abs((offset + pitch / 2) % pitch - pitch / 2)


def coverage(distance, width):
    """How much of each pixel a line (or dot) `width` wide covers, from the distance to its middle."""
    return np.clip(width / 2 + 0.5 - distance, 0, 1)


def print_ruling(ruling, paper, width, height):
    """The paper's colour per pixel (float32 height x width x 3) with the ruling printed on it."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    across, down = turn(xs, ys, -ruling.tilt, (width / 2, height / 2))
    rules = off_line(down - ruling.phase, ruling.pitch)
    columns = off_line(across - ruling.phase, ruling.pitch)
    if ruling.kind == "ruled":
        printed = coverage(rules, ruling.width)
    elif ruling.kind == "squared":
        printed = np.maximum(coverage(rules, ruling.width), coverage(columns, ruling.width))
    else:
        printed = coverage(np.hypot(rules, columns), ruling.width)
    layers = [(printed, ruling.colour)]
    if ruling.margin is not None:
        layers.append((coverage(np.abs(across - ruling.margin), ruling.width), ruling.margin_colour))
    page = np.broadcast_to(paper, (height, width, 3))
    for printed, colour in layers:
        share = printed[..., None] * ruling.strength
        page = page * (1 - share) + np.array(colour, dtype=np.float32) * share
    return page


def photograph(alpha, pen, rng, ruling=None):
    """The page, ink covering `alpha` of each pixel, as a phone photographs it (PIL RGB)."""
    height, width = alpha.shape
    paper = np.array(PAPERS[rng.integers(len(PAPERS))], dtype=np.float32)
    ink = pen_colour(pen, rng)
    if ruling is not None:
        paper = print_ruling(ruling, paper, width, height)
    page = paper * (1 - alpha[..., None]) + ink * alpha[..., None]

    # Light falls off across the page in a random direction (a lamp or window to one side).
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ramp = (xs / width - 0.5) * np.cos(angle) + (ys / height - 0.5) * np.sin(angle)
    page *= (1 - rng.uniform(0.1, 0.45) * (ramp + 0.5))[..., None]
    page += rng.normal(0, rng.uniform(2, 8), page.shape)

    photo = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8))
    return photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5)))


# --- numbers ---


@dataclass
class Number:
    """A number's digits on a baseline, in digit heights; (0, 0) is the middle of its baseline."""

    placed: list  # (digit, box size, left, top) for each digit, before the tilt
    tilt: float  # degrees, counterclockwise
    extent: tuple  # (left, top, right, bottom) of its box once tilted


def lay_out_number(digits, rng):
    """Digits written left to right on a slightly wavering baseline, touching or up to half a digit apart."""
    placed, ink_end = [], 0.0
    for digit in digits:
        rows, cols = np.nonzero(digit > 64)
        box = DIGIT_BOX * rng.uniform(0.85, 1.15)
        # After the first digit, the pen moves on from just overlapping (touching) to half a digit width.
        pen_at = ink_end + rng.uniform(-0.06, 0.35) if placed else 0.0
        left = pen_at - cols.min() / 28 * box
        top = rng.normal(0, 0.04) - (rows.max() + 1) / 28 * box
        placed.append((digit, box, left, top))
        ink_end = left + (cols.max() + 1) / 28 * box
    placed = [(digit, box, left - ink_end / 2, top) for digit, box, left, top in placed]
    tilt = rng.uniform(-10, 10)
    corners = [(x, y) for x in box_span(placed, 2) for y in box_span(placed, 3)]
    xs, ys = zip(*(turn(x, y, tilt, (0, 0)) for x, y in corners), strict=True)
    return Number(placed, tilt, (min(xs), min(ys), max(xs), max(ys)))


def box_span(placed, side):
    """(first, last) edge of the digits' boxes along x (side 2: their left) or y (side 3: their top)."""
    return min(p[side] for p in placed), max(p[side] + p[1] for p in placed)


def stack_lines(numbers, pitch, rng):
    """Rules' offset and baselines (digit heights from the page top): each number on a rule below the last."""
    phase = rng.uniform(0, pitch)
    baselines, clear = [], BORDER  # clear: the first height below the writing so far
    for number in numbers:
        _, top, _, bottom = number.extent
        # Mostly on the rule or just above it; now and then across it.
        across = rng.random() < ACROSS_CHANCE
        offset = pitch * (rng.uniform(0.25, 0.55) if across else rng.uniform(-0.15, 0.05))
        rule = math.ceil((clear - top - offset - phase) / pitch)
        baselines.append(phase + rule * pitch + offset)
        clear = baselines[-1] + bottom + rng.uniform(0.1, 0.6)
    return phase, baselines


def stamp(canvas, ink, left, top):
    """Ink added onto canvas (the denser wins) with its top-left corner at (left, top), moved inside if need be."""
    left = min(max(round(left), 0), canvas.shape[1] - ink.shape[1])
    top = min(max(round(top), 0), canvas.shape[0] - ink.shape[0])
    region = canvas[top : top + ink.shape[0], left : left + ink.shape[1]]
    np.maximum(region, ink, out=region)


def write_number(number, scale, pen, angle, rng):
    """The number's ink at `scale` pixels a digit height, turned by `angle` (PIL "L"), and where (0, 0) went."""
    (x0, x1), (y0, y1) = box_span(number.placed, 2), box_span(number.placed, 3)
    ink = np.zeros((math.ceil((y1 - y0) * scale) + 2, math.ceil((x1 - x0) * scale) + 2), dtype=np.uint8)
    for digit, box, left, top in number.placed:
        stamp(ink, np.asarray(pen_glyph(digit, round(box * scale), pen, rng)), (left - x0) * scale, (top - y0) * scale)
    image = Image.fromarray(ink)
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    # rotate(expand=True) turns about the middle and keeps the middle in the middle.
    x, y = turn(-x0 * scale, -y0 * scale, angle, (image.width / 2, image.height / 2))
    return turned, (x + (turned.width - image.width) / 2, y + (turned.height - image.height) / 2)


def render_numbers(numbers, rng, paper="plain", pen="ink", blank=False):
    """Numbers (lists of 28x28 MNIST digits), one per line of writing, on a page of `paper`, as a photo; with
    `blank`, the same page and photo with nothing written on it."""
    base_width, base_height = int(rng.integers(480, 1280)), int(rng.integers(480, 1280))
    spacing, digit_heights = RULINGS[paper]
    pitch_px = min(base_width, base_height) * rng.uniform(*spacing)
    pitch = 1 / rng.uniform(*digit_heights)  # the layout's unit is the digit height
    written = [lay_out_number(digits, rng) for digits in numbers]
    phase, baselines = stack_lines(written, pitch, rng)

    # Pixels per digit height: as the ruling asks, but smaller where the page would pass MAX_SIDE.
    widths = [number.extent[2] - number.extent[0] for number in written]
    wide, tall = max(widths) + 2 * BORDER, baselines[-1] + written[-1].extent[3] + BORDER
    scale = min(pitch_px / pitch, MAX_SIDE / wide, MAX_SIDE / tall)
    # The phone is held close enough to read the writing: a digit is at least MIN_DIGIT_SHARE of the photo's
    # long side (so at least about 20 pixels of the 512 that the page reads).
    longest = int(scale / MIN_DIGIT_SHARE)
    base_width, base_height = min(base_width, longest), min(base_height, longest)
    width, height = max(base_width, math.ceil(wide * scale)), max(base_height, math.ceil(tall * scale))
    # Spare paper moves each number along its line, and all of them down by whole rules (to stay on them).
    drop = pitch * rng.integers(0, max(0, math.floor((height / scale - tall) / pitch)) + 1)
    # (max: where the page is exactly as wide as the widest number, rounding may leave it a hair short)
    starts = [rng.uniform(BORDER, max(BORDER, width / scale - BORDER - line)) for line in widths]
    ruling = None
    if paper != "plain":
        ruling = draw_ruling(paper, pitch * scale, phase * scale, min(starts) * scale, rng)
    tilt = ruling.tilt if ruling else 0.0

    alpha = np.zeros((height, width), dtype=np.float32)
    for number, start, baseline in zip(written, starts, baselines, strict=True):
        ink, (ink_x, ink_y) = write_number(number, scale, pen, number.tilt + tilt, rng)
        x, y = turn((start - number.extent[0]) * scale, (baseline + drop) * scale, tilt, (width / 2, height / 2))
        stamp(alpha, np.asarray(ink, dtype=np.float32) / 255, x - ink_x, y - ink_y)
    return photograph(np.zeros_like(alpha) if blank else alpha, pen, rng, ruling)


# --- the photo set ---


def render_photo(digit, rng, paper="plain", pen="ink", blank=False):
    """One MNIST digit (uint8 28x28, white on black) as an RGB photo of a page (PIL image); on notebook paper it
    is written on the ruling, as a number of one digit. With `blank`, the same photo with nothing written."""
    if paper != "plain":
        return render_numbers([[digit]], rng, paper, pen, blank)
    width, height = int(rng.integers(480, 1280)), int(rng.integers(480, 1280))
    # The digit covers a tenth to a half of the page's short side, at an angle of up to 15 degrees.
    size = int(min(width, height) * rng.uniform(0.1, 0.5))
    ink = pen_glyph(digit, size, pen, rng)
    ink = ink.rotate(rng.uniform(-15, 15), resample=Image.Resampling.BICUBIC, expand=True)
    left = int(rng.integers(0, width - ink.width))
    top = int(rng.integers(0, height - ink.height))
    alpha = np.zeros((height, width), dtype=np.float32)
    alpha[top : top + ink.height, left : left + ink.width] = np.asarray(ink, dtype=np.float32) / 255
    return photograph(np.zeros_like(alpha) if blank else alpha, pen, rng)


def write_photoset(
    out_dir,
    count,
    seed,
    data_dir=None,
    *,
    paper="plain",
    pen="ink",
    numbers=False,
    lines=1,
    digits="test",
    blank=False,
):
    """Write `count` photos of MNIST digits and labels.csv into out_dir; returns the rows (file, label).

    A photo holds one digit (label: an int), or with `numbers` 1 to `lines` numbers (label: their digits,
    numbers joined by a space). `paper` and `pen` are the command line's choices, "mixed" included.
    `digits` is "test" (sets that measure) or "train" (sets to tune the preprocessing on). With `blank`,
    the same photos with nothing written (label: empty)."""
    mnist = load_mnist(data_dir)  # first: bad data leaves no empty folder behind
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    # Digits in order, starting again only when all have been used.
    images, labels = (mnist.x_test, mnist.y_test) if digits == "test" else (mnist.x_train, mnist.y_train)
    source = itertools.cycle(zip(images, labels, strict=True))
    rows = []
    for index in range(count):
        name = f"photo-{index:04d}.jpg"
        paper_kind, pen_kind = pick(paper, PAPER_KINDS, rng), pick(pen, PEN_KINDS, rng)
        if numbers:
            lengths = rng.integers(NUMBER_LENGTHS[0], NUMBER_LENGTHS[1] + 1, size=rng.integers(1, lines + 1))
            written = [[next(source) for _ in range(length)] for length in lengths]
            photo = render_numbers([[image for image, _ in line] for line in written], rng, paper_kind, pen_kind, blank)
            label = " ".join("".join(str(digit) for _, digit in line) for line in written)
        else:
            image, digit = next(source)
            photo, label = render_photo(image, rng, paper_kind, pen_kind, blank), int(digit)
        label = "" if blank else label
        photo.save(out_dir / name, quality=int(rng.integers(60, 92)))
        rows.append((name, label))
    with open(out_dir / "labels.csv", "w", newline="") as file:
        csv.writer(file).writerows([("file", "label"), *rows])
    return rows


# --- command line ---


def positive_int(text):
    """A count of 1 or more, for argparse."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def main(argv=None):
    parser = ArgumentParser(
        prog="python -m training.photoset",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the photos and labels.csv")
    parser.add_argument("--count", type=positive_int, default=300, help="photos to write (default: 300)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--data-dir", default=None, metavar="DIR", help="MNIST folder (default: $MNIST_DIR or cache)")
    parser.add_argument("--paper", choices=[*PAPER_KINDS, "mixed"], default="plain", help="(default: plain)")
    parser.add_argument("--pen", choices=[*PEN_KINDS, "mixed"], default="ink", help="(default: ink)")
    parser.add_argument("--numbers", action="store_true", help="numbers of 2-8 digits rather than single digits")
    parser.add_argument("--lines", type=positive_int, default=1, metavar="K", help="with --numbers: up to K a photo")
    parser.add_argument(
        "--digits",
        choices=["test", "train"],
        default="test",
        help="MNIST's test digits (default), or training "
        "digits for a set to tune the preprocessing on, apart from the sets that measure it",
    )
    parser.add_argument(
        "--blank", action="store_true", help="the same photos with nothing written on them (labels empty)"
    )
    args = parser.parse_args(argv)
    if args.lines > 1 and not args.numbers:
        parser.error("--lines needs --numbers")
    try:
        write_photoset(
            args.out,
            args.count,
            args.seed,
            args.data_dir,
            paper=args.paper,
            pen=args.pen,
            numbers=args.numbers,
            lines=args.lines,
            digits=args.digits,
            blank=args.blank,
        )
    except DataError as error:
        parser.error(str(error))
    print(f"wrote {args.count} photos and labels.csv to {args.out}")


if __name__ == "__main__":
    main()
