"""The statements of a product's CloudFormation service role: the permissions on the product's resources.

Every action comes from :mod:`handlers` (filtered registry permissions, create/read/update/delete; the list
handler is not called by stack operations), :mod:`dependent`, and the template's own needs (SSM parameter
types, imports). Each action is scoped as :mod:`scoping` says: never wider than the product.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlprov.access import dependent, handlers, iamref, mentions
from mlprov.access.grants import Grants, PolicyError
from mlprov.access.scoping import Ctx, may_be_special, scope, special
from mlprov.config.model import Product
from mlprov.deploypath import SEED_KEY_PREFIX

STACK_HANDLERS = ("create", "read", "update", "delete")


def _tag_on_create(ctx: Ctx, grants: Grants) -> None:
    """EC2 authorizes tags given at creation as ec2:CreateTags with ec2:CreateAction
    (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html)."""
    creates = {"AWS::EC2::SecurityGroup": ("CreateSecurityGroup", "security-group"),
               "AWS::EC2::VPCEndpoint": ("CreateVpcEndpoint", "vpc-endpoint")}
    for rtype, (call, rname) in creates.items():
        if rtype in ctx.types:
            arn = f"arn:{ctx.part}:ec2:{ctx.region}:{ctx.acct}:{rname}/*"
            cond = {"StringEquals": {"ec2:CreateAction": call}, **ctx.tag_condition("aws:RequestTag")}
            grants.add(["ec2:CreateTags"], [arn], cond, sid="TagOnlyWhileCreating")


def _parameters(ctx: Ctx, grants: Grants) -> None:
    """SSM parameter types in Parameters are resolved with the stack's role; Fn::ImportValue lists exports."""
    names = [str(p["Default"]) for p in (ctx.template.get("Parameters") or {}).values()
             if str(p.get("Type", "")).startswith("AWS::SSM::Parameter::Value") and isinstance(p.get("Default"), str)]
    if names:
        grants.add(["ssm:GetParameters"],
                   [f"arn:{ctx.part}:ssm:{ctx.region}:{ctx.acct}:parameter{n}" for n in names], sid="ReadNetworkParameters")
    if mentions.in_repr("Fn::ImportValue", ctx.template["Resources"]):  # ``in str(...)``, without writing it
        grants.add(["cloudformation:ListExports"], ["*"])


SEED_READS = frozenset({"s3:GetObject", "s3:GetObjectVersion"})


def _seed_archive(ctx: Ctx, grants: Grants, logical: str, action: str) -> bool:
    """A repository's ``Code``: the create handler reads the zip with the service role's credentials (its registry
    schema lists s3:GetObject among the create handler's permissions: "the permissions required to perform the
    operation", https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html), so the
    role may read exactly the seed archives (``seeds/*``) of the bucket the template names. True when handled."""
    res = ctx.resources[logical]
    if action not in SEED_READS or res["Type"] != "AWS::CodeCommit::Repository":
        return False
    s3 = (res.get("Properties", {}).get("Code") or {}).get("S3") or {}
    bucket, key = s3.get("Bucket"), s3.get("Key")
    if not isinstance(bucket, str) or not isinstance(key, str) or not key.startswith(SEED_KEY_PREFIX):
        raise PolicyError(f"{logical}: Code.S3 must name a literal bucket and a key under {SEED_KEY_PREFIX} "
                          f"(got {bucket!r}, {key!r}); the service role reads only seed archives")
    grants.add([action], [f"arn:{ctx.part}:s3:::{bucket}/{SEED_KEY_PREFIX}*"], sid="ReadTheSeedArchives")
    return True


def needed_actions(template: Mapping[str, Any],
                   permissions: Mapping[str, Mapping[str, list[str]]] | None = None) -> dict[str, set[str]]:
    """Logical id -> every IAM action the service role needs for that resource (handlers + dependent);
    ``permissions``: ``handlers.for_template(template)`` when the caller has it."""
    out: dict[str, set[str]] = {}
    for logical, perms in (handlers.for_template(template) if permissions is None else permissions).items():
        res = template["Resources"][logical]
        props = res.get("Properties", {})
        acts = {a for h in STACK_HANDLERS for a in perms.get(h, [])}
        for dep in dependent.dependents(res["Type"], props):
            acts.update(iamref.require(a, dep.source) for a in dep.actions)
        out[logical] = acts
    return out


def statements(product: Product, template: Mapping[str, Any], ctx: Ctx | None = None) -> list[dict[str, Any]]:
    """``ctx``: the product's scoping context when the caller has one (:func:`principals.principals` shares one).

    An action that several resources need goes through :func:`special` / :func:`scope` once, for the first of
    them (about a third of the ~270 pairs of a product are distinct actions), and exactly as before: both are
    functions of the context (never changed after ``__init__``) and the action, and read nothing of the grants
    but add to them. So a repeat makes the same adds as the first call: the same keys (already present, so the
    statements' order is untouched) and the same action (already in their sets), the same sid (``setdefault``
    keeps the first): the grants do not change. An error it could raise (a wildcard action, the strict miss) the
    first call raised already, naming the first resource that needs the action, as before. The seed-archive test
    reads the resource, so it still runs for every pair."""
    ctx = ctx if ctx is not None else Ctx(product, template)
    grants = Grants()
    done: set[str] = set()  # actions already granted by special() or scope(): again, they change nothing
    for logical, acts in needed_actions(template, ctx.handler_permissions).items():
        for action in sorted(acts):
            # the two tests skipped where they return False at once (an action of neither table)
            if action in SEED_READS and _seed_archive(ctx, grants, logical, action):
                continue
            if action in done:
                continue
            done.add(action)
            if not (may_be_special(action) and special(ctx, grants, action)):
                scope(ctx, grants, action, logical)
        res = ctx.resources[logical]
        for use in dependent.kms_uses(res["Type"], res.get("Properties", {})):
            cond = {**ctx.tag_condition("aws:ResourceTag"),
                    "StringEquals": {"kms:ViaService": f"{use.service}.{ctx.region}.amazonaws.com"}}
            grants.add([iamref.require(a, use.source) for a in use.actions],
                       [f"arn:{ctx.part}:kms:{ctx.region}:{ctx.acct}:key/*"], cond, sid=f"KmsVia{use.service.capitalize()}")
    _tag_on_create(ctx, grants)
    _parameters(ctx, grants)
    return grants.statements()
