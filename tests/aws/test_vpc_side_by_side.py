"""Two products and a test copy in ONE VPC: the product without -wl-blue creates the private-DNS endpoints, its
-wl-blue sibling and the test copy use them (network.endpoints: existing), so the VPC ends with exactly one
private-DNS endpoint per service, as AWS requires (docs/networking.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from mlprov.aws import stack

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install

BASE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
BLUE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-wl-blue-codecommit-standalone-direct"
REGION = "eu-west-1"


@pytest.mark.slow
def test_siblings_and_a_test_copy_share_one_vpc(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    network = enterprise_network(endpoint, REGION)
    base = install(scratch, BASE, {"app_id": "b772"}, network=network, as_name=BASE.replace("b002", "b772"))
    blue = install(scratch, BLUE, {"app_id": "b772"}, network=network, as_name=BLUE.replace("b002", "b772"))
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "validate-config", str(base), str(blue)) == 0
    assert run_cli(monkeypatch, "deploy-product", str(base), "--force", *aws) == 0
    assert run_cli(monkeypatch, "deploy-product", str(blue), "--force", *aws) == 0
    assert run_cli(monkeypatch, "test-deploy", str(base), "--suffix", "t0c1d2e", *aws) == 0
    capsys.readouterr()

    cfn = client(endpoint, "cloudformation", REGION)
    stacks = ["globalbank-prod-b772-euw1-demand-forecasting-ml", "globalbank-prod-b772-euw1-demand-forecasting-ml-blue",
              "globalbank-prod-b772-euw1-demand-forecasting-ml-t0c1d2e"]
    assert [stack.describe(cfn, s)["StackStatus"] for s in stacks] == ["CREATE_COMPLETE"] * 3

    ec2 = client(endpoint, "ec2", REGION)
    found = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [network["vpc_id"]]}])["VpcEndpoints"]
    # com.amazonaws.<region>.<service>
    private = Counter(".".join(e["ServiceName"].split(".")[3:]) for e in found if e.get("PrivateDnsEnabled"))
    assert private == Counter({"sagemaker.api": 1, "sagemaker.runtime": 1, "s3": 1, "sts": 1, "logs": 1, "kms": 1})

    # each stack's builds have their own group, in the shared VPC
    groups = []
    for name in stacks:
        res = {r["LogicalResourceId"]: r["PhysicalResourceId"]
               for r in cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]}
        groups.append(res["BuildSecurityGroup"])
        assert ("SageMakerApiEndpoint" in res) is (name == stacks[0])
    described = ec2.describe_security_groups(GroupIds=groups)["SecurityGroups"]
    assert len({g["GroupId"] for g in described}) == 3
    assert {g["VpcId"] for g in described} == {network["vpc_id"]}
