"""IAM statements and trust policies of the roles that do the product's MLOps work, built in Python.

One function per job, each returning plain policy statements (the template places them with ``| flow``; the
oracle tests evaluate the same statements):

- :func:`pipeline_role` — the SageMaker execution role: SageMaker Pipelines assumes it to run the steps
  (``Create``/``Describe`` of each job type, "IAM Access Management" for Pipelines,
  https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html) and the jobs and the hosted
  model run as it (S3, ECR pull, CloudWatch Logs and metrics, "How to use SageMaker execution roles",
  https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html, CreateTrainingJob / CreateModel sections).
- :func:`seed_code` — what the CodeBuild role needs beyond the build statements for the seed code: create and
  run the product's SageMaker pipeline (model-build) and deploy the approved package to the staging and
  production endpoints (model-deploy).
- :func:`events_role` — EventBridge starts exactly the two pipelines ("Using IAM roles to invoke targets",
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html).

Every SageMaker name the seed code creates starts with ``Names.job_prefix`` (a hash-terminated head), so the
patterns below are exact for this product and match no sibling product (``<prefix>-blue``).
"""

from __future__ import annotations

from typing import Any

from mlprov.config.model import Product
from mlprov.render import images

Statement = dict[str, Any]
KMS_KEY: dict[str, Any] = {"Fn::GetAtt": ["KmsKey", "Arn"]}
# Namespaces SageMaker jobs and endpoints publish to (CloudWatch metrics for SageMaker,
# https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html); the condition key is documented
# in "Using condition keys to limit access to CloudWatch namespaces",
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
# (/aws/sagemaker/Endpoints, /aws/sagemaker/ProcessingJobs, /aws/sagemaker/TrainingJobs, ...).


def _sm(product: Product, resource: str) -> str:
    return f"arn:{product.partition}:sagemaker:{product.region}:{product.account_id}:{resource}"


def _stmt(sid: str, actions: list[str], resources: list[Any] | str, condition: dict[str, Any] | None = None) -> Statement:
    """One Allow statement. ``sid`` names it in the code only: Sids would cost the template bytes it has not got
    (CloudFormation's 51,200-byte inline limit), so the rendered statements carry none."""
    del sid
    out: Statement = {"Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        out["Condition"] = condition
    return out


def arns(product: Product) -> dict[str, Any]:
    """The SageMaker ARNs the roles are scoped to."""
    n, jp = product.names, product.names.job_prefix
    return {
        "pipeline": _sm(product, f"pipeline/{n.sagemaker_pipeline}"),
        "pipeline_executions": _sm(product, f"pipeline/{n.sagemaker_pipeline}/execution/*"),
        "processing_jobs": _sm(product, f"processing-job/{jp}-*"),
        "training_jobs": _sm(product, f"training-job/{jp}-*"),
        "models": _sm(product, f"model/{jp}-*"),
        "endpoint_configs": _sm(product, f"endpoint-config/{jp}-*"),
        "endpoints": _sm(product, f"endpoint/{jp}-*"),
        "model_package_group": _sm(product, f"model-package-group/{n.model_package_group}"),
        "model_packages": _sm(product, f"model-package/{n.model_package_group}/*"),
        "role": f"arn:{product.partition}:iam::{product.account_id}:role/mlprov/{n.sagemaker_role}",
        "image_repository": images.sklearn_repository_arn(product.region, product.partition),
    }


def _pass_sagemaker_role(product: Product) -> Statement:
    return _stmt("PassSageMakerExecutionRole", ["iam:PassRole"], [arns(product)["role"]],
                 {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}})


