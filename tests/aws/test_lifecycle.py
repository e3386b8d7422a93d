"""End to end on the embedded local AWS with the full templates, one config per tier: deploy -> every resource
read back, outputs and SSM verified -> show-changes (modify, then a replacement) -> out-of-band edits ->
check-drift reports each -> delete, retained stores remain."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.commands import delete_product, deploy_product, show_changes
from mlprov.commands._aws_common import committed_template, deployable_template

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install, write_template

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
PROFESSIONAL = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
REGIONS = {STARTER: "us-east-1", PROFESSIONAL: "us-west-2", ENTERPRISE: "eu-west-1"}
# Copies with their own app ids: moto's backends are shared by every test of a process, and the retained stores
# (model package group, repositories, buckets) of a deleted stack block a re-creation under the same names, as on AWS.
APP_IDS = {STARTER: ("s001", "s801"), PROFESSIONAL: ("a001", "a801"), ENTERPRISE: ("b002", "b802")}
STACKS = {STARTER: "startupco-dev-s801-use1-fraud-detection-ml", PROFESSIONAL: "techcorp-prod-a801-usw2-customer-churn-ml",
          ENTERPRISE: "globalbank-prod-b802-euw1-demand-forecasting-ml"}


def _reports() -> Path:
    return Path(os.environ["MLPROV_REPORTS_DIR"])


def _physical(cfn: Any, stack: str, logical_id: str) -> str:
    summaries = cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return str(next(r["PhysicalResourceId"] for r in summaries if r["LogicalResourceId"] == logical_id))


def _read_back(endpoint: str, region: str, stack: str, name: str) -> None:
    """The types plain moto's CloudFormation lacks were really created: boto3 reads each one back."""
    cfn = client(endpoint, "cloudformation", region)
    by_type: dict[str, list[str]] = {}
    for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]:
        by_type.setdefault(r["ResourceType"], []).append(r["PhysicalResourceId"])
    group = by_type["AWS::SageMaker::ModelPackageGroup"][0]
    described = client(endpoint, "sagemaker", region).describe_model_package_group(ModelPackageGroupName=stack)
    assert described["ModelPackageGroupArn"] == group
    projects = client(endpoint, "codebuild", region).batch_get_projects(names=by_type["AWS::CodeBuild::Project"])["projects"]
    assert sorted(p["name"] for p in projects) == [f"{stack}-build", f"{stack}-deploy"]
    for pipeline in by_type["AWS::CodePipeline::Pipeline"]:
        stages = client(endpoint, "codepipeline", region).get_pipeline(name=pipeline)["pipeline"]["stages"]
        kind = "deploy" if pipeline.endswith("-deploy-pipeline") else "build"
        assert [s["name"] for s in stages] == (["Source", "Deploy", "Approve", "Production"] if kind == "deploy"
                                                else ["Source", "Build"])
    repos = client(endpoint, "codecommit", region)
    ids = sorted(repos.get_repository(repositoryName=f"{stack}-model-{kind}")["repositoryMetadata"]["repositoryId"]
                 for kind in ("build", "deploy"))
    assert ids == sorted(by_type["AWS::CodeCommit::Repository"])  # Ref of a repository is its id, as on AWS
    if name != ENTERPRISE:
        return
    alarm = client(endpoint, "cloudwatch", region).describe_alarms(AlarmNames=by_type["AWS::CloudWatch::Alarm"])["MetricAlarms"][0]
    assert alarm["AlarmActions"] == by_type["AWS::SNS::Topic"]
    filters = client(endpoint, "logs", region).describe_metric_filters(logGroupName=by_type["AWS::Logs::LogGroup"][0])["metricFilters"]
    assert sorted(f["filterName"] for f in filters) == sorted(by_type["AWS::Logs::MetricFilter"])
    subs = client(endpoint, "sns", region).list_subscriptions_by_topic(TopicArn=by_type["AWS::SNS::Topic"][0])["Subscriptions"]
    assert [s["SubscriptionArn"] for s in subs] == by_type["AWS::SNS::Subscription"]
    policy = json.loads(client(endpoint, "s3", region).get_bucket_policy(Bucket=by_type["AWS::S3::BucketPolicy"][0])["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["DenyInsecureTransport", "DenyUploadsNotEncryptedWithKms"]


@pytest.mark.slow
@pytest.mark.parametrize("name", [STARTER, PROFESSIONAL, ENTERPRISE])
def test_lifecycle(name: str, endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> None:
    region, stack = REGIONS[name], STACKS[name]
    network = enterprise_network(endpoint, region) if name == ENTERPRISE else None
    old, new = APP_IDS[name]
    config = install(scratch, name, {"app_id": new}, network=network, as_name=name.replace(old, new))
    reports = _reports() / config.stem
    aws = ["--endpoint-url", endpoint]
    cfn, ssm = client(endpoint, "cloudformation", region), client(endpoint, "ssm", region)
    prefix = f"/mlprov/{stack}"

    # deploy: outputs land in SSM and are verified
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0
    out = capsys.readouterr().out
    assert f"stack {stack}: CREATE_COMPLETE" in out
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0]["Outputs"]}
    assert f"ok              {prefix}/ModelPackageGroupArn = {outputs['ModelPackageGroupArn']}" in out
    for key, value in outputs.items():
        assert ssm.get_parameter(Name=f"{prefix}/{key}")["Parameter"]["Value"] == value
    assert "stack policy: replace/delete denied on" in out
    assert ("termination protection: on (environment prod)" in out) is (name != STARTER)  # dev has none
    tags = {t["Key"]: t["Value"] for t in cfn.describe_stacks(StackName=stack)["Stacks"][0]["Tags"]}
    assert tags["mlprov:product"] == stack

    _read_back(endpoint, region, stack, name)

    # a second deploy without edits: no changes
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0
    assert f"no changes: stack {stack} is up to date" in capsys.readouterr().out

    # config edit -> modify, no replacement
    data = yaml.safe_load(config.read_text())
    data["owner"] = "new-owner@example.com"
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    write_template(config)
    assert run_cli(monkeypatch, "show-changes", str(config), *aws) == 0
    report = json.loads((reports / "changes.json").read_text())
    assert report["counts"]["modify"] >= 1
    assert report["counts"]["replace"] == 0 and report["counts"]["add"] == 0
    assert report["data_loss_risk"] == []
    assert f"{stack} (UPDATE):" in capsys.readouterr().out
    summaries = cfn.list_change_sets(StackName=stack)["Summaries"]
    pending = [s for s in summaries if s.get("ExecutionStatus") == "AVAILABLE" and s["StackName"] == stack]
    assert pending == []  # previews are never left behind

    # an edit that forces replacement: predicted from createOnlyProperties, flagged when stateful
    target = "SageMakerExecutionRole" if name == STARTER else "ArtifactsBucket"
    prop = "RoleName" if name == STARTER else "BucketName"

    def rename(t: dict[str, Any]) -> None:
        t["Resources"][target]["Properties"][prop] += "-v2"

    write_template(config, rename)
    # a template no config renders (show-changes and deploy-product refuse stale renderings): bypass that rule here
    monkeypatch.setattr(show_changes, "deployable_template", committed_template)
    monkeypatch.setattr(deploy_product, "deployable_template", committed_template)
    assert run_cli(monkeypatch, "show-changes", str(config), *aws) == 0
    shown = capsys.readouterr().out
    report = json.loads((reports / "changes.json").read_text())
    row = next(c for c in report["changes"] if c["logical_id"] == target)
    assert (row["kind"], row["replacement"], row["causes"]) == ("replace", "True", [prop])
    markdown = (reports / "changes.md").read_text()
    if name == STARTER:
        assert report["data_loss_risk"] == [] and "DATA-LOSS" not in markdown
    else:
        assert report["data_loss_risk"] == ["ArtifactsBucket"]
        assert "DATA-LOSS RISK: ArtifactsBucket (AWS::S3::Bucket) would be replaced" in shown
        assert ":warning: **DATA-LOSS RISK**: `ArtifactsBucket`" in markdown
        assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 1
        err = capsys.readouterr().err
        assert f"refusing to deploy {stack}: 1 stateful resource(s) would be replaced or removed" in err
        assert "hint: back up the data first, then rerun with --allow-data-loss" in err
    write_template(config)
    monkeypatch.setattr(show_changes, "deployable_template", deployable_template)
    monkeypatch.setattr(deploy_product, "deployable_template", deployable_template)

    # out-of-band edits, each reported by check-drift
    ssm.put_parameter(Name=f"{prefix}/ModelPackageGroupArn", Value="tampered", Overwrite=True)
    ssm.delete_parameter(Name=f"{prefix}/RepositoryUrl")
    if name != STARTER:
        bucket = _physical(cfn, stack, "ArtifactsBucket")
        client(endpoint, "s3", region).put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    if name == ENTERPRISE:
        sg = _physical(cfn, stack, "EndpointSecurityGroup")
        client(endpoint, "ec2", region).authorize_security_group_ingress(
            GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    assert run_cli(monkeypatch, "check-drift", str(config), "--format", "json", *aws) == 1
    drift = json.loads(capsys.readouterr().out)
    by_id = {r["logical_id"]: r for r in drift["resources"]}
    assert drift["native_drift_detection"] == "native drift detection unavailable on this endpoint"
    assert by_id["ModelPackageGroupArnParameter"]["status"] == "DRIFTED"
    assert by_id["ModelPackageGroupArnParameter"]["differences"][0]["actual"] == "tampered"
    assert by_id["RepositoryUrlParameter"]["status"] == "DELETED"
    if name != STARTER:
        diff = by_id["ArtifactsBucket"]["differences"]
        assert {"property": "VersioningConfiguration.Status", "expected": "Enabled", "actual": "Suspended", "source": "live"} in diff
    if name == ENTERPRISE:
        sg_diff = by_id["EndpointSecurityGroup"]["differences"][0]
        assert "tcp:22-22:0.0.0.0/0" in sg_diff["actual"] and "tcp:22-22:0.0.0.0/0" not in sg_diff["expected"]
        assert by_id["KmsKey"]["status"] == "IN_SYNC", by_id["KmsKey"]
        assert "EnableKeyRotation" in by_id["KmsKey"]["checked"]
        assert by_id["CodeBuildRole"]["status"] == "IN_SYNC"
    assert 0 < drift["coverage_percent"] <= 100
    assert (reports / "drift.md").read_text().startswith("<!-- mlprov:drift -->")

    # delete (moto fails a stack deletion on a resource deleted out of band: repair that first)
    ssm.put_parameter(Name=f"{prefix}/RepositoryUrl", Value=outputs["RepositoryUrl"], Type="String")
    # stateful stores with DeletionPolicy Retain survive
    bucket = _physical(cfn, stack, "ArtifactsBucket") if name != STARTER else None
    key = _physical(cfn, stack, "KmsKey") if name == ENTERPRISE else None
    # prod: termination protection is turned off only with its own flag, on a terminal (answered yes here)
    monkeypatch.setattr(delete_product, "terminal_confirm", lambda: lambda _prompt: True)
    assert run_cli(monkeypatch, "delete-product", str(config), "--force", "--disable-termination-protection", *aws) == 0
    out = capsys.readouterr().out
    assert f"stack {stack}: deleted" in out
    assert (f"turning off termination protection on {stack}" in out) is (name != STARTER)
    assert not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == stack and s["StackStatus"] != "DELETE_COMPLETE"]
    if bucket:
        client(endpoint, "s3", region).head_bucket(Bucket=bucket)
        assert f"ArtifactsBucket              AWS::S3::Bucket                      {bucket}" in out
    if key:
        assert client(endpoint, "kms", region).describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
