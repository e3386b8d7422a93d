"""IAM live checks: what a role may do is its trust policy, its attached managed policies, its inline policies
and its permission boundary, and what a managed policy allows is its *default version's* document.

- An extra attached policy (e.g. AdministratorAccess) or an extra inline policy on a stack role is drift:
  ListAttachedRolePolicies / ListRolePolicies list every one (IAM API Reference; both paginate with Marker).
- A managed policy's effective permissions are its default version (IAM User Guide, "Versioning IAM
  policies": "the default version is the operative version"), read with GetPolicy (DefaultVersionId) then
  GetPolicyVersion; a new default version with another document is drift, the permission boundary included.
"""

from __future__ import annotations

from typing import Any

from mlprov.aws.livecheck.context import NOT_COMPARED, Compared, Ctx
from mlprov.aws.livecheck.documents import normalize, parse


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    out: list[Any] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out += page.get(key, [])
    return out


def _document(ctx: Ctx, value: Any) -> Any:
    resolved = ctx.resolve(value)
    return resolved if resolved == NOT_COMPARED else normalize(parse(resolved))


def _refers_to(ctx: Ctx, roles: Any) -> bool:
    """Whether a template ``Roles`` list names this role (by ``Ref`` or by its physical name)."""
    mine = ctx.physical.get(ctx.logical_id)
    return isinstance(roles, list) and any(
        (isinstance(r, dict) and r.get("Ref") == ctx.logical_id) or (mine is not None and r == mine) for r in roles)


def expected_inline(ctx: Ctx) -> dict[str, Any]:
    """Inline policy name -> template document: the role's own Policies and every AWS::IAM::Policy naming it."""
    out = {str(p.get("PolicyName")): p.get("PolicyDocument") for p in ctx.props.get("Policies", [])}
    for props in ctx.resources("AWS::IAM::Policy").values():
        if _refers_to(ctx, props.get("Roles")):
            out[str(props.get("PolicyName"))] = props.get("PolicyDocument")
    return out


def _expected_managed(ctx: Ctx) -> Any:
    arns: list[Any] = list(ctx.props.get("ManagedPolicyArns", []))
    arns += [{"Ref": lid} for lid, props in ctx.resources("AWS::IAM::ManagedPolicy").items()
             if _refers_to(ctx, props.get("Roles"))]
    resolved = ctx.resolve_all(arns)
    return resolved if resolved == NOT_COMPARED else sorted(set(resolved))


def role(ctx: Ctx, name: str) -> Compared:
    iam = ctx.aws.client("iam")
    found = iam.get_role(RoleName=name)["Role"]  # NoSuchEntity -> deleted
    out: Compared = [("AssumeRolePolicyDocument", _document(ctx, ctx.props.get("AssumeRolePolicyDocument", {})),
                      normalize(parse(found.get("AssumeRolePolicyDocument", {}))))]
    attached = sorted(p["PolicyArn"] for p in _pages(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name))
    out.append(("ManagedPolicyArns", _expected_managed(ctx), attached))
    inline = expected_inline(ctx)
    actual_names = sorted(_pages(iam, "list_role_policies", "PolicyNames", RoleName=name))
    out.append(("Policies (names)", sorted(inline), actual_names))
    for policy in sorted(set(inline) & set(actual_names)):
        if any(policy == str(p.get("PolicyName")) for p in ctx.props.get("Policies", [])):  # the others: their own row
            document = iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
            out.append((f"Policies.{policy}", _document(ctx, inline[policy]), normalize(parse(document))))
    boundary = ctx.props.get("PermissionsBoundary")
    expected = ctx.resolve(boundary) if boundary is not None else None
    out.append(("PermissionsBoundary", expected, found.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")))
    return out


def managed_policy(ctx: Ctx, arn: str) -> Compared:
    iam = ctx.aws.client("iam")
    policy = iam.get_policy(PolicyArn=arn)["Policy"]  # NoSuchEntity -> deleted
    version = str(policy["DefaultVersionId"])
    document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
    return [("PolicyDocument (default version)", _document(ctx, ctx.props.get("PolicyDocument", {})),
             normalize(parse(document)))]


def inline_policy(ctx: Ctx, _physical_id: str) -> Compared:
    """AWS::IAM::Policy is an inline policy on each of its roles: on every one, with the template's document."""
    from mlprov.aws.livecheck.absent import Gone  # noqa: PLC0415

    iam, name = ctx.aws.client("iam"), str(ctx.props.get("PolicyName"))
    roles = [r for r in (ctx.resolve(x) for x in ctx.props.get("Roles", [])) if isinstance(r, str) and r != NOT_COMPARED]
    attached = [r for r in roles if name in _pages(iam, "list_role_policies", "PolicyNames", RoleName=r)]
    if roles and not attached:
        raise Gone
    out: Compared = [("Roles", sorted(roles), sorted(attached))]
    expected = _document(ctx, ctx.props.get("PolicyDocument", {}))
    for r in sorted(attached):
        document = iam.get_role_policy(RoleName=r, PolicyName=name)["PolicyDocument"]
        out.append((f"PolicyDocument on {r}", expected, normalize(parse(document))))
    return out
