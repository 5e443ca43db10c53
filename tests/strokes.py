"""Strokes on the draw pad, by mouse and by touch, for the browser tests."""

# Strokes in pad coordinates (the pad is 280x280 CSS pixels).
ONE = [[(140, 40), (140, 240)]]
SEVEN = [[(60, 50), (220, 50), (120, 245)]]
ZERO = [
    [
        (140 + 70 * dx, 140 + 100 * dy)
        for dx, dy in [(0, -1), (0.7, -0.7), (1, 0), (0.7, 0.7), (0, 1), (-0.7, 0.7), (-1, 0), (-0.7, -0.7), (0, -1)]
    ]
]


def pad_origin(page):
    box = page.get_by_test_id("draw-pad").bounding_box()
    scale = box["width"] / 280
    return lambda x, y: (box["x"] + x * scale, box["y"] + y * scale)


def path_points(points, steps=8):
    """The stroke's corners with points in between, as a moving pointer reports them."""
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
        for step in range(steps):
            yield x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps
    yield points[-1]


def draw_with_mouse(page, strokes):
    at = pad_origin(page)

    def draw():
        for stroke in strokes:
            page.mouse.move(*at(*stroke[0]))
            page.mouse.down()
            for point in path_points(stroke):
                page.mouse.move(*at(*point))
            page.mouse.up()

    return draw


def draw_with_touch(page, strokes):
    at = pad_origin(page)
    cdp = page.context.new_cdp_session(page)

    def touch(kind, point=None):
        points = [{"x": at(*point)[0], "y": at(*point)[1]}] if point else []
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def draw():
        for stroke in strokes:
            touch("touchStart", stroke[0])
            for point in path_points(stroke):
                touch("touchMove", point)
            touch("touchEnd")

    return draw


def paper_png(strokes, path, ink_width=20):
    """The strokes as a photo of paper would show them: dark ink on white, saved as a PNG."""
    from PIL import Image, ImageDraw

    sheet = Image.new("L", (280, 280), 255)
    draw = ImageDraw.Draw(sheet)
    for stroke in strokes:
        draw.line(stroke, fill=0, width=ink_width, joint="curve")
    sheet.save(path)
    return path
