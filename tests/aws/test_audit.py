"""Issue 12, "Audit": the action log of a deploy that removed two repositories with --allow-data-loss held two
lines (argv, exit code). Now: caller, account, region, change-set id, the change summary, flags and outcome; no
secrets, endpoint credentials masked; a retention bound on the logs folder."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.actionlog import prune, redact
from mlprov.aws.audit import mask_endpoint
from mlprov.config.loader import load_product
from mlprov.local_aws.fixtures import boto3_clients, seed_buckets

from tests.aws.cli_support import run_cli
from tests.aws.conftest import REPO, install, write_template

CC = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
S3_SOURCE = yaml.safe_load((REPO / "products" / "startupco-dev-s002-us-east-1-fraud-detection-ml-s3.yaml").read_text())["source"]
STACK = "startupco-dev-s955-use1-fraud-detection-ml"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def _audit(log: str) -> dict[str, Any]:
    lines = [line for line in log.splitlines() if " INFO mlprov: audit {" in line]
    assert len(lines) == 1, log
    record: dict[str, Any] = json.loads(lines[0].split(" INFO mlprov: audit ", 1)[1])
    return record


def _newest(action: str) -> str:
    return sorted((Path(os.environ["MLPROV_REPORTS_DIR"]) / "logs").glob(f"*-{action}.log"))[-1].read_text()


@pytest.mark.slow
def test_the_data_loss_deploy_log_holds_the_whole_record(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)  # moto accepts any; it must not reach the log
    cc = install(scratch, CC, {"app_id": "s955"}, as_name=CC.replace("s001", "s955"))
    data = yaml.safe_load(cc.read_text())
    data["source"] = S3_SOURCE
    s3 = scratch / "products" / "startupco-dev-s955-us-east-1-fraud-detection-ml-s3.yaml"
    s3.write_text(yaml.safe_dump(data, sort_keys=False))
    write_template(s3)
    seed_buckets(load_product(s3), boto3_clients(endpoint))  # its source bucket, as the forecast (MLPROV-F008) needs
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "deploy-product", str(cc), "--force", *aws) == 0
    assert run_cli(monkeypatch, "deploy-product", str(s3), "--force", "--allow-data-loss", *aws) == 0
    capsys.readouterr()
    log = _newest("deploy-product")
    record = _audit(log)
    assert re.fullmatch(r"arn:aws:cloudformation:us-east-1:123456789012:changeSet/mlprov-\d{8}T\d{12}/[-0-9a-f]+",
                        record.pop("change_set_id"))
    assert record == {
        "action": "deploy", "stack": STACK, "flags": ["--force", "--allow-data-loss"],
        "caller": "arn:aws:sts::123456789012:user/moto", "account": "123456789012", "region": "us-east-1",
        "endpoint": endpoint, "change_type": "UPDATE",
        "counts": {"add": 0, "adopt": 0, "modify": 5, "replace": 0, "remove": 3},
        "changes": [  # the two repositories removed, flagged; the preview's order (each pipeline has its trigger rule)
            "remove ModelBuildRepository (AWS::CodeCommit::Repository) DATA-LOSS RISK",
            "remove ModelDeployRepository (AWS::CodeCommit::Repository) DATA-LOSS RISK",
            "remove RepositoryUrlParameter (AWS::SSM::Parameter)",
            "modify BuildPipeline (AWS::CodePipeline::Pipeline)",
            "modify BuildTriggerRule (AWS::Events::Rule)",
            "modify DeployPipeline (AWS::CodePipeline::Pipeline)",
            "modify DeployTriggerRule (AWS::Events::Rule)",
            "modify StarterPipelinePolicy (AWS::IAM::Policy)",
        ],
        "executed": True, "outcome": "ok",
    }
    assert f"WARNING mlprov: stack policy of {STACK}: allow-all for this change set (--allow-data-loss); " \
           "it is restored when the deploy ends, whatever happens" in log
    assert f"WARNING mlprov: stack policy of {STACK}: the --allow-data-loss override was undone " \
           "(replace/delete denied again on the stateful resources)" in log
    assert SECRET not in log
    assert log.splitlines()[-1].endswith("action deploy-product finished with exit code 0")

    # delete: its own record, the outcome of a refusal included
    assert run_cli(monkeypatch, "delete-product", str(s3), *aws) == 1  # no terminal, no --force
    record = _audit(_newest("delete-product"))
    assert (record["action"], record["flags"], record["executed"]) == ("delete", [], False)
    assert record["outcome"] == f"failed (exit 1): refusing to delete {STACK} without confirmation: no terminal to ask on"
    assert run_cli(monkeypatch, "delete-product", str(s3), "--force", *aws) == 0
    assert _audit(_newest("delete-product"))["outcome"] == "ok"


def test_endpoint_credentials_are_masked() -> None:
    assert mask_endpoint("https://user:p4ss@proxy.example:8443/aws?X-Amz-Signature=abc") == "https://***@proxy.example:8443/aws?***"
    assert mask_endpoint("http://127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert mask_endpoint(None) == ""
    assert redact("endpoint=https://user:p4ss@proxy.example/x key AKIAABCDEFGHIJKLMNOP") == \
        "endpoint=https://***@proxy.example/x key ***"


def test_retention_keeps_the_newest_logs_and_drops_old_ones(tmp_path: Path) -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    names = [(now - timedelta(days=d)).strftime("%Y%m%dT%H%M%S%fZ") + "-gate.log" for d in (0, 1, 2, 3, 100)]
    for n in names:
        (tmp_path / n).write_text("x")
    (tmp_path / "notes.log").write_text("not ours")
    gone = prune(tmp_path, now, keep=3, days=90)
    assert sorted(p.name for p in gone) == sorted(names[3:])  # the 4th newest (over the count), the 100-day-old one
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[:3], "notes.log"])
