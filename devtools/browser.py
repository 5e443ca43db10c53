"""Chromium for the export checks, the tests and the benchmark: Debian's package where it is installed
(or $CHROMIUM), else Playwright's own browser."""

import os
import shutil

# Flags for a headless browser on a server: no sandbox (containers), no GPU, no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path():
    """$CHROMIUM, else Debian's chromium, else None (Playwright's bundled browser)."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright, **options):
    """A headless Chromium from a started Playwright (sync API)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True, **options)


def launch_chromium_profile(playwright, user_data_dir, **options):
    """A headless Chromium on its own new profile in user_data_dir; returns its browser context.

    Unlike a new context of launch_chromium's browser, whose in-memory HTTP cache refuses files of a few
    MB, the profile has a disk cache, as a person's browser does."""
    return playwright.chromium.launch_persistent_context(
        user_data_dir, executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True, **options
    )


# The site's worker that runs TF.js (site/model.worker.js): a page's init script does not reach it.
MODEL_WORKER = "**/model.worker.js"


def report_cores(context, cores):
    """Pages of a Playwright browser context, and the site's model worker, see a device with `cores` cores
    (navigator.hardwareConcurrency): TF.js's threaded wasm takes half of them, so a 2-core machine can
    show what a 4-core phone gets. The worker is told by a line put before its script."""
    navigator = "(self.WorkerNavigator || self.Navigator).prototype"
    script = f"Object.defineProperty({navigator}, 'hardwareConcurrency', {{ get: () => {int(cores)} }});\n"
    context.add_init_script(script)

    def told(route):
        response = route.fetch()
        route.fulfill(response=response, body=script + response.text())

    context.route(MODEL_WORKER, told)
