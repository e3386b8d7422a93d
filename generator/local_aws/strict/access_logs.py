"""Rule ``access-log-target``: a bucket's ``LoggingConfiguration`` is applied as PutBucketLogging applies it.

AWS: "All logs are saved to buckets in the same Amazon Web Services Region as the source bucket" (Amazon S3 API
Reference, PutBucketLogging); the Amazon S3 User Guide, "Troubleshoot server access logging" (Common error messages
when setting up logging), lists what the call refuses, with the messages used here:

- "The target bucket for logging does not exist" (the destination must exist first);
- "The owner for the bucket to be logged and the target bucket must be the same" (a bucket of another account);
- "Cross S3 location logging not allowed" (a bucket of another Region).

Codes: ``InvalidTargetBucketForLogging`` for the first two, ``CrossLocationLoggingProhibited`` for the third (S3 API
Reference, "Error responses", list of error codes). The log-delivery *permission* is not checked at setup when the
target bucket has ACLs disabled (Object Ownership "bucket owner enforced", the default of new buckets; "Permissions can
only be granted using policies", PutBucketLogging): the same page lists a missing policy under "Troubleshooting
delivery failures", so the create succeeds and no log is ever delivered (``mlprov forecast`` MLPROV-F006 still refuses
it). A target with ACLs enabled (ObjectWriter / BucketOwnerPreferred) and neither the logging service's policy nor the
log-delivery group's grants is refused ``InvalidTargetBucketForLogging`` "You must give the log-delivery group WRITE and
READ_ACP permissions to the target bucket" (AWS's answer as quoted in s3tools/s3cmd #614; the S3 error list:
"does not have the appropriate grants for the log-delivery group").

moto's CloudFormation bucket ignores ``LoggingConfiguration`` (and moto's own PutBucketLogging refuses any target
without a policy); here the created bucket gets it with the checks above, and a refusal deletes the new bucket and
fails the resource (CREATE_FAILED, as the AWS::S3::Bucket handler fails).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap

RULE = "access-log-target"
SOURCE = ("bucket LoggingConfiguration to a missing, foreign-account or foreign-region target refused: "
          "InvalidTargetBucketForLogging / CrossLocationLoggingProhibited (S3 User Guide, Troubleshoot server access "
          "logging; S3 API Reference, PutBucketLogging and Error responses)")
MISSING = "The target bucket for logging does not exist"
FOREIGN = "The owner for the bucket to be logged and the target bucket must be the same"
CROSS_REGION = "Cross S3 location logging not allowed"
NO_GRANTS = "You must give the log-delivery group WRITE and READ_ACP permissions to the target bucket"
ACLS_ENABLED = ("ObjectWriter", "BucketOwnerPreferred")


def _logging(props: dict[str, Any]) -> dict[str, Any] | None:
    config = props.get("LoggingConfiguration") or {}
    if not config.get("DestinationBucketName"):
        return None  # AWS: without a destination the source bucket itself receives its logs; not our stacks' case
    return {"TargetBucket": str(config["DestinationBucketName"]), "TargetPrefix": str(config.get("LogFilePrefix") or "")}


def _ownership(bucket: Any) -> str:
    rule = getattr(bucket, "ownership_rule", None)
    value = rule.get("ObjectOwnership") if isinstance(rule, dict) else rule
    return str(value or "BucketOwnerEnforced")  # AWS's default for new buckets (ACLs disabled)


def refusal(bucket: Any, target: dict[str, Any], account_id: str) -> tuple[str, str] | None:
    """(code, message) of PutBucketLogging's refusal for this target, or None when AWS accepts it."""
    from moto.s3.models import FakeBucket, s3_backends  # noqa: PLC0415

    name = target["TargetBucket"]
    found = s3_backends[account_id]["aws"].buckets.get(name)
    if found is None:
        owner = s3_backends.bucket_accounts.get(name)
        return ("InvalidTargetBucketForLogging", FOREIGN if owner and owner[1] != account_id else MISSING)
    if found.region_name != bucket.region_name:
        return "CrossLocationLoggingProhibited", CROSS_REGION
    if _ownership(found) in ACLS_ENABLED and not (
            FakeBucket._log_permissions_enabled_policy(found, target.get("TargetPrefix"))
            or FakeBucket._log_permissions_enabled_acl(found)):
        return "InvalidTargetBucketForLogging", NO_GRANTS
    return None


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        bucket = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        target = _logging(dict(cloudformation_json.get("Properties") or {})) if active() else None
        if target is None:
            return bucket
        refused = refusal(bucket, target, account_id)
        if refused is not None:
            from moto.s3.exceptions import S3ClientError  # noqa: PLC0415
            from moto.s3.models import s3_backends  # noqa: PLC0415

            s3_backends[account_id]["aws"].delete_bucket(bucket.name)  # the failed create leaves no bucket
            raise S3ClientError(*refused)
        bucket.logging = target  # what moto's set_logging stores once its checks pass
        return bucket

    return create


def install() -> None:
    from moto.s3.models import FakeBucket  # noqa: PLC0415

    wrap(FakeBucket, "create_from_cloudformation_json", _checked, classmethod_=True)
