"""Our own live-state checks of the governed properties; they run against any endpoint (moto included).

Each checker reads one resource by its physical id and compares what the template promises with what is
there: bucket encryption / versioning / public-access block, KMS rotation, security-group ingress, log
retention, SSM output values (against the stack outputs), role permission boundaries, alarm actions, metric
filter patterns, event rule state, CodeBuild encryption key, the alias's key, inline policies on their roles,
the bucket policy (TLS-only) and existence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC, NOT_CHECKED, Difference
from mlprov.aws.session import Aws


class Gone(Exception):
    """The physical resource does not exist any more."""


@dataclass
class Ctx:
    aws: Aws
    props: dict[str, Any]  # template properties of the resource
    physical: dict[str, str]  # logical id -> physical id, for resolving Refs
    outputs: dict[str, str]  # stack outputs
    logical_id: str


Check = Callable[[Ctx, str], list[tuple[str, Any, Any]]]  # -> (property, expected, actual) per compared property


def _code(exc: Exception) -> str:
    return str((getattr(exc, "response", None) or {}).get("Error", {}).get("Code", ""))


def _missing(exc: Exception) -> bool:
    code = _code(exc)
    return code in {"404", "NoSuchBucket", "NoSuchBucketPolicy", "NoSuchEntity", "ParameterNotFound"} or any(
        m in code for m in ("NotFound", "DoesNotExist", "NoSuch"))


def _s3(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    s3 = ctx.aws.client("s3")
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        s3.head_bucket(Bucket=name)
    except ClientError as exc:
        if _missing(exc):
            raise Gone from exc
        raise
    out: list[tuple[str, Any, Any]] = []
    rules = ctx.props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    if rules:
        expected = rules[0].get("ServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        try:
            got = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
            actual = got[0].get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") if got else None
        except ClientError:
            actual = None
        out.append(("BucketEncryption.SSEAlgorithm", expected, actual))
    if "VersioningConfiguration" in ctx.props:
        expected = ctx.props["VersioningConfiguration"].get("Status")
        out.append(("VersioningConfiguration.Status", expected, s3.get_bucket_versioning(Bucket=name).get("Status", "Disabled")))
    if "PublicAccessBlockConfiguration" in ctx.props:
        expected_block = {k: bool(v) for k, v in ctx.props["PublicAccessBlockConfiguration"].items()}
        try:
            actual_block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        except ClientError:
            actual_block = {}
        actual_block = {k: bool(actual_block.get(k, False)) for k in expected_block}
        out.append(("PublicAccessBlockConfiguration", expected_block, actual_block))
    return out


def _kms(ctx: Ctx, key_id: str) -> list[tuple[str, Any, Any]]:
    kms = ctx.aws.client("kms")
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    if meta.get("KeyState") in {"PendingDeletion", "PendingReplicaDeletion"}:
        raise Gone
    out: list[tuple[str, Any, Any]] = []
    if "EnableKeyRotation" in ctx.props:
        actual = bool(kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"])
        out.append(("EnableKeyRotation", bool(ctx.props["EnableKeyRotation"]), actual))
    return out


def _rules(perms: list[dict[str, Any]]) -> list[str]:
    out = []
    for p in perms:
        proto, lo, hi = str(p.get("IpProtocol")), p.get("FromPort"), p.get("ToPort")
        out += [f"{proto}:{lo}-{hi}:{r['CidrIp']}" for r in p.get("IpRanges", [])]
        out += [f"{proto}:{lo}-{hi}:{r['CidrIpv6']}" for r in p.get("Ipv6Ranges", [])]
        out += [f"{proto}:{lo}-{hi}:{g['GroupId']}" for g in p.get("UserIdGroupPairs", [])]
    return sorted(out)


def _sg(ctx: Ctx, group_id: str) -> list[tuple[str, Any, Any]]:
    groups = ctx.aws.client("ec2").describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    if not groups:
        raise Gone
    expected = sorted(
        f"{r.get('IpProtocol')}:{r.get('FromPort')}-{r.get('ToPort')}:"
        f"{r.get('CidrIp') or r.get('CidrIpv6') or r.get('SourceSecurityGroupId')}"
        for r in ctx.props.get("SecurityGroupIngress", [])
    )
    return [("SecurityGroupIngress", expected, _rules(groups[0].get("IpPermissions", [])))]


def _log_group(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    groups = ctx.aws.client("logs").describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
    found = [g for g in groups if g["logGroupName"] == name]
    if not found:
        raise Gone
    if "RetentionInDays" not in ctx.props:
        return []
    return [("RetentionInDays", int(ctx.props["RetentionInDays"]), found[0].get("retentionInDays"))]


def _ssm(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    value = str(ctx.aws.ssm.get_parameter(Name=name)["Parameter"]["Value"])
    output = ctx.logical_id.removesuffix("Parameter")
    if output in ctx.outputs:
        return [("Value", ctx.outputs[output], value)]
    if isinstance(ctx.props.get("Value"), str):
        return [("Value", ctx.props["Value"], value)]
    return []


def _role(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    role = ctx.aws.client("iam").get_role(RoleName=name)["Role"]
    boundary = ctx.props.get("PermissionsBoundary")
    expected: str | None = None
    if isinstance(boundary, dict) and "Ref" in boundary:
        expected = ctx.physical.get(str(boundary["Ref"]))
    elif isinstance(boundary, str):
        expected = boundary
    actual = role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
    return [("PermissionsBoundary", expected, actual)]


def _exists(read: Callable[[Aws, str], Any]) -> Check:
    def check(ctx: Ctx, physical_id: str) -> list[tuple[str, Any, Any]]:
        read(ctx.aws, physical_id)
        return []
    return check


def _repository(ctx: Ctx, physical_id: str) -> list[tuple[str, Any, Any]]:
    """A repository's physical id is its id (a UUID); the API reads it by name."""
    ctx.aws.client("codecommit").get_repository(repositoryName=str(ctx.props.get("RepositoryName") or physical_id))
    return []


