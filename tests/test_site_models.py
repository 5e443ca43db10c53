"""The model picker in Chromium: it lists models.json's models with the default chosen; another model
downloads when chosen (with progress), shows its card, reads the last input again and stays on the
device for offline use, even when chosen before the service worker took control; compare runs every
downloaded model on the last input; the ensemble, when models.json offers it, reads with its members;
the worker that runs TF.js is started again when it stops, and a TF.js that cannot load is said."""

import json

import pytest
from helpers import READY_TIMEOUT_MS, SITE, mnist_paper_png, upload_files, wait_for_offline_state, wait_until_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MANIFEST = json.loads((SITE / "models" / "models.json").read_text())
ENTRIES = {entry["id"]: entry for entry in MANIFEST["models"]}
# The ensemble is a choice only when export measured it better than every single model.
ENSEMBLE = MANIFEST.get("ensemble") if MANIFEST.get("ensemble", {}).get("beats_best_single") else None
CHOICES = list(ENTRIES) + (["ensemble"] if ENSEMBLE else [])


@pytest.fixture
def seven(mnist_test_digits, tmp_path):
    """(png path, "7"): the first 7 of the MNIST test set, as dark ink on paper."""
    images, labels = mnist_test_digits
    return mnist_paper_png(images[int((labels == 7).argmax())], tmp_path / "seven.png"), "7"


def choose(page, model_id):
    return lambda: page.get_by_test_id("model-select").select_option(model_id)


def expect_card(page, model_id):
    """The card shows the model's numbers from models.json and an inference time measured here."""
    entry = ENTRIES[model_id]
    card = page.get_by_test_id("model-card")
    expect(card).to_have_attribute("data-model", model_id)
    for text in [f"{entry['params']:,}", f"{entry['bytes']:,} bytes", entry["weights"], f"{entry['accuracy']:.2%}"]:
        expect(card).to_contain_text(text)
    float(page.get_by_test_id("model-inference-ms").get_attribute("data-ms"))


def test_the_picker_lists_the_models_with_the_default_chosen(app):
    select = app.get_by_test_id("model-select")
    options = select.locator("option")
    assert options.evaluate_all("options => options.map((option) => option.value)") == CHOICES
    assert options.all_text_contents()[: len(ENTRIES)] == [entry["name"] for entry in MANIFEST["models"]]
    expect(select).to_have_value(MANIFEST["default"])
    expect(app.get_by_role("combobox", name="Choose a model")).to_have_attribute("data-testid", "model-select")
    expect_card(app, MANIFEST["default"])
    # However long the longest name, the picker stays inside its panel.
    picker, panel = select.bounding_box(), app.locator("section.panel", has=select).bounding_box()
    assert panel["x"] <= picker["x"] and picker["x"] + picker["width"] <= panel["x"] + panel["width"]


def test_choosing_a_model_downloads_it_and_reads_the_last_digit_again(app, classify, seven):
    path, label = seven
    assert classify(app, upload_files(app, path)) == label
    prepared_in = app.get_by_test_id("prediction").get_attribute("data-preprocess-ms")
    progress = app.get_by_test_id("model-progress")
    assert classify(app, choose(app, "dnn")) == label
    # The new model read the digits Python had prepared: the picture did not go through Python again.
    expect(app.get_by_test_id("prediction")).to_have_attribute("data-preprocess-ms", prepared_in)
    # The download drove the bar to its end, then the bar went.
    expect(progress).to_have_attribute("data-model", "dnn")
    expect(progress).to_have_attribute("data-state", "done")
    assert progress.evaluate("bar => bar.value === bar.max")
    expect(progress).to_be_hidden()
    expect_card(app, "dnn")
    # Back to the default: already loaded, so no second download, and the digit is read again.
    requests = []
    app.on("request", lambda request: requests.append(request.url))
    assert classify(app, choose(app, MANIFEST["default"])) == label
    expect_card(app, MANIFEST["default"])
    assert not [url for url in requests if "/models/" in url]


def test_compare_lists_each_downloaded_model(app, classify, seven):
    path, label = seven
    classify(app, upload_files(app, path))
    classify(app, choose(app, "dnn"))
    app.get_by_test_id("compare").click()
    table = app.get_by_test_id("compare-results")
    expect(table).to_have_attribute("data-seq", "1")
    rows = table.locator("tbody tr")
    assert rows.evaluate_all("rows => rows.map((row) => row.dataset.model)") == [MANIFEST["default"], "dnn"]
    assert rows.evaluate_all("rows => rows.map((row) => row.dataset.digit)") == [label, label]
    for row in rows.all():
        assert 0.5 < float(row.get_attribute("data-confidence")) <= 1
        float(row.get_attribute("data-inference-ms"))


