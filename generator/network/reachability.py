"""Offline reachability of the rendered template: can each CodeBuild project reach S3, Logs, KMS and STS?

Pure Python over the parsed template, no AWS. For each project in a VPC, from its security groups:
egress rules (inline, or ``AWS::EC2::SecurityGroupEgress``) -> the endpoint's security groups' ingress rules
(inline, or ``AWS::EC2::SecurityGroupIngress``, also on an imported group) -> an interface endpoint of the
service with private DNS (the only kind ordinary SDK clients use: "Private DNS for interface endpoints",
AWS PrivateLink Guide; for S3 also not ``OnlyInboundResolver``, which sends in-VPC clients to a gateway
endpoint: S3 User Guide, "AWS PrivateLink for Amazon S3"). Security groups are stateful, so only the
requesting direction matters ("Security group rules", Amazon VPC User Guide).

A service without a stack endpoint is reached, if at all, through the subnets' NAT (an egress rule allowing
HTTPS to 0.0.0.0/0: ``network.egress: nat``) or the VPC's own endpoints (``network.endpoints: existing``:
HTTPS to the VPC range or to an imported group that admits the builds). Those two rely on what the template
cannot show (a NAT route; endpoints owned by someone else): the path says "assumed" and the forecast checks
them against AWS. A private-DNS endpoint of the stack captures its service's traffic, so for such a service
only the path through that endpoint counts.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

REQUIRED_SERVICES = ("s3", "logs", "kms", "sts")
HTTPS = 443
Ref = tuple[str, str]  # ("stack", logical id) | ("import", export name) | ("id", literal group id)


def _ref(node: Any) -> Ref | None:
    if isinstance(node, str):
        return ("id", node)
    if isinstance(node, dict):
        if "Fn::GetAtt" in node:
            return ("stack", str(node["Fn::GetAtt"][0]))
        if "Ref" in node:
            return ("stack", str(node["Ref"]))
        if "Fn::ImportValue" in node:
            return ("import", str(node["Fn::ImportValue"]))
    return None


@dataclass(frozen=True)
class Rule:
    cidr: str | None
    group: Ref | None

    def covers(self, vpc_cidr: str | None) -> bool:
        """Whether the rule's CIDR covers the VPC's addresses (where the builds and endpoints live)."""
        if self.cidr is None:
            return False
        net = ipaddress.ip_network(self.cidr, strict=False)
        if net.prefixlen == 0:
            return True
        return vpc_cidr is not None and ipaddress.ip_network(vpc_cidr, strict=False).subnet_of(net)  # type: ignore[arg-type]

    @property
    def anywhere(self) -> bool:
        return self.cidr is not None and ipaddress.ip_network(self.cidr, strict=False).prefixlen == 0


def _allows_https(rule: dict[str, Any]) -> bool:
    proto = str(rule.get("IpProtocol", ""))
    if proto == "-1":
        return True
    if proto not in ("tcp", "6"):
        return False
    low, high = int(rule.get("FromPort", -1)), int(rule.get("ToPort", -1))
    return low <= HTTPS <= high


def _rules(rules: Iterable[dict[str, Any]], peer_key: str) -> list[Rule]:
    return [Rule(cidr=r.get("CidrIp"), group=_ref(r.get(peer_key)) if peer_key in r else None)
            for r in rules if isinstance(r, dict) and _allows_https(r)]


@dataclass
class _Groups:
    ingress: dict[Ref, list[Rule]]
    egress: dict[Ref, list[Rule]]


def _groups(resources: dict[str, Any]) -> _Groups:
    out = _Groups({}, {})
    for lid, res in resources.items():
        props = res.get("Properties", {})
        if res.get("Type") == "AWS::EC2::SecurityGroup":
            out.ingress.setdefault(("stack", lid), []).extend(_rules(props.get("SecurityGroupIngress", []), "SourceSecurityGroupId"))
            # No inline egress rule: EC2 keeps the default rule allowing all egress to anywhere
            # (AWS::EC2::SecurityGroup, "SecurityGroupEgress", CloudFormation Template Reference).
            inline = props.get("SecurityGroupEgress") or [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]
            out.egress.setdefault(("stack", lid), []).extend(_rules(inline, "DestinationSecurityGroupId"))
        elif res.get("Type") == "AWS::EC2::SecurityGroupIngress" and (g := _ref(props.get("GroupId"))):
            out.ingress.setdefault(g, []).extend(_rules([props], "SourceSecurityGroupId"))
        elif res.get("Type") == "AWS::EC2::SecurityGroupEgress" and (g := _ref(props.get("GroupId"))):
            out.egress.setdefault(g, []).extend(_rules([props], "DestinationSecurityGroupId"))
    return out


def _service(name: Any) -> str:
    parts = str(name).split(".")
    return ".".join(parts[3:]) if len(parts) > 3 else str(name)


def _usable(props: dict[str, Any]) -> bool:
    """Ordinary clients resolve the service's own name to the endpoint only with private DNS."""
    if props.get("VpcEndpointType", "Gateway") != "Interface" or props.get("PrivateDnsEnabled") is not True:
        return False
    inbound_only = str(props.get("DnsOptions", {}).get("PrivateDnsOnlyForInboundResolverEndpoint", ""))
    return inbound_only != "OnlyInboundResolver"


