"""Must show: for each blocker the strict local AWS models, `forecast` predicts it before any change, and the strict
endpoint fails the same way when the forecast is skipped (--skip-forecast, or the lower layer called directly)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.aws import changeset, stack
from mlprov.aws.stack import Poller
from mlprov.config.loader import load_product
from mlprov.errors import AwsError
from mlprov.render.engine import render

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
EU = "eu-west-1"


def _no_stack(endpoint: str, region: str, name: str) -> bool:
    return stack.describe(client(endpoint, "cloudformation", region), name) is None


@pytest.mark.slow
def test_second_private_dns_endpoint(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    net = enterprise_network(endpoint, EU)
    theirs = client(endpoint, "ec2", EU).create_vpc_endpoint(
        VpcId=net["vpc_id"], ServiceName=f"com.amazonaws.{EU}.sts", VpcEndpointType="Interface", SubnetIds=net["subnet_ids"],
        PrivateDnsEnabled=True)["VpcEndpoint"]["VpcEndpointId"]
    config = install(scratch, ENTERPRISE, {"app_id": "b991"}, network=net, as_name=ENTERPRISE.replace("b002", "b991"))
    name = "globalbank-prod-b991-euw1-demand-forecasting-ml"
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "forecast", str(config), *aws) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"  MLPROV-F012 blocker: StsEndpoint: VPC {net['vpc_id']} already has {theirs} for com.amazonaws.{EU}.sts with "
        "private DNS; AWS allows one per service per VPC (conflicting DNS domain) (fix: use the VPC's endpoint "
        "(network.endpoints: existing), or turn private DNS off on the other one)")
    assert _no_stack(endpoint, EU, name)
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", *aws) == 3
    err = capsys.readouterr().err
    assert (f"private-dns-enabled cannot be set because there is already a conflicting DNS domain for "
            f"sts.{EU}.amazonaws.com in the VPC {net['vpc_id']}") in err


def test_create_over_an_existing_name(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s992"}, as_name=STARTER.replace("s001", "s992"))
    name = "startupco-dev-s992-use1-fraud-detection-ml"
    param = f"/mlprov/{name}/ModelPackageGroupArn"
    client(endpoint, "ssm", "us-east-1").put_parameter(Name=param, Value="left over", Type="String")
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "forecast", str(config), *aws) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"  MLPROV-F004 blocker: ModelPackageGroupArnParameter (AWS::SSM::Parameter): SSM parameter {param} already exists "
        f"outside stack {name}; the create fails with AlreadyExists (fix: delete it, or rename the product "
        "(organization, app_id, use_case))")
    assert _no_stack(endpoint, "us-east-1", name)
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", *aws) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [f"deploy of {name} failed: stack is ROLLBACK_COMPLETE",
                       f"  ModelPackageGroupArnParameter (AWS::SSM::Parameter): CREATE_FAILED: Resource of type "
                       f"'AWS::SSM::Parameter' with identifier '{param}' already exists. (Service: AlreadyExists)"]


def test_template_over_the_inline_limit(endpoint: str, scratch: Path) -> None:
    tags = {f"cost-allocation-{i:02d}": f"finance-dept-value-{i:02d}" for i in range(15)}
    config = install(scratch, ENTERPRISE, {"app_id": "b993", "tags": {"data-classification": "confidential", **tags}},
                     network=enterprise_network(endpoint, EU), as_name=ENTERPRISE.replace("b002", "b993"))
    prod = load_product(config)
    text, template = render(prod)
    from mlprov.forecast.runner import forecast  # the offline forecast already knows the path

    (size,) = [f for f in forecast(prod, text, template, None) if f.code == "MLPROV-F002"]
    assert size.message.startswith("template through S3 as TemplateURL s3://mlprov-templates-123456789012-eu-west-1/")
    body = json.dumps(template, separators=(",", ":"))
    cfn = client(endpoint, "cloudformation", EU)
    with pytest.raises(AwsError) as info:  # forced inline, the strict endpoint refuses as CloudFormation does
        changeset.create(cfn, prod.names.stack, body, prod.tags, "CREATE", poller=Poller(local=True))
    assert info.value.message == (
        f"stack {prod.names.stack}: the change set could not be created: 1 validation error detected: Value "
        f"'<template of {len(body.encode())} bytes>' at 'templateBody' failed to satisfy constraint: Member must have "
        "length less than or equal to 51200")
    assert _no_stack(endpoint, EU, prod.names.stack)


def test_create_over_an_existing_role(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s994"}, as_name=STARTER.replace("s001", "s994"))
    name = "startupco-dev-s994-use1-fraud-detection-ml"
    client(endpoint, "iam", "us-east-1").create_role(RoleName=f"{name}-codebuild", AssumeRolePolicyDocument="{}")
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "forecast", str(config), *aws) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"  MLPROV-F004 blocker: CodeBuildRole (AWS::IAM::Role): IAM role {name}-codebuild already exists outside stack "
        f"{name}; the create fails with AlreadyExists (fix: delete it, or rename the product (organization, app_id, use_case))")
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--skip-forecast", *aws) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"deploy of {name} failed: stack is ROLLBACK_COMPLETE"
    assert err[1].startswith("  CodeBuildRole (AWS::IAM::Role): CREATE_FAILED: ") and "AlreadyExists" in err[1]
