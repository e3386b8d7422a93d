"""Our own live-state checks of the governed properties; they run against any endpoint (moto included).

Each checker reads one resource by its physical id and returns (property, expected, actual) for every property
it compared; a checker that compares nothing only proved the resource exists, and its row says so
("existence only"). Errors are read per API (:mod:`.absent`): the documented "no such resource" codes mean
DELETED, everything else (AccessDenied, throttling, 5xx, a non-AWS answer) means NOT CHECKED.
"""

from __future__ import annotations

from collections.abc import Callable

from mlprov.aws.driftmodel import DELETED, DRIFTED, EXISTS, IN_SYNC, NOT_CHECKED, Difference
from mlprov.aws.livecheck import iam, network, services, storage
from mlprov.aws.livecheck.absent import Gone, is_absent, why_not_checked
from mlprov.aws.livecheck.context import NOT_COMPARED, Compared, Ctx

Check = Callable[[Ctx, str], Compared]

CHECKS: dict[str, Check] = {
    "AWS::S3::Bucket": storage.s3,
    "AWS::S3::BucketPolicy": storage.bucket_policy,
    "AWS::KMS::Key": storage.kms,
    "AWS::KMS::Alias": storage.kms_alias,
    "AWS::Logs::LogGroup": storage.log_group,
    "AWS::SSM::Parameter": storage.ssm,
    "AWS::IAM::Role": iam.role,
    "AWS::IAM::ManagedPolicy": iam.managed_policy,
    "AWS::IAM::Policy": iam.inline_policy,
    "AWS::EC2::SecurityGroup": network.security_group,
    "AWS::EC2::SecurityGroupIngress": network.ingress_rule,
    "AWS::EC2::VPCEndpoint": network.vpc_endpoint,
    "AWS::SNS::Topic": services.topic,
    "AWS::SNS::Subscription": services.subscription,
    "AWS::CloudWatch::Dashboard": services.exists(lambda a, p: a.client("cloudwatch").get_dashboard(DashboardName=p)),
    "AWS::CloudWatch::Alarm": services.alarm,
    "AWS::Logs::MetricFilter": services.metric_filter,
    "AWS::CodeCommit::Repository": services.repository,
    "AWS::CodePipeline::Pipeline": services.pipeline,
    "AWS::CodeBuild::Project": services.codebuild,
    "AWS::Events::Rule": services.event_rule,
    "AWS::SageMaker::ModelPackageGroup": services.model_package_group,
}

# Types checked from their template properties alone: the physical id names no object to read (a security-group
# rule's id; the embedded moto server leaves it empty).
BY_PROPERTIES = frozenset({"AWS::EC2::SecurityGroupIngress"})

Result = tuple[str, list[Difference], list[str], str]


def _verdict(compared: Compared) -> Result:
    diffs, checked, skipped = [], [EXISTS], []
    for prop, expected, actual in compared:
        if expected == NOT_COMPARED:
            skipped.append(prop)
            continue
        checked.append(prop)
        if expected != actual:
            diffs.append(Difference(prop, expected, actual))
    notes = []
    if len(checked) == 1:
        notes.append("existence only (no property compared)")
    if skipped:
        notes.append(f"not compared (intrinsic not evaluated): {', '.join(skipped)}")
    return (DRIFTED if diffs else IN_SYNC), diffs, checked, "; ".join(notes)


def run(ctx: Ctx, resource_type: str, physical_id: str) -> Result | None:
    """(status, differences, what was checked, note) for one resource, or None when no check exists for its type."""
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

    check = CHECKS.get(resource_type)
    if check is None:
        return None
    try:
        compared = check(ctx, physical_id)
    except Gone:
        return DELETED, [], [EXISTS], "the physical resource no longer exists"
    except ClientError as exc:
        if is_absent(resource_type, exc):
            return DELETED, [], [EXISTS], "the physical resource no longer exists"
        return NOT_CHECKED, [], [], why_not_checked(exc)
    except BotoCoreError as exc:  # ResponseParserError (a non-AWS answer), connection errors, ...
        return NOT_CHECKED, [], [], f"could not read it: {type(exc).__name__}"
    return _verdict(compared)


__all__ = ["BY_PROPERTIES", "CHECKS", "EXISTS", "Ctx", "Gone", "run"]