def _resolve(ctx: Ctx, value: Any) -> str | None:
    """A template value as a physical name: a literal string, or the physical id of a ``Ref``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return ctx.physical.get(str(value["Ref"]))
    return None


def _codebuild(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    found = ctx.aws.client("codebuild").batch_get_projects(names=[name]).get("projects", [])
    if not found:
        raise Gone
    expected = ctx.props.get("EncryptionKey")
    return [("EncryptionKey", expected, found[0].get("encryptionKey"))] if isinstance(expected, str) else []


def _event_rule(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    rule = ctx.aws.client("events").describe_rule(Name=name.rsplit("|", 1)[-1])
    return [("State", ctx.props.get("State", "ENABLED"), rule.get("State"))]


def _alarm(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    alarms = ctx.aws.client("cloudwatch").describe_alarms(AlarmNames=[name]).get("MetricAlarms", [])
    if not alarms:
        raise Gone
    expected = [a for a in (_resolve(ctx, x) for x in ctx.props.get("AlarmActions", [])) if a]
    return [("AlarmActions", sorted(expected), sorted(alarms[0].get("AlarmActions", [])))]


def _metric_filter(ctx: Ctx, name: str) -> list[tuple[str, Any, Any]]:
    group = _resolve(ctx, ctx.props.get("LogGroupName"))
    logs = ctx.aws.client("logs")
    found = [f for f in logs.describe_metric_filters(logGroupName=group, filterNamePrefix=name).get("metricFilters", [])
             if f.get("filterName") == name] if group else []
    if not found:
        raise Gone
    return [("FilterPattern", ctx.props.get("FilterPattern"), found[0].get("filterPattern"))]


def _subscription(ctx: Ctx, arn: str) -> list[tuple[str, Any, Any]]:
    attrs = ctx.aws.client("sns").get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    return [("Endpoint", ctx.props.get("Endpoint"), attrs.get("Endpoint"))] if isinstance(ctx.props.get("Endpoint"), str) else []


def _bucket_policy(ctx: Ctx, physical_id: str) -> list[tuple[str, Any, Any]]:
    """A removed bucket policy (the TLS-only deny) counts as deleted: the bucket is readable over plain HTTP again."""
    bucket = _resolve(ctx, ctx.props.get("Bucket")) or physical_id
    ctx.aws.client("s3").get_bucket_policy(Bucket=bucket)  # NoSuchBucketPolicy -> deleted
    return []


def _kms_alias(ctx: Ctx, alias: str) -> list[tuple[str, Any, Any]]:
    kms = ctx.aws.client("kms")
    expected = _resolve(ctx, ctx.props.get("TargetKeyId"))
    actual = kms.describe_key(KeyId=alias)["KeyMetadata"]  # NotFoundException -> deleted
    if expected is None:
        return []
    target = kms.describe_key(KeyId=expected)["KeyMetadata"]["KeyId"]
    return [("TargetKeyId", target, actual["KeyId"])]


def _inline_policy(ctx: Ctx, _physical_id: str) -> list[tuple[str, Any, Any]]:
    """AWS::IAM::Policy is an inline policy on each of its roles: it must still be there on every one."""
    iam, name = ctx.aws.client("iam"), str(ctx.props.get("PolicyName"))
    roles = [r for r in (_resolve(ctx, x) for x in ctx.props.get("Roles", [])) if r]
    attached = []
    for role in roles:
        attached.append(role if name in iam.list_role_policies(RoleName=role).get("PolicyNames", []) else None)
    if roles and not any(attached):
        raise Gone
    return [("Roles", sorted(roles), sorted(r for r in attached if r))]


CHECKS: dict[str, Check] = {
    "AWS::S3::Bucket": _s3,
    "AWS::KMS::Key": _kms,
    "AWS::EC2::SecurityGroup": _sg,
    "AWS::Logs::LogGroup": _log_group,
    "AWS::SSM::Parameter": _ssm,
    "AWS::IAM::Role": _role,
    "AWS::IAM::ManagedPolicy": _exists(lambda a, p: a.client("iam").get_policy(PolicyArn=p)),
    "AWS::SNS::Topic": _exists(lambda a, p: a.client("sns").get_topic_attributes(TopicArn=p)),
    "AWS::EC2::VPCEndpoint": _exists(lambda a, p: a.client("ec2").describe_vpc_endpoints(VpcEndpointIds=[p])),
    "AWS::CloudWatch::Dashboard": _exists(lambda a, p: a.client("cloudwatch").get_dashboard(DashboardName=p)),
    "AWS::CodeCommit::Repository": _repository,
    "AWS::CodePipeline::Pipeline": _exists(lambda a, p: a.client("codepipeline").get_pipeline(name=p)),
    "AWS::CodeBuild::Project": _codebuild,
    "AWS::Events::Rule": _event_rule,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::Logs::MetricFilter": _metric_filter,
    "AWS::SNS::Subscription": _subscription,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::KMS::Alias": _kms_alias,
    "AWS::IAM::Policy": _inline_policy,
    "AWS::SageMaker::ModelPackageGroup": _exists(
        lambda a, p: a.client("sagemaker").describe_model_package_group(ModelPackageGroupName=p.rsplit("/", 1)[-1])),
}


def run(ctx: Ctx, resource_type: str, physical_id: str) -> tuple[str, list[Difference], list[str], str] | None:
    """(status, differences, what was checked, note) for one resource, or None when no check exists for its type."""
    from botocore.exceptions import ClientError  # noqa: PLC0415
    from botocore.parsers import ResponseParserError  # noqa: PLC0415

    check = CHECKS.get(resource_type)
    if check is None:
        return None
    try:
        compared = check(ctx, physical_id)
    except Gone:
        return DELETED, [], ["exists"], "the physical resource no longer exists"
    except ClientError as exc:
        if _missing(exc):
            return DELETED, [], ["exists"], "the physical resource no longer exists"
        return NOT_CHECKED, [], [], f"could not read it: {_code(exc) or exc}"
    except ResponseParserError:
        return NOT_CHECKED, [], [], "could not read it: the endpoint gave no AWS response"
    diffs = [Difference(p, e, a) for p, e, a in compared if e != a]
    return (DRIFTED if diffs else IN_SYNC), diffs, ["exists", *(p for p, _e, _a in compared)], ""
