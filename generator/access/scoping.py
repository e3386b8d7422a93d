"""Scoping one IAM action to a product's resources, as IAM's reference says the action is authorized.

- named resources: the product's ARNs and its test copies' exact patterns (:mod:`arns`);
- resources whose id AWS picks (KMS keys, security groups, VPC endpoints): the type's ARN in this account and
  region, only with ``aws:ResourceTag/mlprov:product`` (existing resources) or ``aws:RequestTag/...`` (the
  call that creates one, which must tag it), per https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html;
- the VPC and subnets: their ARNs in the VPC owner's account (``network.vpc_owner_account`` for a shared VPC);
- ``"*"`` only for actions IAM gives no resource-level permissions.

An action that would match nothing of the product is a generator error (``strict``), never a wider grant.

A product's four principals scope about 600 (logical id, action) pairs over one context; what scoping grants
depends only on the context and on what :func:`static` reads of the action, so it is computed once per context
and signature (:func:`plan`, where the equivalence is argued) and replayed into each principal's grants; an ARN
format is matched only against the pool's ARNs of its service (:mod:`arnpool`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, cached_property, lru_cache
from typing import Any

from mlprov.access import arnpool, handlers, iamref
from mlprov.access.arns import ProductArns, product_arns, tag_values
from mlprov.access.grants import Grants, PolicyError, ScopeKey, scope_key
from mlprov.config import connection
from mlprov.config.model import Product
from mlprov.deploypath import PRODUCT_TAG

# IAM resource types whose id AWS picks, by the CloudFormation type that creates them.
TAGGED_TYPES = {"AWS::KMS::Key": ("kms", "key"), "AWS::EC2::SecurityGroup": ("ec2", "security-group"),
                "AWS::EC2::VPCEndpoint": ("ec2", "vpc-endpoint")}
# The same, by (service, resource type name) of IAM's tables: what scope() looks up per resource type of an action.
TAGGED_BY_IAM_TYPE = {key: [t for t, k in TAGGED_TYPES.items() if k == key] for key in TAGGED_TYPES.values()}
# Writing these on the enterprise boundary would rewrite every role's ceiling: never granted (see docs/access.md).
BOUNDARY_FROZEN = frozenset({"iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"})
# The call that creates each tagged type: it must carry the product tag (aws:RequestTag).
CREATOR = {"AWS::KMS::Key": "kms:CreateKey", "AWS::EC2::SecurityGroup": "ec2:CreateSecurityGroup",
           "AWS::EC2::VPCEndpoint": "ec2:CreateVpcEndpoint"}
# The only calls that name the (possibly shared) VPC and its subnets.
NETWORK_CALLS = frozenset({"ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:CreateSecurityGroup"})
IAM_POLICY_CONDITIONED = frozenset({"iam:AttachRolePolicy", "iam:DetachRolePolicy"})
BOUNDARY_CONDITIONED = frozenset({"iam:CreateRole", "iam:PutRolePermissionsBoundary"})


# A scoping's adds (their merge keys, in order), whether one matched, whether the action is boundary-frozen.
Plan = tuple[tuple[ScopeKey, ...], bool, bool]


class Ctx:
    def __init__(self, product: Product, template: Mapping[str, Any]) -> None:
        self.product = product
        self.template = template
        self.resources: dict[str, Any] = dict(template["Resources"])
        self.arns: ProductArns = product_arns(product, template)
        self.part, self.region, self.acct = product.partition, product.region, product.account_id
        self.types = {r["Type"] for r in self.resources.values()}
        self.tags = tag_values(product)
        self.all_arns = self.arns.all()
        # Parameters the product only reads: never a target of a write (the network's SSM parameters), and the
        # operator's CodeConnections connection (the forecast reads it: MLPROV-F015; passing it is special()).
        self.read_only_arns = self.parameter_arns() + ([conn] if (conn := _connection_arn(self)) else [])
        # Memoized per context (one product's template): what scope() asks for every action again.
        self.creates = {CREATOR[t] for t in TAGGED_TYPES if t in self.types}
        self.boundary_arns = _boundary_arns(self)
        # The four principals of one product build four contexts over the same ARNs: they share one memo.
        self._matches = _matches_of(tuple(self.all_arns), tuple(self.read_only_arns))
        self._plans: dict[int, Plan] = {}  # by the number of an action's static signature
        self._by_service: dict[bool, dict[str, tuple[str, ...]]] = {}
        self._joined: dict[tuple[bool, str | None], str] = {}  # each pool matching() filters, its ARNs joined

    @cached_property
    def handler_permissions(self) -> dict[str, dict[str, list[str]]]:
        """``handlers.for_template`` of the template, once per context: the service role's and the drift role's
        statements read it (and never change it)."""
        return handlers.for_template(self.template)

    def matching(self, arn_format: str, read_only: bool) -> tuple[str, ...]:
        """The product's ARNs (and, for a read, the ARNs it only reads) that an ARN format matches, in pool order."""
        found = self._matches.get((arn_format, read_only))
        if found is None:
            regex, literal, service = _format(arn_format)
            indexes = self._by_service
            if read_only not in indexes:
                indexes[read_only] = arnpool.by_service([*self.all_arns, *self.read_only_arns] if read_only
                                                        else self.all_arns)
            pool: Sequence[str] = (indexes[read_only].get(service, ()) if service is not None  # :mod:`arnpool`
                                   else [*self.all_arns, *self.read_only_arns] if read_only else self.all_arns)
            # ``literal in a`` is implied by a match (the format's longest fixed part): a cheap test first. Every
            # ARN of the pool is a substring of the pool joined, so a literal not in that is in none of them and
            # the filter keeps nothing (~3 of 4 formats a product asks for): tested once, at C speed.
            joined = self._joined.get((read_only, service))
            if joined is None:
                joined = self._joined[(read_only, service)] = "\n".join(pool)
            found = self._matches[(arn_format, read_only)] = (
                tuple(a for a in pool if literal in a and regex.match(a)) if literal in joined else ())
        return found

    def parameter_arns(self) -> list[str]:
        """SSM parameters the product only reads: the template's parameter types, the config's network ones."""
        names = [str(p["Default"]) for p in (self.template.get("Parameters") or {}).values()
                 if str(p.get("Type", "")).startswith("AWS::SSM::Parameter::Value") and isinstance(p.get("Default"), str)]
        net = self.product.network
        names += [str(net[k]) for k in ("vpc_id_parameter", "subnet_ids_parameter") if net.get(k)]
        return sorted({f"arn:{self.part}:ssm:{self.region}:{self.acct}:parameter{n}" for n in names})

    def of_type(self, rtype: str) -> list[str]:
        return [lid for lid, r in self.resources.items() if r["Type"] == rtype]

    def tag_condition(self, key: str) -> dict[str, Any]:
        return {"StringLike": {f"{key}/{PRODUCT_TAG}": self.tags}}

    def network_arns(self, kind: str) -> list[str]:
        net = self.product.network
        owner = str(net.get("vpc_owner_account") or self.acct)
        base = f"arn:{self.part}:ec2:{self.region}:{owner}"
        if kind == "vpc":
            return [f"{base}:vpc/{net['vpc_id']}"] if net.get("vpc_id") else [f"{base}:vpc/*"]
        ids = net.get("subnet_ids") or []
        return [f"{base}:subnet/{s}" for s in ids] if ids else [f"{base}:subnet/*"]


