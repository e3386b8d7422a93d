"""External buckets the stack relies on but does not create (online):

- MLPROV-F006 the access-log bucket (``access_log_bucket``): exists, in the product's region and account, with a
  bucket policy that lets the logging service write. AWS: "All logs are saved to buckets in the same Amazon Web
  Services Region as the source bucket" (Amazon S3 API Reference, PutBucketLogging); the target is "any bucket
  that you own" (S3 API Reference, LoggingEnabled.TargetBucket); with bucket-owner-enforced Object Ownership
  "Permissions can only be granted using policies" to the ``logging.s3.amazonaws.com`` service principal
  (Amazon S3 User Guide, "Permissions for server access log delivery").
- MLPROV-F007 the starter artifact bucket (``artifact_bucket``): exists in the region (CodePipeline's
  ``ArtifactStore`` "must be in the same Region as the pipeline", AWS CodePipeline User Guide, "Artifact store").
- MLPROV-F008 the S3 source bucket (``source.bucket``): exists and is versioned (the S3 source action "requires
  a versioned bucket", AWS CodePipeline User Guide, "Amazon S3 source action reference"); when the pipelines do not
  poll (professional, enterprise: ``PollForSourceChanges: false``) EventBridge notifications must be on, or no
  "Object Created" event reaches the trigger rule ("Amazon S3 ... send events to Amazon EventBridge" only after
  "Enabling Amazon EventBridge" on the bucket, Amazon S3 User Guide, "Using EventBridge").
"""

from __future__ import annotations

import json
from typing import Any

from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.registry import REGISTRY

LOG_CODE, ARTIFACT_CODE, SOURCE_CODE = "MLPROV-F006", "MLPROV-F007", "MLPROV-F008"
LOGGING_PRINCIPAL = "logging.s3.amazonaws.com"


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def _region(s3: Any, bucket: str, account_id: str) -> str | None:
    """The bucket's region; None when it does not exist. 403: another account's bucket (raised): the request names
    the expected owner, "If the account ID that you provide does not match the actual owner of the bucket, the request
    fails with the HTTP status code 403 Forbidden" (S3 API Reference, GetBucketLocation, x-amz-expected-bucket-owner)."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        loc = s3.get_bucket_location(Bucket=bucket, ExpectedBucketOwner=account_id).get("LocationConstraint")
    except ClientError as exc:
        if _code(exc) in {"NoSuchBucket", "404"}:
            return None
        raise
    # GetBucketLocation: "Buckets in Region us-east-1 have a LocationConstraint of null"; "EU" is eu-west-1
    return str({None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(loc, loc))


def _where(ctx: Context, field: str, bucket: str, code: str) -> tuple[str | None, list[Finding]]:
    """The bucket's region, or the findings that it is missing, foreign or elsewhere."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    assert ctx.aws is not None
    try:
        region = _region(ctx.aws.client("s3"), bucket, ctx.product.account_id)
    except ClientError as exc:
        if _code(exc) in {"AccessDenied", "403"}:
            return None, [finding(code, "blocker", f"{field}: bucket {bucket} is not readable by account "
                                  f"{ctx.product.account_id}: it belongs to another account",
                                  f"use a bucket of account {ctx.product.account_id}")]
        raise
    if region is None:
        return None, [finding(code, "blocker", f"{field}: bucket {bucket} does not exist",
                              f"create it in {ctx.product.region} first, or fix `{field}`")]
    if region != ctx.product.region:
        return None, [finding(code, "blocker", f"{field}: bucket {bucket} is in {region}, not in {ctx.product.region}",
                              f"use a bucket in {ctx.product.region}")]
    return region, []


def _policy(s3: Any, bucket: str) -> dict[str, Any]:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        doc: dict[str, Any] = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as exc:
        if _code(exc) != "NoSuchBucketPolicy":
            raise
        return {}
    return doc


def _grants_logging(policy: dict[str, Any]) -> bool:
    for st in policy.get("Statement", []):
        principal = st.get("Principal", {})
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        services = [services] if isinstance(services, str) else services
        actions = st.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if st.get("Effect") == "Allow" and LOGGING_PRINCIPAL in services and \
                any(a in {"s3:PutObject", "s3:*", "*"} for a in actions):
            return True
    return False


@REGISTRY.check(LOG_CODE, "access-log bucket", online=True)
def access_log_bucket(ctx: Context) -> list[Finding]:
    bucket = ctx.product.config.get("access_log_bucket")
    if not bucket or ctx.aws is None:
        return []
    region, found = _where(ctx, "access_log_bucket", str(bucket), LOG_CODE)
    if region is None:
        return found
    if not _grants_logging(_policy(ctx.aws.client("s3"), str(bucket))):
        return [finding(LOG_CODE, "blocker", f"access_log_bucket: bucket {bucket} has no policy statement allowing "
                        f"{LOGGING_PRINCIPAL} s3:PutObject, so no access log is delivered",
                        f"add a bucket policy statement: Allow Service {LOGGING_PRINCIPAL} s3:PutObject on "
                        f"arn:aws:s3:::{bucket}/* with aws:SourceAccount {ctx.product.account_id}")]
    return []


@REGISTRY.check(ARTIFACT_CODE, "starter artifact bucket", online=True)
def artifact_bucket(ctx: Context) -> list[Finding]:
    bucket = ctx.product.config.get("artifact_bucket")
    if not bucket or ctx.aws is None:
        return []
    return _where(ctx, "artifact_bucket", str(bucket), ARTIFACT_CODE)[1]


def _polls(ctx: Context) -> bool:
    """True when every S3 source action polls (starter); False when an EventBridge rule must start them."""
    text = json.dumps(ctx.of_type("AWS::CodePipeline::Pipeline"))
    return '"PollForSourceChanges": "false"' not in text and '"PollForSourceChanges": false' not in text


@REGISTRY.check(SOURCE_CODE, "S3 source bucket", online=True)
def source_bucket(ctx: Context) -> list[Finding]:
    source = ctx.product.config.get("source", {})
    if source.get("type") != "s3" or ctx.aws is None:
        return []
    bucket = str(source["bucket"])
    region, found = _where(ctx, "source.bucket", bucket, SOURCE_CODE)
    if region is None:
        return found
    s3 = ctx.aws.client("s3")
    if s3.get_bucket_versioning(Bucket=bucket).get("Status") != "Enabled":
        found.append(finding(SOURCE_CODE, "blocker", f"source.bucket: bucket {bucket} is not versioned; the "
                             "CodePipeline S3 source action requires versioning",
                             f"aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled"))
    if not _polls(ctx) and "EventBridgeConfiguration" not in s3.get_bucket_notification_configuration(Bucket=bucket):
        found.append(finding(SOURCE_CODE, "warning", f"source.bucket: bucket {bucket} does not send events to "
                             "EventBridge, so a new source zip never starts the pipelines",
                             f"aws s3api put-bucket-notification-configuration --bucket {bucket} "
                             "--notification-configuration '{\"EventBridgeConfiguration\": {}}'"))
    return found
