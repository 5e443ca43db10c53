"""Several images at once in Chromium: chosen or dropped, each is read, progress counts up, a table has a
row per file (data-file, data-digit, data-outcome) and the results download as CSV."""

import base64
import csv

import pytest
from helpers import upload_files
from PIL import Image
from strokes import ONE, SEVEN, ZERO, paper_png

pytestmark = pytest.mark.browser


@pytest.fixture
def batch(tmp_path):
    """[(path, expected data-digit, expected data-outcome)]: digits, a blank page, a text file, and a
    name a spreadsheet would take for a formula."""
    blank = tmp_path / "blank.png"
    Image.new("RGB", (200, 160), (255, 255, 255)).save(blank)
    notes = tmp_path / "notes.png"
    notes.write_text("not a picture")
    return [
        (paper_png(ONE, tmp_path / "one.png"), "1", "read"),
        (paper_png(SEVEN, tmp_path / "seven.png"), "7", "read"),
        (blank, "", "none"),
        (paper_png(ZERO, tmp_path / "zero.png"), "0", "read"),
        (notes, "", "none"),
        (paper_png(SEVEN, tmp_path / "=7, again.png"), "7", "read"),
    ]


def read_batch(page, classify, action, count):
    """Runs action, waits for `count` classifications and the batch's end; returns the table's rows as
    (data-file, data-digit, data-outcome, the row's text)."""
    classify(page, action, count=count)
    page.locator("[data-testid=batch-status][data-state=done]").wait_for()
    rows = page.get_by_test_id("results").locator("tbody tr")
    cells = "rows => rows.map((row) => [row.dataset.file, row.dataset.digit, row.dataset.outcome, row.innerText])"
    return [tuple(row) for row in rows.evaluate_all(cells)]


def drop(page, *paths):
    """An action for `classify`: drops the files on the page as the browser does for real ones."""
    files = [(base64.b64encode(path.read_bytes()).decode(), path.name) for path in paths]
    return lambda: page.evaluate(
        """(files) => {
          const transfer = new DataTransfer();
          for (const [payload, name] of files) {
            const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
            transfer.items.add(new File([bytes], name, {type: 'image/png'}));
          }
          const init = {bubbles: true, cancelable: true, dataTransfer: transfer};
          document.body.dispatchEvent(new DragEvent('drop', init));
        }""",
        files,
    )


def download_csv(page):
    with page.expect_download() as download:
        page.get_by_test_id("download-csv").click()
    assert download.value.suggested_filename == "digitlens-results.csv"
    with open(download.value.path(), newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def test_one_file_keeps_the_simple_view_and_many_get_a_table_and_a_csv(app, classify, batch):
    (one, _, _), *_ = batch
    assert classify(app, upload_files(app, one)) == "1"
    assert app.locator("#batch").is_hidden()

    rows = read_batch(app, classify, upload_files(app, *[path for path, _, _ in batch]), count=len(batch))
    assert [row[:3] for row in rows] == [(path.name, digit, outcome) for path, digit, outcome in batch]
    # Each row says what happened: the no-digit rows carry the page's message.
    assert "No digit found" in rows[2][3]
    assert "notes.png is not an image this browser can read" in rows[4][3]
    progress = app.get_by_test_id("batch-progress")
    assert progress.evaluate("bar => [bar.value, bar.max]") == [len(batch), len(batch)]
    assert app.get_by_test_id("batch-status").text_content() == "Done: 6 images, 4 read, 2 with no digit."
    # The result panel shows the last file, as for a single upload.
    assert app.get_by_test_id("prediction").get_attribute("data-digit") == "7"

    table = download_csv(app)
    assert table[0] == ["file", "digits", "confidence", "outcome"]
    assert [line[:2] for line in table[1:]] == [
        ["one.png", "1"],
        ["seven.png", "7"],
        ["blank.png", ""],
        ["zero.png", "0"],
        ["notes.png", ""],
        ["'=7, again.png", "7"],  # kept as text, never run as a formula
    ]
    assert all(0.5 < float(line[2]) <= 1 for line in table[1:] if line[1])
    assert table[3][2] == "" and table[3][3].startswith("No digit found")

    # The next batch, dropped on the page this time, has a table and a CSV of its own.
    rows = read_batch(app, classify, drop(app, batch[1][0], batch[3][0]), count=2)
    assert [row[:2] for row in rows] == [("seven.png", "7"), ("zero.png", "0")]
    assert [line[:2] for line in download_csv(app)[1:]] == [["seven.png", "7"], ["zero.png", "0"]]
