"""Turn a decoded image into the model's input: a 28x28 MNIST-style digit, white ink on black.

Standard library only: Pyodide runs this module in the browser and CPython's tests import it unchanged.
The steps follow how MNIST itself was made: the digit's bounding box is scaled (aspect kept, area
averaged) into a 20x20 box, then placed in a 28x28 grid with its centre of mass at the centre.

Pixels travel between the steps as flat row-major sequences with their width and height: luminance as
bytes (0..255), ink as lists of floats (0..1, background 0).
"""

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import groupby, pairwise
from operator import itemgetter, sub
from typing import NamedTuple

from resample import resampled
from ruling import erase_dots, erase_lines
from splitter import two_digits

GRID = 28
BOX = 20

# A pen's stroke is drawn about as wide as MNIST's. Measured in the 28x28 input (stroke_width), MNIST's
# strokes are 2.7 pixels wide (the median of 3,000 training digits; a quarter are under 2.1), but digits
# that a ballpoint, a felt pen or a pencil wrote in a photo come out at 1.5 (the tuning sets' 600 single
# digits on plain paper, mixed pens; a quarter under 1.2): a thin stroke also greys as it is averaged
# down. A digit whose stroke, measured at its own size (at WIDEN_SIZE pixels on its long side when it is
# larger, so that it stays quick), would be thinner than PEN_WIDTH once fitted into the 20-pixel box is
# first drawn with a wider pen, to that width; the same 600 digits then measure 2.5 in the input (a
# quarter under 2.4). On the tuning sets (seeds 5 and 6, MNIST training digits, mixed pens), single
# digits misread went from 20 to 17 of 1,500 (4 fixed, a 7 read as 1) and numbers and lines of writing
# not read whole from 116 to 108 of 1,020 (10 fixed, two 7s read as 1), both seeds better; 300 blank
# pages and 2,000 MNIST digits uploaded as pictures read the same. Widths from 1.9 to 3.2 were tried (on
# a first version, which measured the stroke's area by its ink's level): 2.2 read best.
PEN_WIDTH = 2.2
WIDEN_SIZE = 64

# Ink contrast (in luminance levels, 0..255) below which nothing counts as a digit.
MIN_CONTRAST = 32
# Fainter ink, down to FAINT_CONTRAST (light pencil, a pale blue pen), is read when it looks like
# writing: at most MAX_FAINT_NUMBERS number of at most MAX_FAINT_DIGITS digits, each at least FAINT_HEIGHT
# of the picture's long side tall. What is left of a printed grid or ruling too faint to be found spreads
# over the page as dozens of "digits", or is a bit of line or grid at the picture's edge. On the tuning
# sets faint ink read from 20 gained 0.7 to 1.7 points of one digit on every paper (from 16, more blank
# pages were read as digits); with these limits, of 1,000 blank tuning pages (photoset --blank --digits
# train --seed 5 --paper mixed --pen mixed) 3 were read as digits when they were chosen, 1 without faint
# ink (2 now).
FAINT_CONTRAST = 20
MAX_FAINT_NUMBERS = 1
MAX_FAINT_DIGITS = 8
FAINT_HEIGHT = 0.03
# The "strongest ink" level is this percentile of the clearly inked pixels, so a few hot pixels don't set it.
# Clearly inked is at least 1/CLEAR_SHARE of the strongest pixel's strength: a quarter keeps faint pencil
# next to a black speck, and most lighting shades out.
INK_PERCENTILE = 0.9
CLEAR_SHARE = 4
# A small digit in faint pencil: the pixels above a quarter of its strongest are mostly the photo's noise,
# and their level fell under FAINT_CONTRAST (11 to 19 levels, where the digit's strongest pixels stood 24
# to 58 over the paper: 5 of 300 dotted-paper tuning digits read as no ink). Where a quarter finds no ink
# on paper without printed lines, pixels above 1/FAINT_CLEAR_SHARE of the strongest set the level: 6 of
# 600 dotted tuning digits more read (photoset --digits train --pen mixed --paper dotted, seeds 5 and 6),
# none fewer on any tuning set, and blank pages read the same (1,000 mixed, 400 plain and 400 dotted).
# On ruled or squared paper what this finds may be the lines' remains (a faint 1 on a grid was read as
# rows of 1s), so there a quarter stands.
FAINT_CLEAR_SHARE = 2
# Sensor noise and shading lift the paper's strength (its median) above zero, by up to about 16 levels
# on the photo-like notebook pages; a median above MAX_PAPER_LIFT is ink covering most of the image.
MAX_PAPER_LIFT = 24
# Normalised ink below this is paper texture, lighting or compression noise.
NOISE_FLOOR = 0.15
# Normalised ink from which a pixel counts when finding the digit's bounding box.
BOUNDS_THRESHOLD = 0.3
# Lighting: the image is cut into at most this many blocks a side, each at least MIN_BLOCK_SIZE pixels,
# and a block's background is this percentile of its levels (the paper, not the ink on it).
BACKGROUND_BLOCKS = 12
MIN_BLOCK_SIZE = 24
BACKGROUND_PERCENTILE = 0.8
# Which way the ink goes (ink_is_dark): ink stands at least INK_STEP levels from the paper around it (the
# faintest pencil read), and the border's level decides unless it lies within POLARITY_MARGIN of the
# image's range from halfway. Of 2,410 tuning photos (all dark ink on paper: singles, numbers and 1,000
# blank pages), 60 were taken for light ink by the border alone, 4 of them with writing; with the blocks
# deciding within 0.2 of halfway, none.
INK_STEP = FAINT_CONTRAST
POLARITY_MARGIN = 0.2

