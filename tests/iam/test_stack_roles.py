"""Oracle tests per role of a rendered stack: every call the seed code and the services make on the role's behalf
is allowed (with the enterprise boundary too); the blast-radius corpus is denied.

Calls: SageMaker Pipelines runs the steps as the pipeline role, and the jobs and hosted model run as it ("IAM Access
Management" for Pipelines; "How to use SageMaker execution roles"); the build project (seed model-build) creates and
starts the product's SageMaker pipeline; the deploy project (seed model-deploy) creates models, endpoint configs and
endpoints; CodePipeline pulls the source and starts the builds; EventBridge starts the pipelines.
Corpus: the sibling product (``-wl-blue``, whose names extend this product's prefix), SageMaker's default job names
(``pipelines-...``, which the seed code must not produce), IAM writes, other roles, foreign buckets, keys, images.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mlprov.config.loader import load_product
from mlprov.config.model import Product
from mlprov.render import images

from tests.conftest import PRODUCTS
from tests.iam.oracle import Request, allowed, denied, evaluate
from tests.iam.stack_roles import key_arn, role_policies

PICKED = [p for p in PRODUCTS if any(t in p.name for t in (
    "s001-us-east-1-fraud-detection-ml-codecommit", "s002-us-east-1-fraud-detection-ml-wl-blue-s3",
    "a001-us-west-2-customer-churn-ml-codecommit", "a002-us-west-2-customer-churn-ml-wl-blue-s3",
    "b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct",
    "b007-eu-west-1-demand-forecasting-ml-wl-blue-s3-existing-ssm"))]
# AWS's SageMaker image repositories let other accounts pull (the SageMaker guide has every account pull them by URI;
# their repository policy is AWS's and not published): modelled as a pull-for-everyone repository policy, so the
# identity policy alone decides. The foreign repository in the corpus gets the same policy.
PULL_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": [
    "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}
FOREIGN_KEY = "arn:aws:kms:us-east-1:999999999999:key/11111111-2222-3333-4444-555555555555"


def sibling(path: Path) -> Product:
    name = path.name.replace("-ml-wl-blue-", "-ml-") if "-wl-blue-" in path.name else path.name.replace("-ml-", "-ml-wl-blue-", 1)
    return load_product(path.with_name(name))


def sm(p: Product, resource: str) -> str:
    return f"arn:aws:sagemaker:{p.region}:{p.account_id}:{resource}"


def role_arn(p: Product, name: str) -> str:
    return f"arn:aws:iam::{p.account_id}:role/mlprov/{name}"


def artifacts(p: Product) -> str:
    return str(p.config["artifact_bucket"]) if p.tier == "starter" else p.names.artifacts_bucket


def pass_to(p: Product, role: str, service: str = "sagemaker.amazonaws.com") -> Request:
    return Request("iam:PassRole", role_arn(p, role), {"iam:PassedToService": service})


def job(p: Product, kind: str) -> str:
    # Custom-prefixed Pipelines job name: <prefix>-<executionId>-<entityToken>-<failureCount>.
    return sm(p, f"{kind}/{p.names.job_prefix}-2f9ab3c41d7e-a1b2c3d4e5-0")


def kms(p: Product) -> list[Request]:
    return [Request(a, key_arn(p)) for a in ("kms:Decrypt", "kms:GenerateDataKey")] if p.tier == "enterprise" else []


def pipeline_role_calls(p: Product) -> list[Request]:
    n, logs = p.names, f"arn:aws:logs:{p.region}:{p.account_id}:log-group:/aws/sagemaker"
    bucket = artifacts(p)
    return [
        *[Request(f"sagemaker:{a}ProcessingJob", job(p, "processing-job")) for a in ("Create", "Describe", "Stop")],
        *[Request(f"sagemaker:{a}TrainingJob", job(p, "training-job")) for a in ("Create", "Describe", "Stop")],
        Request("sagemaker:AddTags", job(p, "training-job")),
        Request("sagemaker:CreateModelPackage", sm(p, f"model-package/{n.model_package_group}/3")),
        Request("sagemaker:DescribeModelPackageGroup", sm(p, f"model-package-group/{n.model_package_group}")),
        pass_to(p, n.sagemaker_role),
        Request("s3:GetObject", f"arn:aws:s3:::{bucket}/pipelines/input/data.csv"),
        Request("s3:PutObject", f"arn:aws:s3:::{bucket}/pipelines/model/model.tar.gz"),
        Request("s3:ListBucket", f"arn:aws:s3:::{bucket}"),
        Request("ecr:GetAuthorizationToken", "*"),
        Request("ecr:BatchGetImage", images.sklearn_repository_arn(p.region), resource_policy=PULL_POLICY),
        Request("ecr:GetDownloadUrlForLayer", images.sklearn_repository_arn(p.region), resource_policy=PULL_POLICY),
        Request("logs:CreateLogStream", f"{logs}/TrainingJobs:log-stream:{n.job_prefix}-2f9ab3c41d7e-a1b2c3d4e5-0/algo-1"),
        Request("logs:PutLogEvents", f"{logs}/ProcessingJobs:log-stream:{n.job_prefix}-2f9ab3c41d7e-b1-0/algo-1"),
        Request("logs:PutLogEvents", f"{logs}/Endpoints/{n.staging_endpoint}:log-stream:AllTraffic/i-0abc"),
        Request("logs:CreateLogGroup", f"{logs}/TrainingJobs"),
        Request("cloudwatch:PutMetricData", "*", {"cloudwatch:namespace": "/aws/sagemaker/TrainingJobs"}),
        *kms(p),
    ]


def build_role_calls(p: Product) -> list[Request]:
    n, bucket = p.names, artifacts(p)
    pipeline = sm(p, f"pipeline/{n.sagemaker_pipeline}")
    return [
        *[Request(f"sagemaker:{a}", pipeline) for a in
          ("CreatePipeline", "UpdatePipeline", "DescribePipeline", "StartPipelineExecution", "AddTags")],
        Request("sagemaker:DescribePipelineExecution", f"{pipeline}/execution/abc123"),
        Request("sagemaker:ListPipelineExecutionSteps", f"{pipeline}/execution/abc123"),
        pass_to(p, n.sagemaker_role),
        Request("s3:PutObject", f"arn:aws:s3:::{bucket}/seed/preprocess.py"),
        Request("sagemaker:ListModelPackages", "*"),
        Request("sagemaker:DescribeModelPackage", sm(p, f"model-package/{n.model_package_group}/3")),
        *[Request(f"sagemaker:Create{k}", sm(p, f"{r}/{n.job_prefix}-m-20261201t1200"))
          for k, r in (("Model", "model"), ("EndpointConfig", "endpoint-config"))],
        *[Request(f"sagemaker:{a}", sm(p, f"endpoint/{e}")) for a in ("CreateEndpoint", "UpdateEndpoint", "DescribeEndpoint")
          for e in (n.staging_endpoint, n.prod_endpoint)],
        *kms(p),
    ]


def codepipeline_role_calls(p: Product) -> list[Request]:
    n, part = p.names, f"{p.region}:{p.account_id}"
    bucket = artifacts(p)
    if p.source == "codecommit":
        src = [Request(f"codecommit:{a}", f"arn:aws:codecommit:{part}:{r}") for a in ("GetBranch", "GetCommit", "UploadArchive")
               for r in (n.build_repository, n.deploy_repository)]
    else:
        s = p.config["source"]
        src = [Request("s3:GetObject", f"arn:aws:s3:::{s['bucket']}/{s[k]}") for k in ("build_key", "deploy_key")]
    return [*src,
            Request("s3:PutObject", f"arn:aws:s3:::{bucket}/{n.build_pipeline}/SourceOutp/abc"),
            *[Request(f"codebuild:{a}", f"arn:aws:codebuild:{part}:project/{pr}") for a in ("StartBuild", "BatchGetBuilds")
              for pr in (n.build_project, n.deploy_project)],
            *kms(p)]


def events_role_calls(p: Product) -> list[Request]:
    return [Request("codepipeline:StartPipelineExecution", f"arn:aws:codepipeline:{p.region}:{p.account_id}:{pl}")
            for pl in (p.names.build_pipeline, p.names.deploy_pipeline)]


def in_region(p: Product, requests: list[Request]) -> list[Request]:
    """Every call is made in the product's region (the enterprise boundary denies any other)."""
    return [Request(r.action, r.resource, {"aws:RequestedRegion": p.region, **r.context}, r.resource_policy)
            for r in requests]