def _admits(groups: _Groups, target: Ref, source: Ref, vpc_cidr: str | None) -> bool:
    return any(r.group == source or r.covers(vpc_cidr) for r in groups.ingress.get(target, []))


def _egress_to(groups: _Groups, sources: list[Ref], target: Ref, vpc_cidr: str | None) -> bool:
    """Some source group lets HTTPS out to ``target``'s members, and ``target`` lets it in from that source."""
    return any((r.group == target or r.covers(vpc_cidr)) and _admits(groups, target, src, vpc_cidr)
               for src in sources for r in groups.egress.get(src, []))


def paths(template: dict[str, Any], vpc_cidr: str | None) -> dict[str, dict[str, str | None]]:
    """project logical id -> service -> how it is reached (None: unreachable). ``vpc_cidr`` is the VPC's
    range as the config declares it (``network.ingress_cidr``), or None when the config names none."""
    resources: dict[str, Any] = template.get("Resources", {})
    groups = _groups(resources)
    endpoints: dict[str, list[tuple[str, list[Ref]]]] = {}
    for lid, res in resources.items():
        props = res.get("Properties", {})
        if res.get("Type") == "AWS::EC2::VPCEndpoint" and _usable(props):
            sgs = [g for g in (_ref(x) for x in props.get("SecurityGroupIds", [])) if g]
            endpoints.setdefault(_service(props.get("ServiceName")), []).append((lid, sgs))
    out: dict[str, dict[str, str | None]] = {}
    for lid, res in resources.items():
        vpc = res.get("Properties", {}).get("VpcConfig") if res.get("Type") == "AWS::CodeBuild::Project" else None
        if not vpc:
            continue
        sources = [g for g in (_ref(x) for x in vpc.get("SecurityGroupIds", [])) if g]
        egress = [r for s in sources for r in groups.egress.get(s, [])]
        services = sorted(set(REQUIRED_SERVICES) | set(endpoints))
        out[lid] = {svc: _path(svc, endpoints, groups, sources, egress=egress, vpc_cidr=vpc_cidr) for svc in services}
    return out


def _path(svc: str, endpoints: dict[str, list[tuple[str, list[Ref]]]], groups: _Groups, sources: list[Ref], *,
          egress: list[Rule], vpc_cidr: str | None) -> str | None:
    if svc in endpoints:  # the stack's private-DNS endpoint takes the service's traffic
        for ep, sgs in endpoints[svc]:
            if any(_egress_to(groups, sources, g, vpc_cidr) for g in sgs):
                return f"endpoint {ep}"
        return None
    if any(r.anywhere for r in egress):
        return "NAT (assumed: the subnets route 0.0.0.0/0 to a NAT gateway)"
    external = {r.group for r in egress if r.group and r.group[0] != "stack"}
    if any(_egress_to(groups, sources, g, vpc_cidr) for g in external):
        return "the VPC's own endpoints behind the imported group (assumed: they exist with private DNS)"
    if any(r.covers(vpc_cidr) for r in egress):
        return "the VPC's own endpoints in the VPC range (assumed: they exist with private DNS)"
    return None


def unreachable(template: dict[str, Any], vpc_cidr: str | None) -> list[str]:
    """One line per (project, required service) with no path; empty when every build can work."""
    return [f"{project} cannot reach {svc} over HTTPS: no egress rule of its security groups leads to an endpoint "
            f"of {svc} that admits it, nor to a NAT route"
            for project, svcs in paths(template, vpc_cidr).items() for svc, how in svcs.items()
            if how is None and svc in REQUIRED_SERVICES]
