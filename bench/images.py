"""The pictures the benchmark uploads: a scanned-looking digit and a 12-megapixel phone photo of a digit on
paper, drawn with Pillow, and 12-megapixel photos of ruled notebook pages written with MNIST test digits by
training.photoset."""

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from training.data import load_mnist
from training.photoset import NUMBER_LENGTHS, render_numbers

# A 7 as three points of a pen's path, in fractions of the digit's box.
SEVEN = [(0.15, 0.1), (0.85, 0.1), (0.4, 0.95)]
# Pixels at a notebook page's edge whose median is the spare paper beside it: within the clear border that
# training.photoset keeps round the writing (half a digit height, some 50 pixels or more at 12 MP).
PAPER_EDGE = 40
# The notebook photos uploaded, 12 MP each: three numbers on a page, and a page covered in writing, held upright.
NOTEBOOK_PHOTOS = {
    "notebook": {"lines": 3, "lengths": NUMBER_LENGTHS, "size": (4000, 3000)},
    "page": {"lines": 10, "lengths": (8, 12), "size": (3000, 4000)},
}


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


def save_photo(pixels, path, rng):
    """Saves int16 RGB pixels as a phone's JPEG, with sensor noise so the file is as large as a real photo's."""
    noise = rng.integers(-12, 13, pixels.shape, dtype=np.int16)
    Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)).save(path, quality=90)
    return path


def phone_photo(path, width=4000, height=3000, seed=0):
    """A 12-megapixel JPEG as a phone takes it: a 7 in ink on cream paper, uneven light, sensor noise."""
    page = Image.new("RGB", (width, height), (243, 236, 214))
    size = height // 3
    draw_seven(page, ((width - size) // 2, (height - size) // 2, size), height // 40, (25, 40, 110))
    page = page.filter(ImageFilter.GaussianBlur(2))
    # Light falling off to one side.
    shade = np.linspace(0, 40, width, dtype=np.int16)[None, :, None]
    return save_photo(np.asarray(page, dtype=np.int16) - shade, path, np.random.default_rng(seed))


def fill_frame(page, size):
    """The page scaled to fit a `size` frame, the rest of the frame its own paper (int16 RGB pixels).

    Each row (or column) runs on in the median of its outermost PAPER_EDGE pixels: ruled lines and the light
    go on, a stray margin line or ink does not."""
    scale = min(size[0] / page.width, size[1] / page.height)
    width, height = min(size[0], round(page.width * scale)), min(size[1], round(page.height * scale))
    pixels = np.asarray(page.resize((width, height), Image.Resampling.BICUBIC), dtype=np.int16)
    spare_x, spare_y = size[0] - width, size[1] - height
    spare = ((spare_y // 2, spare_y - spare_y // 2), (spare_x // 2, spare_x - spare_x // 2), (0, 0))
    return np.pad(pixels, spare, mode="median", stat_length=PAPER_EDGE)


def notebook_photo(path, lines, lengths, size, seed=0, data_dir=None):
    """A JPEG of `size` pixels: `lines` numbers of `lengths` (fewest, most) MNIST test digits in blue ballpoint
    on ruled paper, one a line, as training.photoset photographs them, filling the frame, with sensor noise.

    Returns the path and the label: the numbers' digits, joined by a space in reading order."""
    mnist = load_mnist(data_dir)
    rng = np.random.default_rng(seed)
    ends = np.cumsum(rng.integers(lengths[0], lengths[1] + 1, size=lines))
    numbers = np.split(np.arange(ends[-1]), ends[:-1])
    page = render_numbers([mnist.x_test[number] for number in numbers], rng, paper="ruled", pen="blue")
    label = " ".join("".join(str(mnist.y_test[index]) for index in number) for number in numbers)
    return save_photo(fill_frame(page, size), path, rng), label
