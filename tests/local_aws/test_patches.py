"""moto's CloudFormation gaps that the local AWS patches, each shown on a stack; registration is explicit and idempotent."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from mlprov.local_aws import apply_patches, register_models, registered_types

from tests.local_aws.conftest import outputs, physical, role, via_change_set

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}


def test_registration_is_explicit_idempotent_and_visible_to_moto(endpoint: str) -> None:
    from moto.cloudformation.parsing import get_model_map

    first = register_models()
    assert register_models() == first
    assert registered_types() == sorted([
        "AWS::CloudWatch::Alarm", "AWS::CodeBuild::Project", "AWS::CodeCommit::Repository", "AWS::CodePipeline::Pipeline",
        "AWS::Logs::MetricFilter", "AWS::S3::BucketPolicy", "AWS::SNS::Subscription", "AWS::SageMaker::ModelPackageGroup"])
    for kind, model in first.items():
        assert get_model_map()[kind] is model
    assert set(apply_patches()) == set(apply_patches())  # applying again changes nothing
    assert "ChangeSet.apply" in apply_patches()


def _template() -> dict[str, Any]:
    return {"Resources": {
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": "k", "EnableKeyRotation": True, "KeyPolicy": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                    "Action": "kms:*", "Resource": "*"}]},
            "Tags": [{"Key": "team", "Value": "a"}]}},
        "Param": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": "/patches/p", "Type": "String", "Value": {"Fn::GetAtt": ["Key", "Arn"]}, "Tags": {"team": "a"}}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/patches/logs", "RetentionInDays": 90,
                                                               "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
        "Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"ManagedPolicyName": "patches-policy", "PolicyDocument": POLICY}},
        "Role": {**role("patches-role"), "Properties": {**role("patches-role")["Properties"], "ManagedPolicyArns": [{"Ref": "Policy"}],
                                                        "PermissionsBoundary": {"Ref": "Policy"}}},
    }, "Outputs": {"KeyArn": {"Value": {"Fn::GetAtt": ["Key", "Arn"]}}, "LogGroup": {"Value": {"Ref": "Logs"}},
                   "Exported": {"Value": "exported-value", "Export": {"Name": "patches-export"}}}}


def test_change_set_stacks_get_outputs_exports_and_resources_as_on_aws(aws: Callable[[str], Any]) -> None:
    cfn = aws("cloudformation")
    via_change_set(cfn, "patches-1", _template())
    ids, out = physical(cfn, "patches-1"), outputs(cfn, "patches-1")
    # outputs and exports after a change set
    assert out["LogGroup"] == "/patches/logs" and out["KeyArn"].endswith(ids["Key"])
    assert {e["Name"]: e["Value"] for e in cfn.list_exports()["Exports"]}["patches-export"] == "exported-value"
    # KMS key: a policy object and Key/Value tags are read back
    kms = aws("kms")
    assert json.loads(kms.get_key_policy(KeyId=ids["Key"], PolicyName="default")["Policy"])["Statement"][0]["Action"] == "kms:*"
    assert kms.list_resource_tags(KeyId=ids["Key"])["Tags"] == [{"TagKey": "team", "TagValue": "a"}]
    assert kms.get_key_rotation_status(KeyId=ids["Key"])["KeyRotationEnabled"] is True
    # SSM tags given as a map; log group key kept; managed policy attached and boundary set
    tags = aws("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId="/patches/p")["TagList"]
    assert tags == [{"Key": "team", "Value": "a"}]
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/patches/logs")["logGroups"][0]["kmsKeyId"] == out["KeyArn"]
    iam = aws("iam")
    attached = iam.list_attached_role_policies(RoleName="patches-role")["AttachedPolicies"]
    assert [a["PolicyArn"] for a in attached] == [ids["Policy"]]
    assert iam.get_role(RoleName="patches-role")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == ids["Policy"]

    # a stack created by a change set imports another stack's export
    importer = {"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Name": "/patches/imported", "Type": "String", "Value": {"Fn::ImportValue": "patches-export"}}}}}
    via_change_set(cfn, "patches-2", importer)
    assert aws("ssm").get_parameter(Name="/patches/imported")["Parameter"]["Value"] == "exported-value"

    # an update of types moto cannot update keeps them (Refs still resolve) and applies what it can
    edited = copy.deepcopy(_template())
    edited["Resources"]["Logs"]["Properties"]["RetentionInDays"] = 365
    edited["Resources"]["Key"]["Properties"]["Description"] = "k2"
    edited["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"][0]["Action"] = "logs:CreateLogStream"
    via_change_set(cfn, "patches-1", edited, "UPDATE")
    assert physical(cfn, "patches-1") == ids
    assert outputs(cfn, "patches-1")["LogGroup"] == "/patches/logs"
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/patches/logs")["logGroups"][0]["retentionInDays"] == 365
    assert kms.describe_key(KeyId=ids["Key"])["KeyMetadata"]["Description"] == "k2"
    version = iam.get_policy(PolicyArn=ids["Policy"])["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=ids["Policy"], VersionId=version)["PolicyVersion"]["Document"]
    assert (version, document["Statement"][0]["Action"]) == ("v2", "logs:CreateLogStream")

    # delete: the role's policy is detached, then the managed policy goes too (moto keeps it otherwise)
    cfn.delete_stack(StackName="patches-2")
    cfn.delete_stack(StackName="patches-1")
    assert "patches-policy" not in {p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]}
    assert "patches-role" not in {r["RoleName"] for r in iam.list_roles()["Roles"]}


def test_vpc_endpoints_go_with_their_stack(aws: Callable[[str], Any]) -> None:
    ec2, cfn = aws("ec2"), aws("cloudformation")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]
    template = {"Resources": {"Endpoint": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
        "VpcEndpointType": "Interface", "ServiceName": "com.amazonaws.eu-west-1.sts", "VpcId": vpc, "SubnetIds": [subnet]}}}}
    via_change_set(cfn, "patches-3", template)
    endpoint = physical(cfn, "patches-3")["Endpoint"]
    assert ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"][0]["State"] == "available"
    cfn.delete_stack(StackName="patches-3")
    assert ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"][0]["State"] == "deleted"


def test_a_tag_change_updates_a_security_group_in_place(aws: Callable[[str], Any]) -> None:
    ec2, cfn = aws("ec2"), aws("cloudformation")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    group = {"Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupName": "patches-sg", "GroupDescription": "endpoints", "VpcId": vpc, "Tags": [{"Key": "owner", "Value": "a"}],
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.40.0.0/16"}]}}
    via_change_set(cfn, "patches-4", {"Resources": {"Group": group}})
    first = physical(cfn, "patches-4")["Group"]
    retagged = copy.deepcopy(group)
    retagged["Properties"]["Tags"] = [{"Key": "owner", "Value": "b"}]
    via_change_set(cfn, "patches-4", {"Resources": {"Group": retagged}}, "UPDATE")
    assert physical(cfn, "patches-4")["Group"] == first
    described = ec2.describe_security_groups(GroupIds=[first])["SecurityGroups"][0]
    assert described["Tags"] == [{"Key": "owner", "Value": "b"}]
    assert [(p["FromPort"], p["IpRanges"][0]["CidrIp"]) for p in described["IpPermissions"]] == [(443, "10.40.0.0/16")]
    reopened = copy.deepcopy(retagged)
    reopened["Properties"]["SecurityGroupIngress"][0]["FromPort"] = 22
    via_change_set(cfn, "patches-4", {"Resources": {"Group": reopened}}, "UPDATE")
    assert physical(cfn, "patches-4")["Group"] != first  # any other change: moto's replacement, as before


def test_termination_protection_is_kept_and_refuses_a_delete(aws: Callable[[str], Any]) -> None:
    cfn = aws("cloudformation")
    via_change_set(cfn, "patches-5", {"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Name": "/patches/protected", "Type": "String", "Value": "x"}}}})
    cfn.update_termination_protection(StackName="patches-5", EnableTerminationProtection=True)
    assert cfn.describe_stacks(StackName="patches-5")["Stacks"][0]["EnableTerminationProtection"] is True
    with pytest.raises(ClientError) as err:
        cfn.delete_stack(StackName="patches-5")
    assert err.value.response["Error"]["Message"] == "Stack [patches-5] cannot be deleted while TerminationProtection is enabled"
    cfn.update_termination_protection(StackName="patches-5", EnableTerminationProtection=False)
    cfn.delete_stack(StackName="patches-5")
    assert cfn.describe_stacks(StackName=physical_stack_id(cfn, "patches-5"))["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"


def physical_stack_id(cfn: Any, name: str) -> str:
    return str(next(s["StackId"] for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == name))
