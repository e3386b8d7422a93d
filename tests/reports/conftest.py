"""Fixtures of the report tests: no AWS unless a test asks for the local endpoint, and a headless Chromium.

The browser tests need Debian's chromium (`make setup-browser`); without it they FAIL with that hint, unless
MLPROV_SKIP_BROWSER=1 says explicitly to skip them. Playwright drives the system browser: its own browser
download is never used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mlprov.reports.changes import CREDENTIAL_ENV

from tests.aws.conftest import endpoint, scratch  # noqa: F401 - the local AWS endpoint for the slow tests

CHROMIUM = Path(os.environ.get("MLPROV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _no_aws_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials or endpoint from the environment (another test module may have set some), and never the
    instance metadata service."""
    for key in (*CREDENTIAL_ENV, "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def local_aws(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811 - the imported fixture
    """The local endpoint with credentials that cannot reach AWS."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    return endpoint


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if os.environ.get("MLPROV_SKIP_BROWSER") == "1":
        pytest.skip("browser tests skipped: MLPROV_SKIP_BROWSER=1")
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's chromium; run `make setup-browser` "
                    "(apt-get install -y chromium), or set MLPROV_SKIP_BROWSER=1 to skip them explicitly", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: run `make setup-python` (it is a dev dependency)", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
