"""Units (botocore Stubber): what an error answer means for a live check, the verdict it leads to, and
CloudFormation's DETECTION_FAILED keeping the results it has."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber
from mlprov.aws import livecheck, nativedrift
from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC, NOT_CHECKED, DriftReport, ResourceDrift
from mlprov.aws.session import Aws, Target
from mlprov.aws.stack import Poller

BUCKET_PROPS = {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}


def _aws() -> Aws:
    return Aws(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"))


def _ctx(aws: Aws, props: dict[str, Any], lid: str = "R") -> livecheck.Ctx:
    return livecheck.Ctx(aws, props, {lid: "x"}, {}, lid)


def _run(aws: Aws, service: str, kind: str, props: dict[str, Any], physical: str,
         answers: list[tuple[str, dict[str, Any] | tuple[str, int, str]]]) -> livecheck.Result | None:
    stub = Stubber(aws.client(service))
    for op, answer in answers:
        if isinstance(answer, tuple):
            code, http, message = answer
            stub.add_client_error(op, service_error_code=code, service_message=message, http_status_code=http)
        else:
            stub.add_response(op, answer)
    with stub:
        result = livecheck.run(_ctx(aws, props), kind, physical)
    stub.assert_no_pending_responses()
    return result


@pytest.mark.parametrize(("code", "http"), [("AccessDenied", 403), ("InternalError", 500), ("SlowDown", 503),
                                            ("ThrottlingException", 400)])
def test_encryption_read_errors_are_not_checked_never_drift(code: str, http: int) -> None:
    result = _run(_aws(), "s3", "AWS::S3::Bucket", BUCKET_PROPS, "b",
                  [("head_bucket", {}), ("get_bucket_encryption", (code, http, "no"))])
    suffix = f" (HTTP {http})" if http >= 500 else ""
    assert result == (NOT_CHECKED, [], [], f"could not read it: {code}{suffix}")


def test_no_encryption_configuration_is_drift() -> None:
    result = _run(_aws(), "s3", "AWS::S3::Bucket", BUCKET_PROPS, "b", [
        ("head_bucket", {}), ("get_bucket_encryption", ("ServerSideEncryptionConfigurationNotFoundError", 404, "none"))])
    assert result is not None and result[0] == DRIFTED
    assert (result[1][0].property, result[1][0].expected, result[1][0].actual) == ("BucketEncryption.SSEAlgorithm", "aws:kms", None)


@pytest.mark.parametrize(("service", "kind", "op", "code"), [
    ("s3", "AWS::S3::Bucket", "head_bucket", "404"),
    ("iam", "AWS::IAM::ManagedPolicy", "get_policy", "NoSuchEntity"),
    ("iam", "AWS::IAM::Role", "get_role", "NoSuchEntity"),
    ("kms", "AWS::KMS::Key", "describe_key", "NotFoundException"),
    ("ssm", "AWS::SSM::Parameter", "get_parameter", "ParameterNotFound"),
    ("sns", "AWS::SNS::Topic", "get_topic_attributes", "NotFound"),
    ("codepipeline", "AWS::CodePipeline::Pipeline", "get_pipeline", "PipelineNotFoundException"),
])
def test_the_documented_absent_code_of_each_api_is_deleted(service: str, kind: str, op: str, code: str) -> None:
    result = _run(_aws(), service, kind, {}, "arn:aws:iam::1:policy/p" if service == "iam" and "Policy" in kind else "p",
                  [(op, (code, 404, "gone"))])
    assert result == (DELETED, [], ["exists"], "the physical resource no longer exists")


def test_another_apis_absent_code_is_not_checked_not_deleted() -> None:
    """NoSuchEntity is IAM's; from KMS it means nothing (and "anything containing NotFound" is not a rule)."""
    result = _run(_aws(), "kms", "AWS::KMS::Key", {}, "k", [("describe_key", ("NoSuchEntity", 404, "?"))])
    assert result == (NOT_CHECKED, [], [], "could not read it: NoSuchEntity")


def test_deleted_model_registry_is_deleted() -> None:
    message = "ModelPackageGroup arn:aws:sagemaker:us-east-1:1:model-package-group/g does not exist."
    result = _run(_aws(), "sagemaker", "AWS::SageMaker::ModelPackageGroup", {}, "g",
                  [("describe_model_package_group", ("ValidationException", 400, message))])
    assert result is not None and result[0] == DELETED
    other = _run(_aws(), "sagemaker", "AWS::SageMaker::ModelPackageGroup", {}, "g",
                 [("describe_model_package_group", ("ValidationException", 400, "1 validation error"))])
    assert other is not None and other[0] == NOT_CHECKED


