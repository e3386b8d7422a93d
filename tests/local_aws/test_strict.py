"""The strict local AWS: each rule refuses what AWS refuses (and only while strict mode is on)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from mlprov.local_aws import strict
from mlprov.local_aws.strict import private_dns, template_size

from tests.local_aws.conftest import REGION

Aws = Callable[[str], Any]


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _execute(cfn: Any, stack: str, template: dict[str, Any], kind: str = "CREATE", **extra: Any) -> dict[str, Any]:
    cs = cfn.create_change_set(StackName=stack, ChangeSetName=_name("cs"), ChangeSetType=kind, TemplateBody=json.dumps(template),
                               Capabilities=["CAPABILITY_NAMED_IAM"], **extra)
    described: dict[str, Any] = cfn.describe_change_set(ChangeSetName=cs["Id"])
    cfn.execute_change_set(ChangeSetName=cs["Id"])
    return described


def _status(cfn: Any, stack: str) -> str:
    return str(cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"])


def _events(cfn: Any, stack: str) -> list[tuple[str, str, str | None]]:
    """(logical id, status, reason), oldest first."""
    evs = cfn.describe_stack_events(StackName=stack)["StackEvents"]
    return [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason")) for e in reversed(evs)]


def _buckets(aws: Aws) -> set[str]:
    return {b["Name"] for b in aws("s3").list_buckets()["Buckets"]}


def test_every_rule_is_listed_with_its_aws_source(endpoint: str) -> None:
    del endpoint
    assert sorted(strict.RULES) == ["access-log-target", "artifact-store", "codecommit-closed", "endpoint-service-zones",
                                    "endpoint-subnet-zones", "endpoint-vpc-dns", "existing-name", "expected-owner", "import-existing",
                                    "named-replacement", "private-dns", "private-dns-zone", "retain", "template-size"]
    assert all("(" in source and source.endswith(")") for source in strict.RULES.values())


# --- template-size ------------------------------------------------------------------------------------------------------
def _sized(size: int) -> str:
    base = json.dumps({"Description": "", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})
    body = json.dumps({"Description": "x" * (size - len(base)), "Resources": {"T": {"Type": "AWS::SNS::Topic"}}})
    assert len(body.encode()) == size
    return body


def test_template_body_over_51200_bytes_is_refused(aws: Aws) -> None:
    cfn = aws("cloudformation")
    with pytest.raises(ClientError) as err:
        cfn.create_change_set(StackName=_name("big"), ChangeSetName="c", ChangeSetType="CREATE", TemplateBody=_sized(51_201))
    assert err.value.response["Error"]["Code"] == "ValidationError"
    assert err.value.response["Error"]["Message"] == template_size.message(51_201)
    assert "Member must have length less than or equal to 51200" in template_size.message(51_201)
    for call in (lambda: cfn.validate_template(TemplateBody=_sized(51_201)),
                 lambda: cfn.create_stack(StackName=_name("big"), TemplateBody=_sized(51_201))):
        with pytest.raises(ClientError, match="51200"):
            call()


def test_template_body_of_exactly_51200_bytes_is_accepted(aws: Aws) -> None:
    cs = aws("cloudformation").create_change_set(StackName=_name("fits"), ChangeSetName="c", ChangeSetType="CREATE",
                                                 TemplateBody=_sized(51_200))
    assert cs["Id"].startswith("arn:aws:cloudformation:")


def test_lenient_mode_accepts_what_strict_refuses(aws: Aws, lenient: None) -> None:
    del lenient
    cs = aws("cloudformation").create_change_set(StackName=_name("lenient"), ChangeSetName="c", ChangeSetType="CREATE",
                                                 TemplateBody=_sized(60_000))
    assert cs["Id"]


# --- private-dns --------------------------------------------------------------------------------------------------------
def _vpc(aws: Aws) -> tuple[str, str]:
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # private DNS needs it (rule endpoint-vpc-dns)
    return vpc, ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]


def test_second_private_dns_endpoint_per_service_per_vpc_is_refused(aws: Aws) -> None:
    ec2, (vpc, subnet) = aws("ec2"), _vpc(aws)
    service = f"com.amazonaws.{REGION}.sts"
    args = {"VpcId": vpc, "ServiceName": service, "VpcEndpointType": "Interface", "SubnetIds": [subnet]}
    ec2.create_vpc_endpoint(**args, PrivateDnsEnabled=True)
    with pytest.raises(ClientError) as err:
        ec2.create_vpc_endpoint(**args, PrivateDnsEnabled=True)
    assert err.value.response["Error"]["Code"] == "InvalidParameter"
    assert err.value.response["Error"]["Message"] == ("private-dns-enabled cannot be set because there is already a conflicting "
                                                      f"DNS domain for sts.{REGION}.amazonaws.com in the VPC {vpc}")
    ec2.create_vpc_endpoint(**args, PrivateDnsEnabled=False)  # without private DNS: allowed, as on AWS
    ec2.create_vpc_endpoint(**{**args, "ServiceName": f"com.amazonaws.{REGION}.sagemaker.api"}, PrivateDnsEnabled=True)
    other_vpc, other_subnet = _vpc(aws)
    ec2.create_vpc_endpoint(**{**args, "VpcId": other_vpc, "SubnetIds": [other_subnet]}, PrivateDnsEnabled=True)


def test_private_dns_conflict_fails_a_stack_and_rolls_it_back(aws: Aws) -> None:
    cfn, (vpc, subnet) = aws("cloudformation"), _vpc(aws)
    endpoint = {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
        "VpcId": vpc, "ServiceName": f"com.amazonaws.{REGION}.sagemaker.api", "VpcEndpointType": "Interface",
        "SubnetIds": [subnet], "PrivateDnsEnabled": True}}
    first, second = _name("vpce-a"), _name("vpce-b")
    _execute(cfn, first, {"Resources": {"Api": endpoint}})
    _execute(cfn, second, {"Resources": {"Api": endpoint}})
    assert (_status(cfn, first), _status(cfn, second)) == ("CREATE_COMPLETE", "ROLLBACK_COMPLETE")
    reason = "private-dns-enabled cannot be set because there is already a conflicting DNS domain for " \
             f"sagemaker.api.{REGION}.amazonaws.com in the VPC {vpc} (Service: InvalidParameter)"
    assert ("Api", "CREATE_FAILED", reason) in _events(cfn, second)
    assert private_dns.dns_name("com.amazonaws.eu-west-1.sagemaker.runtime") == "sagemaker.runtime.eu-west-1.amazonaws.com"


# --- existing-name ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "prop", "make"), [
    ("AWS::Logs::LogGroup", "LogGroupName", lambda aws, n: aws("logs").create_log_group(logGroupName=n)),
    ("AWS::SNS::Topic", "TopicName", lambda aws, n: aws("sns").create_topic(Name=n)),
    ("AWS::S3::Bucket", "BucketName", lambda aws, n: aws("s3").create_bucket(
        Bucket=n, CreateBucketConfiguration={"LocationConstraint": REGION})),
    ("AWS::CodeCommit::Repository", "RepositoryName", lambda aws, n: aws("codecommit").create_repository(repositoryName=n)),
    ("AWS::SageMaker::ModelPackageGroup", "ModelPackageGroupName",
     lambda aws, n: aws("sagemaker").create_model_package_group(ModelPackageGroupName=n)),
    ("AWS::SSM::Parameter", "Name", lambda aws, n: aws("ssm").put_parameter(Name=n, Value="v", Type="String")),
    ("AWS::CloudWatch::Dashboard", "DashboardName", lambda aws, n: aws("cloudwatch").put_dashboard(
        DashboardName=n, DashboardBody='{"widgets": []}')),
    ("AWS::Events::Rule", "Name", lambda aws, n: aws("events").put_rule(Name=n, ScheduleExpression="rate(1 day)")),
])
def test_create_over_an_existing_name_fails_already_exists(aws: Aws, kind: str, prop: str, make: Any) -> None:
    cfn, name, stack = aws("cloudformation"), _name("taken"), _name("over")
    make(aws, name)
    _execute(cfn, stack, {"Resources": {"R": {"Type": kind, "Properties": {prop: name}}}})
    assert _status(cfn, stack) == "ROLLBACK_COMPLETE"
    assert ("R", "CREATE_FAILED", f"Resource of type '{kind}' with identifier '{name}' already exists. (Service: AlreadyExists)") \
        in _events(cfn, stack)


# --- retain ---------------------------------------------------------------------------------------------------------------
def test_failed_first_create_keeps_retain_and_deletes_retain_except_on_create(aws: Aws) -> None:
    cfn, stack = aws("cloudformation"), _name("rollback")
    keep, drop, plain = _name("keep"), _name("drop"), _name("plain")
    template = {"Resources": {
        "Keep": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": {"BucketName": keep}},
        "Drop": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate", "Properties": {"BucketName": drop}},
        "Plain": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": plain}},
        "Broken": {"Type": "AWS::S3::Bucket", "DependsOn": ["Keep", "Drop", "Plain"], "Properties": {"BucketName": "x"}}}}
    _execute(cfn, stack, template)
    assert _status(cfn, stack) == "ROLLBACK_COMPLETE"
    events = _events(cfn, stack)
    assert ("Broken", "CREATE_FAILED", "The specified bucket is not valid. (Service: InvalidBucketName)") in events
    assert {(lid, status) for lid, status, _ in events if lid in {"Keep", "Drop", "Plain"}} == {
        ("Keep", "DELETE_SKIPPED"), ("Drop", "DELETE_COMPLETE"), ("Plain", "DELETE_COMPLETE")}
    assert keep in _buckets(aws)
    assert not {drop, plain} & _buckets(aws)


def test_retain_except_on_create_is_kept_on_delete_and_on_removal(aws: Aws) -> None:
    cfn, stack = aws("cloudformation"), _name("kept")
    first, second = _name("first"), _name("second")
    bucket = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate"}
    _execute(cfn, stack, {"Resources": {"A": {**bucket, "Properties": {"BucketName": first}},
                                        "B": {**bucket, "Properties": {"BucketName": second}}}})
    _execute(cfn, stack, {"Resources": {"A": {**bucket, "Properties": {"BucketName": first}}}}, kind="UPDATE")
    assert second in _buckets(aws)  # removed from the template: kept, no longer in the stack
    assert [r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]] == ["A"]
    cfn.delete_stack(StackName=stack)
    assert {first, second} <= _buckets(aws)


# --- named-replacement --------------------------------------------------------------------------------------------------
def test_replacing_a_custom_named_resource_fails_and_changes_nothing(aws: Aws) -> None:
    cfn, stack, name = aws("cloudformation"), _name("rename"), _name("mpg")
    group = {"Type": "AWS::SageMaker::ModelPackageGroup", "Properties": {"ModelPackageGroupName": name,
                                                                          "ModelPackageGroupDescription": "before"}}
    _execute(cfn, stack, {"Resources": {"Group": group}})
    edited = {**group, "Properties": {**group["Properties"], "ModelPackageGroupDescription": "after"}}
    _execute(cfn, stack, {"Resources": {"Group": edited}}, kind="UPDATE")
    assert _status(cfn, stack) == "UPDATE_ROLLBACK_COMPLETE"
    assert ("Group", "UPDATE_FAILED", "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
                                      f"Rename {name} and update the stack again.") in _events(cfn, stack)
    described = aws("sagemaker").describe_model_package_group(ModelPackageGroupName=name)
    assert described["ModelPackageGroupDescription"] == "before"


def test_replacing_a_moto_native_named_resource_fails_too(aws: Aws) -> None:
    cfn, stack, name = aws("cloudformation"), _name("role"), _name("role")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}
    role = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": name, "Path": "/a/", "AssumeRolePolicyDocument": trust}}
    _execute(cfn, stack, {"Resources": {"Role": role}})
    _execute(cfn, stack, {"Resources": {"Role": {**role, "Properties": {**role["Properties"], "Path": "/b/"}}}}, kind="UPDATE")
    assert _status(cfn, stack) == "UPDATE_ROLLBACK_COMPLETE"
    assert aws("iam").get_role(RoleName=name)["Role"]["Path"] == "/a/"


def test_renaming_a_resource_is_a_replacement_aws_allows(aws: Aws) -> None:
    cfn, stack, old, new = aws("cloudformation"), _name("renamed"), _name("old"), _name("new")
    _execute(cfn, stack, {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": old}}}})
    _execute(cfn, stack, {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": new}}}}, kind="UPDATE")
    assert _status(cfn, stack) == "UPDATE_COMPLETE"


# --- import-existing ----------------------------------------------------------------------------------------------------
def _retained_bucket(aws: Aws, policy: str = "RetainExceptOnCreate") -> tuple[str, dict[str, Any]]:
    cfn, name, stack = aws("cloudformation"), _name("data"), _name("owner")
    template = {"Resources": {"Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": policy, "Properties": {"BucketName": name}}}}
    _execute(cfn, stack, template)
    aws("s3").put_object(Bucket=name, Key="model.tar.gz", Body=b"weights")
    cfn.delete_stack(StackName=stack)
    return name, template


def test_import_existing_resources_adopts_a_retained_bucket_with_its_data(aws: Aws) -> None:
    cfn, (name, template), stack = aws("cloudformation"), _retained_bucket(aws), _name("adopter")
    described = _execute(cfn, stack, template, ImportExistingResources=True)
    changes = [(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in described["Changes"]]
    assert changes == [("Import", "Data")]
    assert _status(cfn, stack) == "CREATE_COMPLETE"
    resources = cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    assert [(r["LogicalResourceId"], r["PhysicalResourceId"]) for r in resources] == [("Data", name)]
    assert aws("s3").get_object(Bucket=name, Key="model.tar.gz")["Body"].read() == b"weights"


def test_without_import_existing_resources_the_retained_name_blocks_the_create(aws: Aws) -> None:
    cfn, (name, template), stack = aws("cloudformation"), _retained_bucket(aws), _name("blocked")
    _execute(cfn, stack, template)
    assert _status(cfn, stack) == "ROLLBACK_COMPLETE"
    assert name in _buckets(aws)  # the rollback did not delete what it did not create


def test_import_needs_a_retaining_deletion_policy_and_no_other_stack(aws: Aws) -> None:
    cfn, (name, template) = aws("cloudformation"), _retained_bucket(aws, "Retain")
    unretained = {"Resources": {"Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}}}}
    described = _execute(cfn, _name("plain"), unretained, ImportExistingResources=True)
    assert [c["ResourceChange"]["Action"] for c in described["Changes"]] == ["Add"]
    owner = _name("owner2")
    _execute(cfn, owner, template, ImportExistingResources=True)
    assert _status(cfn, owner) == "CREATE_COMPLETE"
    described = _execute(cfn, _name("thief"), template, ImportExistingResources=True)  # now in another stack
    assert [c["ResourceChange"]["Action"] for c in described["Changes"]] == ["Add"]


# --- iam (opt-in) -------------------------------------------------------------------------------------------------------
def test_iam_enforcement_refuses_what_the_callers_policy_does_not_allow(endpoint: str, aws: Aws) -> None:
    import boto3
    from mlprov.local_aws.strict import iam

    admin, user = aws("iam"), _name("deployer")
    admin.create_user(UserName=user)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "cloudformation:DescribeStacks", "Resource": "*"}]}
    admin.put_user_policy(UserName=user, PolicyName="describe-only", PolicyDocument=json.dumps(policy))
    key = admin.create_access_key(UserName=user)["AccessKey"]
    cfn = boto3.client("cloudformation", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key["AccessKeyId"],
                       aws_secret_access_key=key["SecretAccessKey"])
    with iam.enforced():
        assert "Stacks" in cfn.describe_stacks()
        with pytest.raises(ClientError) as err:
            cfn.create_change_set(StackName=_name("denied"), ChangeSetName="c", ChangeSetType="CREATE", TemplateBody=_sized(200))
        assert err.value.response["Error"]["Code"] == "AccessDenied"
        assert f"user/{user} is not authorized to perform: cloudformation:CreateChangeSet" in err.value.response["Error"]["Message"]
    assert aws("cloudformation").describe_stacks()  # enforcement off again: the dummy keys work


def test_patching_again_after_the_rules_wraps_nothing_twice(endpoint: str) -> None:
    from mlprov.local_aws.patches import apply_patches
    from moto.cloudformation import parsing

    del endpoint  # the server applied patches and rules already
    before = (parsing.ResourceMap.update, parsing.parse_and_create_resource, parsing.parse_and_update_resource)
    apply_patches()
    strict.install()
    assert (parsing.ResourceMap.update, parsing.parse_and_create_resource, parsing.parse_and_update_resource) == before


def test_an_import_change_set_adopts_what_auto_import_cannot(aws: Aws) -> None:
    cfn, name = aws("cloudformation"), _name("registry")
    arn = aws("sagemaker").create_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]
    template = {"Resources": {"G": {"Type": "AWS::SageMaker::ModelPackageGroup", "DeletionPolicy": "RetainExceptOnCreate",
                                    "Properties": {"ModelPackageGroupName": name}}}}
    # primary identifier ModelPackageGroupArn is read-only: AWS does not auto-import it
    described = _execute(cfn, _name("auto"), template, ImportExistingResources=True)
    assert [c["ResourceChange"]["Action"] for c in described["Changes"]] == ["Add"]
    stack = _name("imported")
    to_import = [{"ResourceType": "AWS::SageMaker::ModelPackageGroup", "LogicalResourceId": "G",
                  "ResourceIdentifier": {"ModelPackageGroupArn": arn}}]
    described = _execute(cfn, stack, template, kind="IMPORT", ResourcesToImport=to_import)
    assert [c["ResourceChange"]["Action"] for c in described["Changes"]] == ["Import"]
    assert _status(cfn, stack) == "IMPORT_COMPLETE"
    assert [r["PhysicalResourceId"] for r in cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]] == [arn]
