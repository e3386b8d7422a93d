"""The live-state checks cover every resource type of the enterprise and starter stacks on the local endpoint, and
each governed property removed or changed out of band is reported for the resource it belongs to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install

ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"

pytestmark = pytest.mark.slow


def _physical(cfn: Any, stack: str) -> dict[str, str]:
    summaries = cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}


def _drift(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], config: Path, endpoint: str,
           code: int) -> dict[str, Any]:
    capsys.readouterr()
    assert run_cli(monkeypatch, "check-drift", str(config), "--format", "json", "--endpoint-url", endpoint) == code
    drift: dict[str, Any] = json.loads(capsys.readouterr().out)
    return drift


def test_enterprise_every_resource_checked_and_security_edits_found(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    region, stack = "eu-west-1", "globalbank-prod-b812-euw1-demand-forecasting-ml"
    config = install(scratch, ENTERPRISE, {"app_id": "b812"}, network=enterprise_network(endpoint, region),
                     as_name=ENTERPRISE.replace("b002", "b812"))
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    clean = _drift(monkeypatch, capsys, config, endpoint, 0)
    assert clean["counts"]["NOT_CHECKED"] == 0, [r for r in clean["resources"] if r["status"] == "NOT_CHECKED"]
    assert clean["verdict"] == "IN_SYNC"
    # coverage counts resources whose properties were compared: these 4 (of 48 rows: the 47 resources and the
    # stack's own row) are read for existence only
    assert clean["existence_only"] == ["ModelBuildRepository", "ModelDeployRepository", "ModelPackageGroup",
                                       "MonitoringDashboard"]
    assert len(clean["resources"]) == 48
    assert clean["coverage_percent"] == round(100 * 44 / 48, 1)

    ids = _physical(client(endpoint, "cloudformation", region), stack)
    client(endpoint, "s3", region).delete_bucket_policy(Bucket=ids["ArtifactsBucket"])
    client(endpoint, "events", region).disable_rule(Name=ids["BuildTriggerRule"])
    client(endpoint, "cloudwatch", region).delete_alarms(AlarmNames=[ids["AccessDeniedAlarm"]])
    client(endpoint, "logs", region).delete_metric_filter(logGroupName=ids["ComplianceLogGroup"],
                                                          filterName=ids["BuildErrorMetricFilter"])
    client(endpoint, "sns", region).unsubscribe(SubscriptionArn=ids["SecurityAlertsSubscription"])

    drift = _drift(monkeypatch, capsys, config, endpoint, 1)
    status = {r["logical_id"]: r["status"] for r in drift["resources"]}
    assert {k: status[k] for k in ("ArtifactsBucketPolicy", "AccessDeniedAlarm", "BuildErrorMetricFilter",
                                   "SecurityAlertsSubscription", "BuildTriggerRule")} == {
        "ArtifactsBucketPolicy": "DELETED", "AccessDeniedAlarm": "DELETED", "BuildErrorMetricFilter": "DELETED",
        "SecurityAlertsSubscription": "DELETED", "BuildTriggerRule": "DRIFTED"}
    rule = next(r for r in drift["resources"] if r["logical_id"] == "BuildTriggerRule")
    assert rule["differences"] == [{"property": "State", "expected": "ENABLED", "actual": "DISABLED", "source": "live"}]
    assert status["AccessDeniedMetricFilter"] == status["KmsKeyAlias"] == status["BuildProject"] == "IN_SYNC"


def test_starter_inline_policy_removed_from_its_role(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    region, stack = "us-east-1", "startupco-dev-s812-use1-fraud-detection-ml"
    # its own existing artifact bucket: moto's state is shared by every test of the process
    config = install(scratch, STARTER, {"app_id": "s812", "artifact_bucket": "livecheck-s812-artifacts"},
                     as_name=STARTER.replace("s001", "s812"))
    client(endpoint, "s3", region).create_bucket(Bucket=_artifact_bucket(config))
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
    assert _drift(monkeypatch, capsys, config, endpoint, 0)["counts"]["NOT_CHECKED"] == 0

    template = json.loads((config.with_suffix("") / "template.yaml").read_text())
    policy = template["Resources"]["StarterPipelinePolicy"]["Properties"]
    ids = _physical(client(endpoint, "cloudformation", region), stack)
    build_role, pipeline_role = (ids[r["Ref"]] for r in policy["Roles"])
    iam = client(endpoint, "iam", region)
    iam.delete_role_policy(RoleName=build_role, PolicyName=policy["PolicyName"])
    drift = _drift(monkeypatch, capsys, config, endpoint, 1)
    row = next(r for r in drift["resources"] if r["logical_id"] == "StarterPipelinePolicy")
    assert row["status"] == "DRIFTED"
    assert row["differences"] == [{"property": "Roles", "expected": sorted([build_role, pipeline_role]),
                                   "actual": [pipeline_role], "source": "live"}]
    iam.delete_role_policy(RoleName=pipeline_role, PolicyName=policy["PolicyName"])
    gone = _drift(monkeypatch, capsys, config, endpoint, 1)
    assert next(r for r in gone["resources"] if r["logical_id"] == "StarterPipelinePolicy")["status"] == "DELETED"


def _artifact_bucket(config: Path) -> str:
    import yaml

    return str(yaml.safe_load(config.read_text())["artifact_bucket"])
