"""The customer VPC the interface endpoints go into (online):

- MLPROV-F009 VPC DNS attributes: "To use a private hosted zone, you must set the following VPC attributes to
  true: enableDnsHostnames and enableDnsSupport" (Amazon EC2 API Reference, CreateVpcEndpoint,
  PrivateDnsEnabled, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html).
- MLPROV-F010 two subnets in one Availability Zone: an interface endpoint takes "one subnet per Availability
  Zone" (AWS PrivateLink Guide, "Create an interface endpoint"); CreateVpcEndpoint refuses more with
  ``DuplicateSubnetsInSameZone``.
- MLPROV-F011 AZs the endpoint service does not serve: DescribeVpcEndpointServices lists each service's
  ``AvailabilityZones``; "you can't create an interface endpoint in an Availability Zone that the service does not
  support" (AWS PrivateLink Guide, "Access an AWS service using an interface VPC endpoint", Considerations).
"""

from __future__ import annotations

from typing import Any

from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.network import interface_endpoints, resolve
from mlprov.forecast.registry import REGISTRY

DNS_CODE, SUBNET_CODE, AZ_CODE = "MLPROV-F009", "MLPROV-F010", "MLPROV-F011"


def _subnet_zones(ec2: Any, subnet_ids: list[str]) -> dict[str, str]:
    """subnet id -> AZ name, for the subnets that exist (the pre-flight reports missing ones)."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    zones: dict[str, str] = {}
    for sid in subnet_ids:
        try:
            found = ec2.describe_subnets(SubnetIds=[sid])["Subnets"]
        except ClientError as exc:
            if "NotFound" in str(exc.response.get("Error", {}).get("Code", "")):
                continue
            raise
        if found:
            zones[sid] = str(found[0]["AvailabilityZone"])
    return zones


@REGISTRY.check(DNS_CODE, "VPC DNS attributes", online=True)
def dns_attributes(ctx: Context) -> list[Finding]:
    net = resolve(ctx)
    private = [lid for lid, p in interface_endpoints(ctx).items() if p.get("PrivateDnsEnabled") in (True, "true")]
    if net is None or not private or ctx.aws is None:
        return []
    ec2 = ctx.aws.client("ec2")
    off = []
    for attr, key in (("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")):
        if not ec2.describe_vpc_attribute(VpcId=net.vpc_id, Attribute=attr)[key]["Value"]:
            off.append(attr)
    if not off:
        return []
    return [finding(DNS_CODE, "blocker", f"VPC {net.vpc_id} ({net.where}) has {' and '.join(off)} off; the private-DNS "
                    f"endpoints ({', '.join(private)}) cannot be created",
                    " ; ".join(f"aws ec2 modify-vpc-attribute --vpc-id {net.vpc_id} --{a.replace('enable', 'enable-').lower()}"
                               for a in off))]


@REGISTRY.check(SUBNET_CODE, "one subnet per Availability Zone", online=True)
def subnets_per_zone(ctx: Context) -> list[Finding]:
    net = resolve(ctx)
    if net is None or not interface_endpoints(ctx) or ctx.aws is None:
        return []
    by_zone: dict[str, list[str]] = {}
    for sid, zone in _subnet_zones(ctx.aws.client("ec2"), net.subnet_ids).items():
        by_zone.setdefault(zone, []).append(sid)
    return [finding(SUBNET_CODE, "blocker", f"subnets {', '.join(sids)} ({net.where}) are all in {zone}; an interface "
                    "endpoint takes one subnet per Availability Zone (DuplicateSubnetsInSameZone)",
                    "list one subnet per Availability Zone")
            for zone, sids in sorted(by_zone.items()) if len(sids) > 1]


@REGISTRY.check(AZ_CODE, "Availability Zones the endpoint services serve", online=True)
def service_zones(ctx: Context) -> list[Finding]:
    net = resolve(ctx)
    endpoints = interface_endpoints(ctx)
    if net is None or not endpoints or ctx.aws is None:
        return []
    ec2 = ctx.aws.client("ec2")
    zones = _subnet_zones(ec2, net.subnet_ids)
    names = sorted({str(p["ServiceName"]) for p in endpoints.values() if isinstance(p.get("ServiceName"), str)})
    details = ec2.describe_vpc_endpoint_services(ServiceNames=names).get("ServiceDetails", [])
    served = {str(d["ServiceName"]): set(d.get("AvailabilityZones", [])) for d in details}
    found = []
    for name in names:
        if name not in served:
            found.append(finding(AZ_CODE, "blocker", f"endpoint service {name} is not offered in {ctx.product.region}",
                                 "remove the endpoint or deploy in a region that offers the service"))
            continue
        missing = sorted(f"{sid} ({zone})" for sid, zone in zones.items() if zone not in served[name])
        if missing:
            found.append(finding(AZ_CODE, "blocker", f"endpoint service {name} is not served in the Availability Zone of "
                                 f"subnet(s) {', '.join(missing)}",
                                 f"use subnets in {', '.join(sorted(served[name]))}"))
    return found
