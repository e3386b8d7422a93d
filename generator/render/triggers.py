"""One EventBridge rule per pipeline: the event patterns, built from the config.

- build pipeline  <- a push (branch created or updated) to model-build's branch, or the S3 build key written;
- deploy pipeline <- a push to model-deploy's branch, or the S3 deploy key written, or a model package of THIS
  product's group reaching ``Approved``.

EventBridge delivers every matching event to every target of a rule ("Amazon EventBridge rules",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html), hence one rule per pipeline. Event shapes:
CodeCommit "CodeCommit Repository State Change" with ``event`` referenceCreated / referenceUpdated
(https://docs.aws.amazon.com/codecommit/latest/userguide/monitoring-events.html); S3 "Object Created"
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html; S3 sends them only for a bucket with
EventBridge notifications on, which the forecast checks on the source bucket); SageMaker "SageMaker Model Package
State Change" (https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html).

V2 pipeline triggers replace this plumbing for CodeStarSourceConnection sources only ("Automate starting
pipelines using triggers and filtering", https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-triggers.html):
with ``source.type: connection`` each pipeline carries a push trigger on the branch (:func:`git_triggers`), there is
no BuildTriggerRule, and DeployTriggerRule matches only the model approval. CodeCommit and S3 keep both rules.
"""

from __future__ import annotations

from typing import Any

from mlprov.config.model import Product

Pattern = dict[str, Any]


def _push(product: Product, repository: str) -> Pattern:
    arn = f"arn:{product.partition}:codecommit:{product.region}:{product.account_id}:{repository}"
    branch = str(product.config["source"].get("branch", "main"))
    return {
        "source": ["aws.codecommit"],
        "detail-type": ["CodeCommit Repository State Change"],
        "resources": [arn],
        "detail": {"event": ["referenceCreated", "referenceUpdated"], "referenceType": ["branch"],
                   "referenceName": [branch]},
    }


def _key(product: Product, key: str) -> Pattern:
    return {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": [str(product.config["source"]["bucket"])]}, "object": {"key": [key]}},
    }


def _approval(product: Product) -> Pattern:
    return {
        "source": ["aws.sagemaker"],
        "detail-type": ["SageMaker Model Package State Change"],
        "detail": {"ModelPackageGroupName": [product.names.model_package_group], "ModelApprovalStatus": ["Approved"]},
    }


def git_triggers(product: Product) -> list[dict[str, Any]]:
    """A V2 pipeline's ``Triggers`` for a connection source: pushes to the branch start it (AWS::CodePipeline::Pipeline
    PipelineTriggerDeclaration / GitConfiguration / GitPushFilter, CloudFormation User Guide; triggers need
    PipelineType V2). Empty for the other sources."""
    if product.source != "connection":
        return []
    branch = str(product.config["source"].get("branch", "main"))
    return [{"ProviderType": "CodeStarSourceConnection",
             "GitConfiguration": {"SourceActionName": "Source", "Push": [{"Branches": {"Includes": [branch]}}]}}]


def patterns(product: Product) -> dict[str, Pattern]:
    """Event pattern of each trigger rule, by the logical id of the pipeline it starts."""
    n, source = product.names, product.config["source"]
    if product.source == "connection":  # pushes are the pipelines' own V2 triggers; only approvals remain
        return {"DeployPipeline": _approval(product)}
    if product.source == "codecommit":
        build, deploy = _push(product, n.build_repository), _push(product, n.deploy_repository)
    else:
        build, deploy = _key(product, str(source["build_key"])), _key(product, str(source["deploy_key"]))
    approval = _approval(product)
    # One source list at the top, the alternatives under "$or" (EventBridge "Content filtering", $or matching,
    # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
    alternatives = [{k: v for k, v in p.items() if k != "source"} for p in (deploy, approval)]
    return {"BuildPipeline": build,
            "DeployPipeline": {"source": [*deploy["source"], *approval["source"]], "$or": alternatives}}


def rules(product: Product) -> list[dict[str, Any]]:
    """The two rules as the template places them."""
    n, part, region, acct = product.names, product.partition, product.region, product.account_id
    pats = patterns(product)
    every = [
        {"logical_id": "BuildTriggerRule", "name": n.build_trigger_rule, "pipeline": "BuildPipeline",
         "pipeline_arn": f"arn:{part}:codepipeline:{region}:{acct}:{n.build_pipeline}"},
        {"logical_id": "DeployTriggerRule", "name": n.deploy_trigger_rule, "pipeline": "DeployPipeline",
         "pipeline_arn": f"arn:{part}:codepipeline:{region}:{acct}:{n.deploy_pipeline}"},
    ]
    return [{**rule, "pattern": pats[str(rule["pipeline"])]} for rule in every if rule["pipeline"] in pats]