CALLS = {"SageMakerExecutionRole": pipeline_role_calls, "CodeBuildRole": build_role_calls,
         "CodePipelineRole": codepipeline_role_calls, "EventsRole": events_role_calls}


def blast_radius(p: Product, s: Product) -> list[Request]:
    """What no role of ``p`` may do: the sibling product ``s``'s resources, IAM writes, foreign stores."""
    sn, part = s.names, f"{p.region}:{p.account_id}"
    return [
        Request("sagemaker:CreateTrainingJob", job(s, "training-job")),
        Request("sagemaker:CreateProcessingJob", job(s, "processing-job")),
        Request("sagemaker:CreateTrainingJob", sm(p, "training-job/pipelines-2f9ab3c41d7e-TrainModel-a1b2c3-0")),
        Request("sagemaker:CreateModelPackage", sm(s, f"model-package/{sn.model_package_group}/1")),
        Request("sagemaker:UpdatePipeline", sm(s, f"pipeline/{sn.sagemaker_pipeline}")),
        Request("sagemaker:StartPipelineExecution", sm(s, f"pipeline/{sn.sagemaker_pipeline}")),
        Request("sagemaker:CreateEndpoint", sm(s, f"endpoint/{sn.prod_endpoint}")),
        Request("sagemaker:UpdateEndpoint", sm(p, "endpoint/someone-elses-endpoint")),
        Request("sagemaker:CreateModel", sm(s, f"model/{sn.job_prefix}-m-1")),
        Request("sagemaker:DeleteModelPackageGroup", sm(p, f"model-package-group/{p.names.model_package_group}")),
        Request("sagemaker:CreatePresignedDomainUrl", sm(p, "user-profile/d-1/admin")),
        pass_to(p, p.names.codebuild_role, "codebuild.amazonaws.com"),
        pass_to(p, p.names.sagemaker_role, "ec2.amazonaws.com"),
        pass_to(s, s.names.sagemaker_role),
        Request("iam:CreateRole", role_arn(p, "escalate")),
        Request("iam:PutRolePolicy", role_arn(p, p.names.sagemaker_role)),
        Request("iam:AttachRolePolicy", role_arn(p, p.names.codebuild_role)),
        Request("iam:UpdateAssumeRolePolicy", role_arn(p, p.names.events_role)),
        Request("s3:GetObject", "arn:aws:s3:::some-other-bucket/data.csv"),
        Request("s3:PutObject", f"arn:aws:s3:::{artifacts(s) if s.tier != 'starter' else 'other-team-bucket'}/x"),
        Request("s3:DeleteBucket", f"arn:aws:s3:::{artifacts(p)}"),
        Request("kms:Decrypt", FOREIGN_KEY),
        Request("ecr:BatchGetImage", f"arn:aws:ecr:{p.region}:999999999999:repository/sagemaker-scikit-learn",
                resource_policy=PULL_POLICY),
        Request("ecr:PutImage", images.sklearn_repository_arn(p.region)),
        Request("cloudwatch:PutMetricData", "*", {"cloudwatch:namespace": "Billing"}),
        Request("logs:PutLogEvents", f"arn:aws:logs:{part}:log-group:/aws/sagemaker/TrainingJobs:log-stream:"
                                     f"{sn.job_prefix}-2f9ab3c41d7e-a1b2c3d4e5-0/algo-1"),
        Request("logs:PutLogEvents", f"arn:aws:logs:{part}:log-group:/aws/codebuild/{sn.build_project}:log-stream:x"),
        Request("codepipeline:StartPipelineExecution", f"arn:aws:codepipeline:{part}:{sn.build_pipeline}"),
        Request("codebuild:StartBuild", f"arn:aws:codebuild:{part}:project/{sn.deploy_project}"),
        Request("codecommit:GitPush", f"arn:aws:codecommit:{part}:{sn.build_repository}"),
        Request("codecommit:GetBranch", f"arn:aws:codecommit:{part}:{sn.deploy_repository}"),
    ]


