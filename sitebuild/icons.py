"""Draw the app's PNG icons (site/icons/) from the shapes of site/icon.svg, with Pillow.

    python -m sitebuild.icons

The PNGs are committed; run this after changing the icon. The maskable icon fills its square and keeps
the glyph inside the central 80% circle that Android's masks never cut."""

from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "site" / "icons"
BLUE = "#1f5fbf"
WHITE = "#ffffff"
# (file, size, maskable)
SIZES = [("icon-192.png", 192, False), ("icon-512.png", 512, False), ("maskable-512.png", 512, True)]
SUPERSAMPLE = 4  # draw large, then shrink: smooth edges without an SVG renderer


def glyph(draw, offset, scale):
    """icon.svg's magnifier over a "1", in its 64-unit coordinates, scaled and shifted."""

    def at(x, y):
        return (offset + x * scale, offset + y * scale)

    def width(units):
        return round(units * scale)

    left, top = at(12, 12)
    right, bottom = at(44, 44)
    draw.ellipse((left, top, right, bottom), outline=WHITE, width=width(5))
    draw.line([at(40, 40), at(54, 54)], fill=WHITE, width=width(7))
    for x, y, units in ((40, 40, 7), (54, 54, 7), (24, 22, 4), (29, 19, 4), (29, 37, 4)):
        cx, cy = at(x, y)
        r = width(units) / 2
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    draw.line([at(24, 22), at(29, 19), at(29, 37)], fill=WHITE, width=width(4), joint="curve")


def icon(size, maskable=False):
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BLUE)
        # At 0.7 the glyph's farthest point (the handle's end, 36 units from the centre) stays inside
        # the safe circle (radius 0.4 * size = 36.6 units).
        scale = big * 0.7 / 64
        glyph(draw, (big - 64 * scale) / 2, scale)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 14 / 64, fill=BLUE)
        glyph(draw, 0, big / 64)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    ICONS.mkdir(exist_ok=True)
    for name, size, maskable in SIZES:
        icon(size, maskable).save(ICONS / name, optimize=True)
        print(f"site/icons/{name}")


if __name__ == "__main__":
    main()
