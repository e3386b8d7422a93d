"""Checks whose AWS answers the local endpoint cannot give (a service missing from an AZ, CodeCommit refused):
fed by fake clients that answer like AWS's documented responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError
from mlprov.aws.session import Target
from mlprov.config.loader import load_product
from mlprov.forecast.checks.codecommit import codecommit
from mlprov.forecast.checks.vpc import service_zones
from mlprov.forecast.model import Context
from mlprov.forecast.runner import _run_one
from mlprov.render.engine import render

REPO = Path(__file__).resolve().parents[2]
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"


class FakeEc2:
    def __init__(self, zones: dict[str, str], served: dict[str, list[str]]) -> None:
        self.zones, self.served = zones, served

    def describe_subnets(self, SubnetIds: list[str]) -> dict[str, Any]:
        return {"Subnets": [{"SubnetId": s, "AvailabilityZone": self.zones[s]} for s in SubnetIds]}

    def describe_vpc_endpoint_services(self, ServiceNames: list[str]) -> dict[str, Any]:
        return {"ServiceDetails": [{"ServiceName": n, "AvailabilityZones": self.served[n]} for n in ServiceNames
                                   if n in self.served]}


class FakeCodeCommit:
    def __init__(self, repos: list[dict[str, str]] | None = None, error: tuple[str, int] | None = None) -> None:
        self.repos, self.error = repos or [], error

    def list_repositories(self) -> dict[str, Any]:
        if self.error:
            code, status = self.error
            raise ClientError({"Error": {"Code": code, "Message": "denied here"},
                               "ResponseMetadata": {"HTTPStatusCode": status}}, "ListRepositories")
        return {"repositories": self.repos}


class FakeAws:
    def __init__(self, **clients: Any) -> None:
        self.clients = clients
        self.target = Target(region="eu-west-1")

    def client(self, service: str, optional: bool = False) -> Any:
        del optional
        return self.clients[service]


def _ctx(tmp_path: Path, aws: FakeAws) -> Context:
    data = yaml.safe_load((REPO / "products" / f"{ENTERPRISE}.yaml").read_text())
    path = tmp_path / f"{ENTERPRISE}.yaml"
    path.write_text(yaml.safe_dump(data))
    prod = load_product(path)
    text, template = render(prod)
    return Context(prod, text, template, aws)  # type: ignore[arg-type]


def test_a_subnet_in_a_zone_the_service_does_not_serve(tmp_path: Path) -> None:
    sub1, sub2 = "subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"
    everywhere = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    ec2 = FakeEc2({sub1: "eu-west-1a", sub2: "eu-west-1c"},
                  {"com.amazonaws.eu-west-1.sagemaker.api": ["eu-west-1a", "eu-west-1b"],
                   **{f"com.amazonaws.eu-west-1.{svc}": everywhere for svc in ("s3", "sts", "logs", "kms")}})
    found = service_zones.run(_ctx(tmp_path, FakeAws(ec2=ec2)))
    assert [f.line() for f in found] == [
        "MLPROV-F011 blocker: endpoint service com.amazonaws.eu-west-1.sagemaker.api is not served in the Availability "
        f"Zone of subnet(s) {sub2} (eu-west-1c) (fix: use subnets in eu-west-1a, eu-west-1b)",
        "MLPROV-F011 blocker: endpoint service com.amazonaws.eu-west-1.sagemaker.runtime is not offered in eu-west-1 "
        "(fix: remove the endpoint or deploy in a region that offers the service)"]


@pytest.mark.parametrize(("client", "expected"), [
    (FakeCodeCommit([{"repositoryName": "x"}]), "MLPROV-F005 info: CodeCommit in use in eu-west-1 (1 repositories)"),
    (FakeCodeCommit([]), "MLPROV-F005 warning: account 123456789012 has no CodeCommit repository in eu-west-1: CodeCommit "
                         "is closed to new customers, so an account that never used it cannot create the repositories "
                         "(fix: use an account that already uses CodeCommit, or switch the product to `source: {type: s3, ...}`)"),
    (FakeCodeCommit(error=("AccessDeniedException", 400)),
     "MLPROV-F005 blocker: CodeCommit refused ListRepositories in eu-west-1: AccessDeniedException: denied here "
     "(fix: use an account that already uses CodeCommit, or switch the product to `source: {type: s3, ...}`)"),
    (FakeCodeCommit(error=("500", 500)),
     "MLPROV-F005 warning: CodeCommit availability not checked: the endpoint does not answer ListRepositories (HTTP 500) "
     "(fix: check by hand that this account can create CodeCommit repositories)"),
])
def test_codecommit_availability(tmp_path: Path, client: FakeCodeCommit, expected: str) -> None:
    assert [f.line() for f in codecommit.run(_ctx(tmp_path, FakeAws(codecommit=client)))] == [expected]


def test_a_refused_read_is_a_warning_never_hidden(tmp_path: Path) -> None:
    class Denied:
        def describe_subnets(self, **_kw: Any) -> dict[str, Any]:
            raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "You are not authorized\nmore"}},
                              "DescribeSubnets")

    found = _run_one(service_zones, _ctx(tmp_path, FakeAws(ec2=Denied())))
    assert [f.line() for f in found] == [
        "MLPROV-F011 warning: Availability Zones the endpoint services serve: not checked, the read-only call failed "
        "(UnauthorizedOperation: You are not authorized) (fix: grant the plan role read access, or check by hand)"]
