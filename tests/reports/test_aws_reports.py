"""On the local endpoint: the review report's change preview (none before a deploy, data-loss flags after an
edit, no change set left behind, no secret in the log or page) and check-drift --format html in the browser."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from mlprov.commands import delete_product
from mlprov.reports import gate

from tests.aws.conftest import client, install, write_template
from tests.reports.browse import screenshot, visit
from tests.reports.cli_support import run_cli
from tests.reports.htmlparse import read
from tests.reports.support import PROFESSIONAL as SHIPPED
from tests.reports.support import clean_gate

# its own app id: moto's state is shared by every test of a worker, and other tests deploy the shipped a001
PROFESSIONAL = SHIPPED.replace("-a001-", "-a811-")
STACK = "techcorp-prod-a811-usw2-customer-churn-ml"
REGION = "us-west-2"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue1234567890"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def _reports() -> Path:
    return Path(os.environ["MLPROV_REPORTS_DIR"])


def _physical(cfn: Any, logical_id: str) -> str:
    summaries = cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    return str(next(r["PhysicalResourceId"] for r in summaries if r["LogicalResourceId"] == logical_id))


def _review(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], config: Path, endpoint: str) -> tuple[int, str, str]:
    code = run_cli(monkeypatch, "create-review-report", str(config), "--endpoint-url", endpoint)
    out = capsys.readouterr().out
    return code, out, read((_reports() / PROFESSIONAL / "review.html").read_text()).text


@pytest.mark.slow
def test_review_preview_and_drift_page_on_the_local_endpoint(local_aws: str, scratch: Path, browser: Any,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = local_aws
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    monkeypatch.setattr(gate, "engine_runner", lambda: lambda _p: clean_gate(PROFESSIONAL))
    config = install(scratch, SHIPPED, {"app_id": "a811"}, as_name=PROFESSIONAL)
    cfn = client(endpoint, "cloudformation", REGION)

    # nothing deployed yet: no preview, and no stack left behind by asking
    code, out, text = _review(monkeypatch, capsys, config, endpoint)
    assert "no stack deployed: preview not available" in text
    assert not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == STACK]
    for log in (_reports() / "logs").glob("*-create-review-report.log"):
        assert SECRET not in log.read_text() and TOKEN not in log.read_text() and KEY_ID not in log.read_text()
    page = (_reports() / PROFESSIONAL / "review.html").read_text()
    assert SECRET not in page and TOKEN not in page and KEY_ID not in page

    # deployed, unchanged: the preview says so (the moto-reduced template is reported stale, as it is)
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    capsys.readouterr()
    code, out, text = _review(monkeypatch, capsys, config, endpoint)
    assert f"{STACK}: no changes" in text
    assert code == 1 and f"  - stale rendering: products/{PROFESSIONAL}/template.yaml (out of date); run `mlprov render`" in out

    # a replacement of the stateful bucket: flagged, and the preview's change set is gone afterwards
    def rename(t: dict[str, Any]) -> None:
        t["Resources"]["ArtifactsBucket"]["Properties"]["BucketName"] += "-v2"

    write_template(config, rename)
    code, out, text = _review(monkeypatch, capsys, config, endpoint)
    assert code == 1 and "  - DATA-LOSS RISK: ArtifactsBucket (AWS::S3::Bucket) would be replaced" in out
    assert "DATA-LOSS RISK" in text and f"{STACK} (UPDATE):" in text
    pending = [s for s in cfn.list_change_sets(StackName=STACK)["Summaries"]  # moto lists every stack's sets
               if s.get("ExecutionStatus") == "AVAILABLE" and s["StackName"] == STACK]
    assert pending == []
    write_template(config)

    # out-of-band edits, then the drift report as a page
    prefix = f"/mlprov/{STACK}"
    client(endpoint, "ssm", REGION).put_parameter(Name=f"{prefix}/ModelPackageGroupArn", Value="tampered", Overwrite=True)
    client(endpoint, "s3", REGION).put_bucket_versioning(Bucket=_physical(cfn, "ArtifactsBucket"),
                                                         VersioningConfiguration={"Status": "Suspended"})
    assert run_cli(monkeypatch, "check-drift", str(config), "--format", "html", "--endpoint-url", endpoint) == 1
    folder = _reports() / PROFESSIONAL
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"reports: {folder / 'drift.md'} {folder / 'drift.json'} {folder / 'drift.html'}"
    drift = json.loads((folder / "drift.json").read_text())
    html = read((folder / "drift.html").read_text())
    assert "DRIFTED" in html.text and "Suspended" in html.text and "tampered" in html.text
    assert f"{drift['coverage_percent']:.1f}%" in html.text
    v = visit(browser, folder / "drift.html", height=1100)
    v.assert_clean((folder / "drift.html").resolve().as_uri())
    assert v.page.locator("#drift-status").inner_text() == "DRIFTED"
    assert v.page.locator("#drift-table").get_by_text("Suspended", exact=True).is_visible()
    screenshot(v, "drift-moto.png", "drift-report.png")
    v.page.context.close()

    client(endpoint, "ssm", REGION).put_parameter(Name=f"{prefix}/ModelPackageGroupArn", Value="x", Overwrite=True)
    monkeypatch.setattr(delete_product, "terminal_confirm", lambda: lambda _prompt: True)  # prod: a terminal, answered yes
    assert run_cli(monkeypatch, "delete-product", str(config), "--force", "--disable-termination-protection",
                   "--endpoint-url", endpoint) == 0


def test_review_of_a_deploy_that_would_fail_preflight_is_blocked(local_aws: str, scratch: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An enterprise config naming a VPC and subnets the local account does not have (ids no other test seeds: moto's
    state is shared within a worker): the deploy's pre-flight would refuse it, so the review is BLOCKED, not READY."""
    from tests.reports.support import ENTERPRISE

    monkeypatch.setattr(gate, "engine_runner", lambda: lambda _p: clean_gate(ENTERPRISE))
    network = {"vpc_id": "vpc-0a1b2c3d4e5f67814", "subnet_ids": ["subnet-0a1b2c3d4e5f67815", "subnet-0a1b2c3d4e5f67816"]}
    config = install(scratch, ENTERPRISE, {"app_id": "b814"}, network=network, as_name=ENTERPRISE.replace("b002", "b814"))
    code = run_cli(monkeypatch, "create-review-report", str(config), "--endpoint-url", local_aws)
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].startswith(f"{config.stem}: BLOCKED — ")  # also stale: the test commits a JSON rendering
    where = "(network.vpc_id/subnet_ids) does not exist"
    assert [line for line in out if "pre-flight" in line] == [
        f"  - pre-flight: VPC vpc-0a1b2c3d4e5f67814 {where}", f"  - pre-flight: subnet subnet-0a1b2c3d4e5f67815 {where}",
        f"  - pre-flight: subnet subnet-0a1b2c3d4e5f67816 {where}"]
