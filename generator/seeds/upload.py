"""Put the seed archives where the stack's first pipeline executions read them, before the stack exists.

- CodeCommit sources: each repository's ``Code.S3`` object (``seeds/<sha256>.zip`` in the bootstrap's template
  bucket) is uploaded before every change set (plan, show-changes, deploy-product, test-deploy), unless it is
  already there: content-addressed, so an existing object is the same bytes. SSE-S3, as the template upload
  (:mod:`mlprov.aws.templatesource`). CloudFormation reads the object only when it creates the repository.
- S3 sources (:func:`seed_sources`): the config's ``build_key`` / ``deploy_key`` in its source bucket, when a
  deploy creates the stack (deploy-product, test-deploy; never a preview or an update), only when the key is absent:
  a user's object is never overwritten, and the output says which keys were seeded and which were kept.
  ``source.seed: false`` turns it off.

Template-bucket objects are probed with HeadObject (authorized as s3:GetObject), then written with PutObject; source
keys are written with one conditional PutObject (``If-None-Match: *``), so the deployer needs no read there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from mlprov.config.model import Product
from mlprov.errors import AwsError, UserError
from mlprov.seeds.archive import Archive, archive, by_key

_ABSENT = {"404", "NoSuchKey", "NotFound"}


@dataclass(frozen=True)
class Placement:
    """One seed archive at one S3 location; ``what`` names it in messages."""

    bucket: str
    key: str
    archive: Archive
    what: str


def _code(template: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for logical, res in sorted((template.get("Resources") or {}).items()):
        if isinstance(res, dict) and res.get("Type") == "AWS::CodeCommit::Repository":
            s3 = ((res.get("Properties") or {}).get("Code") or {}).get("S3")
            if isinstance(s3, dict):
                yield logical, s3


def repository_placements(template: Mapping[str, Any]) -> list[Placement]:
    """The seed archive every CodeCommit repository of ``template`` is created from. A key this mlprov does not
    build (a template rendered by another version) is refused: the upload would be of other bytes."""
    known, out = by_key(), []
    for logical, s3 in _code(template):
        bucket, key = s3.get("Bucket"), s3.get("Key")
        if not isinstance(bucket, str) or not isinstance(key, str) or key not in known:
            raise UserError(f"{logical}: Code.S3 names {key!r}, which is not a seed archive of this mlprov "
                            f"(it builds {', '.join(sorted(known))})",
                            hint="re-render with `mlprov render` (the seed code or mlprov changed since)")
        out.append(Placement(bucket, key, known[key], f"{logical} seed ({known[key].name})"))
    return out


def source_placements(product: Product) -> list[Placement]:
    """The S3 source keys of ``product`` with the seed each one starts with (none unless source.type is s3 and
    ``source.seed`` is not false)."""
    src = product.config.get("source") or {}
    if src.get("type") != "s3" or src.get("seed", True) is False:
        return []
    bucket = str(src["bucket"])
    return [Placement(bucket, str(src["build_key"]), archive("model-build"), "source.build_key (model-build seed)"),
            Placement(bucket, str(src["deploy_key"]), archive("model-deploy"), "source.deploy_key (model-deploy seed)")]


def _code_of(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def exists(s3: Any, bucket: str, key: str) -> bool:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if _code_of(exc) in _ABSENT:
            return False
        raise
    return True


def put_if_absent(s3: Any, place: Placement, *, missing_bucket_hint: str, conditional: bool = False) -> bool:
    """Upload ``place`` unless its key exists; True when it was uploaded.

    ``conditional``: one PutObject with ``If-None-Match: *``, which S3 refuses (412 PreconditionFailed) when the key
    exists, so a concurrent writer's object is never replaced ("Conditional writes", "How to prevent object
    overwrites with conditional writes", https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html);
    the deployer's grant requires that header (``s3:if-none-match``). Otherwise HeadObject first (content-addressed
    keys: an existing object holds the same bytes)."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    extra = {"IfNoneMatch": "*"} if conditional else {}
    try:
        if not conditional and exists(s3, place.bucket, place.key):
            return False
        s3.put_object(Bucket=place.bucket, Key=place.key, Body=place.archive.data, ServerSideEncryption="AES256",
                      ContentType="application/zip", **extra)
    except ClientError as exc:
        code = _code_of(exc)
        if conditional and code in {"PreconditionFailed", "412"}:
            return False
        if code == "NoSuchBucket":
            raise UserError(f"bucket {place.bucket} does not exist: {place.what} goes there", hint=missing_bucket_hint) from exc
        if code in {"AccessDenied", "403"}:
            raise AwsError(f"s3://{place.bucket}/{place.key}: access denied writing {place.what}",
                           hint="the deployer needs s3:PutObject on it: see `mlprov create-policy CONFIG`; "
                                "or set source.seed: false and upload the seed code yourself") from exc
        raise
    return True


def ensure_repository_seeds(s3: Any, template: Mapping[str, Any]) -> list[Placement]:
    """Before a change set: every repository's seed archive in the template bucket; returns what was uploaded."""
    hint = "run `mlprov bootstrap` for this account and region (it creates the bucket the repositories' seed code is read from)"
    return [p for p in repository_placements(template) if put_if_absent(s3, p, missing_bucket_hint=hint)]


def seed_sources(s3: Any, product: Product, out: TextIO) -> None:
    """At deploy, before the change set runs: the S3 source keys that are absent get the seed archives."""
    hint = "create the source bucket (versioned, EventBridge notifications on), or fix source.bucket in the config"
    for place in source_placements(product):
        where = f"s3://{place.bucket}/{place.key}"
        if put_if_absent(s3, place, missing_bucket_hint=hint, conditional=True):
            print(f"seeded {where} with the {place.archive.name} seed code ({place.archive.sha256[:12]})", file=out)
        else:
            print(f"kept {where}: it exists, not overwritten by the seed code", file=out)
