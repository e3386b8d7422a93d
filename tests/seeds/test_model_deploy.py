"""model-deploy's script against the local endpoint: the latest Approved package of the group goes to the staging
endpoint, then (the pipeline's manual approval passed) to production; a newer approval updates the endpoint in place;
unapproved packages and other groups are never deployed; missing input fails with a message."""

from __future__ import annotations

from typing import Any

import deploy as seed
import pytest

from tests.conftest import REPO

GROUP, PREFIX = "techcorp-prod-a001-usw2-customer-churn-ml", "techcorp-prod-a0-3f2a1b"
ENV = {"MODEL_PACKAGE_GROUP_NAME": GROUP, "SAGEMAKER_EXECUTION_ROLE_ARN": "arn:aws:iam::123456789012:role/mlprov/x-sm",
       "JOB_PREFIX": PREFIX}
IMAGE = "246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"


def _package(sm: Any, group: str, status: str) -> str:
    arn: str = sm.create_model_package(
        ModelPackageGroupName=group, ModelApprovalStatus=status,
        InferenceSpecification={"Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://b/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]
    return arn


def _serving(sm: Any, endpoint: str) -> str:
    config = sm.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    model = sm.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]["ModelName"]
    return str(sm.describe_model(ModelName=model)["Containers"][0]["ModelPackageName"])


class _UpdateRecorder:
    """The local endpoint (moto 5.2) answers UpdateEndpoint with HTTP 500: record the call, pass the rest through."""

    def __init__(self, sm: Any) -> None:
        self._sm, self.calls = sm, []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sm, name)

    def update_endpoint(self, EndpointName: str, EndpointConfigName: str) -> None:
        self.calls.append((EndpointName, EndpointConfigName))


def test_staging_then_production_then_a_newer_approval(aws: Any) -> None:
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName=GROUP)
    sm.create_model_package_group(ModelPackageGroupName=GROUP + "-blue")
    first = _package(sm, GROUP, "Approved")
    _package(sm, GROUP, "PendingManualApproval")  # newer, not approved: never deployed
    _package(sm, GROUP + "-blue", "Approved")  # the sibling product's group: never deployed

    assert seed.deploy(sm, ENV, "staging") == f"{PREFIX}-staging"
    assert _serving(sm, f"{PREFIX}-staging") == first
    assert seed.deploy(sm, ENV, "prod") == f"{PREFIX}-prod"
    assert _serving(sm, f"{PREFIX}-prod") == first

    newer = _package(sm, GROUP, "Approved")
    updates = _UpdateRecorder(sm)
    seed.deploy(updates, ENV, "staging")  # the endpoint exists: UpdateEndpoint to the newer package's config
    ((endpoint, config),) = updates.calls
    assert endpoint == f"{PREFIX}-staging" and config.startswith(f"{PREFIX}-staging-v")
    model = sm.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]["ModelName"]
    assert sm.describe_model(ModelName=model)["Containers"][0]["ModelPackageName"] == newer
    assert _serving(sm, f"{PREFIX}-prod") == first
    names = [m["ModelName"] for m in sm.list_models()["Models"]]
    assert names and all(n.startswith(f"{PREFIX}-") for n in names)


def test_no_approved_package_says_what_to_do(aws: Any) -> None:
    sm = aws("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="empty-group")
    _package(sm, "empty-group", "PendingManualApproval")
    with pytest.raises(SystemExit, match="no Approved model package in group empty-group: approve one in the model registry"):
        seed.deploy(sm, {**ENV, "MODEL_PACKAGE_GROUP_NAME": "empty-group"}, "staging")


def test_bad_stage_and_missing_environment(aws: Any) -> None:
    with pytest.raises(SystemExit, match="STAGE must be one of staging, prod, got 'qa'"):
        seed.deploy(aws("sagemaker"), ENV, "qa")
    with pytest.raises(SystemExit, match="environment variables missing: JOB_PREFIX"):
        seed.deploy(aws("sagemaker"), {k: v for k, v in ENV.items() if k != "JOB_PREFIX"}, "staging")


def test_the_deploy_project_sets_every_variable_the_script_reads() -> None:
    from mlprov.config.loader import load_product
    from mlprov.render.engine import render

    product = load_product(REPO / "products" / "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit.yaml")
    env = {v["Name"] for v in render(product)[1]["Resources"]["DeployProject"]["Properties"]["Environment"]["EnvironmentVariables"]}
    assert {"MODEL_PACKAGE_GROUP_NAME", "SAGEMAKER_EXECUTION_ROLE_ARN", "JOB_PREFIX"} <= env
    assert f"{product.names.job_prefix}-staging" == product.names.staging_endpoint


def test_the_deploy_pipeline_approves_before_production() -> None:
    import json

    from mlprov.config.loader import load_product
    from mlprov.render.engine import render

    for name in ("startupco-dev-s002-us-east-1-fraud-detection-ml-s3.yaml",
                 "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml"):
        stages = render(load_product(REPO / "products" / name))[1]["Resources"]["DeployPipeline"]["Properties"]["Stages"]
        assert [s["Name"] for s in stages] == ["Source", "Deploy", "Approve", "Production"]
        assert stages[2]["Actions"][0]["ActionTypeId"] == {"Category": "Approval", "Owner": "AWS", "Provider": "Manual",
                                                           "Version": "1"}
        deploy, prod = stages[1]["Actions"][0]["Configuration"], stages[3]["Actions"][0]["Configuration"]
        assert "EnvironmentVariables" not in deploy  # STAGE defaults to staging in the script
        assert json.loads(prod["EnvironmentVariables"]) == [{"name": "STAGE", "value": "prod"}]
        assert prod["ProjectName"] == deploy["ProjectName"] == {"Ref": "DeployProject"}
