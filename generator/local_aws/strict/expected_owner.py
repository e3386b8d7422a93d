"""Rule ``expected-owner``: an S3 request naming ``ExpectedBucketOwner`` fails when another account owns the bucket.

AWS: ``x-amz-expected-bucket-owner`` "The account ID of the expected bucket owner. If the account ID that you provide
does not match the actual owner of the bucket, the request fails with the HTTP status code 403 Forbidden (access
denied)." (Amazon S3 API Reference, GetBucketLocation and every bucket operation; S3 User Guide, "Verifying bucket
ownership with bucket owner condition"). moto ignores the header and answers for any account's bucket, so the
forecast's external-bucket checks (MLPROV-F006..F008, which send it) could not tell a foreign bucket from ours. Here
GetBucketLocation honours it (the one call those checks start with); ``AccessDenied`` "Access Denied" is S3's 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap

RULE = "expected-owner"
SOURCE = ("GetBucketLocation with ExpectedBucketOwner of another account: 403 AccessDenied (S3 API Reference, "
          "GetBucketLocation x-amz-expected-bucket-owner; S3 User Guide, bucket owner condition)")
HEADER = "x-amz-expected-bucket-owner"


def owner(bucket: str) -> str | None:
    from moto.s3.models import s3_backends  # noqa: PLC0415

    found = s3_backends.bucket_accounts.get(bucket)
    return found[1] if found else None


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_bucket_location(self: Any) -> Any:
        expected = self.headers.get(HEADER) if active() else None
        actual = owner(str(self.bucket_name)) if expected else None
        if expected and actual is not None and actual != expected:
            from moto.s3.exceptions import S3AccessDeniedError  # noqa: PLC0415

            raise S3AccessDeniedError()
        return original(self)

    return get_bucket_location


def install() -> None:
    from moto.s3.responses import S3Response  # noqa: PLC0415

    wrap(S3Response, "get_bucket_location", _checked)
