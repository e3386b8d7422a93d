"""The offline reachability check over the rendered enterprise templates, and each rule it depends on."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from mlprov.config.loader import load_product
from mlprov.network.reachability import REQUIRED_SERVICES, paths, unreachable
from mlprov.render.engine import render

from tests.conftest import PRODUCTS, REPO

ENTERPRISE = [p for p in PRODUCTS if p.name.startswith("globalbank-")]
STANDALONE = REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml"
EXISTING_SG = REPO / "products" / "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm.yaml"
NAT = REPO / "products" / "globalbank-prod-b009-eu-west-1-demand-forecasting-ml-s3-standalone-ssm.yaml"
VPC = "10.20.0.0/16"


def _template(path: Path) -> tuple[dict[str, Any], str | None]:
    product = load_product(path)
    return render(product)[1], product.network.get("ingress_cidr")


def _lines(projects: list[str], services: list[str]) -> list[str]:
    return [f"{p} cannot reach {s} over HTTPS: no egress rule of its security groups leads to an endpoint of {s} "
            f"that admits it, nor to a NAT route" for p in projects for s in services]


BOTH = ["BuildProject", "DeployProject"]
NOWHERE = {"IpProtocol": "-1", "CidrIp": "127.0.0.1/32"}


def test_there_are_seventeen_enterprise_examples() -> None:  # 16 codecommit/s3 variants + the connection example
    assert len(ENTERPRISE) == 17


@pytest.mark.parametrize("path", ENTERPRISE, ids=lambda p: p.stem)
def test_every_enterprise_build_reaches_s3_logs_kms_and_sts(path: Path) -> None:
    template, cidr = _template(path)
    assert unreachable(template, cidr) == []
    found = paths(template, cidr)
    assert sorted(found) == BOTH
    product = load_product(path)
    for project in BOTH:
        for svc in REQUIRED_SERVICES:
            how = found[project][svc]
            assert how is not None
            if product.endpoints_mode == "create" and product.egress_mode == "endpoints":
                assert how == f"endpoint {_endpoint_id(svc)}", (project, svc)


def _endpoint_id(svc: str) -> str:
    return {"s3": "S3Endpoint", "logs": "LogsEndpoint", "kms": "KmsEndpoint", "sts": "StsEndpoint"}[svc]


def test_the_nat_example_uses_its_endpoints_where_it_has_them_and_the_nat_for_the_rest() -> None:
    template, cidr = _template(NAT)
    found = paths(template, cidr)["BuildProject"]
    assert found["s3"] == "endpoint S3Endpoint"
    assert found["sts"] == "endpoint StsEndpoint"
    assert found["logs"] == found["kms"] == "NAT (assumed: the subnets route 0.0.0.0/0 to a NAT gateway)"


def _broken(path: Path, edit: Any) -> tuple[dict[str, Any], str | None]:
    template, cidr = _template(path)
    template = copy.deepcopy(template)
    edit(template["Resources"])
    return template, cidr


def _set(res: dict[str, Any], lid: str, key: str, value: Any) -> None:
    res[lid]["Properties"][key] = value


BREAKS: list[tuple[str, Path, Any, list[str]]] = [
    ("build egress to localhost only (the AWS idiom for none)", STANDALONE,
     lambda r: _set(r, "BuildSecurityGroup", "SecurityGroupEgress", [NOWHERE]), list(REQUIRED_SERVICES)),
    ("build egress on port 80 only", STANDALONE,
     lambda r: r["BuildSecurityGroup"]["Properties"]["SecurityGroupEgress"][0].update(FromPort=80, ToPort=80),
     list(REQUIRED_SERVICES)),
    ("build egress udp", STANDALONE,
     lambda r: r["BuildSecurityGroup"]["Properties"]["SecurityGroupEgress"][0].update(IpProtocol="udp"),
     list(REQUIRED_SERVICES)),
    ("endpoint group admits another range", STANDALONE,
     lambda r: r["EndpointSecurityGroup"]["Properties"]["SecurityGroupIngress"][0].update(CidrIp="192.168.0.0/16"),
     list(REQUIRED_SERVICES)),
    ("endpoint group admits only part of the VPC", STANDALONE,
     lambda r: r["EndpointSecurityGroup"]["Properties"]["SecurityGroupIngress"][0].update(CidrIp="10.20.1.0/24"),
     list(REQUIRED_SERVICES)),
    ("logs endpoint without private DNS", STANDALONE,
     lambda r: _set(r, "LogsEndpoint", "PrivateDnsEnabled", False), ["logs"]),
    ("no kms endpoint", STANDALONE, lambda r: r.pop("KmsEndpoint"), ["kms"]),
    ("s3 private DNS only for inbound resolvers (needs a gateway endpoint)", STANDALONE,
     lambda r: _set(r, "S3Endpoint", "DnsOptions", {"PrivateDnsOnlyForInboundResolverEndpoint": "OnlyInboundResolver"}),
     ["s3"]),
    ("sts endpoint in a group that admits nobody", STANDALONE,
     lambda r: _set(r, "StsEndpoint", "SecurityGroupIds", ["sg-0123456789abcdef0"]), ["sts"]),
    ("imported endpoint group without the stack's ingress rule", EXISTING_SG,
     lambda r: r.pop("EndpointIngressFromBuilds"), list(REQUIRED_SERVICES)),
    ("the stack's ingress rule admits another group", EXISTING_SG,
     lambda r: _set(r, "EndpointIngressFromBuilds", "SourceSecurityGroupId", "sg-0123456789abcdef0"),
     list(REQUIRED_SERVICES)),
    ("nat egress replaced by none", NAT, lambda r: _set(r, "BuildSecurityGroup", "SecurityGroupEgress", [NOWHERE]),
     list(REQUIRED_SERVICES)),
]


@pytest.mark.parametrize(("name", "path", "edit", "lost"), BREAKS, ids=[b[0] for b in BREAKS])
def test_breaking_a_rule_makes_the_service_unreachable(name: str, path: Path, edit: Any, lost: list[str]) -> None:
    template, cidr = _broken(path, edit)
    assert unreachable(template, cidr) == _lines(BOTH, sorted(lost))


def test_a_project_outside_any_vpc_is_not_judged() -> None:
    template, cidr = _template(STANDALONE)
    for lid in BOTH:
        template["Resources"][lid]["Properties"].pop("VpcConfig")
    assert paths(template, cidr) == {}
    assert unreachable(template, cidr) == []


def test_a_cidr_rule_without_a_declared_vpc_range_proves_nothing() -> None:
    template, _cidr = _template(STANDALONE)
    assert unreachable(template, None) == _lines(BOTH, sorted(REQUIRED_SERVICES))


def test_a_group_without_egress_rules_keeps_ec2s_default_allow_all() -> None:
    """EC2 adds an allow-all egress rule to a group declared without SecurityGroupEgress."""
    template, cidr = _template(STANDALONE)
    for key in ("SecurityGroupEgress",):
        template["Resources"]["BuildSecurityGroup"]["Properties"].pop(key)
    template["Resources"].pop("LogsEndpoint")
    found = paths(template, cidr)["BuildProject"]
    assert found["logs"] == "NAT (assumed: the subnets route 0.0.0.0/0 to a NAT gateway)"
    assert found["s3"] == "endpoint S3Endpoint"
