"""The review report shows the forecast (offline without AWS, online with it) and its blockers block the verdict."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mlprov.reports import gate

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install
from tests.reports.htmlparse import read
from tests.reports.support import clean_gate

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"


def _page(name: str) -> str:
    return str(read((Path(os.environ["MLPROV_REPORTS_DIR"]) / name / "review.html").read_text()).text)


def test_review_report_lists_the_forecast_and_blocks_on_a_blocker(endpoint: str, scratch: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    name = STARTER.replace("s001", "s981")
    config = install(scratch, STARTER, {"app_id": "s981"}, as_name=name)
    monkeypatch.setattr(gate, "engine_runner", lambda: lambda _p: clean_gate(name))
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_ACCESS_KEY_ID"):
        monkeypatch.delenv(key, raising=False)
    assert run_cli(monkeypatch, "create-review-report", str(config)) == 1  # renderings are JSON here: stale
    text = _page(name)
    assert "offline: only what the config and template decide (no AWS endpoint or credentials given)" in text
    assert "MLPROV-F002" in text and "MLPROV-F001" not in text
    capsys.readouterr()

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    client(endpoint, "iam", "us-east-1").create_role(RoleName="startupco-dev-s981-use1-fraud-detection-ml-sagemaker",
                                                     AssumeRolePolicyDocument="{}")
    assert run_cli(monkeypatch, "create-review-report", str(config), "--endpoint-url", endpoint) == 1
    out = capsys.readouterr().out.splitlines()
    blocker = [line for line in out if "forecast: MLPROV-F004" in line]
    assert blocker == ["  - forecast: MLPROV-F004 blocker: SageMakerExecutionRole (AWS::IAM::Role): IAM role "
                       "startupco-dev-s981-use1-fraud-detection-ml-sagemaker already exists outside stack "
                       "startupco-dev-s981-use1-fraud-detection-ml; the create fails with AlreadyExists (fix: delete it, "
                       "or rename the product (organization, app_id, use_case))"]
    text = _page(name)
    assert "online: the config, the template and read-only AWS checks" in text and "MLPROV-F001" in text
