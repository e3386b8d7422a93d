"""On the strict local endpoint: a product, its -wl-blue sibling and a test copy side by side in one VPC (the
committed -direct ids, seeded), and what AWS does when a second stack would create the same private-DNS endpoints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mlprov.config.loader import load_product
from mlprov.local_aws.fixtures import boto3_clients, seed

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, install

PRODUCT = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
SIBLING = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-wl-blue-codecommit-standalone-direct"
REGION = "eu-west-1"


def _copy(scratch: Path, name: str, app_id: str, **network: str) -> Path:
    return install(scratch, name, {"app_id": app_id}, network=network or None, as_name=name.replace("b002", app_id))


def _private_dns_endpoints(endpoint: str, vpc: str) -> list[str]:
    found = client(endpoint, "ec2", REGION).describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"]
    return sorted(e["ServiceName"] for e in found if e.get("PrivateDnsEnabled") and e["State"] != "deleted")


@pytest.mark.slow
def test_siblings_and_a_test_copy_deploy_side_by_side_in_one_vpc(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    product, sibling = _copy(scratch, PRODUCT, "b703"), _copy(scratch, SIBLING, "b703")
    seeded = seed(load_product(product), boto3_clients(endpoint))  # the config's own VPC and subnet ids
    vpc = seeded.vpc_id
    assert vpc == load_product(product).network["vpc_id"]
    aws = ["--endpoint-url", endpoint]
    assert run_cli(monkeypatch, "deploy-product", str(product), "--force", *aws) == 0
    owned = _private_dns_endpoints(endpoint, vpc)
    assert owned  # the product creates the VPC's private-DNS endpoints
    assert run_cli(monkeypatch, "deploy-product", str(sibling), "--force", *aws) == 0  # endpoints: existing
    capsys.readouterr()
    assert run_cli(monkeypatch, "test-deploy", str(product), *aws) == 0  # a test copy never creates them
    out = capsys.readouterr().out
    test_stack = re.search(r"test stack: (\S+)", out)
    assert test_stack, out
    assert _private_dns_endpoints(endpoint, vpc) == owned  # still one per service
    cfn = client(endpoint, "cloudformation", REGION)
    stacks = {s["StackName"]: s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"}
    for name in (load_product(product).names.stack, load_product(sibling).names.stack, test_stack.group(1)):
        assert stacks[name] == "CREATE_COMPLETE", name

    # forced to create its own endpoints too, the sibling fails as it would on AWS
    rival = _copy(scratch, SIBLING, "b704", endpoints="create")
    # the forecast predicts it before any change set (MLPROV-F012, one per service) ...
    assert run_cli(monkeypatch, "deploy-product", str(rival), "--force", *aws) == 2
    blockers = [line for line in capsys.readouterr().err.splitlines() if line.startswith("  MLPROV-F012 blocker: ")]
    assert len(blockers) == len(owned)
    assert not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == load_product(rival).names.stack]
    # ... and forced past it, the strict endpoint fails the same way
    assert run_cli(monkeypatch, "deploy-product", str(rival), "--force", "--skip-forecast", *aws) == 3
    err = capsys.readouterr().err
    assert "CREATE_FAILED: private-dns-enabled cannot be set because there is already a conflicting DNS domain for" in err
    assert f"in the VPC {vpc} (Service: InvalidParameter)" in err
