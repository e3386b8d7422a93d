"""Statements of the account-level principals for one product: deployer, plan (PR previews) and drift.

- **deployer**: the tool's CloudFormation calls on the product's stacks (``<stack>`` and ``<stack>-t??????``
  test copies), every read-only call the tool makes, the template upload (``templates/*`` of
  ``mlprov-templates-<acct>-<region>``) and ``iam:PassRole`` of the product's service role to CloudFormation only.
  ``cloudformation:CreateChangeSet`` only with ``cloudformation:RoleArn`` = that role,
  so no change set can run with the deployer's own (or another) identity.
- **plan**: create / describe / delete change sets (never execute), the read-only calls, the template upload, the
  same PassRole (a change set is created with its ``RoleARN``). It cannot delete the stack a CREATE change set leaves in
  REVIEW_IN_PROGRESS; such a stack holds no resources and the next change set reuses it (changeset.delete tolerates
  the AccessDenied).
- **drift**: drift detection and the read-only calls, plus the *read* handler permissions of every resource:
  CloudFormation reads the live resources with the caller's credentials during drift detection
  (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/detect-drift-stack.html).

The tool's calls come from :mod:`toolcalls` (an AST scan of the code), so a new call cannot go missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from mlprov.access import iamref, toolcalls
from mlprov.access.grants import Grants
from mlprov.access.scoping import Ctx, scope
from mlprov.aws.templatesource import KEY_PREFIX
from mlprov.config.model import Product
from mlprov.deploypath import role_arn, seed_objects_arn, service_role_name, template_bucket_name

KINDS = ("deployer", "plan", "drift")
# A preview's change set of a template over 51,200 bytes goes through S3 (aws/plan.py uploads it first).
PLAN_WRITES = frozenset({"cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "s3:PutObject"})
DRIFT_WRITES = frozenset({"cloudformation:DetectStackDrift", "cloudformation:DetectStackResourceDrift"})
# CloudFormation authorizes tagging the stack a change set creates as cloudformation:TagResource
# (condition key cloudformation:CreateAction in IAM's reference).
TAGGING = frozenset({"cloudformation:TagResource"})
# The tool's only object calls: the template upload (HeadObject = s3:GetObject, PutObject) to the bootstrap's
# template bucket, for a template over the 51,200-byte inline limit (aws/templatesource.py). CloudFormation reads a
# TemplateURL with the caller's credentials, so the change set's creator needs s3:GetObject on it too ("Allow stack
# creation based on template", https://docs.aws.amazon.com/prescriptive-guidance/latest/least-privilege-cloudformation/sample-id-policies-for-cloudformation.html).
# The seed archives of the CodeCommit repositories go to the same bucket (``seeds/*``, mlprov.seeds.upload) before
# the change set, uploaded the same way (HeadObject, then PutObject when absent).
TEMPLATE_OBJECTS = frozenset({"s3:GetObject", "s3:PutObject"})


def template_objects_arn(product: Product) -> str:
    return f"arn:{product.partition}:s3:::{template_bucket_name(product.account_id, product.region)}/{KEY_PREFIX}*"


def template_bucket_objects(product: Product) -> list[str]:
    """What the deploy path writes to the template bucket: templates, and seed archives for CodeCommit sources."""
    seeds = [seed_objects_arn(product.account_id, product.region, product.partition)] if product.source == "codecommit" else []
    return [template_objects_arn(product), *seeds]


def service_role_arn(product: Product) -> str:
    return role_arn(product.account_id, service_role_name(product.names.stack), product.partition)


def _seed_sources(product: Product, grants: Grants) -> None:
    """S3 sources: deploy-product writes the seed code to the absent source keys with a conditional PutObject
    (mlprov.seeds.upload); the grant requires the If-None-Match header, so the deployer can create those two keys
    but never overwrite them ("Enforce conditional writes on Amazon S3 buckets", example 1,
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html)."""
    from mlprov.seeds.upload import source_placements  # noqa: PLC0415

    objects = sorted({f"arn:{product.partition}:s3:::{p.bucket}/{p.key}" for p in source_placements(product)})
    if objects:
        grants.add(["s3:PutObject"], objects, {"Null": {"s3:if-none-match": "false"}}, sid="SeedAbsentSourceKeysOnly")


def tool_actions(kind: str) -> list[str]:
    """The tool's own calls that the principal ``kind`` makes."""
    return list(_tool_actions(kind))


@cache
def _tool_actions(kind: str) -> tuple[str, ...]:
    """Memoized: the tool's calls (an AST scan of its code) do not change within a process."""
    every = toolcalls.actions()
    reads = [a for a in every if iamref.is_read_only(a)]
    if kind == "deployer":
        return tuple(sorted({*every, *TAGGING}))
    extra = PLAN_WRITES | TAGGING if kind == "plan" else DRIFT_WRITES
    return tuple(sorted({*reads, *extra}))


def statements(kind: str, product: Product, template: Mapping[str, Any], ctx: Ctx | None = None) -> list[dict[str, Any]]:
    """``ctx``: the product's scoping context when the caller has one (:func:`principals.principals` shares one)."""
    ctx = ctx if ctx is not None else Ctx(product, template)
    grants = Grants()
    stacks = ctx.arns.of("stack")
    acts = _tool_actions(kind)
    for action in acts:
        if action == "cloudformation:CreateChangeSet":
            grants.add([action], stacks, {"StringEquals": {"cloudformation:RoleArn": service_role_arn(product)}},
                       sid="ChangeSetsOnlyWithTheServiceRole")
        elif action in TEMPLATE_OBJECTS:
            grants.add([action], template_bucket_objects(product), sid="TemplatesThroughTheBootstrapBucket")
        else:
            scope(ctx, grants, action, "tool", strict=False)
    if kind == "deployer":
        _seed_sources(product, grants)
    if kind in ("deployer", "plan"):
        grants.add(["iam:PassRole"], [service_role_arn(product)],
                   {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}},
                   sid="PassTheServiceRoleToCloudFormationOnly")
    if kind == "drift":
        # Each read action scoped strictly once, for the first resource whose read handler lists it: a repeat
        # changes nothing and raises nothing the first did not (as servicerole.statements argues; the tool's
        # calls above were scoped with strict=False, so they do not count as done here).
        done: set[str] = set()
        for logical, perms in ctx.handler_permissions.items():
            # Only Read/List actions: some read handlers list iam:PassRole (AWS::Events::Rule), which reads nothing.
            for action in perms.get("read", []):
                if action not in done and iamref.is_read_only(action):
                    done.add(action)
                    scope(ctx, grants, action, logical)
    return grants.statements()
