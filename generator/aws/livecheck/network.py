"""Live checks of the network: security-group ingress and egress, VPC endpoint state and placement.

- DescribeSecurityGroups gives IpPermissions (ingress) and IpPermissionsEgress (egress) (Amazon EC2 API
  Reference, "SecurityGroup"); an egress rule opened to 0.0.0.0/0 out of band is drift.
- DescribeVpcEndpoints State: PendingAcceptance | Pending | Available | Deleting | Deleted | Rejected |
  Failed | Expired (Amazon EC2 API Reference, "VpcEndpoint"; the wire form is lower case, e.g. "available").
  A deleted or deleting endpoint is DELETED; any other state but available is drift.
"""

from __future__ import annotations

from typing import Any

from mlprov.aws.livecheck.absent import Gone
from mlprov.aws.livecheck.context import NOT_COMPARED, Compared, Ctx


def _rules(perms: list[dict[str, Any]]) -> list[str]:
    out = []
    for p in perms:
        proto, lo, hi = str(p.get("IpProtocol")), p.get("FromPort"), p.get("ToPort")
        lo, hi = (None, None) if proto == "-1" else (lo, hi)
        out += [f"{proto}:{lo}-{hi}:{r['CidrIp']}" for r in p.get("IpRanges", [])]
        out += [f"{proto}:{lo}-{hi}:{r['CidrIpv6']}" for r in p.get("Ipv6Ranges", [])]
        out += [f"{proto}:{lo}-{hi}:{g['GroupId']}" for g in p.get("UserIdGroupPairs", [])]
        out += [f"{proto}:{lo}-{hi}:{g['PrefixListId']}" for g in p.get("PrefixListIds", [])]
    return sorted(out)


def _template_rules(ctx: Ctx, rules: list[dict[str, Any]]) -> list[str] | str:
    """The template's rules in :func:`_rules` form, or NOT_COMPARED when a peer holds an intrinsic not evaluated
    here (e.g. ``Fn::ImportValue`` of an existing group): the property is then skipped, never guessed as drift."""
    out = []
    for r in rules:
        peer = r.get("CidrIp") or r.get("CidrIpv6") or r.get("SourceSecurityGroupId") or \
            r.get("DestinationSecurityGroupId") or r.get("DestinationPrefixListId")
        proto = str(r.get("IpProtocol"))
        lo, hi = (None, None) if proto == "-1" else (r.get("FromPort"), r.get("ToPort"))
        resolved = ctx.resolve(peer)
        if resolved == NOT_COMPARED:
            return NOT_COMPARED
        out.append(f"{proto}:{lo}-{hi}:{resolved}")
    return sorted(out)


# A group created without SecurityGroupEgress gets the default allow-all egress rule
# (AWS::EC2::SecurityGroup docs, SecurityGroupEgress: "When you specify a VPC security group, Amazon EC2 creates a
# default egress rule that allows egress traffic on all ports and IP protocols to any location").
_DEFAULT_EGRESS = [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]


def security_group(ctx: Ctx, group_id: str) -> Compared:
    groups = ctx.aws.client("ec2").describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    if not groups:
        raise Gone
    egress = ctx.props.get("SecurityGroupEgress") or _DEFAULT_EGRESS
    return [("SecurityGroupIngress", _template_rules(ctx, ctx.props.get("SecurityGroupIngress", [])),
             _rules(groups[0].get("IpPermissions", []))),
            ("SecurityGroupEgress", _template_rules(ctx, egress), _rules(groups[0].get("IpPermissionsEgress", [])))]


def vpc_endpoint(ctx: Ctx, endpoint_id: str) -> Compared:
    found = ctx.aws.client("ec2").describe_vpc_endpoints(VpcEndpointIds=[endpoint_id]).get("VpcEndpoints", [])
    if not found or str(found[0].get("State", "")).lower() in {"deleted", "deleting"}:
        raise Gone
    endpoint = found[0]
    out: Compared = [("State", "available", str(endpoint.get("State", "")).lower())]
    for prop in ("VpcId", "ServiceName"):
        if prop in ctx.props:
            out.append((prop, ctx.resolve(ctx.props[prop]), endpoint.get(prop)))
    if "PrivateDnsEnabled" in ctx.props:
        out.append(("PrivateDnsEnabled", bool(ctx.props["PrivateDnsEnabled"]), bool(endpoint.get("PrivateDnsEnabled"))))
    return out


def _import_value(ctx: Ctx, value: Any) -> Any:
    """``Fn::ImportValue`` of a literal export name, read with ListExports (CloudFormation API Reference,
    "ListExports"); any other value through the template resolver."""
    if isinstance(value, dict) and set(value) == {"Fn::ImportValue"} and isinstance(value["Fn::ImportValue"], str):
        name = value["Fn::ImportValue"]
        for page in ctx.aws.cfn.get_paginator("list_exports").paginate():
            for export in page.get("Exports", []):
                if export.get("Name") == name:
                    return str(export["Value"])
        return NOT_COMPARED
    return ctx.resolve(value)


def ingress_rule(ctx: Ctx, physical_id: str) -> Compared:
    """AWS::EC2::SecurityGroupIngress: the rule the stack owns on a group (e.g. the SG provisioner's, imported).
    Its physical id names no API object, so the group is read and the rule looked up in its IpPermissions; a rule
    revoked out of band is drift ("absent"). A group that no longer exists: DELETED."""
    del physical_id
    group = _import_value(ctx, ctx.props.get("GroupId"))
    if group == NOT_COMPARED:
        return [("rule", NOT_COMPARED, None)]
    expected = _template_rules(ctx, [ctx.props])
    if expected == NOT_COMPARED:
        return [("rule", NOT_COMPARED, None)]
    groups = ctx.aws.client("ec2").describe_security_groups(GroupIds=[group])["SecurityGroups"]
    if not groups:
        raise Gone
    actual = set(_rules(groups[0].get("IpPermissions", [])))
    return [("rule", expected, [r for r in expected if r in actual] if actual.issuperset(expected) else "absent")]
