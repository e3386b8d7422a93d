"""Without Chromium the browser tests fail and say how to install it; they skip only when told to explicitly."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.reports.support import REPO

TARGET = "tests/reports/test_browser.py::test_drift_report_in_the_browser"


def _pytest(**env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MLPROV_SKIP"))} | env
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", TARGET],
                          cwd=REPO, env=full, capture_output=True, text=True, timeout=300, check=False)


def test_missing_chromium_fails_naming_make_setup_browser() -> None:
    run = _pytest(MLPROV_CHROMIUM="/nonexistent/chromium")
    assert run.returncode == 1, run.stdout
    assert ("/nonexistent/chromium not found: the browser tests need Debian's chromium; run `make setup-browser` "
            "(apt-get install -y chromium), or set MLPROV_SKIP_BROWSER=1 to skip them explicitly") in run.stdout
    assert "1 error" in run.stdout


def test_explicit_opt_out_skips() -> None:
    run = _pytest(MLPROV_CHROMIUM="/nonexistent/chromium", MLPROV_SKIP_BROWSER="1")
    assert run.returncode == 0, run.stdout
    assert "1 skipped" in run.stdout