# Reading a page. Pieces of ink at least CORE_HEIGHT of the tallest piece's height are digits (a thin 1
# included: it is tall). Shorter pieces of at least SPECK_FRACTION of the largest piece's area whose box
# comes within ATTACH_MARGIN of that height of a digit's are its broken-off strokes (a 5's bar written
# apart reaches past its body); the rest are specks (dust, the dots of a dot grid). The tallest piece is
# looked for among pieces of at least SPECK_FRACTION too.
CORE_HEIGHT = 0.4
ATTACH_MARGIN = 0.15
SPECK_FRACTION = 0.08
# Shorter pieces whose boxes come within CHAIN_GAP pixels of each other are first joined into one, their
# areas added: a thin stroke in grainy pencil breaks into grains, each smaller than a speck, and a 1 so
# written was lost (on the tuning sets, 7 of 510 numbers and photos of lines of writing more read whole,
# none fewer; single digits, 600 plain photos of mixed pens and 1,000 blank pages read the same; 2 reads
# as 1 does, and 0, joining only grains whose boxes touch, loses one of the 7). Pieces shorter than a
# legible digit (MIN_DIGIT_SHARE) are chained too, whatever the tallest: a small digit in a thin pen may
# fade into grains where Python first sees a photo, with no taller piece to measure them by, and was "No
# digit found" (3 of 1,800 single digits on tuning seeds 7 and 8) or read from the grains that touched (a
# 7 read as the foot of its stem, a 1, on a fresh seed 9); nothing read worse in 3,900 single digits,
# 2,220 numbers and photos of lines of writing, or 1,300 blank pages (seeds 5 to 9).
CHAIN_GAP = 1
# The digits of a number are about its height: a digit under JOIN_HEIGHT of its line's height both ways
# (MNIST's digits are fitted by their long side, so a wide 2 is short) within ATTACH_MARGIN of another
# is a stroke of it (a 4's down-stroke written apart), and a cut that leaves a part under JOIN_HEIGHT
# tall cut off a bar or a tail (a 5's long bar, wider than a digit). On the tuning sets, without both:
# one digit 0.3 to 1.0 points lower on every paper and pen, numbers on dot grids 2 points.
JOIN_HEIGHT = 0.6
# A digit is at least MIN_DIGIT_SHARE of the image's long side tall (8 pixels at 512): shorter pieces
# are what erasing a notebook's lines leaves (bits of a grid's crossings, dots and lines, 1 to 4 pixels
# high where Python sees them; found as digits on 7 of 80 blank photo-like pages without it) and may
# only join a digit. A digit in a photo is legible from about 4% (training/photoset.py writes them so).
MIN_DIGIT_SHARE = 0.015
# Ink at the image's edge (within EDGE_GAP of it: blur and JPEG leave a few pixels of paper) is the
# page's edge, a shadow or what the frame left of a printed line or grid, even when it is all the ink
# there is, when it is at most EDGE_SLIVER pixels thick on average, taking at most 1 / SLIVER_SHARE of
# the image across (a tightly cropped 1 fills its image), or under EDGE_FRAGMENT of the long side both
# ways (a digit in a photo is legible from about 4%). 34a4e9f, whose slivers were at most 3 pixels wide,
# within a pixel of the edge and kept when alone, read 11 of the 1,000 blank tuning pages above as
# digits, mostly from such pieces; this reading, 3.
EDGE_SLIVER = 3
EDGE_GAP = 3
SLIVER_SHARE = 4
EDGE_FRAGMENT = 0.03
# A dot grid: at least MIN_DOTS pieces of at most DOT_SIZE pixels a side (its dots are 1 to 3 pixels
# where Python sees them, 512 on the long side), dropped with any dust of their size: the dots that
# ruling.erase_dots leaves (too few, or too big) still cost 1.3 points of the dotted tuning set without it.
MIN_DOTS = 20
DOT_SIZE = 5
# Pieces one above the other (sharing at most MERGE_OVERLAP of the shorter one's rows) whose column
# ranges overlap by MERGE_COLUMNS of the narrower one (a slanted 1 broken in two shares 0.4; at 0.5, 1 of
# 300 tuning photos each of ruled paper, pencil and ballpoint was lost), with at most MERGE_GAP of the
# taller one's height between them, are one broken digit (a pen that skipped, a stroke along an erased
# line: 0.6 kept 2 more of 300 photos on squared paper whole than 0.3, and changed nothing else up to
# 0.8; at 1.0 lines of writing merged). Side by side, they are two digits, however close. Pieces one
# above the other that share any column with at most MERGE_TOUCH of the taller one's height between them
# are one digit too: a slanted digit cut by a thin erased line, whose halves barely share columns (on the
# tuning sets: 4 of 60 photos of lines of writing, 2 of 150 ruled numbers and 1 of 300 ruled digits more
# read right, none less, and no more of 1,000 blank pages read as digits; 0.1 to 0.5 read the same).
MERGE_OVERLAP = 0.5
MERGE_COLUMNS = 0.3
MERGE_GAP = 0.6
MERGE_TOUCH = 0.2
# So are pieces wholly one above the other, as close, that meet corner to corner, at most MERGE_CORNER of
# the taller one's height apart sideways: a slanted 1 whose pen skipped, broken where its halves share no
# column, was read as two 1s on two lines ("1 1"). Such 1s were found among 1,000 MNIST training digits
# written alone in ballpoint (training.photoset's pen): 3 of them, their halves a column apart at 37 to 43
# pixels tall; all 3 read right now. On the tuning sets (seeds 5 to 9: 3,900 single digits, 2,220 numbers
# and photos of lines of writing, 1,300 blank pages) 1 single digit more reads right and nothing else
# changed. Pieces beside each other, rows shared, that meet so stay two: merging them too read an open
# 4's crossbar into the 9 beside it.
MERGE_CORNER = 0.05
# Digits are on one line of writing when their rows overlap by LINE_OVERLAP of the shorter one, so a
# number tilted by 10 degrees stays one line; lines are read top to bottom.
LINE_OVERLAP = 0.4
# A gap wider than NUMBER_GAP times the line's height starts another number on the same line.
NUMBER_GAP = 1.5
# Touching digits: MNIST's digits are about 0.8 as wide as tall (median 0.7 to 0.95 by class; 99% of
# them at most 1.67, a 2 or a 5), so a piece is cut into round(width / (DIGIT_ASPECT * height)) digits
# at the columns with least ink, the height being the median of its line's. Up to CERTAIN_SPLIT times
# that height (LONE_SPLIT for a piece alone on its line) it is cut only where a column holds at most
# SPLIT_VALLEY of the piece's median column ink (a wide 2 or 5 is one digit).
DIGIT_ASPECT = 0.8
CERTAIN_SPLIT = 1.4
LONE_SPLIT = 1.7
SPLIT_VALLEY = 0.35
# A narrower piece is cut in two only where, at one of PAIR_THRESHOLDS, its ink breaks into two pieces
# side by side, both at least PAIR_HEIGHT of its height, one a 1 (at most ONE_WIDTH of it wide; MNIST's
# 1s are 0.4 as wide as tall at the median, most of that their slant) and the other at least PAIR_WIDTH
# wide (_split_pair): a 1 touching its neighbour through a join fainter than the strokes. Two halves of
# about the same width are more likely the sides of a 0.
PAIR_THRESHOLDS = (0.5, 0.7)
PAIR_HEIGHT = 0.75
ONE_WIDTH = 0.35
PAIR_WIDTH = 0.4
# Two digits whose strokes overlap may show no column of little ink ("99", "38", a 9's tail under an 8),
# and a pair is often narrower than CERTAIN_SPLIT heights, as wide as a wide 0, 2 or 4. So a piece that
# the rules above leave whole, at least ASK_WIDTH times its line's height wide (LONE_ASK_WIDTH alone on
# its line, where the line's height is its own), is shown to a small network trained apart on touching
# MNIST training digits (splitter.py), and cut in two at its column of least ink where that says two
# digits with at least TWO_DIGITS probability and both parts are PAIR_HEIGHT of the line's height. On
# the tuning sets (seed 5; seed 6 to check) 16 of 510 numbers and photos of lines more read whole, none
# fewer (9 more, 2 fewer); 1,500 single digits and 300 blank pages read the same. Without PAIR_HEIGHT a
# 6 with a long stem was cut into "10" (in a line, and alone at 0.96 as wide as tall: the lone pairs
# found were 1.13 to 1.54 wide, hence LONE_ASK_WIDTH).
ASK_WIDTH = 0.85
LONE_ASK_WIDTH = 1.1
TWO_DIGITS = 0.9
# A piece alone on its line, a single digit written or drawn wide, is cut only where the network says two
# with at least LONE_TWO_DIGITS. MNIST training digits written alone in training.photoset's ballpoint (on
# white, 2,000 of them, 11000 to 12999) had 6 wide ones cut in two at 0.90 to 0.98 ("46" for a 4, "23"
# for a 3, "85" for an 8 at 0.98); the one lone pair on the tuning sets that the network said two of below 0.99 was
# at 0.977 ("87"). At 0.95, 4 of the 6 read right, and on 2,000 more (13000 to 14999, to check) 2 more of
# 2,000 read right and none fewer; the tuning sets (seeds 5 to 9, 7,420 photos) read exactly the same. At
# 0.99: 6 and 5 more, but the "87" read as one digit, a 0.
LONE_TWO_DIGITS = 0.95
# The column with least ink is not always where one digit ends: a stroke of one may cross into the
# other, and the cut clips it ("4467" read "4667"). So two digits cut apart (two boxes sharing an edge)
# are offered cut at other columns too, every RECUT_STEP of the pair's width up to RECUT_REACH of it from
# its middle, where both parts keep RECUT_HEIGHT of their number's height; the model reads every cut and
# keeps the cuts whose digits it is surest of (chosen_cuts). On the tuning sets of numbers and lines of
# writing (seeds 5 and 6), 108 of 1,020 not read whole became 99 (12 fixed, 3 broken); seeds 7 and 8,
# written before and kept to check: 92 of 900 became 88 (7 fixed, 3 broken). Around the page's own cut
# instead of the middle: 6 fixed, 2 broken; leaving rows of three out: 9 fixed, 3 broken. In a row of
# three or more cut apart, each pair's cut was first chosen alone, a digit between two cuts taking the
# later pair's; choosing the row's cuts together, a digit offered with one of its cuts moved at a time,
# read 1 more on each (98 of 1,020, 87 of 900), none fewer, from 3,312 inputs where there were 3,340
# (with both of its cuts moved at once too: 3,963 inputs, the same readings).
RECUT_STEP = 1 / 16
RECUT_REACH = 0.15
RECUT_HEIGHT = 0.6
# Lines of writing under MIN_SPLIT_HEIGHT pixels are not cut: too small to hold two legible digits.
MIN_SPLIT_HEIGHT = 8
# Noise, not writing: the number of ink pieces times the fraction of the image they cover is above
# MAX_CLUTTER. Writing is a few pieces on mostly bare paper: 2,500 MNIST test digits score at most 0.7,
# cropped to their ink at most 1.9, the photo-like pages 0.06. Random pixels break into many pieces over
# much of the image: 3.5 and up from 40x40 pixels (hundreds at 512x512). Noise also covers at least
# MIN_NOISE_COVER of the image (random pixels 0.37 and up, 12x12 to 512x384), where many pieces that
# cover little are a dot grid (0.01 to 0.03 of the image) or a page of writing.
MAX_CLUTTER = 2.5
MIN_NOISE_COVER = 0.1
# An image too small to break into many pieces (under SMALL_IMAGE pixels) is noise when ink and paper
# alternate: over MAX_TRANSITIONS of its neighbouring pixel pairs differ. Strokes keep ink together:
# every MNIST test digit scores at most 0.12, cropped to its ink at most 0.35, shrunk to 8x8 about as
# much; random pixels flip about half the time (0.43 and up from 12x12 pixels).
SMALL_IMAGE = 64 * 64
MAX_TRANSITIONS = 0.4