@pytest.mark.parametrize("path", PICKED, ids=lambda p: p.stem)
@pytest.mark.parametrize("role", sorted(CALLS))
def test_every_call_made_for_the_role_is_allowed(path: Path, role: str) -> None:
    product, docs, boundary, _ = role_policies(path)
    calls = in_region(product, CALLS[role](product))
    decisions = evaluate(docs[role], calls, boundary=boundary, account=product.account_id)
    assert [(d.request.action, d.request.resource, d.detail) for d in denied(decisions)] == []


@pytest.mark.parametrize("path", PICKED, ids=lambda p: p.stem)
@pytest.mark.parametrize("role", sorted(CALLS))
def test_the_blast_radius_corpus_is_denied(path: Path, role: str) -> None:
    product, docs, boundary, _ = role_policies(path)
    corpus = in_region(product, blast_radius(product, sibling(path)))
    decisions = evaluate(docs[role], corpus, boundary=boundary, account=product.account_id)
    assert [(d.request.action, d.request.resource, d.detail) for d in allowed(decisions)] == []
    assert all("invalid" not in d.detail.lower() for d in decisions), [d.detail for d in decisions]


@pytest.mark.parametrize("path", PICKED, ids=lambda p: p.stem)
def test_each_role_holds_only_its_own_job(path: Path) -> None:
    """The events role cannot run builds or SageMaker jobs; the pipeline role cannot deploy or start pipelines."""
    product, docs, boundary, _ = role_policies(path)
    others = {"EventsRole": build_role_calls(product) + pipeline_role_calls(product),
              "SageMakerExecutionRole": [r for r in build_role_calls(product) if "Endpoint" in r.action
                                         or "Pipeline" in r.action] + events_role_calls(product),
              "CodePipelineRole": events_role_calls(product)}
    if product.tier != "starter":  # starter's "standard IAM": one policy for the CodeBuild and CodePipeline roles
        others["CodePipelineRole"].append(pass_to(product, product.names.sagemaker_role))
    for role, calls in others.items():
        decisions = evaluate(docs[role], in_region(product, calls), boundary=boundary, account=product.account_id)
        assert [(d.request.action, d.request.resource) for d in allowed(decisions)] == [], role


@pytest.mark.parametrize("path", PICKED, ids=lambda p: p.stem)
def test_every_service_trust_names_source_account_and_source_arn(path: Path) -> None:
    _, _, _, template = role_policies(path)
    product = load_product(path)
    for lid, res in template["Resources"].items():
        if res["Type"] != "AWS::IAM::Role":
            continue
        (st,) = res["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        cond = {op.removesuffix("IfExists"): v for op, v in st["Condition"].items()}
        assert cond["StringEquals"] == {"aws:SourceAccount": product.account_id}, lid
        arns = cond["ArnLike"]["aws:SourceArn"]
        assert arns and all(a.startswith("arn:aws:") and f":{product.region}:{product.account_id}:" in a for a in arns), lid
