"""Open a report in headless Chromium and record everything that would show a problem."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.reports.conftest import artifact

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE_DOCS = "MLPROV_UPDATE_SCREENSHOTS"


@dataclass
class Visit:
    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self, url: str) -> None:
        assert self.console_errors == [] and self.page_errors == [], (self.console_errors, self.page_errors)
        assert self.failed == [], self.failed
        assert self.requests == [url], self.requests  # the page itself and nothing else: no external assets
        assert self.dialogs == [], self.dialogs


def visit(browser: Any, path: Path, width: int = 1400, height: int = 1000) -> Visit:
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=True)
    page = context.new_page()
    v = Visit(page)
    page.on("console", lambda m: v.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: v.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: v.failed.append(r.url))
    page.on("request", lambda r: v.requests.append(r.url))

    def on_dialog(d: Any) -> None:
        v.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.resolve().as_uri(), wait_until="load")
    return v


def screenshot(v: Visit, name: str, docs_name: str | None = None, full_page: bool = False) -> Path:
    """Save to test-artifacts/; with MLPROV_UPDATE_SCREENSHOTS=1 also to docs/screenshots/<docs_name>."""
    import os

    out = artifact(name)
    v.page.screenshot(path=str(out), full_page=full_page)
    if docs_name and os.environ.get(UPDATE_DOCS) == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, DOCS / docs_name)
    return out
