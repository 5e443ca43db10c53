"""The stdlib recorder's Python (sitebuild/stdlib.py record): the page's entry point (main.py) and
preprocess.py used the way the page uses them, then asked which modules Python has imported."""

import sys

from main import prepare  # noqa: F401 (the page calls it, through __export__)


def fail():
    raise RuntimeError("an uncaught error, so that what formats a traceback is imported too")


def modules():
    return sorted(sys.modules)


__export__ = ["prepare", "fail", "modules"]
