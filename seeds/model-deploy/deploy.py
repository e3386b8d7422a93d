"""Deploy the latest approved model package of the product's group to one stage's endpoint.

Run by the deploy project (buildspec.yml): ``STAGE=staging`` after each source change or approval, ``STAGE=prod``
after the deploy pipeline's manual approval. Environment (set by the stack): MODEL_PACKAGE_GROUP_NAME,
SAGEMAKER_EXECUTION_ROLE_ARN, JOB_PREFIX. Names: model ``<prefix>-v<version>``, endpoint config
``<prefix>-<stage>-v<version>``, endpoint ``<prefix>-<stage>`` (the roles' IAM patterns are ``<prefix>-*``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

STAGES = ("staging", "prod")
INSTANCE = "ml.m5.large"


def latest_approved(sm: Any, group: str) -> dict[str, Any]:
    page = sm.list_model_packages(ModelPackageGroupName=group, ModelApprovalStatus="Approved",
                                  SortBy="CreationTime", SortOrder="Descending", MaxResults=1)
    if not page["ModelPackageSummaryList"]:
        raise SystemExit(f"model-deploy: no Approved model package in group {group}: approve one in the model registry")
    arn = page["ModelPackageSummaryList"][0]["ModelPackageArn"]
    package: dict[str, Any] = sm.describe_model_package(ModelPackageName=arn)
    return package


def _exists(sm: Any, call: Any, **kwargs: Any) -> bool:
    """Whether a Describe* call finds the resource (SageMaker answers ValidationException "Could not find ...")."""
    try:
        call(**kwargs)
    except sm.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        if error.get("Code") == "ValidationException" and "Could not find" in str(error.get("Message", "")):
            return False
        raise
    return True


def deploy(sm: Any, env: Mapping[str, str], stage: str) -> str:
    """Create or update ``<prefix>-<stage>`` to serve the latest approved package; return the endpoint name."""
    if stage not in STAGES:
        raise SystemExit(f"model-deploy: STAGE must be one of {', '.join(STAGES)}, got {stage!r}")
    missing = [k for k in ("MODEL_PACKAGE_GROUP_NAME", "SAGEMAKER_EXECUTION_ROLE_ARN", "JOB_PREFIX") if not env.get(k)]
    if missing:
        raise SystemExit(f"model-deploy: environment variables missing: {', '.join(missing)} (set by the deploy project)")
    prefix, role = env["JOB_PREFIX"], env["SAGEMAKER_EXECUTION_ROLE_ARN"]
    package = latest_approved(sm, env["MODEL_PACKAGE_GROUP_NAME"])
    version = package["ModelPackageVersion"]
    model, config, endpoint = f"{prefix}-v{version}", f"{prefix}-{stage}-v{version}", f"{prefix}-{stage}"
    if not _exists(sm, sm.describe_model, ModelName=model):
        sm.create_model(ModelName=model, ExecutionRoleArn=role,
                        Containers=[{"ModelPackageName": package["ModelPackageArn"]}])
    if not _exists(sm, sm.describe_endpoint_config, EndpointConfigName=config):
        sm.create_endpoint_config(EndpointConfigName=config, ProductionVariants=[{
            "VariantName": "AllTraffic", "ModelName": model, "InitialInstanceCount": 1, "InstanceType": INSTANCE}])
    if _exists(sm, sm.describe_endpoint, EndpointName=endpoint):
        sm.update_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    else:
        sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)
    print(f"{stage}: {endpoint} -> {package['ModelPackageArn']}")
    return endpoint


if __name__ == "__main__":
    import boto3

    deploy(boto3.client("sagemaker"), os.environ, os.environ.get("STAGE", "staging"))
