"""Stacks an interrupted run leaves in UPDATE_ROLLBACK_FAILED, ROLLBACK_FAILED, DELETE_FAILED or REVIEW_IN_PROGRESS:
explained, with the exact recovery command (the states moto never produces are answered by a Stubber)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from mlprov.aws import changeset
from mlprov.aws.delete import DeleteOptions, delete
from mlprov.aws.deploy import Options, deploy
from mlprov.aws.session import Aws, Target
from mlprov.aws.stack import Poller
from mlprov.config.loader import load_product
from mlprov.errors import FindingsError

from tests.aws.conftest import client, install

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
STACK = "startupco-dev-s001-use1-fraud-detection-ml"


def _stubbed() -> tuple[Aws, Stubber]:
    aws = Aws(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"))
    stubber = Stubber(aws.cfn)
    stubber.activate()
    return aws, stubber


def _stack(status: str) -> dict[str, Any]:
    return {"Stacks": [{"StackName": STACK, "StackId": f"arn:aws:cloudformation:us-east-1:123456789012:stack/{STACK}/1",
                        "StackStatus": status, "CreationTime": "2026-01-01T00:00:00Z"}]}


def _event(lid: str, status: str, n: int) -> dict[str, Any]:
    return {"StackId": "s", "EventId": f"e{n}", "StackName": STACK, "LogicalResourceId": lid, "ResourceStatus": status,
            "Timestamp": "2026-01-01T00:00:00Z", "ResourceType": "AWS::S3::Bucket"}


@pytest.mark.parametrize(("status", "events", "expected"), [
    ("UPDATE_ROLLBACK_FAILED", [_event("ArtifactsBucket", "UPDATE_FAILED", 2), _event("BuildProject", "UPDATE_COMPLETE", 1)], [
        f"stack {STACK} is in UPDATE_ROLLBACK_FAILED: an update failed and its rollback failed too; it cannot be updated "
        "until the rollback is continued",
        f"hint: fix the cause in the events, then `aws cloudformation continue-update-rollback --stack-name {STACK} "
        "--region us-east-1` (if it fails again on the same resources: add --resources-to-skip ArtifactsBucket), "
        "then `mlprov deploy-product CONFIG`"]),
    ("ROLLBACK_FAILED", [], [
        f"stack {STACK} is in ROLLBACK_FAILED: its creation failed and the rollback failed too; it can only be deleted",
        f"hint: `aws cloudformation delete-stack --stack-name {STACK} --region us-east-1`, then `mlprov deploy-product CONFIG`"]),
    ("DELETE_FAILED", [_event("ArtifactsBucket", "DELETE_FAILED", 1)], [
        f"stack {STACK} is in DELETE_FAILED: a deletion stopped on resources it could not delete (ArtifactsBucket)",
        f"hint: empty or fix them and rerun the delete, or keep them: `aws cloudformation delete-stack --stack-name {STACK} "
        "--region us-east-1 --retain-resources ArtifactsBucket`"]),
])
def test_stuck_stack_is_explained_with_the_recovery_command(scratch: Path, tmp_path: Path, status: str,
                                                            events: list[dict[str, Any]], expected: list[str]) -> None:
    product = load_product(install(scratch, STARTER))
    aws, stub = _stubbed()
    stub.add_response("describe_stacks", _stack(status))
    if status != "ROLLBACK_FAILED":
        stub.add_response("describe_stack_events", {"StackEvents": events})
    with pytest.raises(FindingsError) as err:
        deploy(aws, product, "{}", {"Resources": {}}, opts=Options(force=True), out=io.StringIO(), reports_dir=tmp_path,
               err=io.StringIO())
    config = str(product.path)
    assert err.value.lines() == [line.replace("CONFIG", config) for line in expected]


def test_review_in_progress_left_by_an_interrupted_run_is_explained_then_created(
        endpoint: str, scratch: Path, tmp_path: Path) -> None:
    config = install(scratch, STARTER, {"app_id": "s952"}, as_name=STARTER.replace("s001", "s952"))
    product = load_product(config)
    name = product.names.stack
    cfn = client(endpoint, "cloudformation", "us-east-1")
    # what a run interrupted after creating its CREATE change set leaves: a stack in REVIEW_IN_PROGRESS
    from mlprov.render.engine import render

    text, template = render(product)
    changeset.create(cfn, name, changeset.template_body(text, template), product.tags, "CREATE", poller=Poller(local=True))
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "REVIEW_IN_PROGRESS"
    out = io.StringIO()
    aws = Aws(Target(region="us-east-1", endpoint_url=endpoint))
    assert deploy(aws, product, text, template, opts=Options(force=True), out=out, reports_dir=tmp_path, err=io.StringIO()) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == (f"stack {name} is in REVIEW_IN_PROGRESS: it holds only a change set that was never executed, "
                        "no resources: deleting it to create the stack from a new change set")
    assert f"stack {name}: CREATE_COMPLETE" in lines
    assert delete(aws, name, DeleteOptions(force=True), out=io.StringIO()) == 0


def test_delete_failed_is_retried_with_the_retain_command_shown(scratch: Path) -> None:
    aws, stub = _stubbed()
    stub.add_response("describe_stacks", _stack("DELETE_FAILED"))
    stub.add_response("describe_stack_events", {"StackEvents": [_event("ArtifactsBucket", "DELETE_FAILED", 1)]})
    stub.add_client_error("get_template", "ValidationError", "stop here")
    out = io.StringIO()
    with pytest.raises(Exception, match="stop here"):
        delete(aws, STACK, DeleteOptions(force=True), out=out)
    assert out.getvalue().splitlines() == [
        f"stack {STACK} is in DELETE_FAILED: a deletion stopped on resources it could not delete (ArtifactsBucket); "
        f"trying again (if it fails the same way: empty or fix them and rerun the delete, or keep them: "
        f"`aws cloudformation delete-stack --stack-name {STACK} --region us-east-1 --retain-resources ArtifactsBucket`)"]


def test_ctrl_c_on_a_test_copy_names_the_copy_and_in_progress_says_cloudformation_carries_on() -> None:
    from mlprov.aws.recovery import interrupted_lines

    aws, stub = _stubbed()
    copy = f"{STACK}-t0a1b2c"
    stub.add_response("describe_stacks", {"Stacks": [{**_stack("CREATE_IN_PROGRESS")["Stacks"][0], "StackName": copy}]})
    assert interrupted_lines(aws.cfn, copy, "us-east-1", "products/p.yaml", test_copy=True) == [
        f"interrupted: stack {copy} is CREATE_IN_PROGRESS",
        "  CloudFormation carries on with the operation; it is not cancelled by stopping mlprov",
        f"next: wait for it (`aws cloudformation describe-stacks --stack-name {copy} --region us-east-1`), then remove "
        f"the test copy with `mlprov delete-product products/p.yaml --stack-name {copy} --force`"]
    stub.add_response("describe_stacks", _stack("UPDATE_IN_PROGRESS"))
    assert interrupted_lines(aws.cfn, STACK, "us-east-1", "products/p.yaml")[2] == (
        f"next: wait for it (`aws cloudformation describe-stacks --stack-name {STACK} --region us-east-1`), then rerun "
        "`mlprov deploy-product products/p.yaml`: it checks outputs and re-asserts the protections")
