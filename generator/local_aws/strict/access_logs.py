"""Rule ``access-log-target``: a bucket's ``LoggingConfiguration`` is applied as PutBucketLogging applies it.

AWS: "All logs are saved to buckets in the same Amazon Web Services Region as the source bucket" and the target is a
bucket "that you own" (Amazon S3 API Reference, PutBucketLogging and LoggingEnabled.TargetBucket); with the bucket
owner enforced Object Ownership setting "Permissions can only be granted using policies" (the
``logging.s3.amazonaws.com`` service principal; Amazon S3 User Guide, "Permissions for server access log delivery").
The S3 API Reference's "List of error codes" (Error responses) documents the refusals: ``InvalidTargetBucketForLogging``
("The target bucket for logging does not exist, is not owned by you, or does not have the appropriate grants for the
log-delivery group") and ``CrossLocationLoggingProhibited`` ("Cross-location logging not allowed. Buckets in one
geographic location cannot log information to a bucket in another location."). The message of a missing target,
"The target bucket for logging does not exist", is AWS's as quoted from a Terraform run (pastebin 7YNtjPXb); the
message of a missing permission is moto's ("You must either provide the necessary permissions to the logging service
using a bucket policy or give the log-delivery group WRITE and READ_ACP permissions to the target bucket"; AWS's own
older wording, "You must give the log-delivery group WRITE and READ_ACP permissions to the target bucket", is quoted in
s3tools/s3cmd #614): whether AWS checks the *policy* at PutBucketLogging is not documented; this endpoint does, as
moto's PutBucketLogging does, and as the forecast's MLPROV-F006 treats it (a blocker).

moto's CloudFormation bucket ignores ``LoggingConfiguration`` (no log target is ever checked); here the created bucket
gets it through moto's own ``set_logging`` (the checks above), and a refusal deletes the new bucket and fails the
resource (CREATE_FAILED, as the AWS::S3::Bucket handler fails).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap

RULE = "access-log-target"
SOURCE = ("bucket LoggingConfiguration to a missing, foreign-region or unpermitted target refused: "
          "InvalidTargetBucketForLogging / CrossLocationLoggingProhibited (S3 API Reference, PutBucketLogging; Error "
          "responses, list of error codes; S3 User Guide, Permissions for server access log delivery)")
CROSS_REGION = ("Cross-location logging not allowed. Buckets in one geographic location cannot log information to a "
                "bucket in another location.")


def _logging(props: dict[str, Any]) -> dict[str, Any] | None:
    config = props.get("LoggingConfiguration") or {}
    if not config.get("DestinationBucketName"):
        return None  # AWS: without a destination the source bucket itself receives its logs; not our stacks' case
    return {"TargetBucket": str(config["DestinationBucketName"]), "TargetPrefix": str(config.get("LogFilePrefix") or "")}


def apply(bucket: Any, target: dict[str, Any], account_id: str) -> None:
    """PutBucketLogging on the new bucket, moto's checks (exists, permission, region) with AWS's region message."""
    from moto.s3.exceptions import CrossLocationLoggingProhibited  # noqa: PLC0415
    from moto.s3.models import s3_backends  # noqa: PLC0415

    backend = s3_backends[account_id]["aws"]
    try:
        bucket.set_logging(target, backend)
    except CrossLocationLoggingProhibited as exc:
        exc.message = CROSS_REGION
        raise


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        bucket = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        target = _logging(dict(cloudformation_json.get("Properties") or {})) if active() else None
        if target is None:
            return bucket
        try:
            apply(bucket, target, account_id)
        except Exception:
            from moto.s3.models import s3_backends  # noqa: PLC0415

            s3_backends[account_id]["aws"].delete_bucket(bucket.name)  # the failed create leaves no bucket
            raise
        return bucket

    return create


def install() -> None:
    from moto.s3.models import FakeBucket  # noqa: PLC0415

    wrap(FakeBucket, "create_from_cloudformation_json", _checked, classmethod_=True)
