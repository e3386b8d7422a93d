"""The customer VPC and subnets a product attaches to, as the deploy will see them (config or SSM)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlprov.forecast.model import Context


@dataclass(frozen=True)
class Network:
    vpc_id: str
    subnet_ids: list[str]
    where: str  # the config field(s) the ids come from


def _parameter(ssm: Any, name: str) -> str | None:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return str(ssm.get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise
        return None


def resolve(ctx: Context) -> Network | None:
    """None for a tier without a VPC, or when the ids cannot be known (missing SSM parameters: the pre-flight says so)."""
    net = ctx.product.network
    if ctx.product.tier != "enterprise" or not net:
        return None
    if net.get("vpc_resolution") == "ssm":
        if ctx.aws is None:
            return None
        vpc = _parameter(ctx.aws.ssm, str(net["vpc_id_parameter"]))
        subnets = _parameter(ctx.aws.ssm, str(net["subnet_ids_parameter"]))
        if vpc is None or subnets is None:
            return None
        return Network(vpc, [s.strip() for s in subnets.split(",") if s.strip()],
                       f"SSM {net['vpc_id_parameter']} / {net['subnet_ids_parameter']}")
    return Network(str(net["vpc_id"]), [str(s) for s in net["subnet_ids"]], "network.vpc_id / network.subnet_ids")


def interface_endpoints(ctx: Context) -> dict[str, dict[str, Any]]:
    """The template's interface endpoints: logical id -> properties."""
    return {lid: r.get("Properties", {}) for lid, r in ctx.of_type("AWS::EC2::VPCEndpoint").items()
            if r.get("Properties", {}).get("VpcEndpointType", "Gateway") == "Interface"}
