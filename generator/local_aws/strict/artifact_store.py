"""Rule ``artifact-store``: CreatePipeline refuses an artifact store bucket that is not there.

AWS: the pipeline's ``ArtifactStore`` is "the S3 bucket where artifacts for the pipeline are stored", which "must be
in the same Region as the pipeline" (AWS CodePipeline User Guide, "CodePipeline pipeline structure reference",
artifactStore; API Reference, ArtifactStore). CreatePipeline validates it: ``InvalidStructureException`` "An error
occurred while validating the artifact bucket '<bucket>': No bucket with the name <bucket> was found. Choose a valid
artifact bucket in '<region>', or create a new artifact bucket to use in your pipeline." (AWS's message as quoted in
aws-samples/aws-ecs-anywhere-workshop-samples #4; the API Reference documents only the code). A bucket in another
Region fails the same validation; its wording is not documented, the one here is ours ("... is in <region>, not in
'<region>' ..."). moto (and our pipeline model) accepted any bucket name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.cfnmodel import service_error
from mlprov.local_aws.strict import active, wrap

RULE = "artifact-store"
SOURCE = ("pipeline whose artifact store bucket is missing or in another Region refused: InvalidStructureException "
          "(CodePipeline User Guide, pipeline structure reference, artifactStore)")


def message(bucket: str, region: str, found_in: str | None) -> str:
    head = f"An error occurred while validating the artifact bucket '{bucket}': "
    if found_in is None:
        return (f"{head}No bucket with the name {bucket} was found. Choose a valid artifact bucket in '{region}', or create "
                "a new artifact bucket to use in your pipeline.")
    return f"{head}The bucket {bucket} is in {found_in}, not in '{region}'. Choose a valid artifact bucket in '{region}'."


def bucket_region(account_id: str, name: str) -> str | None:
    from moto.s3.models import s3_backends  # noqa: PLC0415

    bucket = s3_backends[account_id]["aws"].buckets.get(name)
    return None if bucket is None else str(bucket.region_name)


def check(props: dict[str, Any], account_id: str, region: str) -> None:
    stores = [props["ArtifactStore"]] if props.get("ArtifactStore") else [
        s.get("ArtifactStore", {}) for s in props.get("ArtifactStores") or [] if s.get("Region", region) == region]
    for store in stores:
        bucket = str(store.get("Location") or "")
        found_in = bucket_region(account_id, bucket)
        if found_in != region:
            raise service_error("InvalidStructureException", message(bucket, region, found_in))


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def create(cls: Any, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Any:
        if active():
            check(props, account_id, region_name)
        return original(cls, name, props, account_id, region_name)

    return create


def install() -> None:
    from mlprov.local_aws.devtools import Pipeline  # noqa: PLC0415

    wrap(Pipeline, "create", _checked, classmethod_=True)
