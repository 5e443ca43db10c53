"""Uploading images in Chromium: MNIST test digits as dark ink on white paper, through the file picker,
drag and drop and paste; files that hold no digit get a message and the page keeps working."""

import base64

import pytest
from helpers import mnist_paper_png, upload_files
from PIL import Image

pytestmark = pytest.mark.browser


@pytest.fixture
def digit_files(mnist_test_digits, tmp_path):
    """[(png path, label)]: the first test digit of each class, 0 to 9."""
    images, labels = mnist_test_digits
    firsts = [int((labels == digit).argmax()) for digit in range(10)]
    return [(mnist_paper_png(images[i], tmp_path / f"test-{i}.png"), int(labels[i])) for i in firsts]


def test_each_uploaded_digit_is_read(app, classify, digit_files):
    for path, label in digit_files:
        assert classify(app, upload_files(app, path)) == str(label), path.name
        prediction = app.get_by_test_id("prediction")
        assert 0.5 < float(prediction.get_attribute("data-confidence")) <= 1
        assert float(prediction.get_attribute("data-preprocess-ms")) > 0
        assert float(prediction.get_attribute("data-inference-ms")) > 0
        assert app.get_by_test_id("topk").locator("li").count() == 5
        assert app.get_by_test_id("topk").locator("li").first.get_attribute("data-digit") == str(label)
    assert app.get_by_test_id("error").is_hidden()


def test_preview_shows_the_centred_28x28_input(app, classify, digit_files):
    path, _ = digit_files[0]
    classify(app, upload_files(app, path))
    # Ink (bright pixels) sits in the middle, the border is black: MNIST's framing.
    stats = app.evaluate(
        """() => {
          const data = document.querySelector('[data-testid=preview]').getContext('2d').getImageData(0, 0, 28, 28).data;
          let centre = 0, border = 0;
          for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
            const v = data[(y * 28 + x) * 4];
            if (x < 2 || y < 2 || x > 25 || y > 25) border += v; else centre += v;
          }
          return {centre, border};
        }"""
    )
    assert stats["centre"] > 20_000
    assert stats["border"] == 0


def test_several_files_are_all_classified(app, classify, digit_files):
    paths = [path for path, _ in digit_files[:4]]
    last_digit = classify(app, upload_files(app, *paths), count=len(paths))
    assert last_digit == str(digit_files[3][1])


def drop_or_paste(page, path, event):
    """Dispatches a drop or paste event carrying the file, as the browser does for a real one."""
    payload = base64.b64encode(path.read_bytes()).decode()
    return lambda: page.evaluate(
        """([payload, name, event]) => {
          const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, {type: 'image/png'}));
          const init = {bubbles: true, cancelable: true};
          document.body.dispatchEvent(event === 'drop'
            ? new DragEvent('drop', {...init, dataTransfer: transfer})
            : new ClipboardEvent('paste', {...init, clipboardData: transfer}));
        }""",
        [payload, path.name, event],
    )


@pytest.mark.parametrize("event", ["drop", "paste"])
def test_drop_and_paste(app, classify, digit_files, event):
    path, label = digit_files[7]
    assert classify(app, drop_or_paste(app, path, event)) == str(label)


def test_a_file_that_is_not_an_image_gets_a_message(app, classify, digit_files, tmp_path):
    fake = tmp_path / "notes.png"
    fake.write_text("this is text, not a picture")
    assert classify(app, upload_files(app, fake)) == ""
    error = app.get_by_test_id("error")
    assert error.is_visible()
    assert "notes.png" in error.text_content()
    # The page keeps working, and the message goes once a digit is read.
    path, label = digit_files[3]
    assert classify(app, upload_files(app, path)) == str(label)
    assert error.is_hidden()


def test_a_blank_image_has_no_digit(app, classify, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("RGB", (200, 120), (255, 255, 255)).save(blank)
    assert classify(app, upload_files(app, blank)) == ""
    assert "No digit" in app.get_by_test_id("error").text_content()
    assert app.get_by_test_id("topk").locator("li").count() == 0


def test_several_digits_in_one_image_are_read_as_a_string(app, classify, mnist_test_digits, tmp_path):
    images, labels = mnist_test_digits
    year = Image.new("L", (4 * 150 + 40, 200), 255)
    for position, label in enumerate([2, 0, 2, 5]):
        digit = images[int((labels == label).argmax())]
        ink = Image.fromarray(255 - digit).resize((112, 112), Image.Resampling.BILINEAR)
        year.paste(ink, (20 + 150 * position, 44))
    year.save(tmp_path / "year.png")
    assert classify(app, upload_files(app, tmp_path / "year.png")) == "2025"
    # The preview shows each digit's 28x28 input side by side; the list reads each digit in order.
    assert app.get_by_test_id("preview").evaluate("canvas => [canvas.width, canvas.height]") == [112, 28]
    assert app.get_by_test_id("topk").locator("li").count() == 4


def test_the_low_confidence_note_follows_the_confidence(app, classify, digit_files, tmp_path):
    scribble = tmp_path / "scribble.png"
    sheet = Image.new("L", (200, 200), 255)
    sheet.paste(0, (40, 90, 160, 110))  # a bar: neither clearly a 1 nor a 7 nor a minus sign of a digit
    sheet.paste(0, (90, 40, 110, 160))
    sheet.save(scribble)
    for path in [digit_files[0][0], scribble]:
        classify(app, upload_files(app, path))
        confidence = float(app.get_by_test_id("prediction").get_attribute("data-confidence"))
        assert app.get_by_test_id("low-confidence").is_visible() == (confidence < 0.7), path.name
