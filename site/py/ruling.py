"""Printed lines are paper, not ink: ruled lines, a margin line and a squared grid are found and erased
before the ink is measured, keeping the strokes that cross them; so are the dots of a dot grid.

Standard library only, like preprocess.py, whose ink_map calls erase_lines on the ink strengths (how
much darker than the paper each pixel is, in luminance levels; flat, row-major). A line is told from
writing by its shape alone, whatever its colour: it is thin, straight and runs across most of the
image, where a stroke is short or curved; a dot is small and alone, where a stroke goes on.
"""

from itertools import chain, pairwise

# The image is cut into strips STRIP pixels wide; a printed line crossing a strip, even tilted by a few
# degrees, puts its ink into one or two rows of the strip's row profile.
STRIP = 32
# Lines are looked for only where at least MIN_STRIPS strips fit: a tightly cropped digit is not a page,
# and its strokes may span it.
MIN_STRIPS = 4
# A row of a strip is part of a line when its mean strength stands at least MIN_LEVEL levels over the
# strip's paper (its median row), at least LINE_COVER of its pixels hold half of that (in it or a row
# next to it: a line tilted by a few degrees moves a row within a strip), and the rows
# LINE_CLEAR pixels above and below hold at most half as much (a line is thin). At 12 levels faint grids
# under pencil writing (the ink scale 30 to 40) were missed and their remains read as 1s; a false line
# so faint erases nothing that matters, since pixels above INK_OVER_LINE times its level are kept.
MIN_LEVEL = 6
LINE_COVER = 0.7
LINE_CLEAR = 4
# Lines are at most MAX_THICKNESS pixels thick where Python sees them (512 on the long side): printed
# rules of 1-3 px on a phone photo, blurred.
MAX_THICKNESS = 5
# A line continues in the next strip at most MAX_STEP pixels from where its points lead, on the straight
# line fitted through them (level from its first point alone: a tilt of up to ~3.5 degrees); up to
# MAX_GAP strips in a row may miss it where writing covers it. Led by its last two points alone, rows
# rounded to whole pixels, a tilted line lost its way under writing: 2 of 450 tuning numbers and 1 of 60
# photos of lines of writing were misread for it. A number of 8 digits hides 5 or 6 strips of the line it
# is written on: with MAX_GAP 4 such a line was cut in two halves, each too short to count, and stayed
# as ink (on a squared tuning page); with 6, 1 more of 450 tuning numbers read, none fewer, blank pages
# unchanged.
MAX_STEP = 2
MAX_GAP = 6
# A line runs through at least MIN_SPAN of the strips (or through MIN_STRIPS of them and out of the
# image, when the photo is tilted), within MAX_WOBBLE pixels of a straight line fitted through it, once
# the points farthest off are dropped (_straightened): where writing sits on a line, it pulls the row
# found in a strip a pixel or two (a number read as one digit on 1 of 150 ruled tuning photos).
MIN_SPAN = 0.6
MAX_WOBBLE = 1.5
# Dot grids: dots are pixels at least DOT_LEVEL over the paper with little ink DOT_REACH pixels away
# in every direction (printed dots are 1 to 3 pixels across where Python sees them); they are erased
# when there are at least MIN_DOT_PIXELS of them.
DOT_LEVEL = 12
DOT_REACH = 3
MIN_DOT_PIXELS = 100
# A stroke crosses the line where the pixels on both sides are at least as strong as the line: there
# the line's pixels keep up to the stroke's strength, never more than they had. (Taking the stroke's
# strength, the band was filled with ink where a stroke ran along one side of a grid line and another
# passed within BRIDGE_SLANT on the other: a blob on a 7's bar or in a 9's loop. Capped, the tuning sets
# read 6 more and 3 fewer of 300 digits on squared paper, 3 more of 150 ruled numbers, 4 more and 3
# fewer of 150 squared numbers and 1 more of 60 photos of lines of writing; ruled digits, dot grids and
# blank pages unchanged.)
# Elsewhere pixels stronger than INK_OVER_LINE times the line are pen on the line, and are kept. (1.4
# kept more of faint pencil lying along a line, 2 more of 300 ruled tuning digits, but read 2 fewer of
# 300 ruled and squared tuning numbers and a blank tuning page as a row of 1s, what it left of a line.)
INK_OVER_LINE = 1.6
# A stroke crossing at a slant meets the far side up to BRIDGE_SLANT pixels to the left or right.
BRIDGE_SLANT = 2


def erase_lines(strengths, width, height):
    """Strengths with horizontal and vertical printed lines erased -> (strengths, number of lines).

    Both directions are looked for before either is erased, so a grid's lines are whole when found."""
    rows = [strengths[y * width : (y + 1) * width] for y in range(height)]
    across, down = _find(rows, width, height), _find(list(zip(*rows, strict=True)), height, width)
    if not across and not down:
        return strengths, 0
    _erase(rows, width, height, across)
    if not down:
        return list(chain.from_iterable(rows)), len(across)
    columns = [list(column) for column in zip(*rows, strict=True)]
    _erase(columns, height, width, down)
    return list(chain.from_iterable(zip(*columns, strict=True))), len(across) + len(down)


