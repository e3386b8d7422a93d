"""What an error answer means for a live check: the resource is gone, or we could not look (NOT CHECKED).

"Absent" is decided per API by the error codes that API documents for a missing resource, never by a
pattern over any code: AccessDenied, throttling and 5xx answers mean "not checked", not "deleted" or "drifted".
Sources (AWS API references, "Errors" sections):
- S3 HeadBucket answers 404 with no body; GetBucketPolicy NoSuchBucketPolicy; GetBucketEncryption
  ServerSideEncryptionConfigurationNotFoundError; GetPublicAccessBlock NoSuchPublicAccessBlockConfiguration
  (Amazon S3 API Reference, "Error responses" list of error codes).
- IAM GetRole / GetPolicy / GetPolicyVersion / GetRolePolicy: NoSuchEntity (IAM API Reference).
- KMS DescribeKey / GetKeyPolicy: NotFoundException (AWS KMS API Reference).
- SSM GetParameter: ParameterNotFound (Systems Manager API Reference).
- EC2 DescribeSecurityGroups: InvalidGroup.NotFound / InvalidGroupId.NotFound; DescribeVpcEndpoints:
  InvalidVpcEndpointId.NotFound (Amazon EC2 API Reference, "Error codes for the Amazon EC2 API").
- CloudWatch Logs, EventBridge DescribeRule: ResourceNotFoundException; CloudWatch GetDashboard:
  ResourceNotFound (DashboardNotFoundError).
- SNS GetTopicAttributes / GetSubscriptionAttributes: NotFound (NotFoundException).
- CodeCommit GetRepository: RepositoryDoesNotExistException; CodePipeline GetPipeline: PipelineNotFoundException.
- SageMaker DescribeModelPackageGroup: ResourceNotFound; SageMaker (and moto) also answer a missing model
  package group with ValidationException "... does not exist", which is read as absent only with that message.
"""

from __future__ import annotations

from typing import Any

ABSENT: dict[str, frozenset[str]] = {
    "AWS::S3::Bucket": frozenset({"404", "NoSuchBucket"}),
    "AWS::S3::BucketPolicy": frozenset({"NoSuchBucketPolicy", "NoSuchBucket"}),
    "AWS::IAM::Role": frozenset({"NoSuchEntity"}),
    "AWS::IAM::ManagedPolicy": frozenset({"NoSuchEntity"}),
    "AWS::IAM::Policy": frozenset({"NoSuchEntity"}),
    "AWS::KMS::Key": frozenset({"NotFoundException"}),
    "AWS::KMS::Alias": frozenset({"NotFoundException"}),
    "AWS::SSM::Parameter": frozenset({"ParameterNotFound"}),
    "AWS::EC2::SecurityGroup": frozenset({"InvalidGroup.NotFound", "InvalidGroupId.NotFound"}),
    "AWS::EC2::SecurityGroupIngress": frozenset({"InvalidGroup.NotFound", "InvalidGroupId.NotFound"}),
    "AWS::EC2::VPCEndpoint": frozenset({"InvalidVpcEndpointId.NotFound"}),
    "AWS::Logs::LogGroup": frozenset({"ResourceNotFoundException"}),
    "AWS::Logs::MetricFilter": frozenset({"ResourceNotFoundException"}),
    "AWS::Events::Rule": frozenset({"ResourceNotFoundException"}),
    "AWS::CloudWatch::Dashboard": frozenset({"ResourceNotFound"}),
    "AWS::CloudWatch::Alarm": frozenset(),
    "AWS::SNS::Topic": frozenset({"NotFound"}),
    "AWS::SNS::Subscription": frozenset({"NotFound"}),
    "AWS::CodeCommit::Repository": frozenset({"RepositoryDoesNotExistException"}),
    "AWS::CodePipeline::Pipeline": frozenset({"PipelineNotFoundException"}),
    "AWS::CodeBuild::Project": frozenset(),
    "AWS::SageMaker::ModelPackageGroup": frozenset({"ResourceNotFound"}),
}
_VALIDATION_ABSENT = {"AWS::SageMaker::ModelPackageGroup": "does not exist"}


class Gone(Exception):
    """The physical resource does not exist any more."""


def code(exc: BaseException) -> str:
    return str((getattr(exc, "response", None) or {}).get("Error", {}).get("Code", ""))


def status(exc: BaseException) -> int:
    meta: dict[str, Any] = (getattr(exc, "response", None) or {}).get("ResponseMetadata", {})
    return int(meta.get("HTTPStatusCode") or 0)


def is_absent(resource_type: str, exc: BaseException) -> bool:
    """True only for the codes the resource's API documents for "no such resource"."""
    got = code(exc)
    if got in ABSENT.get(resource_type, frozenset()):
        return True
    marker = _VALIDATION_ABSENT.get(resource_type)
    message = str((getattr(exc, "response", None) or {}).get("Error", {}).get("Message", ""))
    return marker is not None and got == "ValidationException" and marker in message


def why_not_checked(exc: BaseException) -> str:
    """The note of a NOT CHECKED row: the code and, for 5xx, the HTTP status."""
    got, http = code(exc) or type(exc).__name__, status(exc)
    return f"could not read it: {got}" + (f" (HTTP {http})" if http >= 500 else "")
