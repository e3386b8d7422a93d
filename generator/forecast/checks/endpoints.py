"""Private-DNS conflicts of the template's interface endpoints (online):

- MLPROV-F012 another endpoint of the same service with private DNS in the VPC (DescribeVpcEndpoints filtered by
  ``vpc-id`` and ``service-name``);
- MLPROV-F013 a private hosted zone associated with the VPC whose domain covers the service's private DNS name
  (Route 53 ListHostedZonesByVPC).

AWS: CreateVpcEndpoint with PrivateDnsEnabled fails "private-dns-enabled cannot be set because there is already a
conflicting DNS domain for <service> in the VPC" when "the VPC already has an interface VPC endpoint for the same
service" or "is already associated with a private hosted zone that contains the intended service name" (AWS
re:Post Knowledge Center, "Resolve the conflicting DNS domain error for interface VPC endpoints"; the causes as
quoted in https://dev.classmethod.jp/articles/when-creating-a-vpc-endpoint-a-conflict-occurs-what-is-the-problem/);
PrivateDnsEnabled "associate[s] a private hosted zone with the specified VPC" (EC2 API Reference, CreateVpcEndpoint).
"""

from __future__ import annotations

from typing import Any

from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.network import interface_endpoints, resolve
from mlprov.forecast.registry import REGISTRY

ENDPOINT_CODE, ZONE_CODE = "MLPROV-F012", "MLPROV-F013"
FIX = "use the VPC's endpoint (network.endpoints: existing), or turn private DNS off on the other one"


def _private(ctx: Context) -> dict[str, str]:
    """logical id -> service name of the template's interface endpoints with private DNS."""
    return {lid: str(p["ServiceName"]) for lid, p in interface_endpoints(ctx).items()
            if p.get("PrivateDnsEnabled") in (True, "true") and isinstance(p.get("ServiceName"), str)}


@REGISTRY.check(ENDPOINT_CODE, "private-DNS endpoints already in the VPC", online=True)
def endpoint_conflicts(ctx: Context) -> list[Finding]:
    net, private = resolve(ctx), _private(ctx)
    if net is None or not private or ctx.aws is None:
        return []
    ec2 = ctx.aws.client("ec2")
    found = []
    for lid, service in sorted(private.items()):
        resp = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [net.vpc_id]},
                                                   {"Name": "service-name", "Values": [service]}])
        others = [e["VpcEndpointId"] for e in resp.get("VpcEndpoints", [])
                  if e.get("PrivateDnsEnabled") and e["VpcEndpointId"] not in ctx.stack_physical_ids
                  and e.get("State", "available").lower() not in {"deleted", "deleting", "rejected", "failed"}]
        if others:
            found.append(finding(ENDPOINT_CODE, "blocker",
                                 f"{lid}: VPC {net.vpc_id} already has {', '.join(sorted(others))} for {service} with private "
                                 "DNS; AWS allows one per service per VPC (conflicting DNS domain)", FIX))
    return found


def _dns_name(service: str, details: dict[str, dict[str, Any]]) -> str:
    """The service's private DNS name (from DescribeVpcEndpointServices, else derived: com.amazonaws.R.sts ->
    sts.R.amazonaws.com; sagemaker.api -> api.sagemaker.R.amazonaws.com)."""
    name = details.get(service, {}).get("PrivateDnsName")
    if name:
        return str(name).lstrip("*.")
    parts = service.split(".")  # com amazonaws <region> <service...>
    region, rest = parts[2], parts[3:]
    return ".".join([*reversed(rest[1:]), rest[0], region, "amazonaws.com"]) if rest else service


@REGISTRY.check(ZONE_CODE, "private hosted zones covering the endpoint names", online=True)
def zone_conflicts(ctx: Context) -> list[Finding]:
    net, private = resolve(ctx), _private(ctx)
    if net is None or not private or ctx.aws is None:
        return []
    zones = ctx.aws.client("route53").list_hosted_zones_by_vpc(VPCId=net.vpc_id, VPCRegion=ctx.product.region)
    own = [z for z in zones.get("HostedZoneSummaries", []) if "OwningService" not in z.get("Owner", {})]
    if not own:
        return []
    details = {str(d["ServiceName"]): d for d in ctx.aws.client("ec2").describe_vpc_endpoint_services(
        ServiceNames=sorted(set(private.values()))).get("ServiceDetails", [])}
    found = []
    for lid, service in sorted(private.items()):
        dns = _dns_name(service, details)
        for z in own:
            domain = str(z["Name"]).rstrip(".")
            if dns == domain or dns.endswith("." + domain):
                found.append(finding(ZONE_CODE, "blocker",
                                     f"{lid}: private hosted zone {domain} ({z['HostedZoneId']}) is associated with VPC "
                                     f"{net.vpc_id} and covers {dns} (conflicting DNS domain)", FIX))
    return found
