"""The reports in headless Chromium: no console errors, no request but the page itself, the verdict, findings and
resources visible, markup from configs and tools shown as text (no dialog). Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mlprov.reports import drift_html
from mlprov.reports.review import write

from tests.reports.browse import screenshot, visit
from tests.reports.support import (
    ENTERPRISE,
    IMG,
    PROFESSIONAL,
    SCRIPT,
    STARTER,
    blocked_gate,
    clean_gate,
    data_loss_preview,
    drift_report,
    finding,
    marked_up_repo,
    preview,
    review,
    waiver,
)


def _enterprise_review() -> Any:
    from datetime import date

    gate = blocked_gate()
    f, _w = gate.waived[0]
    gate.waived.append((f, waiver("CKV_AWS_117", date(2026, 10, 31), "build projects reach the internet through the proxy")))
    return review(ENTERPRISE, gate, state=data_loss_preview())


CASES = {
    STARTER: (lambda: review(STARTER, None, "skipped (--no-gate)"), "UNKNOWN — gate not run (not ready)"),
    PROFESSIONAL: (lambda: review(PROFESSIONAL, clean_gate(PROFESSIONAL), state=preview(no_changes=True, name=PROFESSIONAL)),
                   "READY to deploy"),
    ENTERPRISE: (_enterprise_review, "BLOCKED — 3 reason(s)"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_review_report_in_the_browser(name: str, browser: Any, tmp_path: Path) -> None:
    build, headline = CASES[name]
    path = write(build(), tmp_path)
    v = visit(browser, path)
    v.assert_clean(path.resolve().as_uri())
    page = v.page
    assert page.locator("#verdict-status").is_visible()
    assert page.locator("#verdict-status").inner_text() == headline
    assert page.locator("#resource-table").is_visible()
    assert page.locator("#resource-table").get_by_text("ModelPackageGroup", exact=True).is_visible()
    assert page.locator("#resource-graph").is_visible()
    assert page.locator("#resource-graph g.node").count() == len(build().template["Resources"])
    if name == ENTERPRISE:
        assert page.locator("#findings").is_visible()
        assert page.locator("#findings").get_by_text("CKV_AWS_111", exact=True).is_visible()
        assert page.locator("#waivers").get_by_text("EXPIRED", exact=True).is_visible()
        assert page.get_by_text("DATA-LOSS RISK: ArtifactsBucket (AWS::S3::Bucket) would be replaced").first.is_visible()
    else:
        assert page.locator("#findings").count() == 0
    screenshot(v, f"review-{name}.png", "review-report.png" if name == ENTERPRISE else None)
    screenshot(v, f"review-{name}-full.png", full_page=True)
    v.page.context.close()


def test_markup_from_config_and_tools_shows_as_text_and_runs_nothing(browser: Any, tmp_path: Path) -> None:
    marked_up_repo(tmp_path / "repo")
    gate = clean_gate(STARTER)
    gate.findings = [finding(message=SCRIPT, resource=IMG, product=STARTER)]
    path = write(review(STARTER, gate, root=tmp_path / "repo"), tmp_path / "reports")
    v = visit(browser, path)
    v.assert_clean(path.resolve().as_uri())  # among others: no dialog fired
    page = v.page
    assert page.get_by_text(f"{SCRIPT} {IMG}", exact=True).is_visible()
    assert page.locator("#findings").get_by_text(SCRIPT, exact=True).is_visible()
    assert page.locator("#findings").get_by_text(IMG, exact=True).is_visible()
    assert page.locator("img").count() == 0 and page.locator("script").count() == 0
    screenshot(v, "review-markup.png")
    v.page.context.close()


def test_drift_report_in_the_browser(browser: Any, tmp_path: Path) -> None:
    report = drift_report()
    report.resources[1].differences[0].actual = SCRIPT
    path = drift_html.write(report, tmp_path)
    v = visit(browser, path)
    v.assert_clean(path.resolve().as_uri())
    page = v.page
    assert page.locator("#drift-status").inner_text() == "DRIFTED"
    assert page.locator("#coverage").inner_text().startswith("coverage") and "83.3%" in page.locator("#coverage").inner_text()
    table = page.locator("#drift-table")
    assert table.get_by_text("Suspended", exact=True).is_visible()
    assert table.get_by_text(SCRIPT, exact=True).is_visible()
    assert table.locator(".st-DELETED").count() == 1 and table.locator(".st-IN_SYNC").count() == 2
    screenshot(v, "drift-built.png")
    v.page.context.close()
