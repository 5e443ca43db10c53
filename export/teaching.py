"""How much the page learns a hand from ten corrections, measured through its own model worker.

    python -m export.teaching [--digits test|validation] [--writers 100] [--mnist-checks 10] [--seed 0]

Writers with a style each (training/writers.py) write 2 of every digit, from MNIST's test digits (or
from the validation split, where choices are made); the page's preprocessing (site/py/preprocess.py)
frames each digit as the page does. For each writer, the page's model worker (site/model.worker.js,
with models.json's default model, in Chromium) reads the ten digits that are not taught with nothing
taught; then one digit of each kind, the writer's other ten, is taught as the page teaches it: the
worker learns the hand's style from them (site/py/style.py) and reads the ten again. The same set's
MNIST digits, as they are, are read with nothing taught and with the first --mnist-checks writers'
teaching: teaching a hand must not cost anyone else's."""

import sys
from pathlib import Path

import numpy as np

from training.cli import ArgumentParser, load_mnist_or_exit
from training.config import DEFAULTS
from training.data import split_validation
from training.writers import writers

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "site" / "py"))  # site/ is not a package; preprocess.py runs in Pyodide too

import preprocess  # noqa: E402
import style  # noqa: E402

RUN = Path(__file__).with_name("teaching_run.js")
PER_DIGIT = 2  # each writer writes two of every digit: one is taught, the other read


def framed(ink):
    """A writer's 48x48 ink as the page's model input (784 floats), framed by the page's preprocessing."""
    return preprocess.frame(ink.ravel().tolist(), ink.shape[1], ink.shape[0])


def measure(site_dir, entry, writer_inputs, mnist_inputs, mnist_checks):
    """The digits the page's model worker reads: {mnist: with nothing taught, writers: [{style, before,
    after, mnist (for the writers in mnist_checks)}]}. writer_inputs: per writer (taught inputs, their
    labels, other inputs); the inputs are 784 floats each."""
    from playwright.sync_api import sync_playwright

    from devtools.browser import launch_chromium
    from devtools.serve import serve_in_thread

    served = {}

    def serve(name, inputs):
        served[name] = np.asarray(inputs, dtype="<f4").tobytes()
        return name

    def corrected(inputs, learned):
        return None if learned is None else serve("corrected", [style.corrected(digit, *learned) for digit in inputs])

    server, url = serve_in_thread(root=site_dir, port=0, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.set_default_timeout(0)
            page.route(
                f"{url}teaching.html", lambda route: route.fulfill(content_type="text/html", body="<!doctype html>")
            )
            page.route(f"{url}digits/*", lambda route: route.fulfill(body=served[route.request.url.rsplit("/", 1)[1]]))
            page.goto(f"{url}teaching.html")
            page.evaluate(RUN.read_text(), {"entry": entry})

            def call(method, *arguments):
                return page.evaluate(f"(arguments) => teaching.{method}(...arguments)", list(arguments))

            mnist = [digit.ravel().tolist() for digit in mnist_inputs]
            results = {"mnist": call("read", serve("mnist", mnist), None), "writers": []}
            for index, (taught, labels, others) in enumerate(writer_inputs):
                serve("others", others)
                call("teach", None, [])
                before = call("read", "others", None)
                call("teach", serve("taught", taught), labels)
                tried = serve("candidates", [digit for candidate in style.candidates(taught) for digit in candidate])
                learned = style.learned(call("score", tried, len(style.CANDIDATES), labels))
                row = {"style": learned, "before": before, "after": call("read", "others", corrected(others, learned))}
                if index in mnist_checks:
                    row["mnist"] = call("read", "mnist", corrected(mnist, learned))
                results["writers"].append(row)
            browser.close()
    finally:
        server.shutdown()
    return results


def main(argv=None):
    parser = ArgumentParser(prog="python -m export.teaching", description=__doc__.splitlines()[0])
    parser.add_argument("--digits", choices=["test", "validation"], default="test")
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--mnist-checks", type=int, default=10, help="writers whose teaching MNIST is read with")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the writers' styles and digits")
    parser.add_argument("--site", default=str(REPO / "site"))
    parser.add_argument("--data-dir", default=None, help="MNIST folder (else $MNIST_DIR, else the cache)")
    args = parser.parse_args(argv)
    if not 0 <= args.mnist_checks <= args.writers:
        parser.error(f"--mnist-checks {args.mnist_checks}: from 0 to the {args.writers} writers")
    from export.manifest import read_manifest

    manifest_path = Path(args.site) / "models" / "models.json"
    if not manifest_path.is_file():
        parser.error(f"{manifest_path}: missing: no exported models (run `python -m export`)")
    manifest = read_manifest(manifest_path)
    entry = next(model for model in manifest["models"] if model["id"] == manifest["default"])
    mnist = load_mnist_or_exit(parser, args.data_dir)
    if args.digits == "test":
        images, labels = mnist.x_test, mnist.y_test
    else:
        _, (images, labels) = split_validation(mnist.x_train, mnist.y_train, DEFAULTS["val_size"], DEFAULTS["seed"])
    try:
        drawn = writers(images, labels, args.writers, PER_DIGIT, args.seed)
    except ValueError as error:
        parser.error(str(error))

    writer_inputs = []
    for _, ink, digit_labels in drawn:
        inputs = [framed(digit) for digit in ink]
        # The first of each digit is taught, the second read.
        writer_inputs.append((inputs[::PER_DIGIT], digit_labels[::PER_DIGIT].tolist(), inputs[1::PER_DIGIT]))
    checks = list(range(args.mnist_checks))
    results = measure(args.site, entry, writer_inputs, images.astype("float32") / 255.0, checks)

    others = np.concatenate([written[1::PER_DIGIT] for _, _, written in drawn])
    before = np.concatenate([row["before"] for row in results["writers"]]) == others
    after = np.concatenate([row["after"] for row in results["writers"]]) == others
    print(
        f"{args.writers} writers, {entry['id']}, MNIST {args.digits} digits: one of each digit taught, the other read"
    )
    print(f"  their other digits: {before.mean():.2%} before teaching, {after.mean():.2%} after ({len(others)} digits)")
    styled = sum(row["style"] is not None for row in results["writers"])
    print(f"  a style learned for {styled} of the {args.writers} writers (the rest read best as written)")
    alone = np.mean(np.array(results["mnist"]) == labels)
    taught = [np.mean(np.array(row["mnist"]) == labels) for row in results["writers"] if "mnist" in row]
    line = f"  MNIST {args.digits} ({len(labels):,} digits): {alone:.2%} with nothing taught"
    if taught:
        line += f"; with a writer's ten taught: {np.mean(taught):.2%} on average, {min(taught):.2%} at least"
    print(line)


if __name__ == "__main__":
    main()
