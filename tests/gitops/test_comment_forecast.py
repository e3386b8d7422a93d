"""The plan comment lists the forecast's blockers and warnings (with codes), even without a preview."""

from __future__ import annotations

from pathlib import Path

from mlprov.forecast import report
from mlprov.forecast.model import finding
from mlprov.gitops.comment import plan_comment


def test_blockers_and_warnings_with_their_codes(tmp_path: Path) -> None:
    report.write([finding("MLPROV-F001", "info", "deploying as account 1"),
                  finding("MLPROV-F012", "blocker", "StsEndpoint: VPC vpc-1 already has vpce-1", "use the VPC's endpoint")],
                 tmp_path, "prod-a", online=True)
    report.write([finding("MLPROV-F003", "warning", "service role missing", "run `mlprov bootstrap`")], tmp_path, "prod-b",
                 online=True)
    report.write([finding("MLPROV-F002", "info", "template inline")], tmp_path, "prod-c", online=False)
    body = plan_comment(tmp_path)
    lines = body.splitlines()
    start = lines.index("### Forecast: what AWS would refuse")
    assert lines[start + 1:start + 8] == [
        "",
        "**1 product(s) blocked**: the deploy is refused until each blocker is fixed.",
        "",
        "- :no_entry: `prod-a`",
        "  - `MLPROV-F012` blocker: StsEndpoint: VPC vpc-1 already has vpce-1 (fix: use the VPC's endpoint)",
        "- :warning: `prod-b`",
        "  - `MLPROV-F003` warning: service role missing (fix: run `mlprov bootstrap`)",
    ]
    assert "prod-c" not in body and "MLPROV-F001" not in body  # info only: nothing to say


def test_no_forecast_section_when_clean(tmp_path: Path) -> None:
    report.write([finding("MLPROV-F002", "info", "template inline")], tmp_path, "prod-c", online=False)
    assert "Forecast" not in plan_comment(tmp_path)
    assert report.read(tmp_path, "missing") is None
    assert report.lines(report.read(tmp_path, "prod-c") or {}) == ["MLPROV-F002 info: template inline"]
