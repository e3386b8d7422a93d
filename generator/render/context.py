"""The variables a product's template is rendered with: names, ARNs, tags, network, dashboard body.

Everything here is computed in Python from the validated config; the Jinja template only places it,
always through a quoting filter.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mlprov.config.model import Product
from mlprov.network import plan
from mlprov.render import inventory

DEFAULT_RETENTION_DAYS = 365

# SSM / stack output name -> (resource, GetAtt attribute or None for Ref, description)
OUTPUT_SOURCES: dict[str, tuple[str, str | None, str]] = {
    "ModelPackageGroupArn": ("ModelPackageGroup", "ModelPackageGroupArn", "Model registry (model package group) ARN"),
    "RepositoryUrl": ("ModelBuildRepository", "CloneUrlHttp", "Clone URL (HTTPS) of the model-build repository"),
    "BucketName": ("ArtifactsBucket", None, "Artifacts bucket name"),
    "DashboardName": ("MonitoringDashboard", None, "CloudWatch dashboard name"),
    "KmsKeyArn": ("KmsKey", "Arn", "KMS key ARN"),
    "LogGroupName": ("ComplianceLogGroup", None, "Compliance log group name"),
    "VpcEndpointIdSagemakerApi": ("SageMakerApiEndpoint", None, "VPC endpoint id: SageMaker API"),
    "VpcEndpointIdSagemakerRuntime": ("SageMakerRuntimeEndpoint", None, "VPC endpoint id: SageMaker Runtime"),
    "VpcEndpointIdS3": ("S3Endpoint", None, "VPC endpoint id: S3"),
    "VpcEndpointIdSts": ("StsEndpoint", None, "VPC endpoint id: STS"),
    "SecurityGroupId": ("EndpointSecurityGroup", "GroupId", "Security group id of the VPC endpoints"),
}


@cache
def taggable(resource_type: str) -> bool:
    """Whether CloudFormation's registry schema (as shipped by cfn-lint) gives the type a Tags property."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER  # noqa: PLC0415 - heavy import, only when rendering

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    return "Tags" in schema.get("properties", {})


def _arns(product: Product, artifact_bucket: str) -> dict[str, str]:
    n, part, region, acct = product.names, product.partition, product.region, product.account_id
    source = product.config["source"]
    s3_source = {}
    if source["type"] == "s3":
        s3_source = {
            "source_bucket": f"arn:{part}:s3:::{source['bucket']}",
            "source_build_object": f"arn:{part}:s3:::{source['bucket']}/{source['build_key']}",
            "source_deploy_object": f"arn:{part}:s3:::{source['bucket']}/{source['deploy_key']}",
        }

    def regional(svc: str) -> str:
        return f"arn:{part}:{svc}:{region}:{acct}"

    sm = regional("sagemaker")
    return {
        "model_package_group": f"{sm}:model-package-group/{n.model_package_group}",
        "model_packages": f"{sm}:model-package/{n.model_package_group}/*",
        "sagemaker_prefixed": f"{sm}:*/{product.prefix}*",
        "build_repository": f"{regional('codecommit')}:{n.build_repository}",
        "deploy_repository": f"{regional('codecommit')}:{n.deploy_repository}",
        "build_project": f"{regional('codebuild')}:project/{n.build_project}",
        "deploy_project": f"{regional('codebuild')}:project/{n.deploy_project}",
        "build_pipeline": f"{regional('codepipeline')}:{n.build_pipeline}",
        "deploy_pipeline": f"{regional('codepipeline')}:{n.deploy_pipeline}",
        "codebuild_logs": f"{regional('logs')}:log-group:/aws/codebuild/{product.prefix}*",
        "sagemaker_logs": f"{regional('logs')}:log-group:/aws/sagemaker/*",
        "compliance_logs": f"{regional('logs')}:log-group:{n.log_group}",
        "artifacts_bucket": f"arn:{part}:s3:::{artifact_bucket}",
        "artifacts_objects": f"arn:{part}:s3:::{artifact_bucket}/*",
        "sagemaker_role": f"arn:{part}:iam::{acct}:role/mlprov/{n.sagemaker_role}",
        "account_root": f"arn:{part}:iam::{acct}:root",
        "aws_managed_s3_key": f"arn:{part}:kms:{region}:{acct}:alias/aws/s3",
        "network_interfaces": f"arn:{part}:ec2:{region}:{acct}:network-interface/*",
        "subnets": f"arn:{part}:ec2:{region}:{acct}:subnet/*",
        "subnet_prefix": f"arn:{part}:ec2:{region}:{acct}:subnet/",
        "build_security_group_sub": f"arn:{part}:ec2:{region}:{acct}:security-group/${{BuildSecurityGroup.GroupId}}",
        **s3_source,
    }


