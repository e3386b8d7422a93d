"""The sticky comment and the drift issue built from the reports: marker, summary first, size limit, details."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.aws.changeset import ChangeSet
from mlprov.aws.plan import write_reports
from mlprov.aws.preview import Preview, Row
from mlprov.gitops.comment import DRIFT_MARKER, PLAN_MARKER, drift_issue, plan_comment
from mlprov.gitops.identity import Identity
from mlprov.gitops.review import write_record

from tests.gitops.cli_support import run_cli

IDENT = Identity("a" * 64, "b" * 64, "2026-01-02T03:04:05.000000Z")


def _preview(product: str, rows: int, data_loss: bool = False) -> Preview:
    out = [Row(f"Resource{i:04d}", "AWS::IAM::Role", "Modify", "False", ["Policies"]) for i in range(rows)]
    if data_loss:
        out.insert(0, Row("ArtifactsBucket", "AWS::S3::Bucket", "Modify", "True", ["BucketName"], data_loss=True))
    return Preview(product, f"{product}-stack", "UPDATE", out, no_changes=not out)


def _write(reports: Path, preview: Preview, reviewed: bool = True) -> None:
    write_reports(preview, reports)
    if reviewed:
        write_record(reports, preview, ChangeSet("arn:cs", preview.stack, "UPDATE"), IDENT, commit="abc123")


def test_summary_first_then_details(tmp_path: Path) -> None:
    _write(tmp_path, _preview("alpha", 2, data_loss=True))
    _write(tmp_path, _preview("beta", 0))
    _write(tmp_path, _preview("gamma", 1), reviewed=False)
    body = plan_comment(tmp_path)
    lines = body.splitlines()
    assert lines[0] == PLAN_MARKER
    assert lines[3] == "3 product(s) previewed: **2** with changes, 1 without, **1 with DATA-LOSS RISK**."
    assert lines[5] == "- :warning: **DATA-LOSS RISK** in `alpha`: `ArtifactsBucket`"
    assert "| `alpha` | `alpha-stack` | UPDATE | 0 | 2 | 1 | 0 | `mlprov-review-" + IDENT.digest[:12] + "` |" in lines
    assert "| `beta` | `beta-stack` | - | 0 | 0 | 0 | 0 | - |" in lines
    assert "| `gamma` | `gamma-stack` | UPDATE | 0 | 1 | 0 | 0 | - |" in lines
    assert body.index("| product |") < body.index("<details>")
    assert "<details><summary><code>alpha</code>: 2 modify, 1 replace</summary>" in lines
    assert ("Kept change set `mlprov-review-" + IDENT.digest[:12] + "`: template sha256 `aaaaaaaaaaaa`, parameters sha256 "
            "`bbbbbbbbbbbb`, stack last updated `2026-01-02T03:04:05.000000Z`.") in lines
    assert "| replace **DATA-LOSS RISK** | `ArtifactsBucket` | `AWS::S3::Bucket` | True | `BucketName` |" in lines
    assert "<code>beta</code>" not in body  # no details for a product without changes


def test_under_githubs_limit_with_a_note(tmp_path: Path) -> None:
    for i in range(12):
        _write(tmp_path, _preview(f"product-{i:02d}", 150))
    body = plan_comment(tmp_path)
    full = plan_comment(tmp_path, full=True)
    assert len(body) <= 65_536 < len(full)
    shown = body.count("<details>")
    assert 0 < shown < 12 and full.count("<details>") == 12
    assert body.rstrip().endswith(f"_{12 - shown} product(s)' details not shown (comment limit of 65536 characters); "
                                  "the job summary has them all._")
    assert sum(line.startswith("| `product-") for line in body.splitlines()) == 12  # the summary lists every product


def test_only_the_given_products(tmp_path: Path) -> None:
    _write(tmp_path, _preview("alpha", 1))
    _write(tmp_path, _preview("beta", 1))
    body = plan_comment(tmp_path, ["beta", "missing"])
    assert "1 product(s) previewed" in body and "`alpha`" not in body


def _drift(reports: Path, product: str, drifted: bool) -> None:
    folder = reports / product
    folder.mkdir(parents=True)
    status = "DRIFTED" if drifted else "IN_SYNC"
    counts = {"IN_SYNC": 3, "DRIFTED": 1 if drifted else 0, "DELETED": 0, "NOT_CHECKED": 1}
    (folder / "drift.json").write_text(json.dumps({"product": product, "stack": f"{product}-stack", "drifted": drifted,
                                                   "coverage_percent": 80.0, "counts": counts}))
    (folder / "drift.md").write_text(f"<!-- mlprov:drift -->\n### mlprov drift report: `{product}`\n\n| {status} | `Bucket` |\n")


def test_drift_issue(tmp_path: Path) -> None:
    _drift(tmp_path, "alpha", drifted=True)
    _drift(tmp_path, "beta", drifted=False)
    body, drifted = drift_issue(tmp_path)
    lines = body.splitlines()
    assert drifted is True
    assert lines[0] == DRIFT_MARKER
    assert lines[3] == "2 product(s) checked: **1 drifted**."
    assert "| `alpha` | `alpha-stack` | DRIFTED | 1 | 0 | 3 | 1 | 80.0% |" in lines
    assert "<details><summary><code>alpha</code></summary>" in lines
    assert "<code>beta</code>" not in body and "<!-- mlprov:drift -->" not in body


def test_no_drift(tmp_path: Path) -> None:
    _drift(tmp_path, "beta", drifted=False)
    assert drift_issue(tmp_path)[1] is False


def test_cli_writes_the_body_and_the_full_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    reports = tmp_path / "reports"
    _write(reports, _preview("alpha", 1))
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    out = tmp_path / "comment.md"
    assert run_cli(monkeypatch, "--reports-dir", str(reports), "comment-body", "plan", "--out", str(out),
                   "--summary", str(summary)) == 0
    body = out.read_text()
    assert capsys.readouterr().out == f"wrote {out} ({len(body)} characters)\n"
    assert body.startswith(PLAN_MARKER)
    assert summary.read_text() == "earlier step\n" + plan_comment(reports, full=True) + "\n"
    assert run_cli(monkeypatch, "--reports-dir", str(reports), "comment-body", "plan", "--products", "alpha beta") == 0
    assert capsys.readouterr().out == plan_comment(reports, ["alpha"])


def test_no_products_previewed(tmp_path: Path) -> None:
    """A push that leaves the PR affecting no product still updates the comment, saying so."""
    _write(tmp_path, _preview("alpha", 1))
    for body in (plan_comment(tmp_path, []), plan_comment(tmp_path / "missing")):
        assert body.splitlines()[3] == "0 product(s) previewed: **0** with changes, 0 without."
        assert "<details>" not in body and "| product |" not in body
