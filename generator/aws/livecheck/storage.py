"""Live checks of the data stores and their keys: S3 bucket and policy, KMS key and alias, log group, SSM outputs.

- KMS: DescribeKey KeyState (Enabled / Disabled / PendingDeletion ...) and GetKeyPolicy (policy name "default",
  the only name allowed) (AWS KMS API Reference, "DescribeKey", "GetKeyPolicy"); a key pending deletion is deleted.
- CloudWatch Logs DescribeLogGroups gives ``kmsKeyId``, the ARN of the key that encrypts the group
  (CloudWatch Logs API Reference, "LogGroup").
- S3 GetBucketEncryption answers ServerSideEncryptionConfigurationNotFoundError and GetPublicAccessBlock
  NoSuchPublicAccessBlockConfiguration when none is set (Amazon S3 API Reference): that is "none", other errors
  are not a reading of the bucket at all and propagate (NOT CHECKED).
"""

from __future__ import annotations

from typing import Any

from mlprov.aws.livecheck.absent import Gone, code
from mlprov.aws.livecheck.context import Compared, Ctx
from mlprov.aws.livecheck.documents import normalize, parse


def _or_none(call: Any, none_code: str, **kwargs: Any) -> Any:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return call(**kwargs)
    except ClientError as exc:
        if code(exc) == none_code:
            return None
        raise


def s3(ctx: Ctx, name: str) -> Compared:
    client = ctx.aws.client("s3")
    client.head_bucket(Bucket=name)  # 404 -> deleted
    out: Compared = []
    rules = ctx.props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    if rules:
        expected = rules[0].get("ServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        got = _or_none(client.get_bucket_encryption, "ServerSideEncryptionConfigurationNotFoundError", Bucket=name)
        found = (got or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
        actual = found[0].get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") if found else None
        out.append(("BucketEncryption.SSEAlgorithm", expected, actual))
    if "VersioningConfiguration" in ctx.props:
        expected = ctx.props["VersioningConfiguration"].get("Status")
        out.append(("VersioningConfiguration.Status", expected,
                    client.get_bucket_versioning(Bucket=name).get("Status", "Disabled")))
    if "PublicAccessBlockConfiguration" in ctx.props:
        expected_block = {k: bool(v) for k, v in ctx.props["PublicAccessBlockConfiguration"].items()}
        got = _or_none(client.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", Bucket=name)
        block = (got or {}).get("PublicAccessBlockConfiguration", {})
        out.append(("PublicAccessBlockConfiguration", expected_block,
                    {k: bool(block.get(k, False)) for k in expected_block}))
    return out


def bucket_policy(ctx: Ctx, physical_id: str) -> Compared:
    """A removed bucket policy (the TLS-only deny) is deleted; a changed one is drift."""
    bucket = ctx.resolve(ctx.props.get("Bucket")) if ctx.props.get("Bucket") else physical_id
    policy = ctx.aws.client("s3").get_bucket_policy(Bucket=bucket)["Policy"]  # NoSuchBucketPolicy -> deleted
    expected = ctx.resolve(ctx.props.get("PolicyDocument", {}))
    return [("PolicyDocument", normalize(parse(expected)) if isinstance(expected, dict) else expected,
             normalize(parse(policy)))]


def kms(ctx: Ctx, key_id: str) -> Compared:
    client = ctx.aws.client("kms")
    meta = client.describe_key(KeyId=key_id)["KeyMetadata"]
    if meta.get("KeyState") in {"PendingDeletion", "PendingReplicaDeletion"}:
        raise Gone
    out: Compared = [("KeyState", "Enabled", meta.get("KeyState"))]
    if "EnableKeyRotation" in ctx.props:
        actual = bool(client.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"])
        out.append(("EnableKeyRotation", bool(ctx.props["EnableKeyRotation"]), actual))
    if "KeyPolicy" in ctx.props:
        expected = ctx.resolve(ctx.props["KeyPolicy"])
        policy = client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
        out.append(("KeyPolicy", normalize(parse(expected)) if isinstance(expected, dict) else expected,
                    normalize(parse(policy))))
    return out


def kms_alias(ctx: Ctx, alias: str) -> Compared:
    client = ctx.aws.client("kms")
    actual = client.describe_key(KeyId=alias)["KeyMetadata"]  # NotFoundException -> deleted
    expected = ctx.resolve(ctx.props.get("TargetKeyId"))
    if not isinstance(expected, str) or expected.startswith("<not compared"):
        return [("TargetKeyId", expected, actual["KeyId"])]
    target = client.describe_key(KeyId=expected)["KeyMetadata"]["KeyId"]
    return [("TargetKeyId", target, actual["KeyId"])]


def log_group(ctx: Ctx, name: str) -> Compared:
    groups = ctx.aws.client("logs").describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
    found = [g for g in groups if g["logGroupName"] == name]
    if not found:
        raise Gone
    out: Compared = []
    if "RetentionInDays" in ctx.props:
        out.append(("RetentionInDays", int(ctx.props["RetentionInDays"]), found[0].get("retentionInDays")))
    if "KmsKeyId" in ctx.props:
        out.append(("KmsKeyId", ctx.resolve(ctx.props["KmsKeyId"]), found[0].get("kmsKeyId")))
    return out


def ssm(ctx: Ctx, name: str) -> Compared:
    value = str(ctx.aws.ssm.get_parameter(Name=name)["Parameter"]["Value"])
    output = ctx.logical_id.removesuffix("Parameter")
    if output in ctx.outputs:
        return [("Value", ctx.outputs[output], value)]
    if "Value" in ctx.props:
        return [("Value", ctx.resolve(ctx.props["Value"]), value)]
    return []
