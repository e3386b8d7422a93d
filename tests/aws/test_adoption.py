"""On the strict local endpoint: delete-product then deploy-product adopts the retained stores of each tier with
their data (ImportExistingResources); a same-named resource that is not this product's is refused; a replacement
under a custom name is refused before execution (WILL FAIL), --allow-data-loss or not."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from mlprov.aws.imports import BY_IDENTIFIER
from mlprov.aws.replacement import NAME_PROPERTIES
from mlprov.commands import _aws_common, delete_product

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install, write_template

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
PROFESSIONAL = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
REGIONS = {STARTER: "us-east-1", PROFESSIONAL: "us-west-2", ENTERPRISE: "eu-west-1"}
# own app ids: moto's backends are shared by the whole test session
APP_IDS = {STARTER: ("s001", "s701"), PROFESSIONAL: ("a001", "a701"), ENTERPRISE: ("b002", "b701")}
STACKS = {STARTER: "startupco-dev-s701-use1-fraud-detection-ml", PROFESSIONAL: "techcorp-prod-a701-usw2-customer-churn-ml",
          ENTERPRISE: "globalbank-prod-b701-euw1-demand-forecasting-ml"}
ADOPTED = {"ModelPackageGroup", "ModelBuildRepository", "ModelDeployRepository", "ArtifactsBucket", "ComplianceLogGroup",
           "BuildLogGroup"}


def _resources(cfn: Any, stack: str) -> dict[str, tuple[str, str]]:
    """logical id -> (type, physical id)"""
    summaries = cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: (r["ResourceType"], r["PhysicalResourceId"]) for r in summaries}


def _setup(name: str, endpoint: str, scratch: Path, app_id: str | None = None) -> tuple[Path, str, str]:
    region, (old, new) = REGIONS[name], APP_IDS[name]
    new = app_id or new
    network = enterprise_network(endpoint, region) if name == ENTERPRISE else None
    config = install(scratch, name, {"app_id": new}, network=network, as_name=name.replace(old, new))
    return config, region, STACKS[name].replace(APP_IDS[name][1], new)


@pytest.mark.slow
@pytest.mark.parametrize("name", [STARTER, PROFESSIONAL, ENTERPRISE])
def test_delete_then_redeploy_adopts_the_retained_stores_with_their_data(name: str, endpoint: str, scratch: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    config, region, stack = _setup(name, endpoint, scratch)
    aws = ["--endpoint-url", endpoint]
    cfn = client(endpoint, "cloudformation", region)
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0
    before = _resources(cfn, stack)
    stores = sorted(ADOPTED & set(before))
    group_arn = before["ModelPackageGroup"][1]
    created = client(endpoint, "sagemaker", region).describe_model_package_group(ModelPackageGroupName=group_arn.rsplit("/", 1)[-1])
    if "ArtifactsBucket" in before:  # data in the bucket
        if name == ENTERPRISE:  # its bucket policy denies requests without TLS, and the local endpoint is plain HTTP
            from moto.s3.models import s3_backends

            s3_backends["123456789012"]["aws"].put_object(before["ArtifactsBucket"][1], "models/v1.tar.gz", b"weights-v1")
        else:
            client(endpoint, "s3", region).put_object(Bucket=before["ArtifactsBucket"][1], Key="models/v1.tar.gz", Body=b"weights-v1")
    if "ComplianceLogGroup" in before:
        logs = client(endpoint, "logs", region)
        logs.create_log_stream(logGroupName=before["ComplianceLogGroup"][1], logStreamName="audit")
        logs.put_log_events(logGroupName=before["ComplianceLogGroup"][1], logStreamName="audit",
                            logEvents=[{"timestamp": int(time.time() * 1000), "message": "kept"}])

    # prod (professional, enterprise): termination protection is turned off only with its own flag, on a terminal
    # (answered yes here), as docs/operations.md documents; dev has none, and the flag is then a no-op
    monkeypatch.setattr(delete_product, "terminal_confirm", lambda: lambda _prompt: True)
    delete = ["delete-product", str(config), "--force", "--disable-termination-protection", *aws]
    assert run_cli(monkeypatch, *delete) == 0
    assert not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == stack and s["StackStatus"] != "DELETE_COMPLETE"]
    capsys.readouterr()

    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0  # was: "already exists"
    out = capsys.readouterr().out
    after = _resources(cfn, stack)
    template = json.loads((config.with_suffix("") / "template.yaml").read_text())
    for lid in stores:
        kind, physical = before[lid]
        assert after[lid] == (kind, physical), lid  # the same resource, adopted, not a new one
        custom_name = template["Resources"][lid]["Properties"][NAME_PROPERTIES[kind]]
        # registry and repositories (read-only primary ids: no auto-import on AWS) by an IMPORT change set first
        how = " (IMPORT change set first)" if kind in BY_IDENTIFIER else ""
        assert f"adopts retained {kind} {custom_name} as {lid}{how}" in out.splitlines(), out
    imported = [lid for lid in stores if before[lid][0] in BY_IDENTIFIER]
    assert f"stack {stack}: IMPORT_COMPLETE ({len(imported)} retained resource(s) adopted)" in out
    auto = len(stores) - len(imported)  # bucket, log group: ImportExistingResources in the change set
    assert (f"{auto} to adopt" in out) is (auto > 0), out
    assert f"stack {stack}: UPDATE_COMPLETE" in out
    again = client(endpoint, "sagemaker", region).describe_model_package_group(ModelPackageGroupName=group_arn.rsplit("/", 1)[-1])
    assert again["CreationTime"] == created["CreationTime"]
    if "ArtifactsBucket" in before:
        from moto.s3.models import s3_backends

        kept = s3_backends["123456789012"]["aws"].get_object(after["ArtifactsBucket"][1], "models/v1.tar.gz")
        assert kept.value == b"weights-v1"
    if "ComplianceLogGroup" in before:
        events = logs.get_log_events(logGroupName=after["ComplianceLogGroup"][1], logStreamName="audit")["events"]
        assert [e["message"] for e in events] == ["kept"]
    assert run_cli(monkeypatch, *delete) == 0


@pytest.mark.slow
def test_a_same_named_resource_of_someone_else_is_not_adopted(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    config, region, stack = _setup(PROFESSIONAL, endpoint, scratch, app_id="a702")
    template = json.loads((config.with_suffix("") / "template.yaml").read_text())
    bucket = template["Resources"]["ArtifactsBucket"]["Properties"]["BucketName"]
    s3 = client(endpoint, "s3", region)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "mlprov:product", "Value": "another-product"}]})
    # the forecast predicts it before any change set (exit 2) ...
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"  MLPROV-F004 blocker: ArtifactsBucket (AWS::S3::Bucket): S3 bucket {bucket} already exists outside "
                      f"stack {stack} and is not this product's (tagged mlprov:product=another-product, not {stack}): the "
                      "deploy refuses to adopt it (fix: delete or rename it, or change the config's names (organization, "
                      "app_id, use_case))")
    # ... and forced past it, the deploy's own adoption guard refuses the same resource
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", "--endpoint-url", endpoint) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"refusing to deploy {stack}: 1 existing resource(s) with this product's names belong to something else",
                   f"  ArtifactsBucket (AWS::S3::Bucket) {bucket}: tagged mlprov:product=another-product, not {stack}",
                   "hint: delete or rename those resources, or change the config's names (organization, app_id, use_case)"]
    cfn = client(endpoint, "cloudformation", region)
    assert not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == stack and s["StackStatus"] != "DELETE_COMPLETE"]


@pytest.mark.slow
def test_a_replacement_under_a_custom_name_is_refused_before_execution(endpoint: str, scratch: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    config, region, stack = _setup(STARTER, endpoint, scratch, app_id="s702")
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", *aws) == 0

    def describe(t: dict[str, Any]) -> None:  # a create-only property of a named resource
        t["Resources"]["ModelPackageGroup"]["Properties"]["ModelPackageGroupDescription"] = "edited by hand"

    write_template(config, describe)
    # a hand edit is refused as a stale rendering (deployable_template): model an engine whose rendering now
    # carries the edit, so the committed template is current and the replacement rule is what answers
    real_render = _aws_common.render

    def edited_render(product: Any) -> tuple[str, dict[str, Any]]:
        text, rendered = real_render(product)
        describe(rendered)
        return text, rendered

    monkeypatch.setattr(_aws_common, "render", edited_render)
    capsys.readouterr()
    expected = [f"refusing to deploy {stack}: 1 replacement(s) of custom-named resources, which AWS refuses (the update "
                "would fail and roll back)",
                f"  WILL FAIL: ModelPackageGroup (AWS::SageMaker::ModelPackageGroup) would be replaced under its custom name "
                f"{stack}, which AWS refuses; rename it (a new name is created first), or remove it from the stack and then "
                "add it back",
                "hint: rename it (a new name is created first), or remove it from the stack and then add it back"]
    assert run_cli(monkeypatch, "show-changes", str(config), *aws) == 1
    shown = capsys.readouterr()
    assert expected[1].strip() in shown.out.splitlines()
    assert shown.err.splitlines() == expected
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--allow-data-loss", *aws) == 1
    assert capsys.readouterr().err.splitlines() == expected
    cfn = client(endpoint, "cloudformation", region)
    assert cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"  # nothing ran
    pending = [s for s in cfn.list_change_sets(StackName=stack)["Summaries"] if s.get("ExecutionStatus") == "AVAILABLE"]
    assert pending == []