# A closer look: the page draws a file down to 512 pixels on its long side, where a digit in a photo of
# a notebook may be 20 pixels high and a pencil line fades into the paper. When the file has more
# pixels, the region around the digits found (CLOSER_MARGIN digit heights on every side: the printed
# lines there must be long enough to be found) is drawn again from the file, at up to CLOSER_HEIGHT
# pixels a digit and CLOSER_PIXELS in all, and read again, if that is at least MIN_ZOOM times closer.
# On the tuning sets (photoset --digits train, mixed pens): numbers read whole up 4 to 6 points on each
# paper, one digit on notebook paper up 0.7 to 1.7, plain paper and blank pages unchanged. A margin of
# one digit height lost 4.7 points of one digit on ruled paper; of five, up to 3 points of numbers.
# Where many digits are found, the look may take DIGIT_PIXELS for each, up to MAX_CLOSER_PIXELS: a page
# covered in writing (digits about 15 pixels high where Python first sees it) was read from the first
# look alone, 120,000 pixels being too few to look at it closer. On 6 photos of such pages (12 MP, ruled,
# 10 numbers of 8-12 MNIST training digits each, as `make bench` writes them), 5 of the 60 numbers were
# read whole; 49 at 8,000 pixels a digit (31 at 6,000, 50 at 10,000 and 12,000), in about 1 s of CPython
# each. The tuning sets of numbers and of lines of writing (up to 24 digits) read the same.
CLOSER_HEIGHT = 48
CLOSER_PIXELS = 120_000
DIGIT_PIXELS = 8_000
MAX_CLOSER_PIXELS = 800_000
MIN_ZOOM = 1.5
CLOSER_MARGIN = 3

BLANK_MESSAGE = "No digit found: the image is blank"
NO_INK_MESSAGE = "No digit found: no ink stands out from the background"
NOISE_MESSAGE = "No digit found: the image looks like noise, not writing on a plain background"

# Rec. 601 luma weights in 16-bit fixed point (they sum to 65536), and half of 65536 to round.
LUMA_WEIGHTS = (19595, 38470, 7471)
LUMA_ROUNDING = 32768


class NoDigitError(ValueError):
    """The image holds no ink to read a digit from; the message is meant for the user."""


def luminance(rgba, width, height):
    """RGBA bytes -> one luminance byte per pixel (Rec. 601), transparency composited so the ink shows."""
    if width < 1 or height < 1 or len(rgba) != 4 * width * height:
        raise ValueError(f"expected {width}x{height} RGBA pixels (4 bytes each), got {len(rgba)} bytes")
    data = bytes(rgba)
    red, green, blue, alpha = data[0::4], data[1::4], data[2::4], data[3::4]
    # Grey images (canvas drawings, scans) need no arithmetic at all.
    levels = red if red == green == blue else _weighted_sum(data)
    if alpha.count(255) == len(alpha):
        return levels
    return _composite(levels, alpha)


def _weighted_sum(data):
    """Luminance of RGBA bytes, every pixel at once: the image read as one little-endian integer holds
    each pixel in 32 bits, so masking and shifting it gives each channel in 32-bit lanes that the weights
    multiply without carrying into the next (255 * 65536 + 32768 < 2**32); the luminance is each lane's
    third byte. Exactly the per-pixel arithmetic, about 3x faster in CPython than a loop over pixels."""
    pixels = len(data) // 4
    lanes = int.from_bytes(data, "little")
    low = int.from_bytes(b"\xff\x00\x00\x00" * pixels, "little")
    ones = int.from_bytes(b"\x01\x00\x00\x00" * pixels, "little")
    channels = [lanes >> shift & low for shift in (0, 8, 16)]
    total = sum(weight * channel for weight, channel in zip(LUMA_WEIGHTS, channels, strict=True))
    return (total + LUMA_ROUNDING * ones).to_bytes(4 * pixels, "little")[2::4]


