"""MLPROV-F004 (online): a named resource of the template already exists outside the stack.

AWS: a resource type's create handler "MUST return FAILED with an AlreadyExists error code" when a resource of
that name exists (CloudFormation resource handler contract, "Resource type handler contracts", CloudFormation CLI
User Guide, https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-test-contract.html);
the stack then rolls back. Change sets import a retained resource of this product instead
(``ImportExistingResources``: "Import AWS resources into a CloudFormation stack automatically", CloudFormation
User Guide; only resources with a retaining DeletionPolicy, and :mod:`mlprov.aws.guards` requires this product's
``mlprov:product`` tag): those are reported as info, any other as a blocker. Every resource here has a custom
name (docs/ARCHITECTURE.md, Names), so a name left by
an earlier stack (``DeletionPolicy: Retain`` keeps buckets, repositories, log groups and the model registry after a
delete or a rolled-back first create) or by anyone else blocks the create. Bucket names are global: a 403 on
HeadBucket means another account owns it ("Bucket names must be unique across all AWS accounts in all the AWS
Regions within a partition", Amazon S3 User Guide, "General purpose bucket naming rules").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.aws.session import Aws
from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.registry import REGISTRY

CODE = "MLPROV-F004"
_MISSING = {"404", "NoSuchBucket", "NotFound", "NoSuchEntity", "ParameterNotFound", "RepositoryDoesNotExistException",
            "PipelineNotFoundException", "ResourceNotFoundException", "ResourceNotFound", "NotFoundException"}

Probe = Callable[[Aws, str, dict[str, Any], str], bool]


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def _call(fn: Callable[[], Any]) -> bool:
    """True when the read succeeds, False when the service says "not found"; anything else propagates."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        fn()
    except ClientError as exc:
        code = _code(exc)
        # SageMaker answers a missing model package group with a ValidationException "... does not exist"
        if code in _MISSING or (code == "ValidationException" and "does not exist" in str(exc)):
            return False
        raise
    return True


def _bucket(aws: Aws, name: str, _props: dict[str, Any], _acct: str) -> bool:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return _call(lambda: aws.client("s3").head_bucket(Bucket=name))
    except ClientError as exc:
        if _code(exc) == "403":  # the name is taken by a bucket this account cannot read: another account's
            return True
        raise


def _managed_policy(aws: Aws, name: str, props: dict[str, Any], acct: str) -> bool:
    arn = f"arn:aws:iam::{acct}:policy{props.get('Path', '/')}{name}"
    return _call(lambda: aws.client("iam").get_policy(PolicyArn=arn))


def _log_group(aws: Aws, name: str, _props: dict[str, Any], _acct: str) -> bool:
    groups = aws.client("logs").describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
    return any(g.get("logGroupName") == name for g in groups)


def _project(aws: Aws, name: str, _props: dict[str, Any], _acct: str) -> bool:
    return bool(aws.client("codebuild").batch_get_projects(names=[name]).get("projects"))


def _alias(aws: Aws, name: str, _props: dict[str, Any], _acct: str) -> bool:
    for page in aws.client("kms").get_paginator("list_aliases").paginate():
        if any(a.get("AliasName") == name for a in page.get("Aliases", [])):
            return True
    return False


def _topic(aws: Aws, name: str, _props: dict[str, Any], acct: str) -> bool:
    arn = f"arn:aws:sns:{aws.target.region}:{acct}:{name}"
    return _call(lambda: aws.client("sns").get_topic_attributes(TopicArn=arn))


def _alarm(aws: Aws, name: str, _props: dict[str, Any], _acct: str) -> bool:
    return bool(aws.client("cloudwatch").describe_alarms(AlarmNames=[name]).get("MetricAlarms"))


def _simple(service: str, method: str, arg: str) -> Probe:
    def probe(aws: Aws, name: str, _props: dict[str, Any], _acct: str) -> bool:
        return _call(lambda: getattr(aws.client(service), method)(**{arg: name}))
    return probe