def _dashboard(product: Product) -> dict[str, Any]:
    n, region = product.names, product.region
    widgets: list[dict[str, Any]] = [
        {
            "type": "text", "x": 0, "y": 0, "width": 24, "height": 2,
            "properties": {"markdown": f"## {n.stack}\nTier {product.tier}; alarms to the owner on file."},
        },
    ]
    for i, project in enumerate((n.build_project, n.deploy_project)):
        widgets.append({
            "type": "metric", "x": 12 * i, "y": 2, "width": 12, "height": 6,
            "properties": {
                "title": f"CodeBuild {project}", "region": region, "stat": "Sum", "period": 300,
                "metrics": [["AWS/CodeBuild", m, "ProjectName", project] for m in ("Builds", "FailedBuilds")],
            },
        })
    if product.tier == "enterprise":
        widgets.append({
            "type": "metric", "x": 0, "y": 8, "width": 24, "height": 6,
            "properties": {
                "title": "Compliance log signals", "region": region, "stat": "Sum", "period": 300,
                "metrics": [[n.metric_namespace, m] for m in ("AccessDeniedCount", "BuildErrorCount")],
            },
        })
    return {"widgets": widgets}


def build(product: Product) -> dict[str, Any]:
    c = product.config
    tier = product.tier
    artifact_bucket = str(c["artifact_bucket"]) if tier == "starter" else product.names.artifacts_bucket
    source = dict(c["source"])
    source.setdefault("branch", "main")
    retention = product.log_retention_days or DEFAULT_RETENTION_DAYS
    metadata = {
        "StackName": product.names.stack,
        "Product": product.name,
        "Tier": tier,
        "Source": product.source,
        "AccountId": product.account_id,
        "Region": product.region,
        "GeneratorVersion": product.generator_version,
    }
    if product.network:
        metadata["VpcResolution"] = product.network["vpc_resolution"]
        metadata["SecurityGroupMode"] = product.network["security_group_mode"]
        metadata["Endpoints"] = str(product.endpoints_mode)
        metadata["Egress"] = str(product.egress_mode)
    if tier != "starter":
        metadata["LogRetentionDays"] = str(retention)
    return {
        "p": {
            "tier": tier,
            "starter": tier == "starter",
            "enterprise": tier == "enterprise",
            "codecommit": product.source == "codecommit",
            "region": product.region,
            "account_id": product.account_id,
            "prefix": product.prefix,
            "description": str(c.get("description") or f"ML product {product.prefix}"),
            "alarm_email": str(c.get("alarm_email", "")),
            "access_log_bucket": c.get("access_log_bucket"),
        },
        "n": product.names,
        "arn": _arns(product, artifact_bucket),
        "artifact_bucket": artifact_bucket,
        "source": source,
        "net": product.network,
        "nw": plan.context(product) if tier == "enterprise" else {},
        "retention": retention,
        "tag_items": sorted(product.tags.items()),
        "taggable": taggable,
        "metadata": sorted(metadata.items()),
        "dashboard_body": _dashboard(product),
        "outputs": [
            {"name": name, "resource": OUTPUT_SOURCES[name][0], "attribute": OUTPUT_SOURCES[name][1],
             "description": OUTPUT_SOURCES[name][2]}
            for name in inventory.ssm_outputs(product.variant)
        ],
    }
