"""CodeCommit repositories, CodeBuild projects and CodePipeline pipelines through CloudFormation on the local AWS:
created in moto's backends and read back with boto3, Ref/GetAtt as on AWS, updated, replaced, deleted."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.local_aws.conftest import failure, outputs, physical, role, via_change_set

pytestmark = pytest.mark.filterwarnings(r"ignore:Exception\(LocalAwsServiceError\)")


@pytest.fixture(autouse=True)
def artifact_store(aws: Callable[[str], Any]) -> None:
    """The pipelines' artifact store exists, as CreatePipeline requires (strict rule ``artifact-store``)."""
    s3 = aws("s3")
    if "bucket" not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        s3.create_bucket(Bucket="bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})


def _template(prefix: str) -> dict[str, Any]:
    tags = [{"Key": "mlprov:owner", "Value": "a@example.com"}]
    action = {"Name": "Source", "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "CodeCommit", "Version": "1"},
              "OutputArtifacts": [{"Name": "Src"}], "Configuration": {"RepositoryName": {"Fn::GetAtt": ["Repo", "Name"]},
                                                                      "BranchName": "main"}}
    build = {"Name": "Build", "ActionTypeId": {"Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1"},
             "InputArtifacts": [{"Name": "Src"}], "Configuration": {"ProjectName": {"Ref": "Project"}}}
    template: dict[str, Any] = {"Resources": {
        "Role": role(f"{prefix}-role"),
        "Repo": {"Type": "AWS::CodeCommit::Repository", "Properties": {
            "RepositoryName": f"{prefix}-repo", "RepositoryDescription": "model build",
            "KmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/k", "Tags": tags}},
        "Project": {"Type": "AWS::CodeBuild::Project", "Properties": {
            "Name": f"{prefix}-build", "Description": "builds", "ServiceRole": {"Fn::GetAtt": ["Role", "Arn"]},
            "EncryptionKey": "arn:aws:kms:eu-west-1:123456789012:key/k", "TimeoutInMinutes": 60,
            "Source": {"Type": "CODEPIPELINE", "BuildSpec": "buildspec.yml"}, "Artifacts": {"Type": "CODEPIPELINE"},
            "Environment": {"Type": "LINUX_CONTAINER", "ComputeType": "BUILD_GENERAL1_SMALL", "Image": "aws/codebuild/standard:7.0",
                            "EnvironmentVariables": [{"Name": "A", "Value": "1"}]},
            "LogsConfig": {"CloudWatchLogs": {"Status": "ENABLED", "GroupName": "g", "StreamName": "build"}}, "Tags": tags}},
        "Pipeline": {"Type": "AWS::CodePipeline::Pipeline", "Properties": {
            "Name": f"{prefix}-pipeline", "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
            "ArtifactStore": {"Type": "S3", "Location": "bucket"},
            "Stages": [{"Name": "Source", "Actions": [action]}, {"Name": "Build", "Actions": [build]}], "Tags": tags}},
    }, "Outputs": {
        "RepoRef": {"Value": {"Ref": "Repo"}}, "CloneUrl": {"Value": {"Fn::GetAtt": ["Repo", "CloneUrlHttp"]}},
        "RepoArn": {"Value": {"Fn::GetAtt": ["Repo", "Arn"]}}, "ProjectArn": {"Value": {"Fn::GetAtt": ["Project", "Arn"]}},
        "PipelineVersion": {"Value": {"Fn::GetAtt": ["Pipeline", "Version"]}},
    }}
    # the pipeline first: moto would update it (in template order) before the repository and project it refers to
    resources = template["Resources"]
    template["Resources"] = {"Role": resources.pop("Role"), "Pipeline": resources.pop("Pipeline"), **resources}
    return template


def test_created_read_back_updated_and_deleted(aws: Callable[[str], Any]) -> None:
    cfn, prefix = aws("cloudformation"), "dev1"
    template = _template(prefix)
    via_change_set(cfn, "devtools-1", template)
    out, ids = outputs(cfn, "devtools-1"), physical(cfn, "devtools-1")

    repo = aws("codecommit").get_repository(repositoryName=f"{prefix}-repo")["repositoryMetadata"]
    assert (out["RepoRef"], ids["Repo"]) == (repo["repositoryId"], repo["repositoryId"])  # Ref is the id, as on AWS
    assert out["CloneUrl"] == f"https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/{prefix}-repo"
    assert out["RepoArn"] == f"arn:aws:codecommit:eu-west-1:123456789012:{prefix}-repo"
    assert (repo["repositoryDescription"], repo["kmsKeyId"]) == ("model build", "arn:aws:kms:eu-west-1:123456789012:key/k")

    project = aws("codebuild").batch_get_projects(names=[ids["Project"]])["projects"][0]
    assert ids["Project"] == f"{prefix}-build" and out["ProjectArn"] == project["arn"]
    assert project["source"] == {"type": "CODEPIPELINE", "buildspec": "buildspec.yml"}
    assert project["environment"]["environmentVariables"] == [{"name": "A", "value": "1"}]
    assert project["encryptionKey"] == "arn:aws:kms:eu-west-1:123456789012:key/k"
    assert project["serviceRole"] == f"arn:aws:iam::123456789012:role/{prefix}-role"
    assert project["tags"] == [{"key": "mlprov:owner", "value": "a@example.com"}]

    pipeline = aws("codepipeline").get_pipeline(name=ids["Pipeline"])["pipeline"]
    assert [s["name"] for s in pipeline["stages"]] == ["Source", "Build"] and out["PipelineVersion"] == "1"
    assert pipeline["stages"][0]["actions"][0]["configuration"] == {"RepositoryName": f"{prefix}-repo", "BranchName": "main"}
    assert pipeline["stages"][1]["actions"][0]["configuration"] == {"ProjectName": f"{prefix}-build"}
    arn = f"arn:aws:codepipeline:eu-west-1:123456789012:{prefix}-pipeline"
    assert aws("codepipeline").list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "mlprov:owner", "value": "a@example.com"}]

    # in-place updates: same physical ids, new values, the pipeline's version goes up
    edited = copy.deepcopy(template)
    edited["Resources"]["Repo"]["Properties"]["RepositoryDescription"] = "model build v2"
    edited["Resources"]["Repo"]["Properties"]["RepositoryName"] = f"{prefix}-repo2"  # CodeCommit renames in place
    edited["Resources"]["Project"]["Properties"]["Description"] = "builds v2"
    edited["Resources"]["Pipeline"]["Properties"]["Stages"][1]["Name"] = "Compile"
    via_change_set(cfn, "devtools-1", edited, "UPDATE")
    assert physical(cfn, "devtools-1") == ids
    repo = aws("codecommit").get_repository(repositoryName=f"{prefix}-repo2")["repositoryMetadata"]
    assert (repo["repositoryId"], repo["repositoryDescription"]) == (ids["Repo"], "model build v2")
    assert outputs(cfn, "devtools-1")["CloneUrl"] == f"https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/{prefix}-repo2"
    assert aws("codebuild").batch_get_projects(names=[ids["Project"]])["projects"][0]["description"] == "builds v2"
    pipeline = aws("codepipeline").get_pipeline(name=ids["Pipeline"])["pipeline"]
    assert ([s["name"] for s in pipeline["stages"]], pipeline["version"]) == (["Source", "Compile"], 2)
    assert pipeline["stages"][0]["actions"][0]["configuration"]["RepositoryName"] == f"{prefix}-repo2"  # follows the rename
    assert outputs(cfn, "devtools-1")["PipelineVersion"] == "2"

    # a create-only property (the project's name) replaces it: the new one exists, the old one is gone
    renamed = copy.deepcopy(edited)
    renamed["Resources"]["Project"]["Properties"]["Name"] = f"{prefix}-build2"
    via_change_set(cfn, "devtools-1", renamed, "UPDATE")
    assert aws("codebuild").list_projects()["projects"].count(f"{prefix}-build2") == 1
    assert f"{prefix}-build" not in aws("codebuild").list_projects()["projects"]
    pipeline = aws("codepipeline").get_pipeline(name=ids["Pipeline"])["pipeline"]  # what refers to it follows, as on AWS
    assert (pipeline["stages"][1]["actions"][0]["configuration"], pipeline["version"]) == ({"ProjectName": f"{prefix}-build2"}, 3)

    cfn.delete_stack(StackName="devtools-1")
    assert f"{prefix}-build2" not in aws("codebuild").list_projects()["projects"]
    with pytest.raises(ClientError, match="PipelineNotFoundException"):
        aws("codepipeline").get_pipeline(name=ids["Pipeline"])
    with pytest.raises(ClientError, match="RepositoryDoesNotExistException"):
        aws("codecommit").get_repository(repositoryName=f"{prefix}-repo2")


