"""model-build's pipeline definition, built offline and validated: every step's arguments are a valid request of
the API the step calls (botocore's SageMaker service model, placeholders filled), every ``Get`` names a step or
parameter that exists, every job carries the product's prefix, registration waits for approval; then the seed's
run() against the local endpoint creates, updates and starts the pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.validate import ParamValidator
from mlprov.config.loader import load_product
from mlprov.render import images
from pipelines import run as seed_run
from pipelines.definition import Settings, definition

from tests.conftest import REPO

PRODUCT = load_product(REPO / "products" / "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml")
SETTINGS = Settings(PRODUCT.names.job_prefix, "arn:aws:iam::123456789012:role/mlprov/x-sagemaker", "art-bucket",
                    images.sklearn_image_uri(PRODUCT.region), PRODUCT.names.model_package_group, "p/code/abc")
API = {"Processing": "CreateProcessingJob", "Training": "CreateTrainingJob", "RegisterModel": "CreateModelPackage"}


def _fill(node: Any) -> Any:
    """Replace {"Get": ...} placeholders with a value of the right kind for validation."""
    if isinstance(node, dict):
        if set(node) == {"Get"}:
            return "s3://resolved/at/execution"
        return {k: _fill(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v) for v in node]
    return node


def _gets(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [node["Get"]] if set(node) == {"Get"} else [g for v in node.values() for g in _gets(v)]
    if isinstance(node, list):
        return [g for v in node for g in _gets(v)]
    return []


def test_steps_run_in_order_and_register_pending_approval() -> None:
    d = definition(SETTINGS)
    assert d["Version"] == "2020-12-01"
    assert [(s["Name"], s["Type"]) for s in d["Steps"]] == [
        ("Preprocess", "Processing"), ("Train", "Training"), ("Evaluate", "Processing"), ("Register", "RegisterModel")]
    register = d["Steps"][-1]["Arguments"]
    assert register["ModelPackageGroupName"] == PRODUCT.names.model_package_group
    assert register["ModelApprovalStatus"] == "PendingManualApproval"
    json.dumps(d)  # serialisable as is


def test_every_step_is_a_valid_request_of_its_api() -> None:
    model = boto3.client("sagemaker", region_name="us-west-2").meta.service_model
    for step in definition(SETTINGS)["Steps"]:
        args = _fill(step["Arguments"])
        shape = model.operation_model(API[step["Type"]]).input_shape
        if step["Type"] == "Processing":
            args = {**args, "ProcessingJobName": f"{args['ProcessingJobName']}-x"}
        if step["Type"] == "Training":
            args = {**args, "TrainingJobName": f"{args['TrainingJobName']}-x"}
        report = ParamValidator().validate(args, shape)
        assert not report.has_errors(), (step["Name"], report.generate_report())


def test_every_reference_names_an_earlier_step_or_a_parameter() -> None:
    d = definition(SETTINGS)
    params = {p["Name"] for p in d["Parameters"]}
    seen: set[str] = set()
    for step in d["Steps"]:
        for ref in _gets(step["Arguments"]):
            kind, name = ref.split(".")[:2]
            assert (kind == "Parameters" and name in params) or (kind == "Steps" and name in seen), (step["Name"], ref)
        seen.add(step["Name"])


def test_every_job_name_is_the_products_prefix_within_the_38_characters() -> None:
    names = [s["Arguments"].get(k) for s in definition(SETTINGS)["Steps"] for k in ("ProcessingJobName", "TrainingJobName")
             if k in s["Arguments"]]
    assert names == [PRODUCT.names.job_prefix] * 3
    assert re.fullmatch(r"[a-z0-9-]{1,31}", PRODUCT.names.job_prefix)
    with pytest.raises(ValueError, match="longer than the 38 characters"):
        definition(Settings("x" * 39, *list(SETTINGS.__dict__.values())[1:]))


ENV = {"NAME_PREFIX": "p", "SAGEMAKER_PIPELINE_ROLE_ARN": "arn:aws:iam::123456789012:role/mlprov/p-sm",
       "ARTIFACT_BUCKET": "p-art", "JOB_PREFIX": "p-abc123", "IMAGE_URI": images.sklearn_image_uri("eu-west-1"),
       "MODEL_PACKAGE_GROUP_NAME": "p"}


def test_run_creates_then_updates_and_starts_the_pipeline(aws: Any) -> None:
    s3, sm = aws("s3"), aws("sagemaker")
    s3.create_bucket(Bucket="p-art", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    first = seed_run.run(sm, s3, ENV)
    body = json.loads(sm.describe_pipeline(PipelineName="p-pipeline")["PipelineDefinition"])
    assert [s["Name"] for s in body["Steps"]] == ["Preprocess", "Train", "Evaluate", "Register"]
    second = seed_run.run(sm, s3, ENV)  # the pipeline exists now: updated, started again
    assert first != second and first.startswith("arn:aws:sagemaker:eu-west-1:")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="p-art")["Contents"]}
    prefix = body["Steps"][0]["Arguments"]["ProcessingInputs"][0]["S3Input"]["S3Uri"].split("p-art/")[1].rsplit("/scripts/", 1)[0]
    assert {f"{prefix}/scripts/{n}" for n in ("preprocess.py", "train.py", "evaluate.py")} | {f"{prefix}/sourcedir.tar.gz"} <= keys


def test_run_names_the_missing_environment(aws: Any) -> None:
    with pytest.raises(SystemExit, match="environment variables missing: ARTIFACT_BUCKET, IMAGE_URI"):
        seed_run.run(aws("sagemaker"), aws("s3"), {k: v for k, v in ENV.items() if k not in ("ARTIFACT_BUCKET", "IMAGE_URI")})


def test_the_build_project_sets_every_variable_run_needs() -> None:
    from mlprov.render.engine import render

    env = {v["Name"] for v in render(PRODUCT)[1]["Resources"]["BuildProject"]["Properties"]["Environment"]["EnvironmentVariables"]}
    assert set(seed_run.REQUIRED) <= env
    assert PRODUCT.names.sagemaker_pipeline == f"{PRODUCT.prefix}-pipeline"
    assert Path(seed_run.SCRIPTS).is_dir()
