"""Live checks of the pipeline and monitoring resources: CodeBuild, CodeCommit, CodePipeline, EventBridge,
CloudWatch alarms, dashboards and metric filters, SNS topic and subscription, SageMaker model registry.

- SNS GetSubscriptionAttributes: ``PendingConfirmation`` "true" while the endpoint has not confirmed
  (Amazon SNS API Reference, "GetSubscriptionAttributes"); an unconfirmed alert subscription delivers nothing,
  so it is drift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.aws.livecheck.absent import Gone
from mlprov.aws.livecheck.context import Compared, Ctx
from mlprov.aws.session import Aws


def exists(read: Callable[[Aws, str], Any]) -> Callable[[Ctx, str], Compared]:
    """A check that only reads the resource: its row says "existence only"."""
    def check(ctx: Ctx, physical_id: str) -> Compared:
        read(ctx.aws, physical_id)
        return []
    return check


def repository(ctx: Ctx, physical_id: str) -> Compared:
    """A repository's physical id is its id (a UUID); the API reads it by name."""
    ctx.aws.client("codecommit").get_repository(repositoryName=str(ctx.props.get("RepositoryName") or physical_id))
    return []


def topic(ctx: Ctx, arn: str) -> Compared:
    """SNS GetTopicAttributes ``KmsMasterKeyId``: the key that encrypts the topic (Amazon SNS API Reference,
    "GetTopicAttributes"); removing it leaves alerts unencrypted at rest."""
    attrs = ctx.aws.client("sns").get_topic_attributes(TopicArn=arn)["Attributes"]
    if "KmsMasterKeyId" not in ctx.props:
        return []
    return [("KmsMasterKeyId", ctx.resolve(ctx.props["KmsMasterKeyId"]), attrs.get("KmsMasterKeyId"))]


def pipeline(ctx: Ctx, name: str) -> Compared:
    """CodePipeline GetPipeline: the role it runs as and its artifact store and key (AWS CodePipeline API
    Reference, "PipelineDeclaration", "ArtifactStore")."""
    found = ctx.aws.client("codepipeline").get_pipeline(name=name)["pipeline"]
    out: Compared = []
    if "RoleArn" in ctx.props:
        out.append(("RoleArn", ctx.resolve(ctx.props["RoleArn"]), found.get("roleArn")))
    store = ctx.props.get("ArtifactStore")
    if isinstance(store, dict):
        actual = found.get("artifactStore", {})
        out.append(("ArtifactStore.Location", ctx.resolve(store.get("Location")), actual.get("location")))
        if isinstance(store.get("EncryptionKey"), dict):
            out.append(("ArtifactStore.EncryptionKey.Id", ctx.resolve(store["EncryptionKey"].get("Id")),
                        actual.get("encryptionKey", {}).get("id")))
    return out


def codebuild(ctx: Ctx, name: str) -> Compared:
    found = ctx.aws.client("codebuild").batch_get_projects(names=[name]).get("projects", [])
    if not found:
        raise Gone
    if "EncryptionKey" not in ctx.props:
        return []
    return [("EncryptionKey", ctx.resolve(ctx.props["EncryptionKey"]), found[0].get("encryptionKey"))]


def event_rule(ctx: Ctx, name: str) -> Compared:
    rule = ctx.aws.client("events").describe_rule(Name=name.rsplit("|", 1)[-1])
    return [("State", ctx.props.get("State", "ENABLED"), rule.get("State"))]


def alarm(ctx: Ctx, name: str) -> Compared:
    alarms = ctx.aws.client("cloudwatch").describe_alarms(AlarmNames=[name]).get("MetricAlarms", [])
    if not alarms:
        raise Gone
    return [("AlarmActions", ctx.resolve_all(ctx.props.get("AlarmActions", [])), sorted(alarms[0].get("AlarmActions", [])))]


def metric_filter(ctx: Ctx, name: str) -> Compared:
    group = ctx.resolve(ctx.props.get("LogGroupName"))
    logs = ctx.aws.client("logs")
    found = [f for f in logs.describe_metric_filters(logGroupName=group, filterNamePrefix=name).get("metricFilters", [])
             if f.get("filterName") == name] if isinstance(group, str) else []
    if not found:
        raise Gone
    return [("FilterPattern", ctx.props.get("FilterPattern"), found[0].get("filterPattern"))]


def subscription(ctx: Ctx, arn: str) -> Compared:
    attrs = ctx.aws.client("sns").get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    out: Compared = [("PendingConfirmation", "false", str(attrs.get("PendingConfirmation", "false")).lower())]
    if "Endpoint" in ctx.props:
        out.append(("Endpoint", ctx.resolve(ctx.props["Endpoint"]), attrs.get("Endpoint")))
    if "Protocol" in ctx.props:
        out.append(("Protocol", ctx.props["Protocol"], attrs.get("Protocol")))
    return out


def model_package_group(ctx: Ctx, physical_id: str) -> Compared:
    found = ctx.aws.client("sagemaker").describe_model_package_group(ModelPackageGroupName=physical_id.rsplit("/", 1)[-1])
    if str(found.get("ModelPackageGroupStatus", "")) in {"Deleting", "DELETING"}:
        raise Gone
    return []
