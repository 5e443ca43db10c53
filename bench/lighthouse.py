"""Lighthouse's mobile performance audit of the app (npm's lighthouse, pinned in package-lock.json, on the
same Chromium): its score and the metrics it is made of, per run."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from devtools.browser import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
# The metrics the performance score weighs, by Lighthouse's audit ids.
METRICS = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "speed-index": "speed_index_ms",
    "cumulative-layout-shift": "cls",
}
RUN_TIMEOUT_S = 300


def performance(report):
    """A Lighthouse JSON report -> {"score": 0-100, fcp_ms, lcp_ms, tbt_ms, speed_index_ms, cls}."""
    metrics = {name: report["audits"][audit]["numericValue"] for audit, name in METRICS.items()}
    return {"score": round(report["categories"]["performance"]["score"] * 100), **metrics}


def audit(url, chromium):
    """One Lighthouse run (mobile: an emulated phone, simulated slow 4G and a 4x slower CPU) of url, in the
    Chromium at path `chromium`."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    with tempfile.TemporaryDirectory(prefix="digitlens-lighthouse-") as scratch:
        out = Path(scratch) / "report.json"
        command = [str(LIGHTHOUSE), url, "--quiet", "--only-categories=performance", "--output=json"]
        command += [f"--output-path={out}", f"--chrome-flags={flags}"]
        env = dict(os.environ, CHROME_PATH=chromium)
        subprocess.run(command, check=True, env=env, timeout=RUN_TIMEOUT_S, capture_output=True)
        return performance(json.loads(out.read_text()))
