"""One embedded local AWS per test process, dummy credentials, and a helper that runs a template as a stack."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mlprov.local_aws import LocalAws

REGION = "eu-west-1"


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    os.environ.pop("AWS_PROFILE", None)
    with LocalAws(strict=True) as aws:
        yield aws.endpoint


@pytest.fixture
def aws(endpoint: str) -> Callable[[str], Any]:
    import boto3

    def make(service: str) -> Any:
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION)

    return make


def role(name: str, service: str = "codepipeline.amazonaws.com") -> dict[str, Any]:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": [service, "events.amazonaws.com"]},
                                                    "Action": "sts:AssumeRole"}]}
    return {"Type": "AWS::IAM::Role", "Properties": {"RoleName": name, "AssumeRolePolicyDocument": trust}}


def via_change_set(cfn: Any, stack: str, template: dict[str, Any], kind: str = "CREATE") -> None:
    """Create and execute a change set (what deploy-product does)."""
    cs = cfn.create_change_set(StackName=stack, ChangeSetName=f"cs{abs(hash(json.dumps(template, sort_keys=True)))}",
                               ChangeSetType=kind, TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.execute_change_set(ChangeSetName=cs["Id"])


def physical(cfn: Any, stack: str) -> dict[str, str]:
    summaries = cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}


def outputs(cfn: Any, stack: str) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])}


def failure(cfn: Any, stack: str) -> tuple[str, str]:
    """The stack's status and the reason of its first failed resource event (the strict endpoint rolls back as AWS
    does, so a failed resource shows there, not as an error of ExecuteChangeSet)."""
    status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    events = reversed(cfn.describe_stack_events(StackName=stack)["StackEvents"])
    reasons = [e.get("ResourceStatusReason", "") for e in events if str(e["ResourceStatus"]).endswith("_FAILED")]
    return status, reasons[0] if reasons else ""
