"""Alarms, metric filters, SNS subscriptions, model package groups and bucket policies through CloudFormation on the
local AWS: created in moto's backends, read back with boto3, updated in place or replaced, deleted (or retained)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.local_aws.conftest import failure, outputs, physical, via_change_set

pytestmark = pytest.mark.filterwarnings(r"ignore:Exception\(LocalAwsServiceError\)")
TAGS = [{"Key": "mlprov:owner", "Value": "a@example.com"}]


def _template(p: str) -> dict[str, Any]:
    policy = {"Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                                                      "Action": "s3:*", "Resource": f"arn:aws:s3:::{p}-bucket/*",
                                                      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    return {"Resources": {
        "Group": {"Type": "AWS::SageMaker::ModelPackageGroup", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                  "Properties": {"ModelPackageGroupName": f"{p}-models", "ModelPackageGroupDescription": "registry", "Tags": TAGS}},
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {
            "BucketName": f"{p}-bucket", "VersioningConfiguration": {"Status": "Enabled"},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": True}}},
        "BucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": policy}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": f"/{p}/compliance", "RetentionInDays": 90}},
        "Filter": {"Type": "AWS::Logs::MetricFilter", "Properties": {
            "FilterName": "access-denied", "LogGroupName": {"Ref": "Logs"}, "FilterPattern": "?AccessDenied",
            "MetricTransformations": [{"MetricName": "AccessDeniedCount", "MetricNamespace": f"ML/{p}", "MetricValue": "1",
                                       "DefaultValue": 0}]}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": f"{p}-alerts"}},
        "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {"TopicArn": {"Ref": "Topic"}, "Protocol": "email",
                                                                          "Endpoint": "sec@example.com"}},
        "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmName": f"{p}-access-denied", "AlarmDescription": "AccessDenied seen", "Namespace": f"ML/{p}",
            "MetricName": "AccessDeniedCount", "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "Topic"}], "Tags": TAGS}},
    }, "Outputs": {
        "GroupArn": {"Value": {"Fn::GetAtt": ["Group", "ModelPackageGroupArn"]}}, "GroupRef": {"Value": {"Ref": "Group"}},
        "AlarmArn": {"Value": {"Fn::GetAtt": ["Alarm", "Arn"]}}, "SubscriptionRef": {"Value": {"Ref": "Subscription"}},
        "FilterRef": {"Value": {"Ref": "Filter"}}, "PolicyRef": {"Value": {"Ref": "BucketPolicy"}},
    }}


def test_created_read_back_updated_and_deleted(aws: Callable[[str], Any]) -> None:
    cfn, p = aws("cloudformation"), "mon1"
    template = _template(p)
    via_change_set(cfn, "monitoring-1", template)
    out, ids = outputs(cfn, "monitoring-1"), physical(cfn, "monitoring-1")

    group = aws("sagemaker").describe_model_package_group(ModelPackageGroupName=f"{p}-models")
    assert out["GroupArn"] == out["GroupRef"] == ids["Group"] == group["ModelPackageGroupArn"]
    assert out["GroupArn"] == f"arn:aws:sagemaker:eu-west-1:123456789012:model-package-group/{p}-models"
    assert aws("sagemaker").list_tags(ResourceArn=out["GroupArn"])["Tags"] == TAGS

    alarm = aws("cloudwatch").describe_alarms(AlarmNames=[f"{p}-access-denied"])["MetricAlarms"][0]
    assert (alarm["AlarmArn"], ids["Alarm"]) == (out["AlarmArn"], f"{p}-access-denied")
    assert (alarm["AlarmActions"], alarm["Threshold"], alarm["TreatMissingData"]) == ([ids["Topic"]], 1.0, "notBreaching")
    assert aws("cloudwatch").list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"] == TAGS

    filters = aws("logs").describe_metric_filters(logGroupName=f"/{p}/compliance")["metricFilters"]
    assert [(f["filterName"], f["filterPattern"]) for f in filters] == [("access-denied", "?AccessDenied")]
    assert filters[0]["metricTransformations"][0]["metricNamespace"] == f"ML/{p}" and out["FilterRef"] == "access-denied"

    subs = aws("sns").list_subscriptions_by_topic(TopicArn=ids["Topic"])["Subscriptions"]
    got = [(s["SubscriptionArn"], s["Protocol"], s["Endpoint"]) for s in subs]
    assert got == [(out["SubscriptionRef"], "email", "sec@example.com")]

    assert json.loads(aws("s3").get_bucket_policy(Bucket=f"{p}-bucket")["Policy"])["Statement"][0]["Sid"] == "DenyInsecureTransport"
    assert out["PolicyRef"] == f"{p}-bucket"
    assert aws("s3").get_bucket_versioning(Bucket=f"{p}-bucket")["Status"] == "Enabled"  # moto's own model ignores it
    assert aws("s3").get_public_access_block(Bucket=f"{p}-bucket")["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True

    # in place: alarm threshold, filter pattern; a new endpoint replaces the subscription; a new group name replaces
    # the group and, UpdateReplacePolicy Retain, keeps the old one
    edited = copy.deepcopy(template)
    edited["Resources"]["Alarm"]["Properties"]["Threshold"] = 5
    edited["Resources"]["Filter"]["Properties"]["FilterPattern"] = "?AccessDenied ?UnauthorizedOperation"
    edited["Resources"]["Subscription"]["Properties"]["Endpoint"] = "sec2@example.com"
    edited["Resources"]["Group"]["Properties"]["ModelPackageGroupName"] = f"{p}-models-v2"
    via_change_set(cfn, "monitoring-1", edited, "UPDATE")
    after = physical(cfn, "monitoring-1")
    assert after["Alarm"] == ids["Alarm"]
    assert aws("cloudwatch").describe_alarms(AlarmNames=[f"{p}-access-denied"])["MetricAlarms"][0]["Threshold"] == 5.0
    filters = aws("logs").describe_metric_filters(logGroupName=f"/{p}/compliance")["metricFilters"]
    assert [f["filterPattern"] for f in filters] == ["?AccessDenied ?UnauthorizedOperation"]
    subs = aws("sns").list_subscriptions_by_topic(TopicArn=ids["Topic"])["Subscriptions"]
    assert [(s["SubscriptionArn"], s["Endpoint"]) for s in subs] == [(after["Subscription"], "sec2@example.com")]
    assert after["Subscription"] != ids["Subscription"]
    names = {g["ModelPackageGroupName"] for g in aws("sagemaker").list_model_package_groups()["ModelPackageGroupSummaryList"]}
    assert {f"{p}-models", f"{p}-models-v2"} <= names and outputs(cfn, "monitoring-1")["GroupArn"].endswith("-models-v2")

    cfn.delete_stack(StackName="monitoring-1")
    assert aws("cloudwatch").describe_alarms(AlarmNames=[f"{p}-access-denied"])["MetricAlarms"] == []
    assert after["Subscription"] not in {s["SubscriptionArn"] for s in aws("sns").list_subscriptions()["Subscriptions"]}
    with pytest.raises(ClientError, match="NoSuchBucket"):
        aws("s3").get_bucket_policy(Bucket=f"{p}-bucket")
    assert aws("sagemaker").describe_model_package_group(ModelPackageGroupName=f"{p}-models-v2")  # DeletionPolicy Retain


def test_a_metric_filter_needs_its_log_group_and_a_group_name_is_unique(aws: Callable[[str], Any]) -> None:
    cfn = aws("cloudformation")
    template = _template("mon2")
    template["Resources"]["Filter"]["Properties"]["LogGroupName"] = "/no/such/group"
    via_change_set(cfn, "monitoring-2", template)
    assert failure(cfn, "monitoring-2") == (
        "ROLLBACK_COMPLETE", "The specified log group does not exist: /no/such/group (Service: ResourceNotFoundException)")
    aws("sagemaker").create_model_package_group(ModelPackageGroupName="mon3-models")
    via_change_set(cfn, "monitoring-3", _template("mon3"))
    assert failure(cfn, "monitoring-3") == ("ROLLBACK_COMPLETE", "Resource of type 'AWS::SageMaker::ModelPackageGroup' with "
                                            "identifier 'mon3-models' already exists. (Service: AlreadyExists)")


def test_a_named_resource_cannot_be_replaced_under_the_same_name(aws: Callable[[str], Any]) -> None:
    cfn, template = aws("cloudformation"), _template("mon4")
    via_change_set(cfn, "monitoring-4", template)
    edited = copy.deepcopy(template)
    edited["Resources"]["Group"]["Properties"]["ModelPackageGroupDescription"] = "registry v2"  # create-only
    via_change_set(cfn, "monitoring-4", edited, "UPDATE")
    assert failure(cfn, "monitoring-4") == ("UPDATE_ROLLBACK_COMPLETE", "CloudFormation cannot update a stack when a custom-named "
                                            "resource requires replacing. Rename mon4-models and update the stack again.")