# type -> (name property, what it is called, probe)
PROBES: dict[str, tuple[str, str, Probe]] = {
    "AWS::S3::Bucket": ("BucketName", "S3 bucket", _bucket),
    "AWS::CodeCommit::Repository": ("RepositoryName", "CodeCommit repository",
                                    _simple("codecommit", "get_repository", "repositoryName")),
    "AWS::SageMaker::ModelPackageGroup": ("ModelPackageGroupName", "model package group",
                                          _simple("sagemaker", "describe_model_package_group", "ModelPackageGroupName")),
    "AWS::Logs::LogGroup": ("LogGroupName", "log group", _log_group),
    "AWS::IAM::Role": ("RoleName", "IAM role", _simple("iam", "get_role", "RoleName")),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "IAM managed policy", _managed_policy),
    "AWS::SSM::Parameter": ("Name", "SSM parameter", _simple("ssm", "get_parameter", "Name")),
    "AWS::CodePipeline::Pipeline": ("Name", "pipeline", _simple("codepipeline", "get_pipeline", "name")),
    "AWS::CodeBuild::Project": ("Name", "CodeBuild project", _project),
    "AWS::Events::Rule": ("Name", "EventBridge rule", _simple("events", "describe_rule", "Name")),
    "AWS::CloudWatch::Dashboard": ("DashboardName", "dashboard", _simple("cloudwatch", "get_dashboard", "DashboardName")),
    "AWS::CloudWatch::Alarm": ("AlarmName", "alarm", _alarm),
    "AWS::KMS::Alias": ("AliasName", "KMS alias", _alias),
    "AWS::SNS::Topic": ("TopicName", "SNS topic", _topic),
}


def _in_stack(lid: str, name: str, stack: dict[str, str]) -> bool:
    """The resource is the stack's own: its logical id is deployed (an update, not a create), or a deployed resource
    has this name as physical id (a Ref that is the name or an ARN ending with it)."""
    return lid in stack or any(pid == name or pid.endswith((f"/{name}", f":{name}")) for pid in stack.values())


def named(ctx: Context) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(logical id, type, literal name, properties) of every named resource the template creates."""
    out = []
    for lid, res in ctx.resources.items():
        probe = PROBES.get(str(res.get("Type")))
        props = res.get("Properties", {})
        if probe and isinstance(props.get(probe[0]), str):
            out.append((lid, str(res["Type"]), str(props[probe[0]]), props))
    return out


RETAINED = {"Retain", "RetainExceptOnCreate"}


def _adoption(ctx: Context, lid: str, type_name: str, name: str, what: str) -> Finding:
    """A retained resource of this product's name: the deploy adopts it (ImportExistingResources) when it carries
    this product's tag (mlprov.aws.guards refuses any other); else the create fails."""
    from mlprov.aws.guards import PRODUCT_TAG, TAG_READERS  # noqa: PLC0415

    assert ctx.aws is not None
    reader = TAG_READERS.get(type_name)
    owner = reader(ctx.aws, name).get(PRODUCT_TAG) if reader else None
    if owner == ctx.product.prefix:
        return finding(CODE, "info", f"{lid} ({type_name}): {what} {name} was retained by an earlier deploy of this "
                       "product: the deploy adopts it with its data (ImportExistingResources)")
    why = f"tagged {PRODUCT_TAG}={owner or '(none)'}, not {ctx.product.prefix}" if reader else "its tags cannot be read"
    return finding(CODE, "blocker", f"{lid} ({type_name}): {what} {name} already exists outside stack "
                   f"{ctx.product.names.stack} and is not this product's ({why}): the deploy refuses to adopt it",
                   "delete or rename it, or change the config's names (organization, app_id, use_case)")


@REGISTRY.check(CODE, "named resources that already exist", online=True)
def existing(ctx: Context) -> list[Finding]:
    assert ctx.aws is not None
    found = []
    for lid, type_name, name, props in named(ctx):
        if _in_stack(lid, name, ctx.stack_resources):
            continue
        _prop, what, probe = PROBES[type_name]
        if not probe(ctx.aws, name, props, ctx.product.account_id):
            continue
        if ctx.resources[lid].get("DeletionPolicy") in RETAINED:
            found.append(_adoption(ctx, lid, type_name, name, what))
            continue
        found.append(finding(
            CODE, "blocker",
            f"{lid} ({type_name}): {what} {name} already exists outside stack {ctx.product.names.stack}; "
            "the create fails with AlreadyExists",
            "delete it, or rename the product (organization, app_id, use_case)"))
    return found
