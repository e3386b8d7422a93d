"""Named resources that exist outside CloudFormation's view, per type: find one by its custom name and wrap it as
the CloudFormation model moto would have made (for adoption). Used by the ``existing-name`` and ``import-existing``
rules. Types not listed here are not checked (moto raises its own "already exists" for IAM roles and policies and
KMS aliases; KMS keys have no custom name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Finder = Callable[[str, str, str], Any]  # (name, account, region) -> the backend object, or None


@dataclass(frozen=True)
class Named:
    type: str
    name_property: str
    find: Finder
    adopt: Callable[[Any, dict[str, Any], str, str], Any]  # (object, properties, account, region) -> CFN model


def _bucket(name: str, account: str, _region: str) -> Any:
    from moto.s3.models import s3_backends  # noqa: PLC0415

    return s3_backends[account]["aws"].buckets.get(name)


def _log_group(name: str, account: str, region: str) -> Any:
    from moto.logs.models import logs_backends  # noqa: PLC0415

    return logs_backends[account][region].groups.get(name)


def _topic(name: str, account: str, region: str) -> Any:
    from moto.sns.models import sns_backends  # noqa: PLC0415

    return sns_backends[account][region].topics.get(f"arn:aws:sns:{region}:{account}:{name}")


def _repository(name: str, account: str, region: str) -> Any:
    from moto.codecommit.models import codecommit_backends  # noqa: PLC0415

    return codecommit_backends[account][region].repositories.get(name)


def _group(name: str, account: str, region: str) -> Any:
    from moto.sagemaker.models import sagemaker_backends  # noqa: PLC0415

    return sagemaker_backends[account][region].model_package_groups.get(name)


def _dashboard(name: str, account: str, region: str) -> Any:
    from moto.cloudwatch.models import cloudwatch_backends  # noqa: PLC0415

    return cloudwatch_backends[account][region].dashboards.get(name)


def _alarm(name: str, account: str, region: str) -> Any:
    from moto.cloudwatch.models import cloudwatch_backends  # noqa: PLC0415

    return cloudwatch_backends[account][region].alarms.get(name)


def _parameter(name: str, account: str, region: str) -> Any:
    from moto.ssm.models import ssm_backends  # noqa: PLC0415

    parameters = ssm_backends[account][region]._parameters
    return parameters.get(name) or None


def _rule(name: str, account: str, region: str) -> Any:
    from moto.events.models import events_backends  # noqa: PLC0415

    bus = events_backends[account][region].event_buses.get("default")
    return bus.rules.get(name) if bus is not None else None


def _not_adopted(_obj: Any, _props: dict[str, Any], _account: str, _region: str) -> Any:
    return None  # not stateful in our stacks: a clash is an "already exists" failure, never an import here


def _itself(obj: Any, _props: dict[str, Any], _account: str, _region: str) -> Any:
    return obj  # moto's own models are their CloudFormation models


def _repository_model(obj: Any, props: dict[str, Any], account: str, region: str) -> Any:
    from mlprov.local_aws.registry import register_models  # noqa: PLC0415

    cls = register_models()["AWS::CodeCommit::Repository"]
    return cls._made(obj.repository_metadata, props, account, region)


def _group_model(obj: Any, props: dict[str, Any], account: str, region: str) -> Any:
    from mlprov.local_aws.registry import register_models  # noqa: PLC0415

    cls = register_models()["AWS::SageMaker::ModelPackageGroup"]
    return cls(obj.arn, props, account, region, {"ModelPackageGroupArn": obj.arn, "CreationTime": str(obj.creation_time),
                                                 "ModelPackageGroupStatus": obj.model_package_group_status})


NAMED: dict[str, Named] = {n.type: n for n in (
    Named("AWS::S3::Bucket", "BucketName", _bucket, _itself),
    Named("AWS::Logs::LogGroup", "LogGroupName", _log_group, _itself),
    Named("AWS::SNS::Topic", "TopicName", _topic, _itself),
    Named("AWS::CodeCommit::Repository", "RepositoryName", _repository, _repository_model),
    Named("AWS::SageMaker::ModelPackageGroup", "ModelPackageGroupName", _group, _group_model),
    # moto overwrites these silently on a create over an existing name (AWS: AlreadyExists)
    Named("AWS::CloudWatch::Dashboard", "DashboardName", _dashboard, _not_adopted),
    Named("AWS::CloudWatch::Alarm", "AlarmName", _alarm, _not_adopted),
    Named("AWS::SSM::Parameter", "Name", _parameter, _not_adopted),
    Named("AWS::Events::Rule", "Name", _rule, _not_adopted),
)}


def static_name(resource_json: dict[str, Any]) -> str | None:
    """The resource's custom name when the template gives it as a literal string (what auto-import requires)."""
    named = NAMED.get(str(resource_json.get("Type")))
    value = (resource_json.get("Properties") or {}).get(named.name_property) if named else None
    return value if isinstance(value, str) and value else None


def existing(resource_json: dict[str, Any], account: str, region: str) -> Any:
    """The object already holding the resource's custom name, or None."""
    name = static_name(resource_json)
    if name is None:
        return None
    return NAMED[str(resource_json["Type"])].find(name, account, region)
