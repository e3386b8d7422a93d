"""Refusals before a change set runs: replacements AWS refuses (WILL FAIL), and adoptions of resources that are
not this product's. Used by deploy-product, test-deploy and show-changes (read-only calls only).

Adoption: change sets are created with ``ImportExistingResources`` (see :mod:`mlprov.aws.changeset`), so AWS imports
a retained resource with the template's static custom name instead of failing "already exists". AWS checks neither
owner nor tags; here every adopted resource must carry ``mlprov:product`` = this product's prefix, else the deploy
is refused (it would take over somebody else's bucket or repository).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.aws.preview import WAY_OUT, Preview, will_fail_line
from mlprov.aws.replacement import NAME_PROPERTIES
from mlprov.aws.session import Aws
from mlprov.config.model import Product

PRODUCT_TAG = "mlprov:product"


def _pairs(tags: Any) -> dict[str, str]:
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {str(t.get("Key")): str(t.get("Value")) for t in tags or []}


def _bucket(aws: Aws, name: str) -> dict[str, str]:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        return _pairs(aws.client("s3").get_bucket_tagging(Bucket=name).get("TagSet"))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "NoSuchTagSet":
            return {}
        raise


def _log_group(aws: Aws, name: str) -> dict[str, str]:
    return _pairs(aws.client("logs").list_tags_log_group(logGroupName=name).get("tags"))


def _topic(aws: Aws, name: str) -> dict[str, str]:
    sns = aws.client("sns")
    arn = next((t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page.get("Topics", [])
                if t["TopicArn"].rsplit(":", 1)[-1] == name), None)
    return _pairs(sns.list_tags_for_resource(ResourceArn=arn).get("Tags")) if arn else {}


def _repository(aws: Aws, name: str) -> dict[str, str]:
    cc = aws.client("codecommit")
    arn = cc.get_repository(repositoryName=name)["repositoryMetadata"]["Arn"]
    return _pairs(cc.list_tags_for_resource(resourceArn=arn).get("tags"))


def _model_registry(aws: Aws, name: str) -> dict[str, str]:
    sm = aws.client("sagemaker")
    arn = sm.describe_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]
    return _pairs(sm.list_tags(ResourceArn=arn).get("Tags"))


TAG_READERS: dict[str, Callable[[Aws, str], dict[str, str]]] = {
    "AWS::S3::Bucket": _bucket, "AWS::Logs::LogGroup": _log_group, "AWS::SNS::Topic": _topic,
    "AWS::CodeCommit::Repository": _repository, "AWS::SageMaker::ModelPackageGroup": _model_registry,
}


def will_fail(preview: Preview, verb: str) -> None:
    """Refuse (exit 1) when the change set holds a replacement AWS refuses; --allow-data-loss does not change it."""
    from mlprov.aws.deploy import Refused  # noqa: PLC0415

    if preview.will_fail:
        raise Refused(f"refusing to {verb} {preview.stack}: {len(preview.will_fail)} replacement(s) of custom-named "
                      "resources, which AWS refuses (the update would fail and roll back)",
                      [will_fail_line(r) for r in preview.will_fail], hint=WAY_OUT)


def foreign_adoptions(aws: Aws, product: Product, preview: Preview, template: dict[str, Any]) -> list[str]:
    """One line per resource the change set would adopt that is not tagged as this product's."""
    out: list[str] = []
    resources = template.get("Resources", {})
    for row in preview.adoptions:
        body = resources.get(row.logical_id, {})
        name = str((body.get("Properties") or {}).get(NAME_PROPERTIES.get(row.type, ""), row.physical_id))
        reader = TAG_READERS.get(row.type)
        if reader is None:
            out.append(f"{row.logical_id} ({row.type}) {name}: cannot read its tags to check it is this product's")
            continue
        owner = reader(aws, name).get(PRODUCT_TAG)
        if owner != product.prefix:
            out.append(f"{row.logical_id} ({row.type}) {name}: tagged {PRODUCT_TAG}={owner or '(none)'}, not {product.prefix}")
    return out


def adoptions(aws: Aws, product: Product, preview: Preview, template: dict[str, Any], verb: str) -> None:
    """Refuse (exit 1) to adopt a resource that is not this product's."""
    from mlprov.aws.deploy import Refused  # noqa: PLC0415

    foreign = foreign_adoptions(aws, product, preview, template)
    if foreign:
        raise Refused(f"refusing to {verb} {preview.stack}: {len(foreign)} existing resource(s) with this product's names "
                      "belong to something else", foreign,
                      hint="delete or rename those resources, or change the config's names (organization, app_id, use_case)")