def test_log_group_key_removed_is_drift() -> None:
    props = {"LogGroupName": "/g", "KmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}
    result = _run(_aws(), "logs", "AWS::Logs::LogGroup", props, "/g",
                  [("describe_log_groups", {"logGroups": [{"logGroupName": "/g"}]})])
    assert result is not None and result[0] == DRIFTED
    assert (result[1][0].property, result[1][0].actual) == ("KmsKeyId", None)


def test_unconfirmed_subscription_is_drift() -> None:
    arn = "arn:aws:sns:us-east-1:1:t:abc"
    result = _run(_aws(), "sns", "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "a@b.c"}, arn,
                  [("get_subscription_attributes", {"Attributes": {"PendingConfirmation": "true", "Endpoint": "a@b.c",
                                                                   "Protocol": "email"}})])
    assert result is not None and result[0] == DRIFTED
    assert [(d.property, d.expected, d.actual) for d in result[1]] == [("PendingConfirmation", "false", "true")]


def test_not_checked_makes_the_verdict_incomplete_and_drift_wins() -> None:
    rows = [ResourceDrift("A", "t", "a", IN_SYNC, checked=["exists", "P"]), ResourceDrift("B", "t", "b", NOT_CHECKED)]
    report = DriftReport("p", "s", "available", rows)
    assert (report.verdict, report.drifted, report.incomplete) == ("INCOMPLETE", False, True)
    assert report.to_json()["verdict"] == "INCOMPLETE"
    rows.append(ResourceDrift("C", "t", "c", DRIFTED, checked=["exists", "P"]))
    assert report.verdict == "DRIFTED"


def test_coverage_counts_properties_and_names_existence_only_rows() -> None:
    rows = [ResourceDrift("A", "t", "a", IN_SYNC, checked=["exists", "P", "Q"]),
            ResourceDrift("B", "t", "b", IN_SYNC, checked=["exists"])]
    report = DriftReport("p", "s", "available", rows)
    assert (report.properties_compared, report.existence_only, report.coverage) == (2, ["B"], 50.0)
    assert report.summary() == ("2 in sync, 0 drifted, 0 deleted, 0 not checked; 2 properties compared, "
                                "1 existence only; coverage 50.0%")


def test_detection_failed_keeps_its_partial_results() -> None:
    aws = _aws()
    stub = Stubber(aws.cfn)
    stub.add_response("detect_stack_drift", {"StackDriftDetectionId": "d-1"}, {"StackName": "s"})
    stub.add_response("describe_stack_drift_detection_status", {
        "StackId": "arn:s", "StackDriftDetectionId": "d-1", "Timestamp": "2026-01-01T00:00:00Z",
        "DetectionStatus": "DETECTION_FAILED", "DetectionStatusReason": "Failed to detect drift on KmsKey"})
    drift = {"StackId": "arn:s", "ResourceType": "AWS::IAM::Role", "Timestamp": "2026-01-01T00:00:00Z"}
    stub.add_response("describe_stack_resource_drifts", {"StackResourceDrifts": [
        {**drift, "LogicalResourceId": "CodeBuildRole", "StackResourceDriftStatus": "MODIFIED", "PropertyDifferences": [
            {"PropertyPath": "/ManagedPolicyArns/1", "ExpectedValue": "null", "ActualValue": "arn:admin",
             "DifferenceType": "ADD"}]}]})
    with stub:
        got = nativedrift.detect(aws.cfn, "s", Poller(local=True, sleep=lambda _s: None))
    assert got.summary == "partial (CloudFormation drift detection failed for some resources: Failed to detect drift on KmsKey)"
    assert got.results["CodeBuildRole"][0] == DRIFTED
    assert got.results["CodeBuildRole"][1][0].actual == "arn:admin"


def test_topic_key_removed_and_pipeline_role_swapped_are_drift() -> None:
    key = "arn:aws:kms:us-east-1:1:key/k"
    result = _run(_aws(), "sns", "AWS::SNS::Topic", {"KmsMasterKeyId": key}, "arn:aws:sns:us-east-1:1:t",
                  [("get_topic_attributes", {"Attributes": {"TopicArn": "arn:aws:sns:us-east-1:1:t"}})])
    assert result is not None and [(d.property, d.expected, d.actual) for d in result[1]] == [("KmsMasterKeyId", key, None)]
    declared = {"name": "p", "roleArn": "arn:aws:iam::1:role/admin", "stages": [],
                "artifactStore": {"type": "S3", "location": "bucket"}}
    result = _run(_aws(), "codepipeline", "AWS::CodePipeline::Pipeline",
                  {"RoleArn": "arn:aws:iam::1:role/mlprov/pipeline", "ArtifactStore": {"Type": "S3", "Location": "bucket"}},
                  "p", [("get_pipeline", {"pipeline": declared})])
    assert result is not None and result[0] == DRIFTED
    assert [(d.property, d.actual) for d in result[1]] == [("RoleArn", "arn:aws:iam::1:role/admin")]


def test_stack_row_unreadable_policy_is_not_checked_and_a_missing_one_is_drift() -> None:
    from mlprov.aws import stackcheck

    aws = _aws()
    template = {"Resources": {"KmsKey": {"Type": "AWS::KMS::Key"}}}
    current = {"StackName": "s", "StackId": "arn:aws:cloudformation:us-east-1:1:stack/s/x", "EnableTerminationProtection": True}
    stub = Stubber(aws.cfn)
    stub.add_client_error("get_stack_policy", service_error_code="AccessDenied", http_status_code=403)
    stub.add_response("get_stack_policy", {})
    with stub:
        denied = stackcheck.check(aws.cfn, current, template, "prod")
        missing = stackcheck.check(aws.cfn, {**current, "EnableTerminationProtection": False}, template, "prod")
    assert (denied.status, denied.note) == (NOT_CHECKED, "stack policy: could not read it: AccessDenied")
    assert missing.status == DRIFTED
    assert [(d.property, d.actual) for d in missing.differences] == [("StackPolicy", None), ("EnableTerminationProtection", False)]


@pytest.mark.parametrize(("state", "status"), [("available", IN_SYNC), ("rejected", DRIFTED), ("deleted", DELETED),
                                                ("Deleting", DELETED)])
def test_vpc_endpoint_state(state: str, status: str) -> None:
    found = {"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "State": state, "VpcId": "vpc-1", "PrivateDnsEnabled": True}]}
    result = _run(_aws(), "ec2", "AWS::EC2::VPCEndpoint", {"VpcId": "vpc-1", "PrivateDnsEnabled": True}, "vpce-1",
                  [("describe_vpc_endpoints", found)])
    assert result is not None and result[0] == status
    if status == DRIFTED:
        assert [(d.property, d.expected, d.actual) for d in result[1]] == [("State", "available", "rejected")]
