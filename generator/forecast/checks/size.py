"""MLPROV-F002 (offline, then online): the template's size path: inline, or S3 through the bootstrap's bucket."""

from __future__ import annotations

from mlprov.aws import templatesource
from mlprov.errors import UserError
from mlprov.forecast.model import Context, Finding, finding
from mlprov.forecast.registry import REGISTRY

CODE = "MLPROV-F002"
# AWS: TemplateBody max 51,200 bytes, TemplateURL max 1 MB (AWS CloudFormation API Reference, CreateChangeSet,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).


@REGISTRY.check(CODE, "template size path", online=False)
def size_path(ctx: Context) -> list[Finding]:
    p = ctx.product
    try:
        source = templatesource.choose(ctx.text, ctx.template, p.account_id, p.region)
    except UserError as exc:
        return [finding(CODE, "blocker", exc.message, exc.hint or "")]
    found = [finding(CODE, "info", f"template {source.describe()}")]
    if source.kind == "s3" and ctx.aws is not None and not _bucket_exists(ctx, source.bucket):
        found.append(finding(CODE, "blocker", f"template bucket {source.bucket} does not exist, and the template "
                                   f"({source.size} bytes) can only be sent through S3",
                                   "run `mlprov bootstrap` for this account and region"))
    elif source.kind != "s3" and ctx.aws is not None and (seeded := _seed_bucket(ctx)) and not _bucket_exists(ctx, seeded):
        # The repositories are created from seed archives in the same bucket (mlprov.seeds.upload).
        found.append(finding(CODE, "blocker", f"template bucket {seeded} does not exist, and the CodeCommit repositories "
                                   "are created from the seed code uploaded there",
                                   "run `mlprov bootstrap` for this account and region"))
    return found


def _seed_bucket(ctx: Context) -> str | None:
    from mlprov.seeds.upload import repository_placements  # noqa: PLC0415

    buckets = sorted({p.bucket for p in repository_placements(ctx.template)})
    return buckets[0] if buckets else None


def _bucket_exists(ctx: Context, bucket: str) -> bool:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    assert ctx.aws is not None
    try:
        ctx.aws.client("s3").head_bucket(Bucket=bucket)
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) in {"404", "NoSuchBucket", "NotFound"}:
            return False
        raise
    return True
