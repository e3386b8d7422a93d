"""The server's start-up errors and credentials, and the fixtures that seed what a config references."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.aws import preflight
from mlprov.aws.session import Aws, Target
from mlprov.config.loader import load_product
from mlprov.deploypath import template_bucket_name
from mlprov.errors import UserError
from mlprov.local_aws import LocalAws, dummy_credentials
from mlprov.local_aws.fixtures import boto3_clients, point_at, seed

REPO = Path(__file__).resolve().parents[2]
EXISTING_SSM = "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm"
DIRECT = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
STARTER = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"


def test_a_taken_port_is_refused_with_a_hint() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(UserError) as err:
            LocalAws(port).start()
    assert err.value.lines() == [f"port {port} on 127.0.0.1 is not free: Address already in use",
                                 "hint: pick another with --port N (0 picks a free one)"]


def test_dummy_credentials_are_set_then_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "prod-admin")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    with dummy_credentials():
        assert (os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]) == ("testing", "testing")
        assert "AWS_PROFILE" not in os.environ
    assert (os.environ["AWS_PROFILE"], os.environ["AWS_ACCESS_KEY_ID"]) == ("prod-admin", "AKIAREAL")
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ


def test_seeding_satisfies_the_enterprise_preflight_and_is_idempotent(endpoint: str) -> None:
    product = load_product(REPO / "products" / f"{EXISTING_SSM}.yaml")
    aws = Aws(Target(region=product.region, endpoint_url=endpoint))
    assert len(preflight.missing_prerequisites(aws, product)) == 3  # two SSM parameters, the SG export
    clients = boto3_clients(endpoint)
    try:
        first = seed(product, clients)
        # the bucket and VPC may exist already (other tests of this process seed them too): then they are reused
        assert first.created[-3:] == [f"SSM parameter /network/prod/vpc-id = {first.vpc_id}",
                                      f"SSM parameter /network/prod/private-subnet-ids = {','.join(first.subnet_ids)}",
                                      "stack local-sg-provisioner-prod exporting sg-provisioner-prod-SecurityGroupId"]
        assert preflight.missing_prerequisites(aws, product) == []
        again = seed(product, clients)
        assert (again.vpc_id, again.subnet_ids) == (first.vpc_id, first.subnet_ids)
        assert [c for c in again.created if not c.startswith("SSM parameter")] == []
    finally:  # moto's backends are per process: the AWS tests' server would see these names too
        clients("ssm", "eu-west-1").delete_parameters(Names=["/network/prod/vpc-id", "/network/prod/private-subnet-ids"])
        clients("cloudformation", "eu-west-1").delete_stack(StackName="local-sg-provisioner-prod")


def test_a_direct_config_gets_its_own_vpc_and_subnet_ids(endpoint: str, tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / "products" / f"{DIRECT}.yaml").read_text())
    path = tmp_path / f"{DIRECT}.yaml"
    path.write_text(yaml.safe_dump(config))
    seeded = seed(load_product(path), boto3_clients(endpoint))
    assert (seeded.vpc_id, seeded.subnet_ids) == (config["network"]["vpc_id"], config["network"]["subnet_ids"])
    assert point_at(config, seeded) == config  # nothing to point any more: the committed ids exist
    ec2 = boto3_clients(endpoint)("ec2", "eu-west-1")
    subnets = ec2.describe_subnets(SubnetIds=seeded.subnet_ids)["Subnets"]
    assert sorted(s["SubnetId"] for s in subnets) == sorted(seeded.subnet_ids)
    assert len({s["AvailabilityZone"] for s in subnets}) == 2 and {s["VpcId"] for s in subnets} == {seeded.vpc_id}
    assert ec2.describe_vpc_attribute(VpcId=seeded.vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]
    aws = Aws(Target(region="eu-west-1", endpoint_url=endpoint))
    assert preflight.missing_prerequisites(aws, load_product(path)) == []
    assert seed(load_product(path), boto3_clients(endpoint)).created == []  # idempotent
    starter = yaml.safe_load((REPO / "products" / f"{STARTER}.yaml").read_text())
    assert point_at(starter, seeded) is starter


def test_a_starter_config_gets_its_artifact_bucket(endpoint: str, aws: Callable[[str], Any]) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    product = load_product(REPO / "products" / f"{STARTER}.yaml")
    bucket = product.config["artifact_bucket"]
    source = product.config["source"]["bucket"]
    templates = template_bucket_name(product.account_id, "us-east-1")  # what `mlprov bootstrap` makes
    present = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}  # other tests of this process seed too
    seeded = seed(product, boto3_clients(endpoint))
    expected = [f"S3 bucket {templates} (the bootstrap's template bucket)", f"S3 bucket {bucket}", f"S3 bucket {source}"]
    assert seeded.created == [line for line, name in zip(expected, (templates, bucket, source), strict=True)
                              if name not in present]
    assert seeded.vpc_id == ""
    for name in (templates, bucket, source):
        s3.head_bucket(Bucket=name)
    assert s3.get_bucket_versioning(Bucket=templates)["Status"] == "Enabled"
    rule = s3.get_bucket_encryption(Bucket=templates)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert seed(product, boto3_clients(endpoint)).created == []  # idempotent
