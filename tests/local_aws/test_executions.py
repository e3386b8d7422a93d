"""CodePipeline executions on the local AWS: the Source stage's S3 source actions run, the rest does not."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.local_aws.conftest import REGION, physical, role, via_change_set

Aws = Callable[[str], Any]


def _pipeline(aws: Aws, provider: str, config: dict[str, str]) -> str:
    stack, store = f"runs-{uuid.uuid4().hex[:8]}", f"runs-store-{uuid.uuid4().hex[:8]}"
    aws("s3").create_bucket(Bucket=store, CreateBucketConfiguration={"LocationConstraint": REGION})
    source = {"Name": "Fetch", "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": provider, "Version": "1"},
              "Configuration": config, "OutputArtifacts": [{"Name": "Src"}]}
    build = {"Name": "Build", "ActionTypeId": {"Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1"},
             "Configuration": {"ProjectName": "p"}, "InputArtifacts": [{"Name": "Src"}]}
    via_change_set(aws("cloudformation"), stack, {"Resources": {"Role": role(f"{stack}-role"), "Pipeline": {
        "Type": "AWS::CodePipeline::Pipeline", "Properties": {
            "Name": stack, "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "ArtifactStore": {"Type": "S3", "Location": store},
            "Stages": [{"Name": "Get", "Actions": [source]}, {"Name": "Build", "Actions": [build]}]}}}})
    return physical(aws("cloudformation"), stack)["Pipeline"]


def _run(aws: Aws, pipeline: str) -> tuple[str, str]:
    cp = aws("codepipeline")
    run = cp.start_pipeline_execution(name=pipeline)["pipelineExecutionId"]
    found = cp.get_pipeline_execution(pipelineName=pipeline, pipelineExecutionId=run)["pipelineExecution"]
    assert (found["pipelineName"], found["pipelineExecutionId"]) == (pipeline, run)
    return str(found["status"]), str(found["statusSummary"])


def test_an_s3_source_needs_its_versioned_bucket_and_its_object(aws: Aws) -> None:
    bucket, s3 = f"runs-src-{uuid.uuid4().hex[:8]}", aws("s3")
    pipeline = _pipeline(aws, "S3", {"S3Bucket": bucket, "S3ObjectKey": "src.zip"})
    assert _run(aws, pipeline) == ("Failed", "Stage Get, action Fetch failed: The specified bucket does not exist")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    assert _run(aws, pipeline) == ("Failed", f"Stage Get, action Fetch failed: The S3 bucket {bucket} is not versioned; the "
                                   "Amazon S3 source action requires a versioned bucket")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert _run(aws, pipeline) == ("Failed", "Stage Get, action Fetch failed: The specified key does not exist.")
    s3.put_object(Bucket=bucket, Key="src.zip", Body=b"zip")
    assert _run(aws, pipeline) == ("InProgress", "Source stage succeeded; later stages are not run by the local endpoint")


def test_other_sources_are_not_run(aws: Aws) -> None:
    pipeline = _pipeline(aws, "CodeCommit", {"RepositoryName": "nowhere", "BranchName": "main"})
    assert _run(aws, pipeline)[0] == "InProgress"


def test_an_unknown_execution_or_pipeline_is_not_found(aws: Aws) -> None:
    pipeline = _pipeline(aws, "CodeCommit", {"RepositoryName": "r", "BranchName": "main"})
    cp = aws("codepipeline")
    with pytest.raises(ClientError) as err:
        cp.get_pipeline_execution(pipelineName=pipeline, pipelineExecutionId="00000000-0000-0000-0000-000000000000")
    assert err.value.response["Error"]["Code"] == "PipelineExecutionNotFoundException"
    with pytest.raises(ClientError) as err:
        cp.start_pipeline_execution(name="no-such-pipeline")
    assert err.value.response["Error"]["Code"] == "PipelineNotFoundException"