def test_a_pipeline_role_that_does_not_trust_codepipeline_fails_the_execution(aws: Callable[[str], Any]) -> None:
    cfn, template = aws("cloudformation"), _template("dev2")
    template["Resources"]["Role"] = role("dev2-role", service="codebuild.amazonaws.com")
    statement = template["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    statement["Principal"]["Service"] = "codebuild.amazonaws.com"
    via_change_set(cfn, "devtools-2", template)
    assert failure(cfn, "devtools-2") == ("ROLLBACK_COMPLETE", "CodePipeline is not authorized to perform AssumeRole on role "
                                          "arn:aws:iam::123456789012:role/dev2-role (Service: InvalidStructureException)")


def test_a_pipeline_needs_two_stages_and_a_repository_name_is_unique(aws: Callable[[str], Any]) -> None:
    cfn, template = aws("cloudformation"), _template("dev3")
    template["Resources"]["Pipeline"]["Properties"]["Stages"].pop()
    via_change_set(cfn, "devtools-3", template)
    status, reason = failure(cfn, "devtools-3")
    assert status == "ROLLBACK_COMPLETE"
    assert reason.startswith("Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline")
    aws("codecommit").create_repository(repositoryName="dev4-repo")
    via_change_set(cfn, "devtools-4", _template("dev4"))
    assert failure(cfn, "devtools-4") == ("ROLLBACK_COMPLETE", "Resource of type 'AWS::CodeCommit::Repository' with identifier "
                                          "'dev4-repo' already exists. (Service: AlreadyExists)")


def test_a_missing_required_property_is_a_validation_error(aws: Callable[[str], Any]) -> None:
    template = _template("dev5")
    del template["Resources"]["Project"]["Properties"]["ServiceRole"]
    via_change_set(aws("cloudformation"), "devtools-5", template)
    assert failure(aws("cloudformation"), "devtools-5") == (
        "ROLLBACK_COMPLETE", "Properties validation failed: #: required key [ServiceRole] not found (Service: ValidationError)")
