"""The variables a product's template is rendered with: names, ARNs, tags, network, dashboard body.

Everything here is computed in Python from the validated config; the Jinja template only places it,
always through a quoting filter.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from mlprov.config import connection
from mlprov.config.model import Product
from mlprov.deploypath import template_bucket_name
from mlprov.network import plan
from mlprov.render import images, inventory, roles, triggers
from mlprov.seeds import archive

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
    s3_source: dict[str, str] = {}
    if source["type"] == "connection":
        s3_source = {"connection": str(source["connection_arn"])}
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
        "build_repository": f"{regional('codecommit')}:{n.build_repository}",
        "deploy_repository": f"{regional('codecommit')}:{n.deploy_repository}",
        "build_project": f"{regional('codebuild')}:project/{n.build_project}",
        "deploy_project": f"{regional('codebuild')}:project/{n.deploy_project}",
        "build_pipeline": f"{regional('codepipeline')}:{n.build_pipeline}",
        "deploy_pipeline": f"{regional('codepipeline')}:{n.deploy_pipeline}",
        # Exact groups: "/aws/codebuild/<prefix>*" would also match the sibling product "<prefix>-blue".
        "codebuild_logs": f"{regional('logs')}:log-group:/aws/codebuild/{n.build_project}:*",
        "codebuild_deploy_logs": f"{regional('logs')}:log-group:/aws/codebuild/{n.deploy_project}:*",
        "sagemaker_logs": f"{regional('logs')}:log-group:/aws/sagemaker/*",
        "compliance_logs": f"{regional('logs')}:log-group:{n.log_group}",
        "build_logs": f"{regional('logs')}:log-group:{n.build_log_group}",
        "artifacts_bucket": f"arn:{part}:s3:::{artifact_bucket}",
        "artifacts_objects": f"arn:{part}:s3:::{artifact_bucket}/*",
        "sagemaker_role": f"arn:{part}:iam::{acct}:role/mlprov/{n.sagemaker_role}",
        "events_role": f"arn:{part}:iam::{acct}:role/mlprov/{n.events_role}",
        "account_root": f"arn:{part}:iam::{acct}:root",
        "aws_managed_s3_key": f"arn:{part}:kms:{region}:{acct}:alias/aws/s3",
        "network_interfaces": f"arn:{part}:ec2:{region}:{acct}:network-interface/*",
        "subnets": f"arn:{part}:ec2:{region}:{acct}:subnet/*",
        "subnet_prefix": f"arn:{part}:ec2:{region}:{acct}:subnet/",
        "build_security_group_sub": f"arn:{part}:ec2:{region}:{acct}:security-group/${{BuildSecurityGroup.GroupId}}",
        **s3_source,
    }


def _dashboard(product: Product) -> dict[str, Any]:
    """The dashboard: what is alarmed and to whom (true for the tier), then the builds and failures per project.

    Widgets without x/y are placed in order (CloudWatch "Dashboard Body Structure and Syntax"); "." repeats the
    previous metric's value in a metrics array.
    """
    n, region, email = product.names, product.region, str(product.config.get("alarm_email", ""))
    alarms = "failed builds, AccessDenied" if product.tier == "enterprise" else "failed builds"
    widgets: list[dict[str, Any]] = [
        {"type": "text", "width": 24, "height": 2,
         "properties": {"markdown": f"## {n.stack}\nTier {product.tier}. Alarms ({alarms}) e-mail {email}."}},
        {"type": "metric", "width": 24, "height": 6,
         "properties": {"title": "Builds, failed builds", "region": region, "stat": "Sum",
                        "period": 300, "metrics": [
                            ["AWS/CodeBuild", "Builds", "ProjectName", n.build_project], [".", "FailedBuilds", ".", "."],
                            [".", "Builds", ".", n.deploy_project], [".", "FailedBuilds", ".", "."]]}},
    ]
    if product.tier == "enterprise":
        widgets.append({
            "type": "metric", "width": 24, "height": 6,
            "properties": {
                "title": "Compliance logs", "region": region, "stat": "Sum", "period": 300,
                "metrics": [[n.metric_namespace, "AccessDeniedCount"], [".", "BuildErrorCount"]],
            },
        })
    return {"widgets": widgets}


def _roles(product: Product, arn: dict[str, str]) -> dict[str, Any]:
    """Policy statements and trust policies of the roles (:mod:`mlprov.render.roles`)."""
    return {
        "pipeline": roles.pipeline_role(product, [arn["artifacts_bucket"], arn["artifacts_objects"]]),
        "seed": roles.seed_code(product),
        "events": roles.events_role(product),
        "trust": roles.trusts(product),
    }


def _boundary(ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """The enterprise permission boundary's Allow statements: every statement any role of the stack holds (the
    build and deploy macros, the pipeline and events roles), merged losslessly to fit the template size limit."""
    from mlprov.render.engine import environment, parse_sequence  # noqa: PLC0415 - the engine imports this module

    macros = environment().get_template("macros.j2").make_module(ctx)
    build, deploy = getattr(macros, "build_statements"), getattr(macros, "deploy_statements")  # noqa: B009
    text = f"{build(0, kms=False)}\n{deploy(0)}"
    statements: list[dict[str, Any]] = [*parse_sequence(text), *ctx["roles"]["pipeline"], *ctx["roles"]["events"]]
    return roles.merged(statements)


def _seeds(product: Product) -> dict[str, Any]:
    """CodeCommit repositories are created with their seed code: ``Code`` names the seed archive in the bootstrap's
    template bucket (uploaded by the deploy path before the change set, :mod:`mlprov.seeds.upload`). AWS reads
    ``Code`` at creation only: "Information about code is only used in resource creation. Updates to a stack will not
    reflect changes made to code properties after initial resource creation" (registry schema of
    AWS::CodeCommit::Repository, shipped with cfn-lint; AWS::CodeCommit::Repository Code,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codecommit-repository-code.html)."""
    if product.source != "codecommit":
        return {}
    return {"bucket": template_bucket_name(product.account_id, product.region),
            "Build": archive.archive("model-build").key, "Deploy": archive.archive("model-deploy").key}


def once() -> Callable[..., Any]:
    """A per-render memo for a macro whose output depends only on its arguments and on variables that stay fixed
    for the whole render: ``{{ once(tags, type, indent) }}`` renders a resource type's Tags block once per product and
    ``{{ once(tags_list, indent) }}`` the tag list once per indent, instead of once per resource. Both macros read only
    their arguments, ``tag_items`` (set once in :func:`build`, never assigned by a template), ``taggable`` (a cached
    pure function of the type) and the pure filters q and pad. The key holds the macro object itself, so a macro of
    another template module (the boundary's, :func:`_boundary`) never shares an entry and no id can be reused while
    the memo lives."""
    memo: dict[tuple[Any, ...], Any] = {}

    def call(macro: Callable[..., Any], *args: Any) -> Any:
        key = (macro, *args)
        if key not in memo:
            memo[key] = macro(*args)
        return memo[key]

    return call


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
    arn = _arns(product, artifact_bucket)
    ctx: dict[str, Any] = {
        "roles": _roles(product, arn),
        "trigger_rules": triggers.rules(product),
        "git_triggers": triggers.git_triggers(product),
        "connection_actions": (connection.parse(str(source["connection_arn"])).use_actions
                               if product.source == "connection" else []),
        "image_uri": images.sklearn_image_uri(product.region, product.partition),
        "p": {
            "tier": tier,
            "starter": tier == "starter",
            "enterprise": tier == "enterprise",
            "codecommit": product.source == "codecommit",
            "connection": product.source == "connection",
            "region": product.region,
            "account_id": product.account_id,
            "prefix": product.prefix,
            "description": str(c.get("description") or f"ML product {product.prefix}"),
            "alarm_email": str(c.get("alarm_email", "")),
            "access_log_bucket": c.get("access_log_bucket"),
        },
        "n": product.names,
        "arn": arn,
        "artifact_bucket": artifact_bucket,
        "source": source,
        "seeds": _seeds(product),
        "net": product.network,
        "nw": plan.context(product) if tier == "enterprise" else {},
        "retention": retention,
        "tag_items": sorted(product.tags.items()),
        "once": once(),
        "taggable": taggable,
        "metadata": sorted(metadata.items()),
        "dashboard_body": _dashboard(product),
        "outputs": [
            {"name": name, "resource": OUTPUT_SOURCES[name][0], "attribute": OUTPUT_SOURCES[name][1],
             "description": OUTPUT_SOURCES[name][2]}
            for name in inventory.ssm_outputs(product.variant)
        ],
    }
    ctx["boundary"] = _boundary(ctx) if tier == "enterprise" else []
    return ctx
