"""How a template reaches CloudFormation: inline (``TemplateBody``, at most 51,200 bytes) or, when larger, uploaded
to the bootstrap's template bucket and passed by ``TemplateURL`` (at most 1 MB).

AWS: CreateChangeSet ``TemplateBody`` "with a minimum length of 1 byte and a maximum length of 51,200 bytes";
``TemplateURL`` "must point to a template (max size: 1 MB) that's located in an Amazon S3 bucket ... The location
for an Amazon S3 bucket must start with https://" (AWS CloudFormation API Reference, CreateChangeSet,
https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html). The bucket is
``deploypath.template_bucket_name(account, region)``, made by ``mlprov bootstrap``; objects are written with
SSE-S3 (``ServerSideEncryption=AES256``) under a content-addressed key, so the same template is uploaded once and
what was reviewed is what the URL names.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from mlprov.deploypath import template_bucket_name
from mlprov.errors import UserError

INLINE_LIMIT = 51_200
S3_LIMIT = 1_000_000  # "max size: 1 MB"; the decimal megabyte is the safe reading
KEY_PREFIX = "templates/"


@dataclass(frozen=True)
class Source:
    """``kind``: ``inline-yaml`` (the text as committed), ``inline-json`` (its compact JSON) or ``s3``."""

    kind: str
    body: str
    bucket: str = ""
    key: str = ""

    @property
    def size(self) -> int:
        return len(self.body.encode())

    def describe(self) -> str:
        if self.kind == "s3":
            return (f"through S3 as TemplateURL s3://{self.bucket}/{self.key} ({self.size} bytes as compact JSON, "
                    "over the 51,200-byte inline limit)")
        form = "as committed" if self.kind == "inline-yaml" else "as compact JSON"
        return f"inline {form} ({self.size} bytes, limit 51,200)"


def content_key(body: str) -> str:
    return f"{KEY_PREFIX}{hashlib.sha256(body.encode()).hexdigest()}.json"


def choose(text: str, template: dict[str, Any], account_id: str, region: str) -> Source:
    """The way this template is sent. Decided offline; raises when even S3 cannot take it."""
    if len(text.encode()) <= INLINE_LIMIT:
        return Source("inline-yaml", text)
    compact = json.dumps(template, separators=(",", ":"), sort_keys=False)
    size = len(compact.encode())
    if size <= INLINE_LIMIT:
        return Source("inline-json", compact)
    if size > S3_LIMIT:
        raise UserError(f"template is {size} bytes even as compact JSON, over CloudFormation's 1 MB TemplateURL limit",
                        hint="split the product: fewer extra tags or smaller generated policies")
    return Source("s3", compact, template_bucket_name(account_id, region), content_key(compact))


def url(source: Source, region: str) -> str:
    """The virtual-hosted-style https URL CloudFormation reads the template from."""
    return f"https://{source.bucket}.s3.{region}.amazonaws.com/{source.key}"


def upload(s3: Any, source: Source) -> None:
    """Put the template in the bucket with SSE-S3, unless the content-addressed object is already there."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        s3.head_object(Bucket=source.bucket, Key=source.key)
        return
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code not in {"404", "NoSuchKey", "NotFound"}:
            raise
    try:
        s3.put_object(Bucket=source.bucket, Key=source.key, Body=source.body.encode(), ServerSideEncryption="AES256",
                      ContentType="application/json")
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code", "")) == "NoSuchBucket":
            raise UserError(f"template bucket {source.bucket} does not exist: the template ({source.size} bytes) is over "
                            "the 51,200-byte inline limit and must go through S3",
                            hint="run `mlprov bootstrap` for this account and region (it creates the bucket)") from exc
        raise

