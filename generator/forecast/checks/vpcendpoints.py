"""MLPROV-F014 (online): with ``network.endpoints: existing`` (and for every test copy) the stack creates no
endpoints and relies on the VPC's own: each service the product needs must have an interface endpoint with private
DNS in the VPC, or the builds and SageMaker calls do not reach it (the deploy itself succeeds: a warning).

AWS: ordinary SDK clients reach an interface endpoint through the service's default DNS name only when private DNS
is on ("Private DNS for interface endpoints", AWS PrivateLink Guide); the services needed are those of
:mod:`mlprov.network.plan` (its sources there).
"""

from __future__ import annotations

from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.network import resolve
from mlprov.forecast.registry import REGISTRY
from mlprov.network.plan import BUILD_ENDPOINTS, SPEC_ENDPOINTS

CODE = "MLPROV-F014"


@REGISTRY.check(CODE, "the VPC's own endpoints (network.endpoints: existing)", online=True)
def vpc_endpoints(ctx: Context) -> list[Finding]:
    prod = ctx.product
    net = resolve(ctx)
    if net is None or prod.endpoints_mode != "existing" or ctx.aws is None:
        return []
    needed = list(SPEC_ENDPOINTS) + (list(BUILD_ENDPOINTS) if prod.egress_mode == "endpoints" else [])
    ec2 = ctx.aws.client("ec2")
    missing = []
    for e in needed:
        service = f"com.amazonaws.{prod.region}.{e.service}"
        resp = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [net.vpc_id]},
                                                   {"Name": "service-name", "Values": [service]}])
        if not [v for v in resp.get("VpcEndpoints", []) if v.get("PrivateDnsEnabled")
                and str(v.get("State", "available")).lower() in {"available", "pending", "pendingacceptance"}]:
            missing.append(service)
    if not missing:
        return [finding(CODE, "info", f"VPC {net.vpc_id} has a private-DNS endpoint for each of the "
                        f"{len(needed)} services the product uses")]
    return [finding(CODE, "warning", f"VPC {net.vpc_id} ({net.where}) has no private-DNS endpoint for "
                    f"{', '.join(missing)}; with network.endpoints: existing the stack creates none, so the builds "
                    "cannot reach them",
                    "deploy the sibling that creates the endpoints first, or set network.endpoints: create")]
