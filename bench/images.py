"""The pictures the benchmark uploads, drawn with Pillow: a scanned-looking digit and a 12-megapixel
phone photo of a digit on paper."""

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# A 7 as three points of a pen's path, in fractions of the digit's box.
SEVEN = [(0.15, 0.1), (0.85, 0.1), (0.4, 0.95)]


def draw_seven(image, box, width, colour):
    """Draws SEVEN into box (left, top, size) of image with a round pen."""
    left, top, size = box
    points = [(left + fx * size, top + fy * size) for fx, fy in SEVEN]
    pen = ImageDraw.Draw(image)
    pen.line(points, fill=colour, width=width, joint="curve")
    # Round ends, as a pen leaves them.
    for x, y in points:
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=colour)


def scanned_digit(path, side=300):
    """A dark 7 on white paper, side x side pixels, PNG."""
    image = Image.new("L", (side, side), 255)
    draw_seven(image, (side // 5, side // 5, 3 * side // 5), side // 20, 20)
    image.save(path)
    return path


def phone_photo(path, width=4000, height=3000, seed=0):
    """A 12-megapixel JPEG as a phone takes it: a 7 in ink on cream paper, uneven light, sensor noise."""
    page = Image.new("RGB", (width, height), (243, 236, 214))
    size = height // 3
    draw_seven(page, ((width - size) // 2, (height - size) // 2, size), height // 40, (25, 40, 110))
    page = page.filter(ImageFilter.GaussianBlur(2))
    pixels = np.asarray(page, dtype=np.int16)
    # Light falling off to one side, and noise, so the JPEG is as large as a real photo's.
    shade = np.linspace(0, 40, width, dtype=np.int16)[None, :, None]
    noise = np.random.default_rng(seed).integers(-12, 13, pixels.shape, dtype=np.int16)
    Image.fromarray(np.clip(pixels - shade + noise, 0, 255).astype(np.uint8)).save(path, quality=90)
    return path