def _kms(product: Product) -> list[Statement]:
    if product.tier != "enterprise":
        return []
    return [_stmt("UseStackKmsKey", ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"], [KMS_KEY])]


def pipeline_role(product: Product, artifacts: list[str]) -> list[Statement]:
    """Statements of the SageMaker execution role (pipeline steps, jobs, the hosted model)."""
    a = arns(product)
    logs = f"arn:{product.partition}:logs:{product.region}:{product.account_id}:log-group:/aws/sagemaker"
    jp = product.names.job_prefix
    return [
        # One statement for the jobs and the registration: each action names its own resource type (Service
        # Authorization Reference), so CreateTrainingJob never meets a model-package ARN; fewer bytes.
        _stmt("RunPipelineJobsAndRegisterModels", [
            "sagemaker:AddTags", "sagemaker:CreateModelPackage", "sagemaker:CreateProcessingJob",
            "sagemaker:CreateTrainingJob", "sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup",
            "sagemaker:DescribeProcessingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopProcessingJob",
            "sagemaker:StopTrainingJob",
        ], [a["processing_jobs"], a["training_jobs"], a["model_package_group"], a["model_packages"]]),
        _pass_sagemaker_role(product),
        _stmt("JobData", ["s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:PutObject"], artifacts),
        # GetAuthorizationToken has no resource type (Service Authorization Reference, Amazon ECR): "*" only.
        _stmt("EcrToken", ["ecr:GetAuthorizationToken"], "*"),
        _stmt("PullSageMakerImage", ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
              [a["image_repository"]]),
        # /aws/sagemaker/ProcessingJobs and /aws/sagemaker/TrainingJobs: streams start with the job name.
        _stmt("JobLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
              [f"{logs}/*Jobs:log-stream:{jp}-*", f"{logs}/Endpoints/{jp}-*:log-stream:*"]),
        _stmt("JobLogGroups", ["logs:CreateLogGroup", "logs:DescribeLogStreams"],
              [f"{logs}/*Jobs", f"{logs}/Endpoints/{jp}-*"]),
        _stmt("JobMetrics", ["cloudwatch:PutMetricData"], "*", {"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}),
        *_kms(product),
    ]


def seed_code(product: Product) -> list[Statement]:
    """What the seed code run by the CodeBuild projects calls beyond the build statements."""
    a = arns(product)
    return [
        _stmt("ProductSageMakerPipeline", [
            "sagemaker:AddTags", "sagemaker:CreatePipeline", "sagemaker:DescribePipeline",
            "sagemaker:DescribePipelineExecution", "sagemaker:ListPipelineExecutionSteps",
            "sagemaker:StartPipelineExecution", "sagemaker:UpdatePipeline",
        ], [a["pipeline"], a["pipeline_executions"]]),
        # ListModelPackages names no required resource (Service Authorization Reference, SageMaker): "*".
        _stmt("FindApprovedPackages", ["sagemaker:ListModelPackages"], "*"),
        _stmt("DeployEndpoints", [
            "sagemaker:AddTags", "sagemaker:CreateEndpoint", "sagemaker:CreateEndpointConfig", "sagemaker:CreateModel",
            "sagemaker:DescribeEndpoint", "sagemaker:DescribeEndpointConfig", "sagemaker:DescribeModel",
            "sagemaker:UpdateEndpoint",
        ], [a["models"], a["endpoint_configs"], a["endpoints"]]),
    ]


def events_role(product: Product) -> list[Statement]:
    n, part, region, acct = product.names, product.partition, product.region, product.account_id
    # A connection source's pushes start the pipelines by their V2 triggers: EventBridge starts only the deploy one.
    started = (n.deploy_pipeline,) if product.source == "connection" else (n.build_pipeline, n.deploy_pipeline)
    pipelines = [f"arn:{part}:codepipeline:{region}:{acct}:{p}" for p in started]
    return [_stmt("StartThisProductsPipelines", ["codepipeline:StartPipelineExecution"], pipelines)]


def trust(service: str, product: Product, source_arns: list[str], if_exists: bool = False) -> dict[str, Any]:
    """A trust policy for one service principal, limited by ``aws:SourceAccount`` and ``aws:SourceArn``
    ("The confused deputy problem", https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).

    ``if_exists`` for principals that do not send the keys on every path (SageMaker documents them per feature,
    https://docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html).
    """
    suffix = "IfExists" if if_exists else ""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
            "Condition": {
                f"StringEquals{suffix}": {"aws:SourceAccount": product.account_id},
                f"ArnLike{suffix}": {"aws:SourceArn": source_arns},
            },
        }],
    }


def trusts(product: Product) -> dict[str, dict[str, Any]]:
    """Trust policy of each role, by logical id."""
    n, part, region, acct = product.names, product.partition, product.region, product.account_id
    projects = [f"arn:{part}:codebuild:{region}:{acct}:project/{p}" for p in (n.build_project, n.deploy_project)]
    pipelines = [f"arn:{part}:codepipeline:{region}:{acct}:{p}" for p in (n.build_pipeline, n.deploy_pipeline)]
    rule_names = (n.deploy_trigger_rule,) if product.source == "connection" else (n.build_trigger_rule, n.deploy_trigger_rule)
    rules = [f"arn:{part}:events:{region}:{acct}:rule/{r}" for r in rule_names]
    # SageMaker assumes the role for the pipeline, its jobs and the hosted model; its guide suggests the
    # region-and-account wildcard when the exact source ARN is not known in advance.
    sagemaker = [_sm(product, "*")]
    return {
        "CodeBuildRole": trust("codebuild.amazonaws.com", product, projects),
        # CodeBuild: "Cross-service confused deputy prevention",
        # https://docs.aws.amazon.com/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html
        # CodePipeline's user guide shows no trust condition for its service role: IfExists, so an assumption
        # without the keys still works (say so rather than guess that it sends them).
        "CodePipelineRole": trust("codepipeline.amazonaws.com", product, pipelines, if_exists=True),
        "SageMakerExecutionRole": trust("sagemaker.amazonaws.com", product, sagemaker, if_exists=True),
        # EventBridge sends the rule ARN as aws:SourceArn when it assumes a target role,
        # https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
        "EventsRole": trust("events.amazonaws.com", product, rules),
    }



def _services(st: Statement) -> set[str] | None:
    """The one service set of a statement whose actions and resources name the same services, else None."""
    acts = {a.split(":")[0] for a in st["Action"]}
    if st["Resource"] == "*":
        return None
    res = {r.split(":")[2] if isinstance(r, str) else "kms" for r in st["Resource"]}  # the only intrinsic: KmsKey
    return acts if acts == res else None


# Services whose statements the boundary may merge although both name the service: the cross product then gives an
# action resource ARNs of this product's own it was not listed with (e.g. AddTags on a model package), a widening
# of the ceiling inside the product only: the identity policies stay exact.
SHARED = {"sagemaker", "logs"}


def merged(statements: list[Statement]) -> list[Statement]:
    """The same permissions in fewer statements (for the permission boundary, within the template size limit).

    Statements on the same resources with the same condition unite their actions; then statements merge when they
    carry the same condition and name disjoint services (besides SHARED), each statement's actions and resources
    naming the same services. Across services the cross product adds nothing: an action only ever meets resources
    of its own service (S3 actions on SageMaker ARNs match no request).
    """
    same: dict[str, Statement] = {}  # first: statements on the very same resources unite their actions
    kept: list[Statement] = []
    for st in statements:
        if _own_network_statement(st):
            kept.append({k: (list(v) if isinstance(v, list) else v) for k, v in st.items()})
            continue
        key = repr((sorted(st.get("Condition", {}).items()), st["Resource"]))
        if key in same:
            same[key]["Action"] = sorted(set(same[key]["Action"]) | set(st["Action"]))
        else:
            same[key] = {k: (list(v) if isinstance(v, list) else v) for k, v in st.items() if k != "Sid"}
    bins: list[tuple[str, set[str], Statement]] = []
    out: list[Statement] = []
    for st in same.values():
        cond = repr(sorted(st.get("Condition", {}).items()))
        services = _services(st)
        target = next((b for b in bins if services and b[0] == cond and b[1] & services <= SHARED), None)
        if target is None:
            copy: Statement = {k: (list(v) if isinstance(v, list) else v) for k, v in st.items()}
            out.append(copy)
            if services:
                bins.append((cond, set(services), copy))
            continue
        target[1].update(services or set())
        target[2]["Action"] = sorted(set(target[2]["Action"]) | set(st["Action"]))
        target[2]["Resource"] = target[2]["Resource"] + [r for r in st["Resource"] if r not in target[2]["Resource"]]
    return out + kept


def _own_network_statement(st: Statement) -> bool:
    """CodeBuild's VPC statements (EC2 actions on named network resources) stay whole, with their Sids, so the
    boundary's network permissions read as CodeBuild documents them ("Allow CodeBuild access to AWS services
    required to create a VPC network interface", CodeBuild User Guide) and as the roles hold them."""
    return st["Resource"] != "*" and all(a.startswith("ec2:") for a in st["Action"])
