"""The networking plan of an enterprise product: the endpoints its stack creates, and how its builds egress.

Rendered by ``templates/network.yaml.j2``; the inventory (:mod:`mlprov.render.inventory`) lists the same
resources. Why each choice: docs/networking.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlprov.config.model import Product


@dataclass(frozen=True)
class Endpoint:
    logical_id: str
    service: str  # the part after com.amazonaws.<region>.


SPEC_ENDPOINTS = (
    Endpoint("SageMakerApiEndpoint", "sagemaker.api"),
    Endpoint("SageMakerRuntimeEndpoint", "sagemaker.runtime"),
    # S3 as an interface endpoint WITH private DNS for all resolvers, so the builds' ordinary S3 calls
    # (s3.<region>.amazonaws.com, bucket virtual hosts) resolve to it without a gateway endpoint:
    # "AWS PrivateLink for Amazon S3 - Private DNS" (docs.aws.amazon.com/AmazonS3/latest/userguide/
    # privatelink-interface-endpoints.html) and AWS::EC2::VPCEndpoint DnsOptionsSpecification
    # (PrivateDnsOnlyForInboundResolverEndpoint: AllResolvers; OnlyInboundResolver would need a gateway).
    Endpoint("S3Endpoint", "s3"),
    Endpoint("StsEndpoint", "sts"),
)
# What a CodeBuild project in a VPC without NAT needs besides S3: "CodeBuild in a VPC reaches S3, CloudWatch
# Logs, KMS only through endpoints or a NAT" (CodeBuild User Guide, "Use CodeBuild with Amazon VPC" and
# "Use VPC endpoints": logs and kms interface endpoints).
BUILD_ENDPOINTS = (Endpoint("LogsEndpoint", "logs"), Endpoint("KmsEndpoint", "kms"))
# SageMaker jobs run in the VPC pull their images from ECR: ecr.api and ecr.dkr (plus S3 for the layers),
# "Amazon ECR interface VPC endpoints (AWS PrivateLink)", Amazon ECR User Guide.
ECR_ENDPOINTS = (Endpoint("EcrApiEndpoint", "ecr.api"), Endpoint("EcrDkrEndpoint", "ecr.dkr"))


def endpoints(product: Product) -> list[Endpoint]:
    """The interface endpoints the product's stack creates (none with ``network.endpoints: existing``)."""
    if product.endpoints_mode != "create":
        return []
    out = list(SPEC_ENDPOINTS)
    if product.egress_mode == "endpoints":
        out += BUILD_ENDPOINTS
        if product.ecr_endpoints:
            out += ECR_ENDPOINTS
    return out


def context(product: Product) -> dict[str, object]:
    """The ``nw`` variables of the template."""
    return {
        "create_endpoints": product.endpoints_mode == "create",
        "egress": product.egress_mode,
        "endpoints": [{"logical_id": e.logical_id, "service": e.service} for e in endpoints(product)],
    }
