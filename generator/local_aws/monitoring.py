"""CloudWatch alarms, CloudWatch Logs metric filters and SNS subscriptions, created in moto's own backends."""

from __future__ import annotations

from typing import Any

from mlprov.local_aws.cfnmodel import Spec, camel, service_error, tag_list


class Alarm(Spec):
    """AWS::CloudWatch::Alarm: ``Ref`` is the alarm name, ``Fn::GetAtt Arn`` its ARN."""

    TYPE = "AWS::CloudWatch::Alarm"
    NAME_PROPERTY = "AlarmName"
    ATTRIBUTES = ("Arn",)

    @staticmethod
    def _backend(account_id: str, region_name: str) -> Any:
        from moto.cloudwatch.models import cloudwatch_backends  # noqa: PLC0415

        return cloudwatch_backends[account_id][region_name]

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        backend = cls._backend(account_id, region_name)
        alarm = backend.put_metric_alarm(
            name=name, namespace=props.get("Namespace"), metric_name=props.get("MetricName"),
            comparison_operator=props["ComparisonOperator"], evaluation_periods=int(props["EvaluationPeriods"]),
            period=int(props["Period"]) if "Period" in props else None,
            threshold=float(props["Threshold"]) if "Threshold" in props else None, statistic=props.get("Statistic"),
            description=props.get("AlarmDescription"), dimensions=props.get("Dimensions", []),
            alarm_actions=props.get("AlarmActions", []), ok_actions=props.get("OKActions", []),
            insufficient_data_actions=props.get("InsufficientDataActions", []),
            datapoints_to_alarm=props.get("DatapointsToAlarm"), extended_statistic=props.get("ExtendedStatistic"),
            unit=props.get("Unit"), actions_enabled=bool(props.get("ActionsEnabled", True)),
            treat_missing_data=props.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=props.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=props.get("ThresholdMetricId"), tags=tag_list(props),
        )
        return cls(name, props, account_id, region_name, {"Arn": alarm.alarm_arn})

    def update(self, props: dict[str, Any]) -> Spec:
        """PutMetricAlarm replaces the alarm's settings; its tags are set to the template's."""
        backend = self._backend(self.account_id, self.region_name)
        arn = self.attributes["Arn"]
        backend.tagger.delete_all_tags_for_resource(arn)
        return self.create(self.physical_id, props, self.account_id, self.region_name)

    def remove(self) -> None:
        backend = self._backend(self.account_id, self.region_name)
        backend.delete_alarms([self.physical_id])
        backend.tagger.delete_all_tags_for_resource(self.attributes.get("Arn", ""))


class MetricFilter(Spec):
    """AWS::Logs::MetricFilter: ``Ref`` is the filter name; the log group must exist."""

    TYPE = "AWS::Logs::MetricFilter"
    NAME_PROPERTY = "FilterName"

    @staticmethod
    def _backend(account_id: str, region_name: str) -> Any:
        from moto.logs.models import logs_backends  # noqa: PLC0415

        return logs_backends[account_id][region_name]

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        backend = cls._backend(account_id, region_name)
        group = str(props["LogGroupName"])
        if group not in backend.groups:
            raise service_error("ResourceNotFoundException", f"The specified log group does not exist: {group}")
        backend.delete_metric_filter(name, group)
        backend.put_metric_filter(name, props.get("FilterPattern", ""), group, camel(props.get("MetricTransformations", [])))
        return cls(name, props, account_id, region_name)

    def update(self, props: dict[str, Any]) -> Spec:
        return self.create(self.physical_id, props, self.account_id, self.region_name)  # PutMetricFilter overwrites

    def remove(self) -> None:
        self._backend(self.account_id, self.region_name).delete_metric_filter(self.physical_id, str(self.props.get("LogGroupName")))


class Subscription(Spec):
    """AWS::SNS::Subscription: ``Ref`` is the subscription ARN."""

    TYPE = "AWS::SNS::Subscription"
    ATTRIBUTES = ("Arn",)
    _ATTRS = ("DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy")

    @staticmethod
    def _backend(account_id: str, region_name: str) -> Any:
        from moto.sns.models import sns_backends  # noqa: PLC0415

        return sns_backends[account_id][region_name]

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        del name  # a subscription has no name: it is known by its ARN
        backend = cls._backend(account_id, region_name)
        sub = backend.subscribe(props["TopicArn"], props.get("Endpoint", ""), props["Protocol"])
        made = cls(sub.arn, props, account_id, region_name, {"Arn": sub.arn})
        made._set_attributes(props)
        return made

    def _set_attributes(self, props: dict[str, Any]) -> None:
        import json  # noqa: PLC0415

        backend = self._backend(self.account_id, self.region_name)
        for attr in self._ATTRS:
            if attr in props:
                value = props[attr]
                backend.set_subscription_attributes(self.physical_id, attr, value if isinstance(value, str) else json.dumps(value))

    def update(self, props: dict[str, Any]) -> Spec:
        self._set_attributes(props)
        return type(self)(self.physical_id, props, self.account_id, self.region_name, self.attributes)

    def remove(self) -> None:
        self._backend(self.account_id, self.region_name).unsubscribe(self.physical_id)