def test_compare_without_an_input_asks_for_one(app):
    app.get_by_test_id("compare").click()
    expect(app.get_by_test_id("error")).to_contain_text("Draw or upload a digit first")
    expect(app.get_by_test_id("compare-results")).to_be_hidden()


def model_worker(page):
    """The page's worker that runs TF.js (model.worker.js)."""
    (worker,) = [worker for worker in page.workers if worker.url.endswith("/model.worker.js")]
    return worker


def test_a_model_worker_that_stops_is_started_again_and_the_model_reads_on(app, classify, seven):
    path, digit = seven
    upload = lambda: app.get_by_test_id("upload").set_input_files(path)  # noqa: E731
    assert classify(app, upload) == digit
    broken = model_worker(app)
    # reportError: an error the worker did not catch, raised now rather than from a timer. The page
    # terminates that worker; the next reading starts a new one. (Not waited on: the worker's "close",
    # which under load Chromium sometimes never sends while the new worker reads on.)
    broken.evaluate("reportError(new Error('the worker broke'))")
    with app.expect_event("worker", lambda worker: worker.url.endswith("/model.worker.js")) as started:
        assert classify(app, upload) == digit
    assert started.value is not broken


def test_when_tfjs_cannot_load_the_page_says_so(browser, site_url):
    context = browser.new_context()
    context.route("**/vendor/tfjs/tf-core.es2017.min.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(site_url)
    status = page.locator("[data-testid=status][data-state=error]")
    status.wait_for(timeout=READY_TIMEOUT_MS)
    assert status.text_content().startswith("Could not start: ")
    assert "tf-core.es2017.min.js" in status.text_content()
    context.close()


def test_a_downloaded_model_works_offline(app, classify, seven):
    path, label = seven
    wait_for_offline_state(app, "ready")
    classify(app, upload_files(app, path))
    classify(app, choose(app, "dnn"))
    app.context.set_offline(True)
    app.reload()
    wait_until_ready(app)
    expect(app.get_by_test_id("model-select")).to_have_value(MANIFEST["default"])
    app.get_by_test_id("model-select").select_option("dnn")
    expect_card(app, "dnn")
    assert classify(app, upload_files(app, path)) == label
    expect(app.get_by_test_id("model-card")).to_have_attribute("data-model", "dnn")


@pytest.mark.skipif(not ENSEMBLE, reason="models.json offers no ensemble: it did not beat the best single model")
def test_the_ensemble_downloads_its_members_and_reads_with_them(app, classify, seven):
    path, label = seven
    assert classify(app, upload_files(app, path)) == label
    assert classify(app, choose(app, "ensemble")) == label
    card = app.get_by_test_id("model-card")
    expect(card).to_have_attribute("data-model", "ensemble")
    for text in [f"{ENSEMBLE['params']:,}", f"{ENSEMBLE['bytes']:,} bytes", f"{ENSEMBLE['accuracy']:.2%}"]:
        expect(card).to_contain_text(text)
    names = [ENTRIES[member]["name"] for member in ENSEMBLE["members"]]
    expect(app.get_by_test_id("model-select").locator("option[value=ensemble]")).to_have_text(
        "Ensemble: " + " + ".join(names)
    )
    # Compare lists the members (loaded for the ensemble) and the ensemble itself.
    app.get_by_test_id("compare").click()
    rows = app.get_by_test_id("compare-results").locator("tbody tr")
    expect(rows).to_have_count(len({MANIFEST["default"], *ENSEMBLE["members"]}) + 1)
    assert set(rows.evaluate_all("rows => rows.map((row) => row.dataset.digit)")) == {label}


def test_a_model_chosen_before_the_app_is_saved_offline_is_kept_too(open_app, classify, seven):
    """The service worker's script is held back until dnn has loaded, so dnn comes from the network
    before the worker controls the page; once it does, the page fetches dnn again through it."""
    path, label = seven
    held = []
    app = open_app(viewport={"width": 1280, "height": 900}, routes={"**/sw.js": lambda route: held.append(route)})
    choose(app, "dnn")()
    expect_card(app, "dnn")
    assert len(held) == 1 and not app.evaluate("() => Boolean(navigator.serviceWorker.controller)")
    held[0].continue_()
    wait_for_offline_state(app, "ready")
    app.context.set_offline(True)
    app.reload()
    wait_until_ready(app)
    app.get_by_test_id("model-select").select_option("dnn")
    expect_card(app, "dnn")
    assert classify(app, upload_files(app, path)) == label