def erase_dots(strengths, width, height, paper):
    """Strengths with the dots of a dot grid set to the paper's level -> (strengths, dot pixels erased).

    A dot is a pixel standing DOT_LEVEL over the paper whose eight neighbours DOT_REACH pixels away
    all hold less than half as much: a stroke, however thin, continues along itself. Nothing changes
    unless there are at least MIN_DOT_PIXELS of them, as on a dot grid."""
    offsets = [dy * width + dx for dy in (-DOT_REACH, 0, DOT_REACH) for dx in (-DOT_REACH, 0, DOT_REACH) if dy or dx]
    level = paper + DOT_LEVEL
    inner = range(DOT_REACH * width, (height - DOT_REACH) * width)
    candidates = [index for index in inner if strengths[index] >= level]
    dots = [
        index
        for index in candidates
        if DOT_REACH <= index % width < width - DOT_REACH
        and all(2 * strengths[index + o] < strengths[index] + paper for o in offsets)
    ]
    if len(dots) < MIN_DOT_PIXELS:
        return strengths, 0
    strengths = list(strengths)
    for index in dots:
        strengths[index] = paper
    return strengths, len(dots)


def _strip_edges(width):
    """The columns where the strips begin and end (strips + 1 of them), or None when too few fit."""
    strips = width // STRIP
    return [strip * width // strips for strip in range(strips + 1)] if strips >= MIN_STRIPS else None


def _find(rows, width, height):
    """The horizontal lines of rows: each [(strip, y, level, thickness)], left to right."""
    edges = _strip_edges(width)
    if edges is None:
        return []
    candidates = [_line_rows(rows, height, x0, x1) for x0, x1 in pairwise(edges)]
    return _chain(candidates, len(candidates), height)


def _line_rows(rows, height, x0, x1):
    """[(y, strength, thickness)] of the rows of one strip that look like a thin line crossing it; the
    strength is over the strip's paper (its median row), which noise and shading lift above zero."""
    size = x1 - x0
    means = [sum(row[x0:x1]) / size for row in rows]
    paper = sorted(means)[height // 2]
    # Beyond the image's edges the profile is bare paper, so a line along the edge is found too.
    profile = [0.0] * LINE_CLEAR + [mean - paper for mean in means] + [0.0] * LINE_CLEAR
    found = []
    for y in range(height):
        level = profile[y + LINE_CLEAR]
        if level < MIN_LEVEL or level < profile[y + LINE_CLEAR - 1] or level < profile[y + LINE_CLEAR + 1]:
            continue
        if 2 * max(profile[y], profile[y + 2 * LINE_CLEAR]) > level:
            continue
        # A line tilted by a few degrees moves a row within a strip: the rows beside count too.
        near = _side(rows, range(max(0, y - 1), min(height, y + 2)), x0, x1)
        if sum(1 for value in near if 2 * (value - paper) >= level) < LINE_COVER * size:
            continue
        thickness = sum(1 for offset in range(1, 2 * LINE_CLEAR) if 2 * profile[y + offset] >= level)
        if thickness <= MAX_THICKNESS and (not found or y - found[-1][0] > 1):
            found.append((y, level + paper, thickness))
    return found


def _chain(candidates, strips, height):
    """Links line rows of neighbouring strips into lines; keeps the long, straight ones."""
    open_lines, lines = [], []
    for strip, found in enumerate(candidates):
        lines += [line for line in open_lines if strip - line[-1][0] > MAX_GAP + 1]
        open_lines = [line for line in open_lines if strip - line[-1][0] <= MAX_GAP + 1]
        # Where each open line is expected here, worked out once per strip: a fit through all its points.
        ahead = [(line, _ahead(line, strip)) for line in open_lines]
        for y, level, thickness in found:
            near = [(abs(at - y), line) for line, at in ahead if line[-1][0] < strip and abs(at - y) <= MAX_STEP]
            if near:
                min(near, key=lambda pair: pair[0])[1].append((strip, y, level, thickness))
            else:
                open_lines.append([(strip, y, level, thickness)])
    lines += open_lines
    lines = [_straightened(line) for line in lines]
    return [line for line in lines if _long_enough(line, strips, height) and _wobble(line) <= MAX_WOBBLE]


def _straightened(line):
    """The line less the points farthest off its course, one at a time, while it wobbles more than
    MAX_WOBBLE: where writing sits on a line, the strip's row may be pulled a pixel or two."""
    while len(line) > MIN_STRIPS:
        fitted = _course(line)
        worst = max(line, key=lambda point: abs(point[1] - fitted(point[0])))
        if abs(worst[1] - fitted(worst[0])) <= MAX_WOBBLE:
            break
        line = [point for point in line if point is not worst]
    return line


def _ahead(line, strip):
    """Where a line is expected in a strip: on the straight line through its points (level from one)."""
    return _course(line)(strip)


def _long_enough(line, strips, height):
    """Most of the way across, or far enough to be sure and then out through the top or bottom edge."""
    if len(line) >= MIN_SPAN * strips:
        return True
    # Near the edge a tilted line is seen no more (too little of it in the strip): it leaves when its
    # fitted course would cross the edge within MAX_GAP strips of where it was last seen. (Ending where
    # it was last seen, a grid line 3 pixels from a photo's side was kept and read as three 1s, on 1 of
    # 200 blank photo-like pages.)
    fitted = _course(line)
    ends = (fitted(line[0][0] - MAX_GAP), fitted(line[-1][0] + MAX_GAP))
    leaves = min(ends) <= MAX_STEP or max(ends) >= height - 1 - MAX_STEP
    return len(line) >= MIN_STRIPS and leaves


def _wobble(line):
    """The largest distance (pixels) of a line's points from the straight line fitted through them."""
    fitted = _course(line)
    return max(abs(y - fitted(strip)) for strip, y, _, _ in line)


def _course(line):
    """The straight line fitted through a line's points, as a function of the strip."""
    return _fit([(strip, y) for strip, y, _, _ in line])


def _fit(points):
    """The least-squares straight line through (x, y) points, as a function of x."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    return lambda x: mean_y + slope * (x - mean_x)


def _erase(rows, width, height, lines):
    """Erases lines from rows (lists, changed in place)."""
    edges = _strip_edges(width)
    for line in lines:
        _erase_line(rows, width, height, line, edges)


def _erase_line(rows, width, height, line, edges):
    """Clears one line's band in every column, bridging the strokes that cross it. The work is done on
    runs of columns where the band stays on the same rows, a slice at a time."""
    level = sorted(point[2] for point in line)[len(line) // 2]
    # The band: half the line's thickness, rounded up, on each side of its row. A band a row wider for
    # lines of even thickness (2 px lines cleared on 5 rows) cut more of every stroke crossing a grid:
    # the narrower band read 3 more of 300 squared tuning digits, 1 more of 150 squared numbers and 2
    # more of 60 photos of lines of writing, none fewer, blank pages unchanged.
    half = (sorted(point[3] for point in line)[len(line) // 2] + 1) // 2
    keep = INK_OVER_LINE * level
    centres = [((edges[strip] + edges[strip + 1]) / 2, y) for strip, y, _, _ in line]
    ys = _along(centres, width)
    start = 0
    for x in range(1, width + 1):
        if x < width and ys[x] == ys[start]:
            continue
        top, bottom = max(0, ys[start] - half), min(height - 1, ys[start] + half)
        if top <= bottom:  # else the tilted line has left the image here
            _erase_run(rows, height, start, x, top, bottom, level, keep)
        start = x


def _erase_run(rows, height, x0, x1, top, bottom, level, keep):
    """Clears rows top..bottom in columns x0..x1 (end-exclusive), bridging strokes that cross them; no
    pixel gains ink."""
    above = _side(rows, range(max(0, top - 2), top), x0, x1)
    below = _side(rows, range(bottom + 1, min(height, bottom + 3)), x0, x1)
    # Most of a line has no stroke beside it, nor pen on it: those runs are done with max, min and map
    # alone, which give what the general case would.
    if max(above) < level and max(below) < level:
        bridges = [0] * (x1 - x0)
    else:
        # A slanted stroke meets the band's two sides a little to the left or right of each other.
        above_near, below_near = _widen(above), _widen(below)
        bridges = [
            min(a_near, b_near) if (a >= level and b_near >= level) or (b >= level and a_near >= level) else 0
            for a, b, a_near, b_near in zip(above, below, above_near, below_near, strict=True)
        ]
    for row in rows[top : bottom + 1]:
        values = row[x0:x1]
        if max(values) <= keep:
            row[x0:x1] = map(min, values, bridges)
        else:
            row[x0:x1] = [
                min(value, bridge) if value <= keep else value for value, bridge in zip(values, bridges, strict=True)
            ]


def _side(rows, band, x0, x1):
    """The strongest value in each column x0..x1 of the rows in band (zeros for no rows)."""
    slices = [rows[row][x0:x1] for row in band]
    return list(map(max, *slices)) if len(slices) > 1 else slices[0] if slices else [0] * (x1 - x0)


def _widen(values):
    """Each value replaced by the strongest within BRIDGE_SLANT places of it."""
    size = len(values)
    shifted = [values[max(0, i - BRIDGE_SLANT) : i + BRIDGE_SLANT + 1] for i in range(size)]
    return [max(window) for window in shifted]


def _along(centres, width):
    """The line's row at every column, on the straight line fitted through where the strips saw it
    (within MAX_WOBBLE of each): across the strips where writing hid it, and out to the image's edges."""
    fitted = _fit(centres)
    return [round(fitted(x)) for x in range(width)]
