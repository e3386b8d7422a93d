"""Must show, for the prerequisites outside the stack: `mlprov forecast` predicts each broken prerequisite with its
exact code and line before any change set exists; forced past the forecast (--skip-forecast) the strict local AWS
fails the stack with the same cause, AWS's error in the failed resource's event; the healthy setup deploys."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from mlprov.local_aws.strict import endpoint_zones

from tests.aws.conftest import client, install
from tests.aws.prereq_support import deploys, forced, predicted

ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
EU = "eu-west-1"
FIX_DNS = "(fix: use the VPC's endpoint (network.endpoints: existing), or turn private DNS off on the other one)"
ENDPOINTS = ("SageMakerApiEndpoint", "SageMakerRuntimeEndpoint", "S3Endpoint", "StsEndpoint", "LogsEndpoint", "KmsEndpoint")


def _vpc(endpoint: str, *, hostnames: bool = True, zones: tuple[str, ...] = ("a", "b")) -> dict[str, Any]:
    ec2 = client(endpoint, "ec2", EU)
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    if hostnames:
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.60.{i}.0/24", AvailabilityZone=f"{EU}{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate(zones, start=1)]
    return {"vpc_id": vpc, "subnet_ids": subnets}


def _enterprise(scratch: Path, app: str, net: dict[str, Any]) -> tuple[Path, str]:
    config = install(scratch, ENTERPRISE, {"app_id": app}, network=net, as_name=ENTERPRISE.replace("b002", app))
    return config, f"globalbank-prod-{app}-euw1-demand-forecasting-ml"


def _one_endpoint_failed(failed: list[str], reason: str) -> None:
    (line,) = failed
    lid = line.split(" ", 1)[0]
    assert lid in ENDPOINTS
    assert line == f"{lid} (AWS::EC2::VPCEndpoint): CREATE_FAILED: {reason}"


@pytest.mark.slow
def test_vpc_dns_hostnames_off(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    net = _vpc(endpoint, hostnames=False)  # a new VPC has enableDnsHostnames off (AWS and moto)
    config, name = _enterprise(scratch, "b981", net)
    assert predicted(monkeypatch, capsys, endpoint, config, name, EU)[0] == (
        f"MLPROV-F009 blocker: VPC {net['vpc_id']} (network.vpc_id / network.subnet_ids) has enableDnsHostnames off; the "
        f"private-DNS endpoints ({', '.join(ENDPOINTS)}) cannot be created "
        f"(fix: aws ec2 modify-vpc-attribute --vpc-id {net['vpc_id']} --enable-dnshostnames)")
    _one_endpoint_failed(forced(monkeypatch, capsys, endpoint, config, name),
                         "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to "
                         f"true for {net['vpc_id']} (Service: InvalidParameter)")
    client(endpoint, "ec2", EU).modify_vpc_attribute(VpcId=net["vpc_id"], EnableDnsHostnames={"Value": True})
    deploys(monkeypatch, capsys, endpoint, config)


@pytest.mark.slow
def test_two_subnets_in_one_zone(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    net = _vpc(endpoint, zones=("a", "a", "b"))
    first, second, other = net["subnet_ids"]
    config, name = _enterprise(scratch, "b982", {**net, "subnet_ids": [first, second]})
    assert predicted(monkeypatch, capsys, endpoint, config, name, EU)[0] == (
        f"MLPROV-F010 blocker: subnets {first}, {second} (network.vpc_id / network.subnet_ids) are all in {EU}a; an "
        "interface endpoint takes one subnet per Availability Zone (DuplicateSubnetsInSameZone) "
        "(fix: list one subnet per Availability Zone)")
    _one_endpoint_failed(forced(monkeypatch, capsys, endpoint, config, name),
                         f"Found another VPC endpoint subnet in the availability zone of {second}. VPC endpoint subnets "
                         "should be in different availability zones supported by the VPC endpoint service. "
                         "(Service: DuplicateSubnetsInSameZone)")
    config, _ = _enterprise(scratch, "b982", {**net, "subnet_ids": [first, other]})
    deploys(monkeypatch, capsys, endpoint, config)


@pytest.mark.slow
def test_a_zone_the_endpoint_service_does_not_serve(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], zones_table: None) -> None:
    net = _vpc(endpoint)
    sts = f"com.amazonaws.{EU}.sts"
    endpoint_zones.serve_only(EU, sts, [f"{EU}a", f"{EU}c"])
    config, name = _enterprise(scratch, "b983", net)
    assert predicted(monkeypatch, capsys, endpoint, config, name, EU)[0] == (
        f"MLPROV-F011 blocker: endpoint service {sts} is not served in the Availability Zone of subnet(s) "
        f"{net['subnet_ids'][1]} ({EU}b) (fix: use subnets in {EU}a, {EU}c)")
    failed = forced(monkeypatch, capsys, endpoint, config, name)
    assert failed == [f"StsEndpoint (AWS::EC2::VPCEndpoint): CREATE_FAILED: The VPC endpoint service {sts} does not support "
                      f"the availability zone of the subnet: {net['subnet_ids'][1]}. (Service: InvalidParameter)"]
    endpoint_zones.reset()  # the service now serves every zone of the region
    deploys(monkeypatch, capsys, endpoint, config)


@pytest.mark.slow
def test_a_private_hosted_zone_of_the_network_team(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    net = _vpc(endpoint)
    r53 = client(endpoint, "route53", EU)
    zone = r53.create_hosted_zone(Name=f"sts.{EU}.amazonaws.com", CallerReference=uuid.uuid4().hex,
                                  HostedZoneConfig={"PrivateZone": True},
                                  VPC={"VPCRegion": EU, "VPCId": net["vpc_id"]})["HostedZone"]["Id"]
    config, name = _enterprise(scratch, "b984", net)
    assert predicted(monkeypatch, capsys, endpoint, config, name, EU)[0] == (
        f"MLPROV-F013 blocker: StsEndpoint: private hosted zone sts.{EU}.amazonaws.com ({zone.split('/')[-1]}) is "
        f"associated with VPC {net['vpc_id']} and covers sts.{EU}.amazonaws.com (conflicting DNS domain) {FIX_DNS}")
    assert forced(monkeypatch, capsys, endpoint, config, name) == [
        "StsEndpoint (AWS::EC2::VPCEndpoint): CREATE_FAILED: private-dns-enabled cannot be set because there is already a "
        f"conflicting DNS domain for sts.{EU}.amazonaws.com in the VPC {net['vpc_id']} (Service: InvalidParameter)"]
    r53.delete_hosted_zone(Id=zone)
    deploys(monkeypatch, capsys, endpoint, config)