@lru_cache(maxsize=8)
def _matches_of(all_arns: tuple[str, ...], read_only_arns: tuple[str, ...]) -> dict[tuple[str, bool], tuple[str, ...]]:
    """One memo per pool of ARNs: what a format matches depends on the pool and the format only."""
    return {}


def _boundary_arns(ctx: Ctx) -> list[str]:
    out: list[str] = []
    for res in ctx.resources.values():
        pb = res.get("Properties", {}).get("PermissionsBoundary") if res["Type"] == "AWS::IAM::Role" else None
        if isinstance(pb, dict) and "Ref" in pb:
            out += ctx.arns.of(pb["Ref"])
    return sorted(set(out))


def _attachable_policies(ctx: Ctx) -> list[str]:
    """ARNs a role of the template attaches: its own managed policies (never the boundary), literal ARNs."""
    out: set[str] = set()
    for res in ctx.resources.values():
        if res["Type"] != "AWS::IAM::Role":
            continue
        for ref in res.get("Properties", {}).get("ManagedPolicyArns", []):
            if isinstance(ref, str):
                out.add(ref)
            elif isinstance(ref, dict) and "Ref" in ref:
                out.update(ctx.arns.of(ref["Ref"]))
    return sorted(out - set(ctx.boundary_arns))


def _trusted_services(ctx: Ctx) -> list[str]:
    services: set[str] = set()
    for lid in ctx.of_type("AWS::IAM::Role"):
        for st in ctx.resources[lid]["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            svc = st.get("Principal", {}).get("Service", [])
            services.update([svc] if isinstance(svc, str) else svc)
    return sorted(services)


def _role_arns(ctx: Ctx) -> list[str]:
    return sorted({a for lid in ctx.of_type("AWS::IAM::Role") for a in ctx.arns.of(lid)})


def _connection_arn(ctx: Ctx) -> str | None:
    source = ctx.product.config["source"]  # the connection is the operator's, outside the stack
    return str(source["connection_arn"]) if source.get("type") == "connection" else None


def _foreign_endpoint_groups(ctx: Ctx) -> bool:
    """Whether an endpoint of the template uses a security group the template does not create (Fn::ImportValue)."""
    own = set(ctx.of_type("AWS::EC2::SecurityGroup"))
    for lid in ctx.of_type("AWS::EC2::VPCEndpoint"):
        for group in ctx.resources[lid].get("Properties", {}).get("SecurityGroupIds", []):
            ref = group.get("Ref") if isinstance(group, dict) else None
            att = group.get("Fn::GetAtt") if isinstance(group, dict) else None
            if ref not in own and not (isinstance(att, list) and att[0] in own):
                return True
    return False


# Every action special() may handle (besides ``*:PassConnection``); for any other it returns False at once.
SPECIAL = frozenset({"iam:PassRole", *IAM_POLICY_CONDITIONED, "route53:AssociateVPCWithHostedZone",
                     *BOUNDARY_CONDITIONED})


def may_be_special(action: str) -> bool:
    """False: :func:`special` returns False for ``action`` without reading anything (each of its tests needs the
    action to end with ``:PassConnection`` or be in :data:`SPECIAL`), so a caller may skip it."""
    return action in SPECIAL or action.endswith(":PassConnection")


def special(ctx: Ctx, grants: Grants, action: str) -> bool:
    """IAM actions whose grant carries a condition; True when handled here."""
    if action.endswith(":PassConnection") and (conn := _connection_arn(ctx)):
        # The registry names codestar-connections:PassConnection; IAM wants the prefix of the connection's own ARN
        # ("Connections rename - Summary of changes", https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html),
        # granted on exactly the configured connection (not the product's: the operator owns it).
        grants.add([connection.parse(conn).pass_action], [conn], sid="PassOnlyTheConfiguredConnection")
        return True
    if action == "iam:PassRole":
        grants.add([action], _role_arns(ctx), {"StringEquals": {"iam:PassedToService": _trusted_services(ctx)}},
                   sid="PassOnlyTheProductsRolesToTheirServices")
        return True
    if action in IAM_POLICY_CONDITIONED:
        policies = _attachable_policies(ctx)
        if policies:
            grants.add([action], _role_arns(ctx), {"ArnLike": {"iam:PolicyARN": policies}},
                       sid="AttachOnlyTheProductsOwnPolicies")
        return True
    if action == "route53:AssociateVPCWithHostedZone":
        # The zone is the endpoint service's AWS-managed private hosted zone: its id is not ours to know. The
        # association is with the product's VPC only; route53:VPCs is not asserted (its value format in EC2's
        # dependent call is undocumented).
        grants.add([action], [f"arn:{ctx.part}:route53:::hostedzone/*"], sid="PrivateDnsOfInterfaceEndpoints")
        return True
    boundary = ctx.boundary_arns
    if action in BOUNDARY_CONDITIONED and boundary:
        grants.add([action], _role_arns(ctx), {"StringLike": {"iam:PermissionsBoundary": boundary}},
                   sid="RolesOnlyWithTheProductsBoundary")
        return True
    return False


def scope(ctx: Ctx, grants: Grants, action: str, logical: str, *, strict: bool = True) -> None:
    """Grant ``action`` on what it matches of the product (:func:`plan`); strict: raise when that is nothing."""
    number, signature = static(action)  # scope runs ~600 times per product: its plan memo read inline
    found = ctx._plans.get(number)
    if found is None:
        found = ctx._plans[number] = plan(ctx, signature)
    keys, matched, frozen = found
    grants.add_keyed(action, keys)
    if strict and not matched and not frozen:
        raise PolicyError(f"{logical}: {action} would match none of the product's resources; add a scope for it")


def plan(ctx: Ctx, static: Static) -> Plan:
    """What scoping an action grants in ``ctx``, from its :func:`static` signature: the :func:`grants.scope_key`
    of each ``add([action], resources, condition)`` scoping makes, in order (empty resources left out: ``add``
    ignores them), whether one of them counts as a match (the ``"*"`` of an action without resource types does),
    and whether the action is frozen (a write of the product's boundary: matching nothing is then no error).

    It reads only the context (immutable after ``__init__``) and the signature, never the action itself, the
    grants, the logical id or ``strict``: so actions of one signature have one plan per context, and replaying it
    (:meth:`grants.Grants.add_keyed`, with the action) makes the same adds in the same order (the statements' order
    of equal sort keys follows the first add) as scoping the action afresh, and the same errors: ``add`` refuses
    a wildcard action at its first non-empty add, ``add_keyed`` at its first key; the strict error comes last in
    both, and only when nothing matched (every match adds a non-empty list)."""
    keys: list[ScopeKey] = []

    def add(resources: Iterable[str], condition: Mapping[str, Any] | None = None) -> None:
        if (key := scope_key(resources, condition)) is not None:
            keys.append(key)

    read_only, frozen_action, rtypes, created_by_it = static
    if not rtypes:
        # ``action in ctx.creates``: the action creates one of the template's tagged types
        cond = ctx.tag_condition("aws:RequestTag") if any(t in ctx.types for t in created_by_it) else None
        add(["*"], cond)
        return tuple(keys), True, False  # "*": the action takes no resource, nothing to miss
    matched = False
    frozen = set(ctx.boundary_arns) if frozen_action else set()
    memo = ctx._matches
    for fmt, tagged_by, creates, network, rname, rule, endpoint_group in rtypes:
        named = memo.get((fmt, read_only))
        if named is None:
            named = ctx.matching(fmt, read_only)
        if frozen:
            named = tuple(a for a in named if a not in frozen)
        if named:
            add(named)
            matched = True
        # the first of the IAM type's tagged types the template has; creates: whether the action is its CREATOR
        first = next((made for t, made in zip(tagged_by, creates, strict=True) if t in ctx.types), None)
        if first is not None:
            # The created resource carries the tag in the request; every other one already has it.
            key = "aws:RequestTag" if first else "aws:ResourceTag"
            add([iamref.fill(fmt, ctx.part, ctx.region, ctx.acct)], ctx.tag_condition(key))
            matched = True
        if network and ctx.product.network:
            # Reads of the configured VPC (the forecast's ec2:DescribeVpcAttribute of its DNS attributes,
            # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcAttribute.html) name it too.
            add(ctx.network_arns(rname))
            matched = True
        if rule and "AWS::EC2::SecurityGroup" in ctx.types:
            # Rules get new AWS-picked ids in the same call; the security group itself is authorized by tag.
            add([iamref.fill(fmt, ctx.part, ctx.region, ctx.acct)])
        if endpoint_group and _foreign_endpoint_groups(ctx):
            # security_group_mode existing: the endpoints use the SG the provisioner stack exports (id unknown here,
            # not tagged by this product); the stack's own groups (the build SG) do not change that.
            add([iamref.fill(fmt, ctx.part, ctx.region, ctx.acct)])
    return tuple(keys), matched, bool(frozen)


@cache
def _format(arn_format: str) -> tuple[re.Pattern[str], str, str | None]:
    """An ARN format's regex, longest fixed part and service (:func:`arnpool.service_of`), once per process."""
    return iamref.format_regex(arn_format), iamref.format_literal(arn_format), arnpool.service_of(arn_format)


# Per resource type of an action: (ARN format, the tagged CloudFormation types of that IAM type, for each whether
# the action is the call creating it (CREATOR), whether it names the configured VPC / subnets, the type's name,
# a new security group rule, a VPC endpoint's security group).
_RType = tuple[str, tuple[str, ...], tuple[bool, ...], bool, str, bool, bool]
# (read-only, boundary-frozen, the resource types' tests; for an action without any: the tagged types it creates)
Static = tuple[bool, bool, tuple[_RType, ...], tuple[str, ...]]
_SIGNATURES: dict[Static, int] = {}


@cache
def static(action: str) -> tuple[int, Static]:
    """Everything :func:`plan` asks of ``action`` alone (IAM's reference, the action's name, its membership of
    the tables above), once per process, and a number of that signature (equal signatures, equal numbers)."""
    rtypes = iamref.resource_types(action)
    service, name = action.split(":", 1)
    if not rtypes:
        signature: Static = (False, False, (), tuple(t for t in TAGGED_TYPES if CREATOR[t] == action))
    else:
        read_only = iamref.is_read_only(action)
        signature = read_only, action in BOUNDARY_FROZEN, tuple(
            (fmt, tagged := tuple(TAGGED_BY_IAM_TYPE.get((service, rname), ())),
             tuple(CREATOR[t] == action for t in tagged),
             rname in ("vpc", "subnet") and (action in NETWORK_CALLS or read_only), rname,
             rname == "security-group-rule" and name.startswith("Authorize"),
             service == "ec2" and rname == "security-group" and "VpcEndpoint" in name)
            for rname, fmt, _required in rtypes), ()
    return _SIGNATURES.setdefault(signature, len(_SIGNATURES)), signature
