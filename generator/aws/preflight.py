"""Enterprise pre-flight: the customer network a stack attaches to must exist before any deploy."""

from __future__ import annotations

from typing import Any

from mlprov.aws.session import Aws
from mlprov.config.model import Product
from mlprov.errors import UserError


def _client_code(exc: Exception) -> str:
    response = getattr(exc, "response", {}) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _check_vpc(ec2: Any, vpc_id: str, subnet_ids: list[str], where: str) -> list[str]:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    missing: list[str] = []
    try:
        ec2.describe_vpcs(VpcIds=[vpc_id])
    except ClientError as exc:
        if "NotFound" not in _client_code(exc) and "Malformed" not in _client_code(exc):
            raise
        missing.append(f"VPC {vpc_id} ({where}) does not exist")
    for subnet in subnet_ids:
        try:
            found = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"]
        except ClientError as exc:
            if "NotFound" not in _client_code(exc) and "Malformed" not in _client_code(exc):
                raise
            missing.append(f"subnet {subnet} ({where}) does not exist")
            continue
        if found and found[0].get("VpcId") != vpc_id:
            missing.append(f"subnet {subnet} ({where}) is in {found[0].get('VpcId')}, not in VPC {vpc_id}")
    return missing


def _parameter(ssm: Any, name: str) -> str | None:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return str(ssm.get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as exc:
        if _client_code(exc) != "ParameterNotFound":
            raise
        return None


def exports(cfn: Any) -> set[str]:
    names: set[str] = set()
    for page in cfn.get_paginator("list_exports").paginate():
        names |= {e["Name"] for e in page.get("Exports", [])}
    return names


def missing_prerequisites(aws: Aws, product: Product) -> list[str]:
    """What the config names but the account lacks (empty when everything exists or the tier needs nothing)."""
    if product.tier != "enterprise":
        return []
    net = product.network
    missing: list[str] = []
    if net.get("vpc_resolution") == "ssm":
        vpc_param, subnets_param = str(net["vpc_id_parameter"]), str(net["subnet_ids_parameter"])
        vpc_id, subnets = _parameter(aws.ssm, vpc_param), _parameter(aws.ssm, subnets_param)
        if vpc_id is None:
            missing.append(f"SSM parameter {vpc_param} (network.vpc_id_parameter) does not exist")
        if subnets is None:
            missing.append(f"SSM parameter {subnets_param} (network.subnet_ids_parameter) does not exist")
        if vpc_id is not None and subnets is not None:
            ids = [s.strip() for s in subnets.split(",") if s.strip()]
            missing += _check_vpc(aws.client("ec2"), vpc_id, ids, f"from SSM {vpc_param} / {subnets_param}")
    else:
        missing += _check_vpc(aws.client("ec2"), str(net["vpc_id"]), [str(s) for s in net["subnet_ids"]], "network.vpc_id/subnet_ids")
    if net.get("security_group_mode") == "existing":
        export = str(net["security_group_export"])
        if export not in exports(aws.cfn):
            missing.append(f"CloudFormation export {export} (network.security_group_export) does not exist: "
                           "deploy the security-group provisioner stack first")
    return missing


def check(aws: Aws, product: Product) -> None:
    missing = missing_prerequisites(aws, product)
    if missing:
        raise _Missing(product, missing)


class _Missing(UserError):
    def __init__(self, product: Product, missing: list[str]) -> None:
        super().__init__(f"{product.path}: {len(missing)} network prerequisite(s) missing in {product.region}",
                         hint="create them (or fix the ids under network:) before deploying")
        self.missing = missing

    def lines(self) -> list[str]:
        return [self.message, *(f"  missing: {m}" for m in self.missing), f"hint: {self.hint}"]