def _composite(levels, alpha):
    """Luminance over black when the visible pixels are light (light ink on transparent), else over white."""
    visible = bytes([level for level, a in zip(levels, alpha, strict=True) if a >= 128])
    backdrop = 0 if visible and sum(visible) >= 128 * len(visible) else 255
    mixed = zip(levels, alpha, strict=True)
    return bytes([(level * a + backdrop * (255 - a) + 127) // 255 for level, a in mixed])


def border_level(levels, width, height):
    """Median luminance of the image's outermost pixels: the background, even under a bold digit."""
    last_row = (height - 1) * width
    left = levels[width:last_row:width]
    right = levels[2 * width - 1 : last_row : width]
    border = levels[:width] + levels[last_row:] + left + right
    return sorted(border)[len(border) // 2]


def ink_map(rgba, width, height):
    """RGBA bytes -> per-pixel ink 0..1: background 0, strongest ink 1, noise floored; raises NoDigitError
    when no ink stands MIN_CONTRAST out."""
    ink, contrast = measured_ink(rgba, width, height)
    if contrast < MIN_CONTRAST:
        raise NoDigitError(NO_INK_MESSAGE)
    return ink


def measured_ink(rgba, width, height):
    """RGBA bytes -> (ink as ink_map's, its contrast in luminance levels); raises NoDigitError when no ink
    stands FAINT_CONTRAST out."""
    levels = luminance(rgba, width, height)
    darkest, lightest = min(levels), max(levels)
    if darkest == lightest:
        raise NoDigitError(BLANK_MESSAGE)
    background = border_level(levels, width, height)
    # Paper (light background, dark ink) is inverted; dark-mode drawings and chalk already have light ink.
    blocks = lighting_blocks(levels, width, height)
    dark_ink = ink_is_dark(blocks, background, darkest, lightest)
    surface = background_surface(blocks, width, height, dark_ink) if blocks else [background] * len(levels)
    strengths = list(map(sub, surface, levels) if dark_ink else map(sub, levels, surface))
    # Printed lines and dots go before the ink is measured: on squared paper they outnumber the pen's pixels.
    strengths, lines = erase_lines(strengths, width, height)
    histogram = Counter(strengths)
    # Most pixels are paper: their median strength is where ink starts (noise lifts it above zero),
    # unless ink covers most of the image.
    paper = _median_of_counts(histogram)
    strengths, dots = erase_dots(strengths, width, height, paper)
    if dots:
        histogram = Counter(strengths)
    lift = paper if 0 < paper <= MAX_PAPER_LIFT else 0
    if lift:
        histogram = Counter({strength - lift: count for strength, count in histogram.items()})
    scale = _strongest_ink(histogram, CLEAR_SHARE)
    if scale < FAINT_CONTRAST and not lines:
        scale = _strongest_ink(histogram, FAINT_CLEAR_SHARE)
    if scale < FAINT_CONTRAST:
        raise NoDigitError(NO_INK_MESSAGE)
    # Strengths run from -255 to 255: one lookup table, the lift taken off, turns them into ink. Negative
    # strengths (lighter than the paper) index its end, which is no ink.
    table = [0.0] * 511
    for strength in range(256):
        ink = (strength - lift) / scale
        table[strength] = min(ink, 1.0) if ink >= NOISE_FLOOR else 0.0
    return list(map(table.__getitem__, strengths)), scale


def lighting_blocks(levels, width, height):
    """The image cut into at most BACKGROUND_BLOCKS blocks a side of at least MIN_BLOCK_SIZE pixels: rows
    of blocks, each its levels sorted; or None when fewer than 3 fit a side (too small to tell lighting
    from the digit)."""
    columns = min(BACKGROUND_BLOCKS, width // MIN_BLOCK_SIZE)
    rows = min(BACKGROUND_BLOCKS, height // MIN_BLOCK_SIZE)
    if columns < 3 or rows < 3:
        return None
    blocks = []
    for row in range(rows):
        y0, y1 = row * height // rows, (row + 1) * height // rows
        band = [levels[y * width : (y + 1) * width] for y in range(y0, y1)]
        edges = [column * width // columns for column in range(columns + 1)]
        blocks.append([sorted(b"".join(part[x0:x1] for part in band)) for x0, x1 in pairwise(edges)])
    return blocks


def ink_is_dark(blocks, background, darkest, lightest):
    """Whether the ink is darker than the paper. The paper is the border's level: it is paper, with dark
    ink, when that is nearer the image's lightest level than its darkest, so dimly lit paper still counts
    as paper and a bold digit covering most of the image does not turn it round. Under a lamp to one side
    the border may sit halfway (within POLARITY_MARGIN of the range), a shadowed corner being the darkest
    pixels (1 of 300 tuning photos on squared paper lost its digit so): then the blocks of
    lighting_blocks that are mostly paper (their middle half within INK_STEP levels) tell, by whether more
    of their pixels stand INK_STEP darker than the block's median or that much lighter."""
    if abs(2 * background - darkest - lightest) >= POLARITY_MARGIN * (lightest - darkest) or not blocks:
        return 2 * background >= darkest + lightest
    darker = lighter = 0
    for block in (block for line in blocks for block in line):
        size = len(block)
        if block[3 * size // 4] - block[size // 4] < INK_STEP:
            middle = block[size // 2]
            darker += bisect_left(block, middle - INK_STEP)
            lighter += size - bisect_right(block, middle + INK_STEP)
    return darker >= lighter


def background_surface(blocks, width, height, dark_ink):
    """Per-pixel background level under uneven light (a lamp to one side, a shadow), from lighting_blocks.

    Each block's background is a high (dark ink) or low (light ink) percentile of its pixels, then the
    lightest (darkest) of its neighbours, so a block that a bold stroke fills takes its neighbours' paper.
    Pixels get the blocks' levels interpolated bilinearly.
    """
    rank = BACKGROUND_PERCENTILE if dark_ink else 1 - BACKGROUND_PERCENTILE
    levels = [[block[int(rank * (len(block) - 1))] for block in line] for line in blocks]
    rows, columns = len(blocks), len(blocks[0])
    pick = max if dark_ink else min
    smoothed = [[pick(_neighbours(levels, row, column)) for column in range(columns)] for row in range(rows)]
    # Pixels between the same two block centres, with their weights: each run is one straight ramp.
    runs = [(i, j, [w for _, _, w in run]) for (i, j), run in groupby(_interpolation(width, columns), itemgetter(0, 1))]
    surface = []
    for low, high, weight in _interpolation(height, rows):
        line = [a + (b - a) * weight for a, b in zip(smoothed[low], smoothed[high], strict=True)]
        for i, j, weights in runs:
            start, rise = line[i], line[j] - line[i]
            surface.extend([round(start + rise * w) for w in weights])
    return surface


def _neighbours(blocks, row, column):
    """The block at (row, column) and the up to eight blocks around it."""
    return [value for line in blocks[max(0, row - 1) : row + 2] for value in line[max(0, column - 1) : column + 2]]


def _position(index, size, cells):
    """The two block centres on either side of pixel index, and how far it lies from the first (0..1)."""
    centre = (index + 0.5) * cells / size - 0.5
    low = min(max(int(centre), 0), cells - 1)
    high = min(low + 1, cells - 1)
    return low, high, min(max(centre - low, 0.0), 1.0)


def _interpolation(size, cells):
    """_position for every pixel of a line."""
    return [_position(index, size, cells) for index in range(size)]


def _median_of_counts(histogram):
    """The median value of a Counter {value: count}."""
    half, passed = sum(histogram.values()) / 2, 0
    for value in sorted(histogram):
        passed += histogram[value]
        if passed >= half:
            return value


def _strongest_ink(strengths, share):
    """The INK_PERCENTILE level among pixels with at least 1/share of the maximum ink strength."""
    strongest = max(strengths)
    clear = sorted((strength for strength in strengths if share * strength >= strongest), reverse=True)
    # Walk down from the strongest until the top (1 - INK_PERCENTILE) of the clear pixels are passed.
    quota = (1 - INK_PERCENTILE) * sum(strengths[strength] for strength in clear)
    passed = 0
    for strength in clear:
        passed += strengths[strength]
        if passed >= quota:
            return strength


def ink_bounds(ink, width, height, threshold=BOUNDS_THRESHOLD):
    """Box (x0, y0, x1, y1), end-exclusive like slices, around the pixels with ink >= threshold; or None."""
    rows = [y for y in range(height) if max(ink[y * width : (y + 1) * width]) >= threshold]
    if not rows:
        return None
    y0, y1 = rows[0], rows[-1] + 1
    band = ink[y0 * width : y1 * width]
    columns = [x for x in range(width) if max(band[x::width]) >= threshold]
    return columns[0], y0, columns[-1] + 1, y1


def crop(ink, width, bounds):
    """The pixels inside bounds (x0, y0, x1, y1) -> (pixels, w, h)."""
    x0, y0, x1, y1 = bounds
    pixels = []
    for y in range(y0, y1):
        pixels.extend(ink[y * width + x0 : y * width + x1])
    return pixels, x1 - x0, y1 - y0


def fit_box(pixels, width, height, box=BOX):
    """Area-average resize so the long side is box pixels, aspect ratio kept -> (pixels, w, h)."""
    long_side = max(width, height)
    new_width = max(1, round(width * box / long_side))
    new_height = max(1, round(height * box / long_side))
    rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
    resized = [value for row in resampled(rows, new_width, new_height) for value in row]
    return resized, new_width, new_height


def stroke_width(pixels, width, height):
    """The pen's width in pixels, from the area A and outline P of the ink over 0.5 taken as one stroke: a
    band of width w and length L with round ends (A = wL + pi w^2 / 4, P = 2L + pi w). The outline is
    counted where ink meets background along rows, columns and both diagonals (Crofton's formula), so a
    slanted stroke measures as wide as an upright one."""
    blank = [False] * (width + 2)
    inked = [blank]
    inked += ([False, *(value > 0.5 for value in pixels[y * width : (y + 1) * width]), False] for y in range(height))
    inked.append(blank)
    area = straight = diagonal = 0
    for upper, lower in pairwise(inked):
        area += sum(lower)
        straight += sum(map(bool.__ne__, upper, lower)) + sum(map(bool.__ne__, upper, upper[1:]))
        diagonal += sum(map(bool.__ne__, upper, lower[1:])) + sum(map(bool.__ne__, upper[1:], lower))
    outline = math.pi / 8 * (straight + diagonal / math.sqrt(2))
    return (outline / 2 - math.sqrt(max(outline**2 / 4 - math.pi * area, 0.0))) / (math.pi / 2)


def widened(pixels, width, height):
    """A digit whose stroke would be thinner than PEN_WIDTH once fitted into the box, drawn with a wider
    pen (each pixel the brightest within a square around it) so that it is PEN_WIDTH wide there ->
    (pixels, width, height), the box trimmed to the widened ink; any other digit as it is. A digit over
    WIDEN_SIZE pixels on its long side is measured and widened at that size."""
    small, across, down = (pixels, width, height)
    if max(width, height) > WIDEN_SIZE:
        small, across, down = fit_box(pixels, width, height, WIDEN_SIZE)
    stroke = stroke_width(small, across, down)
    long_side = max(across, down)
    if stroke * BOX >= PEN_WIDTH * long_side:
        return pixels, width, height
    rows = [small[y * across : (y + 1) * across] for y in range(down)]
    # Growing the ink by r on every side widens the stroke by 2r and the digit's long side too, and the
    # stroke is to be PEN_WIDTH / BOX of that: (stroke + 2r) * BOX = PEN_WIDTH * (long_side + 2r).
    grow = (PEN_WIDTH * long_side / BOX - stroke) / (2 * (1 - PEN_WIDTH / BOX))
    whole, part = int(grow), grow - int(grow)
    pad = whole + 1  # room for the ink to grow into
    across, down = across + 2 * pad, down + 2 * pad
    side = [0.0] * pad
    rows = [[0.0] * across] * pad + [[*side, *row, *side] for row in rows] + [[0.0] * across] * pad
    wide = _max_filter(rows, whole)
    if part:  # a pixel more on every side, at part of its brightness
        wider = _max_filter(wide, 1)
        wide = [[max(a, part * b) for a, b in zip(*pair, strict=True)] for pair in zip(wide, wider, strict=True)]
    # Drawn down to WIDEN_SIZE, a thin stroke greys: the wider pen inks as strongly as the digit's pen.
    strongest, top = max(pixels), max(map(max, wide))
    scale = strongest / top if 0 < top < strongest else 1.0
    pixels = [value * scale for row in wide for value in row]
    bounds = ink_bounds(pixels, across, down)
    return crop(pixels, across, bounds) if bounds else (pixels, across, down)


def _max_filter(rows, radius):
    """Each pixel the brightest within radius pixels of it across and down (a square)."""
    if not radius:
        return rows
    rows = [_line_max(list(row), radius) for row in rows]
    columns = [_line_max(list(column), radius) for column in zip(*rows, strict=True)]
    return [list(row) for row in zip(*columns, strict=True)]


def _line_max(line, radius):
    """Each pixel of a row or column the brightest within radius pixels of it, one pixel a step."""
    for _ in range(radius):
        line = list(map(max, line[:1] + line[:-1], line, line[1:] + line[-1:]))
    return line


def center_by_mass(pixels, width, height, grid=GRID):
    """Place pixels in a grid x grid square with their centre of mass at the centre -> grid*grid floats.

    The shift is rounded to whole pixels and clamped so no ink falls off the edge when the digit fits.
    """
    row_sums = [sum(pixels[y * width : (y + 1) * width]) for y in range(height)]
    column_sums = [sum(pixels[x::width]) for x in range(width)]
    total = sum(row_sums)
    if total <= 0:
        raise NoDigitError(NO_INK_MESSAGE)
    mass_x = sum(x * mass for x, mass in enumerate(column_sums)) / total
    mass_y = sum(y * mass for y, mass in enumerate(row_sums)) / total
    left = _clamp(round(grid / 2 - mass_x), grid - width)
    top = _clamp(round(grid / 2 - mass_y), grid - height)
    # Source columns that land inside the grid (all of them unless the digit is wider than the grid).
    x0, x1 = max(0, -left), min(width, grid - left)
    out = [0.0] * (grid * grid)
    for y in range(max(0, -top), min(height, grid - top)):
        start = (top + y) * grid + left
        out[start + x0 : start + x1] = pixels[y * width + x0 : y * width + x1]
    return out


def _clamp(offset, room):
    """Keep an offset within 0..room (room < 0 when the digit is larger than the grid: room..0)."""
    return min(max(offset, min(0, room)), max(0, room))


def ink_pieces(ink, width, threshold=BOUNDS_THRESHOLD):
    """8-connected pieces of ink >= threshold, as [x0, y0, x1, y1, area] boxes (end-exclusive)."""
    unvisited = {index for index, value in enumerate(ink) if value >= threshold}
    pieces = []
    while unvisited:
        start = unvisited.pop()
        stack, x0, y0, x1, y1, area = [start], width, len(ink), 0, 0, 0
        while stack:
            index = stack.pop()
            y, x = divmod(index, width)
            x0, y0, x1, y1, area = min(x0, x), min(y0, y), max(x1, x + 1), max(y1, y + 1), area + 1
            for neighbour in _neighbourhood(index, x, width):
                if neighbour in unvisited:
                    unvisited.remove(neighbour)
                    stack.append(neighbour)
        pieces.append([x0, y0, x1, y1, area])
    return pieces


def _neighbourhood(index, x, width):
    """The indices of the up to 8 pixels around index (x is its column)."""
    columns = [0] + ([-1] if x > 0 else []) + ([1] if x < width - 1 else [])
    return [index + row + column for row in (-width, 0, width) for column in columns if row or column]


def digit_layout(ink, width, height, threshold=BOUNDS_THRESHOLD):
    """The digits in the image as numbers in reading order (lines top to bottom), each a list of boxes
    (x0, y0, x1, y1) left to right; raises NoDigitError when the ink looks like noise."""
    pieces = ink_pieces(ink, width, threshold)
    if not pieces:
        return []
    cover = sum(piece[4] for piece in pieces) / (width * height)
    if len(pieces) * cover > MAX_CLUTTER and cover >= MIN_NOISE_COVER:
        raise NoDigitError(NOISE_MESSAGE)
    if width * height < SMALL_IMAGE and transition_rate(ink, width, height, threshold) > MAX_TRANSITIONS:
        raise NoDigitError(NOISE_MESSAGE)
    # Slivers first: once a dot grid's dots are gone, a page's edge may be all that is left. A small
    # image is a digit shrunk or cropped, not a page: its edge is a few pixels from its ink.
    if width * height >= SMALL_IMAGE:
        pieces = [piece for piece in pieces if not _edge_sliver(piece, width, height)]
    if not pieces:
        return []
    larger = [piece for piece in pieces if max(piece[2] - piece[0], piece[3] - piece[1]) > DOT_SIZE]
    if larger and len(pieces) - len(larger) >= MIN_DOTS:
        pieces = larger
    legible = MIN_DIGIT_SHARE * max(width, height)
    pieces = _chained(pieces, legible)
    largest = max(piece[4] for piece in pieces)
    sizable = [piece for piece in pieces if piece[4] >= SPECK_FRACTION * largest and piece[3] - piece[1] >= legible]
    if not sizable:
        return []
    tallest = max(piece[3] - piece[1] for piece in sizable)
    core_height = max(CORE_HEIGHT * tallest, legible)
    cores = [piece[:4] for piece in pieces if piece[3] - piece[1] >= core_height]
    rest = [piece for piece in pieces if piece[3] - piece[1] < core_height and piece[4] >= SPECK_FRACTION * largest]
    # A small digit written in two strokes (a 2 or 5 half the size of its neighbours) is two short
    # pieces: together they are as tall as a digit (1 of 450 tuning numbers lost a digit without this).
    groups = _group(rest, ATTACH_MARGIN * tallest)
    cores += [group[:4] for group in groups if group[3] - group[1] >= core_height]
    rest = [group[:4] for group in groups if group[3] - group[1] < core_height]
    digits = _attach(_merge_broken(cores), rest, ATTACH_MARGIN * tallest)
    numbers = []
    for line in _lines(digits):
        line_height = _median([box[3] - box[1] for box in line])
        line = _join_short(line, line_height, ATTACH_MARGIN * tallest)
        lone = len(line) == 1
        boxes = [part for box in line for part in _split_touching(ink, width, box, line_height, lone, threshold)]
        numbers.extend(_numbers(boxes, line_height))
    return numbers


def _chained(pieces, legible):
    """Pieces shorter than CORE_HEIGHT of the tallest, or than legible, whose boxes come within CHAIN_GAP
    of each other joined into one, their areas added: a stroke that broke into grains (a pencil's) is one
    piece."""
    core = max(CORE_HEIGHT * max(piece[3] - piece[1] for piece in pieces), legible)
    short = [piece for piece in pieces if piece[3] - piece[1] < core]
    return [piece for piece in pieces if piece[3] - piece[1] >= core] + _group(short, CHAIN_GAP)


def _edge_sliver(piece, width, height):
    """A thin or small piece at the image's edge: the page's edge, a shadow or the end of a line or
    grid, not writing."""
    x0, y0, x1, y1, area = piece
    at_side, at_top = x0 <= EDGE_GAP or x1 >= width - EDGE_GAP, y0 <= EDGE_GAP or y1 >= height - EDGE_GAP
    if (at_side or at_top) and max(x1 - x0, y1 - y0) < EDGE_FRAGMENT * max(width, height):
        return True
    side = at_side and area <= EDGE_SLIVER * (y1 - y0)
    top = at_top and area <= EDGE_SLIVER * (x1 - x0)
    return (side and SLIVER_SHARE * (x1 - x0) <= width) or (top and SLIVER_SHARE * (y1 - y0) <= height)


def digit_boxes(ink, width, height, threshold=BOUNDS_THRESHOLD):
    """Boxes (x0, y0, x1, y1) of every digit, in reading order (digit_layout, flattened)."""
    return [box for number in digit_layout(ink, width, height, threshold) for box in number]


def transition_rate(ink, width, height, threshold=BOUNDS_THRESHOLD):
    """The fraction of side-by-side and one-above-the-other pixel pairs where ink meets paper."""
    marked = [value >= threshold for value in ink]
    rows = [marked[y * width : (y + 1) * width] for y in range(height)]
    across = sum(a != b for row in rows for a, b in pairwise(row))
    down = sum(a != b for above, below in pairwise(rows) for a, b in zip(above, below, strict=True))
    pairs = height * (width - 1) + (height - 1) * width
    return (across + down) / pairs if pairs else 0.0


def _merge_broken(boxes):
    """Boxes that share most of their columns and nearly touch vertically become one (a broken digit)."""
    merged = []
    for box in sorted(boxes):
        for index, other in enumerate(merged):
            gap = max(box[1], other[1]) - min(box[3], other[3])
            taller = max(box[3] - box[1], other[3] - other[1])
            stacked = _row_overlap(other, box) <= MERGE_OVERLAP
            shared = _column_overlap(other, box)
            apart = max(box[0] - other[2], other[0] - box[2])  # blank columns between them (< 0: shared ones)
            corner = 0 <= gap and apart <= MERGE_CORNER * taller  # one wholly above the other, corner to corner
            close = (shared > 0 or corner) and gap <= MERGE_TOUCH * taller
            if stacked and (shared >= MERGE_COLUMNS and gap <= MERGE_GAP * taller or close):
                merged[index] = _union(other, box)
                break
        else:
            merged.append(list(box))
    return merged


def _group(pieces, margin):
    """Pieces [x0, y0, x1, y1, area] within margin of each other, each group as the box around it and its
    pieces' area, in the order each group last took a piece, pieces taken left to right. Swept left to
    right: a group ending more than margin left of a piece can take no later piece (a dot grid has
    thousands)."""
    done, near = [], []  # (when the group last took a piece, the group); near: those still in reach
    for when, piece in enumerate(sorted(pieces)):
        done += [group for group in near if group[1][2] + margin < piece[0]]
        near = [group for group in near if group[1][2] + margin >= piece[0]]
        for group in [group for group in near if _gap(group[1], piece) <= margin]:
            near.remove(group)
            piece = [*_union(piece, group[1]), piece[4] + group[1][4]]
        near.append((when, list(piece)))
    return [group for _, group in sorted(done + near)]


def _attach(digits, small, margin):
    """Small pieces within margin of a digit's box join the nearest (a 5's bar, a stroke the pen broke
    into bits, each joining once the one before it has); the others are specks."""
    while digits:
        left = []
        for piece in small:
            gap, index = min((_gap(piece, box), index) for index, box in enumerate(digits))
            if gap <= margin:
                digits[index] = _union(digits[index], piece)
            else:
                left.append(piece)
        if len(left) == len(small):
            break
        small = left
    return digits


def _join_short(line, line_height, margin):
    """A line's small pieces (under JOIN_HEIGHT of its height both ways: a wide 2 is short too, MNIST's
    digits being fitted by their long side) within margin of another join the nearest, unless the two
    would be wider than CERTAIN_SPLIT heights, as two digits are: a 4's stroke written apart."""
    line = [list(box) for box in line]
    while len(line) > 1:
        small = [box for box in line if max(box[2] - box[0], box[3] - box[1]) < JOIN_HEIGHT * line_height]
        joins = [
            (_gap(box, other), box, other)
            for box in small
            for other in line
            if other is not box and max(box[2], other[2]) - min(box[0], other[0]) <= CERTAIN_SPLIT * line_height
        ]
        gap, box, other = min(joins, key=lambda join: join[0], default=(margin + 1, None, None))
        if gap > margin:
            break
        line.remove(box)
        line[line.index(other)] = _union(other, box)
    return sorted(line)


def _gap(a, b):
    """The distance between two boxes along the axis where they are farthest apart (0 when they overlap)."""
    return max(a[0] - b[2], b[0] - a[2], a[1] - b[3], b[1] - a[3], 0)


def _lines(boxes):
    """Boxes grouped into lines of writing, top to bottom, each left to right: a box joins the line whose
    last box shares the most of its rows."""
    lines = []
    for box in sorted(boxes):
        shares = [(_row_overlap(line[-1], box), line) for line in lines]
        best = max(shares, key=lambda share: share[0], default=(0, None))
        if best[0] >= LINE_OVERLAP:
            best[1].append(box)
        else:
            lines.append([box])
    return sorted(lines, key=lambda line: _median([box[1] + box[3] for box in line]))


def _median(values):
    return sorted(values)[len(values) // 2]


def _row_overlap(a, b):
    """How much two boxes share rows, as a fraction of the shorter one's height."""
    return (min(a[3], b[3]) - max(a[1], b[1])) / min(a[3] - a[1], b[3] - b[1])


def _numbers(boxes, line_height):
    """A line's boxes, left to right, cut into numbers where the gap is wider than NUMBER_GAP heights."""
    numbers = [[boxes[0]]]
    for left, right in pairwise(boxes):
        if right[0] - left[2] > NUMBER_GAP * line_height:
            numbers.append([])
        numbers[-1].append(right)
    return numbers


def _column_overlap(a, b):
    """How much two boxes share columns, as a fraction of the narrower one's width."""
    shared = min(a[2], b[2]) - max(a[0], b[0])
    return shared / min(a[2] - a[0], b[2] - b[0])


def _union(*boxes):
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def _split_touching(ink, width, box, line_height, lone, threshold):
    """A box of several touching digits cut at the columns with least ink; other boxes unchanged. A lone
    box (alone on its line) has no neighbours to compare with, so it is cut only where wider."""
    x0, y0, x1, y1 = box
    box_width = x1 - x0
    if line_height < MIN_SPLIT_HEIGHT:
        return [tuple(box)]
    count = round(box_width / (DIGIT_ASPECT * line_height))
    certain = box_width > (LONE_SPLIT if lone else CERTAIN_SPLIT) * line_height
    ask = box_width >= (LONE_ASK_WIDTH if lone else ASK_WIDTH) * line_height
    shortest = JOIN_HEIGHT
    if count < 2:
        parts = _split_pair(ink, width, box, threshold)
        if len(parts) > 1 or not (ask and _two_digits(ink, width, box, line_height, lone)):
            return parts
        # Where the network alone says two, both parts must be nearly the line's height, as touching
        # digits are (a 6 with a long stem is not a 1 and a 0).
        count, certain, shortest = 2, True, PAIR_HEIGHT
    elif count == 2 and not certain:
        certain = ask and _two_digits(ink, width, box, line_height, lone)
    column_ink = [sum(ink[y * width + x] for y in range(y0, y1)) for x in range(x0, x1)]
    typical = sorted(column_ink)[len(column_ink) // 2]
    cuts = [x0]
    for part in range(1, count):
        # Look for the valley within a third of a digit's width of where an even split would cut.
        expected, reach = part * box_width // count, box_width // (3 * count)
        window = range(max(1, expected - reach), min(box_width - 1, expected + reach + 1))
        # A box a few pixels wide may leave no column to cut at.
        cut = min(window, key=column_ink.__getitem__, default=None)
        if cut is not None and (certain or column_ink[cut] <= SPLIT_VALLEY * typical):
            cuts.append(x0 + cut)
    cuts.append(x1)
    parts = [
        _tight_box(ink, width, (left, y0, right, y1), threshold)
        for left, right in zip(cuts[:-1], cuts[1:], strict=True)
    ]
    parts = [part for part in parts if part is not None]
    # Touching digits are each about the line's height: a short part is a digit's long bar or tail.
    if any(part[3] - part[1] < shortest * line_height for part in parts):
        return [tuple(box)]
    return parts


def _two_digits(ink, width, box, line_height, lone):
    """Whether the splitter network takes a piece for two digits."""
    return two_digits(ink, width, box, line_height) >= (LONE_TWO_DIGITS if lone else TWO_DIGITS)


def _split_pair(ink, width, box, threshold):
    """A box that may hold a 1 touching another digit: where the join is fainter than the strokes,
    stronger thresholds break the ink into a 1 and a wider digit side by side; the box is cut between
    them. Else it is kept whole."""
    x0, y0, x1, y1 = box
    box_width, box_height = x1 - x0, y1 - y0
    inside = [ink[y * width + x] for y in range(y0, y1) for x in range(x0, x1)]
    for strong in PAIR_THRESHOLDS:
        tall = [p for p in ink_pieces(inside, box_width, strong) if p[3] - p[1] >= PAIR_HEIGHT * box_height]
        if len(tall) != 2:
            continue
        left, right = sorted(tall)
        narrow, wide = sorted((left[2] - left[0], right[2] - right[0]))
        a_one = narrow <= ONE_WIDTH * box_height and wide >= PAIR_WIDTH * box_height
        if a_one and _column_overlap(left, right) < MERGE_OVERLAP:
            cut = x0 + (left[2] + right[0] + 1) // 2
            parts = [_tight_box(ink, width, part, threshold) for part in ((x0, y0, cut, y1), (cut, y0, x1, y1))]
            return [part for part in parts if part is not None]
    return [tuple(box)]


def _tight_box(ink, width, box, threshold):
    """The smallest box inside `box` holding all its ink >= threshold, or None."""
    x0, y0, x1, y1 = box
    rows = [y for y in range(y0, y1) if max(ink[y * width + x0 : y * width + x1]) >= threshold]
    if not rows:
        return None
    columns = [x for x in range(x0, x1) if any(ink[y * width + x] >= threshold for y in range(rows[0], rows[-1] + 1))]
    return columns[0], rows[0], columns[-1] + 1, rows[-1] + 1


def to_model_input(ink, width, bounds):
    """The ink inside bounds, framed the MNIST way: its stroke widened to at least PEN_WIDTH, fitted into
    20x20 and centred by mass in 28x28."""
    pixels, crop_width, crop_height = widened(*crop(ink, width, bounds))
    pixels, box_width, box_height = fit_box(pixels, crop_width, crop_height)
    return center_by_mass(pixels, box_width, box_height)


def frame(ink, width, height):
    """All the ink of a width x height map as one model input (to_model_input around its ink_bounds), or
    None when it holds no ink."""
    bounds = ink_bounds(ink, width, height)
    return None if bounds is None else to_model_input(ink, width, bounds)


def to_mnist(rgba, width, height):
    """RGBA bytes of any size -> 784 floats 0..1, the whole ink as one digit; raises NoDigitError."""
    digit = frame(ink_map(rgba, width, height), width, height)
    if digit is None:
        raise NoDigitError(NO_INK_MESSAGE)
    return digit


class Recut(NamedTuple):
    """Digits the page cut apart in a row (each sharing an edge with the next), cut at other columns too:
    the first one's place in reading order, and per option the model input, the box (x, y, w, h) and
    [which digit of the row, the cut on its left, the cut on its right] (cut 0 is the page's own, as is
    the row's outer edge; the page's own digit is the option [digit, 0, 0])."""

    at: int
    digits: list
    boxes: list
    options: list


class Reading(NamedTuple):
    """What an image holds, in reading order: one model input (784 floats) and one box (x, y, w, h in the
    image's pixels) per digit, how many digits each number has (a number is a line of writing), the other
    cuts of digits cut apart (Recut), for the model to choose among (chosen_cuts, recut), and where to
    look closer (closer_look's), or None."""

    digits: list
    boxes: list
    numbers: list
    recuts: list
    closer: tuple | None


def read_image(rgba, width, height, original=None):
    """RGBA bytes -> Reading of every digit found; raises NoDigitError. `original` is the file's (width,
    height) when the image is the file drawn down: where the file has more pixels for small digits, the
    Reading says where to look closer, and offers no other cuts (the closer look will)."""
    ink, contrast = measured_ink(rgba, width, height)
    numbers = digit_layout(ink, width, height)
    boxes = [_xywh(box) for number in numbers for box in number]
    if not boxes or (contrast < MIN_CONTRAST and not _faint_writing(numbers, boxes, max(width, height))):
        raise NoDigitError(NO_INK_MESSAGE)
    digits = [to_model_input(ink, width, box) for number in numbers for box in number]
    closer = closer_look(boxes, width, height, original) if original else None
    recuts = [] if closer else _recuts(ink, width, numbers, digits)
    return Reading(digits, boxes, [len(n) for n in numbers], recuts, closer)


def _recuts(ink, width, numbers, digits):
    """A Recut of every row of digits cut apart where a cut can be made elsewhere (_other_cuts)."""
    recuts = []
    for at, row, height in _cut_rows(numbers):
        options = [(d, 0, 0, digits[at + d], box) for d, box in enumerate(row)]
        for d in range(len(row) - 1):
            for cut, (left, right) in enumerate(_other_cuts(ink, width, row, d, height), 1):
                options += [(d, 0, cut, to_model_input(ink, width, left), left)]
                options += [(d + 1, cut, 0, to_model_input(ink, width, right), right)]
        if len(options) > len(row):
            options.sort(key=itemgetter(0, 1, 2))  # chosen_cuts reads them digit by digit, the page's own first
            inputs, boxes = [option[3] for option in options], [_xywh(option[4]) for option in options]
            recuts.append(Recut(at, inputs, boxes, [list(option[:3]) for option in options]))
    return recuts


def _xywh(box):
    x0, y0, x1, y1 = box
    return x0, y0, x1 - x0, y1 - y0


def _cut_rows(numbers):
    """(the first one's place in reading order, its boxes, their number's height) for every row of two or
    more boxes each sharing an edge with the next: digits cut apart."""
    start = 0
    for number in numbers:
        height = _median([box[3] - box[1] for box in number])
        first = 0
        for i in range(1, len(number) + 1):
            if i == len(number) or number[i - 1][2] != number[i][0]:
                if i - first > 1:
                    yield start + first, number[first:i], height
                first = i
        start += len(number)


def _other_cuts(ink, width, row, d, height):
    """The row's digits d and d + 1 cut at other columns, every RECUT_STEP of the pair's width up to
    RECUT_REACH of it from its middle, where both parts keep RECUT_HEIGHT of the number's height: [(left
    part, right part)]. Each part keeps its other edge: in a row of three or more, a digit is offered with
    one of its cuts moved at a time."""
    left, right = row[d], row[d + 1]
    x0, x1 = left[0], right[2]
    pair_width = x1 - x0
    step = max(1, round(RECUT_STEP * pair_width))
    reach = int(RECUT_REACH * pair_width) // step
    margin = max(2, pair_width // 8)
    middle = (x0 + x1) // 2
    # A part's rows: its digit's and its neighbours' in the row, as a stroke may cross into either.
    _, top_left, _, bottom_left = _union(*row[max(0, d - 1) : d + 2])
    _, top_right, _, bottom_right = _union(*row[d : d + 3])
    cuts = []
    for column in (middle + step * k for k in range(-reach, reach + 1)):
        if column == left[2] or not x0 + margin <= column <= x1 - margin:
            continue
        sides = (x0, top_left, column, bottom_left), (column, top_right, x1, bottom_right)
        parts = [_tight_box(ink, width, side, BOUNDS_THRESHOLD) for side in sides]
        if all(part and part[3] - part[1] >= RECUT_HEIGHT * height for part in parts):
            cuts.append(parts)
    return cuts


def chosen_cuts(options, probabilities):
    """Each Recut's options and the model's probabilities for its digits (ten per option) -> per recut,
    the options to keep, one per digit of its row: the cuts whose digits the model is surest of together
    (the product of each digit's likeliest class), the page's own unless others are surer."""
    choices = []
    for row, read in zip(options, probabilities, strict=True):
        # Digit by digit along the row: per cut on the last digit's right, the surest options up to it.
        best = {0: (1.0, [])}
        for _, group in groupby(range(len(row)), key=lambda i: row[i][0]):
            after = {}
            for i in group:
                _, left, right = row[i]
                if left in best:
                    sureness = best[left][0] * max(read[i])
                    if right not in after or sureness > after[right][0]:
                        after[right] = (sureness, [*best[left][1], i])
            best = after
        choices.append(best[0][1])
    return choices


def recut(reading, choices):
    """The Reading with each Recut's chosen options (chosen_cuts) in place of the page's own digits."""
    digits, boxes = list(reading.digits), list(reading.boxes)
    for cut, chosen in zip(reading.recuts, choices, strict=True):
        digits[cut.at : cut.at + len(chosen)] = [cut.digits[i] for i in chosen]
        boxes[cut.at : cut.at + len(chosen)] = [cut.boxes[i] for i in chosen]
    return reading._replace(digits=digits, boxes=boxes, recuts=[])


def _faint_writing(numbers, boxes, long_side):
    """Whether digits found in faint ink look like writing: one number, few digits, none tiny."""
    small = any(height < FAINT_HEIGHT * long_side for *_, height in boxes)
    return len(numbers) <= MAX_FAINT_NUMBERS and len(boxes) <= MAX_FAINT_DIGITS and not small


def closer_look(boxes, width, height, original):
    """Where to read again, closer, when the digits found (boxes x, y, w, h) are small in this width x
    height image and the file (original: width, height) has more pixels: (region x, y, w, h in the
    file's pixels, the width and height to draw it at), or None."""
    digit_height = _median([box[3] for box in boxes])
    margin = CLOSER_MARGIN * digit_height
    x0 = max(0, min(box[0] for box in boxes) - margin)
    y0 = max(0, min(box[1] for box in boxes) - margin)
    x1 = min(width, max(box[0] + box[2] for box in boxes) + margin)
    y1 = min(height, max(box[1] + box[3] for box in boxes) + margin)
    across, down = original[0] / width, original[1] / height
    pixels = min(max(CLOSER_PIXELS, DIGIT_PIXELS * len(boxes)), MAX_CLOSER_PIXELS)
    zoom = min(across, down, CLOSER_HEIGHT / digit_height, math.sqrt(pixels / ((x1 - x0) * (y1 - y0))))
    if zoom < MIN_ZOOM:
        return None
    region = (round(x0 * across), round(y0 * down), round((x1 - x0) * across), round((y1 - y0) * down))
    return region, (round((x1 - x0) * zoom), round((y1 - y0) * zoom))


def to_mnist_digits(rgba, width, height):
    """RGBA bytes -> one 784-float model input per digit, in reading order; raises NoDigitError."""
    return read_image(rgba, width, height).digits
