"""The strict rules for prerequisites outside the stack, on the API and through a stack: VPC DNS attributes, one
subnet per zone, zones the service serves, private hosted zones, access-log targets, artifact stores, CodeCommit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from mlprov.local_aws.strict import codecommit, endpoint_zones

from tests.local_aws.conftest import REGION, failure, role, via_change_set

Aws = Callable[[str], Any]
STS = f"com.amazonaws.{REGION}.sts"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _network(aws: Aws, *, hostnames: bool = True, zones: tuple[str, ...] = ("a", "b")) -> tuple[str, list[str]]:
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    if hostnames:
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.50.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate(zones, start=1)]
    return vpc, subnets


def _endpoint(aws: Aws, vpc: str, subnets: list[str], service: str = STS, private_dns: bool = True) -> str:
    made = aws("ec2").create_vpc_endpoint(VpcId=vpc, ServiceName=service, VpcEndpointType="Interface", SubnetIds=subnets,
                                          PrivateDnsEnabled=private_dns)
    return str(made["VpcEndpoint"]["VpcEndpointId"])


def _refused(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ClientError) as err:
        call()
    return str(err.value.response["Error"]["Code"]), str(err.value.response["Error"]["Message"])


# --- endpoint-vpc-dns -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("attribute", ["EnableDnsHostnames", "EnableDnsSupport"])
def test_private_dns_needs_both_vpc_dns_attributes(aws: Aws, attribute: str) -> None:
    vpc, subnets = _network(aws)
    aws("ec2").modify_vpc_attribute(VpcId=vpc, **{attribute: {"Value": False}})
    assert _refused(lambda: _endpoint(aws, vpc, subnets)) == (
        "InvalidParameter",
        f"Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for {vpc}")
    assert _endpoint(aws, vpc, subnets, private_dns=False).startswith("vpce-")  # without private DNS: AWS allows it


def test_a_new_vpc_has_dns_hostnames_off_and_both_on_is_accepted(aws: Aws) -> None:
    vpc, subnets = _network(aws, hostnames=False)
    assert _refused(lambda: _endpoint(aws, vpc, subnets))[0] == "InvalidParameter"
    aws("ec2").modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    assert _endpoint(aws, vpc, subnets).startswith("vpce-")


# --- endpoint-subnet-zones ------------------------------------------------------------------------------------------
def test_two_subnets_in_one_zone_are_refused_naming_the_second(aws: Aws) -> None:
    vpc, subnets = _network(aws, zones=("a", "b", "a"))
    assert _refused(lambda: _endpoint(aws, vpc, subnets)) == (
        "DuplicateSubnetsInSameZone",
        f"Found another VPC endpoint subnet in the availability zone of {subnets[2]}. VPC endpoint subnets should be in "
        "different availability zones supported by the VPC endpoint service.")
    assert _refused(lambda: _endpoint(aws, vpc, subnets, private_dns=False))[0] == "DuplicateSubnetsInSameZone"
    assert _endpoint(aws, vpc, subnets[:2]).startswith("vpce-")


def test_a_gateway_endpoint_has_no_subnets_to_check(aws: Aws) -> None:
    vpc, _subnets = _network(aws, zones=("a", "a"))
    table = aws("ec2").create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    made = aws("ec2").create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.s3", VpcEndpointType="Gateway",
                                          RouteTableIds=[table])
    assert made["VpcEndpoint"]["VpcEndpointType"] == "Gateway"


# --- endpoint-service-zones -----------------------------------------------------------------------------------------
def test_a_zone_the_service_does_not_serve_is_refused_and_described(aws: Aws, zones_table: None) -> None:
    vpc, subnets = _network(aws)
    endpoint_zones.serve_only(REGION, STS, [f"{REGION}a", f"{REGION}c"])
    assert _refused(lambda: _endpoint(aws, vpc, subnets)) == (
        "InvalidParameter", f"The VPC endpoint service {STS} does not support the availability zone of the subnet: {subnets[1]}.")
    (detail,) = aws("ec2").describe_vpc_endpoint_services(ServiceNames=[STS])["ServiceDetails"]
    assert detail["AvailabilityZones"] == [f"{REGION}a", f"{REGION}c"]
    assert _endpoint(aws, vpc, subnets[:1]).startswith("vpce-")
    other = aws("ec2").describe_vpc_endpoint_services(ServiceNames=[f"com.amazonaws.{REGION}.kms"])["ServiceDetails"][0]
    assert f"{REGION}b" in other["AvailabilityZones"]  # a service not in the table: moto's answer (every zone)


def test_without_the_table_every_zone_is_served(aws: Aws) -> None:
    vpc, subnets = _network(aws)
    assert _endpoint(aws, vpc, subnets).startswith("vpce-")
    (detail,) = aws("ec2").describe_vpc_endpoint_services(ServiceNames=[STS])["ServiceDetails"]
    assert {f"{REGION}a", f"{REGION}b"} <= set(detail["AvailabilityZones"])


# --- private-dns-zone -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("zone_name", [f"sts.{REGION}.amazonaws.com", f"{REGION}.amazonaws.com"])
def test_a_private_hosted_zone_holding_the_name_blocks_private_dns(aws: Aws, zone_name: str) -> None:
    vpc, subnets = _network(aws)
    aws("route53").create_hosted_zone(Name=zone_name, CallerReference=_name("ref"), HostedZoneConfig={"PrivateZone": True},
                                      VPC={"VPCRegion": REGION, "VPCId": vpc})
    assert _refused(lambda: _endpoint(aws, vpc, subnets)) == (
        "InvalidParameter", "private-dns-enabled cannot be set because there is already a conflicting DNS domain for "
                            f"sts.{REGION}.amazonaws.com in the VPC {vpc}")
    assert _endpoint(aws, vpc, subnets, private_dns=False).startswith("vpce-")
    kms = f"com.amazonaws.{REGION}.kms"
    if zone_name.startswith("sts."):  # the zone holds sts's name only
        assert _endpoint(aws, vpc, subnets, service=kms).startswith("vpce-")
    else:  # a parent domain holds every service's name
        assert _refused(lambda: _endpoint(aws, vpc, subnets, service=kms))[1].endswith(
            f"conflicting DNS domain for kms.{REGION}.amazonaws.com in the VPC {vpc}")


def test_a_zone_of_another_vpc_or_another_name_does_not_conflict(aws: Aws) -> None:
    vpc, subnets = _network(aws)
    other_vpc, _ = _network(aws)
    r53 = aws("route53")
    r53.create_hosted_zone(Name=f"sts.{REGION}.amazonaws.com", CallerReference=_name("ref"),
                           HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": REGION, "VPCId": other_vpc})
    r53.create_hosted_zone(Name="corp.example.com", CallerReference=_name("ref"), HostedZoneConfig={"PrivateZone": True},
                           VPC={"VPCRegion": REGION, "VPCId": vpc})
    r53.create_hosted_zone(Name="xsts.eu-west-1.amazonaws.com", CallerReference=_name("ref"),
                           HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": REGION, "VPCId": vpc})
    assert _endpoint(aws, vpc, subnets).startswith("vpce-")


# --- access-log-target ----------------------------------------------------------------------------------------------
def _log_bucket(aws: Aws, name: str, region: str = REGION, policy: bool = True) -> None:
    s3 = boto3.client("s3", endpoint_url=aws("s3").meta.endpoint_url, region_name=region)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    if policy:
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{name}/*"}]}))


def _logged_bucket_stack(aws: Aws, target: str) -> tuple[str, str]:
    stack, bucket = _name("logs"), _name("logged")
    via_change_set(aws("cloudformation"), stack, {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": bucket, "LoggingConfiguration": {"DestinationBucketName": target, "LogFilePrefix": "s3/"}}}}})
    return stack, bucket


def _buckets(aws: Aws) -> set[str]:
    return {b["Name"] for b in aws("s3").list_buckets()["Buckets"]}


def test_a_logging_target_that_does_not_exist_fails_the_bucket(aws: Aws) -> None:
    stack, bucket = _logged_bucket_stack(aws, _name("nowhere"))
    assert failure(aws("cloudformation"), stack) == (
        "ROLLBACK_COMPLETE", "The target bucket for logging does not exist (Service: InvalidTargetBucketForLogging)")
    assert bucket not in _buckets(aws)


def test_a_logging_target_of_another_account_fails(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _name("foreign")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "210987654321")
    _log_bucket(aws, target)
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    stack, _bucket = _logged_bucket_stack(aws, target)
    assert failure(aws("cloudformation"), stack) == (
        "ROLLBACK_COMPLETE", "The owner for the bucket to be logged and the target bucket must be the same "
                             "(Service: InvalidTargetBucketForLogging)")


def test_a_logging_target_in_another_region_fails(aws: Aws) -> None:
    target = _name("elsewhere")
    _log_bucket(aws, target, region="us-west-2")
    stack, _bucket = _logged_bucket_stack(aws, target)
    assert failure(aws("cloudformation"), stack) == (
        "ROLLBACK_COMPLETE", "Cross S3 location logging not allowed (Service: CrossLocationLoggingProhibited)")


def test_without_the_logging_policy_an_acl_disabled_target_is_accepted(aws: Aws) -> None:
    """ACLs disabled (bucket owner enforced, the default): AWS does not check the permission at setup; the logs are
    simply never delivered (S3 User Guide, Troubleshoot server access logging: delivery failures)."""
    target = _name("nopolicy")
    _log_bucket(aws, target, policy=False)
    stack, bucket = _logged_bucket_stack(aws, target)
    assert failure(aws("cloudformation"), stack) == ("CREATE_COMPLETE", "")
    assert aws("s3").get_bucket_logging(Bucket=bucket)["LoggingEnabled"]["TargetBucket"] == target


def test_an_acl_enabled_target_without_policy_or_grants_fails(aws: Aws) -> None:
    target = _name("acls")
    _log_bucket(aws, target, policy=False)
    aws("s3").put_bucket_ownership_controls(Bucket=target, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    stack, _bucket = _logged_bucket_stack(aws, target)
    assert failure(aws("cloudformation"), stack) == (
        "ROLLBACK_COMPLETE", "You must give the log-delivery group WRITE and READ_ACP permissions to the target bucket "
                             "(Service: InvalidTargetBucketForLogging)")
    aws("s3").put_bucket_acl(Bucket=target, GrantWrite='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
                             GrantReadACP='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"')
    assert failure(aws("cloudformation"), _logged_bucket_stack(aws, target)[0]) == ("CREATE_COMPLETE", "")


def test_a_permitted_target_in_the_region_is_logged_to(aws: Aws) -> None:
    target = _name("target")
    _log_bucket(aws, target)
    stack, bucket = _logged_bucket_stack(aws, target)
    assert failure(aws("cloudformation"), stack) == ("CREATE_COMPLETE", "")
    assert aws("s3").get_bucket_logging(Bucket=bucket)["LoggingEnabled"] == {"TargetBucket": target, "TargetPrefix": "s3/"}


def test_lenient_mode_ignores_the_logging_configuration(aws: Aws, lenient: None) -> None:
    stack, bucket = _logged_bucket_stack(aws, _name("nowhere"))
    assert failure(aws("cloudformation"), stack)[0] == "CREATE_COMPLETE"
    assert "LoggingEnabled" not in aws("s3").get_bucket_logging(Bucket=bucket)


# --- artifact-store -------------------------------------------------------------------------------------------------
def _pipeline_stack(aws: Aws, store: str) -> str:
    stack, role_name = _name("pipe"), _name("pipe-role")
    source = {"Name": "Source", "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "S3", "Version": "1"},
              "Configuration": {"S3Bucket": "src", "S3ObjectKey": "src.zip"}, "OutputArtifacts": [{"Name": "Src"}]}
    build = {"Name": "Build", "ActionTypeId": {"Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1"},
             "Configuration": {"ProjectName": "p"}, "InputArtifacts": [{"Name": "Src"}]}
    via_change_set(aws("cloudformation"), stack, {"Resources": {"Role": role(role_name), "Pipeline": {
        "Type": "AWS::CodePipeline::Pipeline", "Properties": {
            "Name": _name("pipeline"), "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
            "ArtifactStore": {"Type": "S3", "Location": store},
            "Stages": [{"Name": "Source", "Actions": [source]}, {"Name": "Build", "Actions": [build]}]}}}})
    return stack


def test_a_missing_artifact_store_fails_the_pipeline(aws: Aws) -> None:
    store = _name("no-store")
    assert failure(aws("cloudformation"), _pipeline_stack(aws, store)) == (
        "ROLLBACK_COMPLETE", f"An error occurred while validating the artifact bucket '{store}': No bucket with the name "
                             f"{store} was found. Choose a valid artifact bucket in '{REGION}', or create a new artifact bucket "
                             "to use in your pipeline. (Service: InvalidStructureException)")


def test_an_artifact_store_in_another_region_fails_and_one_here_passes(aws: Aws) -> None:
    elsewhere, here = _name("store-w2"), _name("store")
    _log_bucket(aws, elsewhere, region="us-west-2", policy=False)
    _log_bucket(aws, here, policy=False)
    status, reason = failure(aws("cloudformation"), _pipeline_stack(aws, elsewhere))
    assert (status, reason) == ("ROLLBACK_COMPLETE", f"An error occurred while validating the artifact bucket '{elsewhere}': "
                                f"The bucket {elsewhere} is in us-west-2, not in '{REGION}'. Choose a valid artifact bucket "
                                f"in '{REGION}'. (Service: InvalidStructureException)")
    assert failure(aws("cloudformation"), _pipeline_stack(aws, here)) == ("CREATE_COMPLETE", "")


# --- codecommit-closed ----------------------------------------------------------------------------------------------
@pytest.fixture
def new_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    account = f"{uuid.uuid4().int % 10**12:012d}"
    monkeypatch.setenv("MOTO_ACCOUNT_ID", account)  # moto reads it per request (the server runs in this process)
    codecommit.close(account)
    try:
        yield account
    finally:
        codecommit.reopen(account)


def test_an_account_new_to_codecommit_cannot_create_a_repository(aws: Aws, new_account: str) -> None:
    cc = aws("codecommit")
    assert cc.list_repositories()["repositories"] == []
    assert _refused(lambda: cc.create_repository(repositoryName="first")) == (
        "OperationNotAllowedException", "CreateRepository request is not allowed because there is no existing repository in "
                                        "this AWS account or AWS Organization")
    codecommit.reopen(new_account)  # an existing customer (e.g. after AWS support enabled it)
    made = cc.create_repository(repositoryName="first")["repositoryMetadata"]
    assert made["accountId"] == new_account
    codecommit.close(new_account)  # still marked new, but the account now holds a repository: AWS lets it create more
    assert cc.create_repository(repositoryName="second")["repositoryMetadata"]["repositoryName"] == "second"
    assert [r["repositoryName"] for r in cc.list_repositories()["repositories"]] == ["first", "second"]


def test_a_stack_with_a_repository_fails_in_an_account_new_to_codecommit(aws: Aws, new_account: str) -> None:
    del new_account
    stack = _name("repo")
    via_change_set(aws("cloudformation"), stack, {"Resources": {"Repo": {
        "Type": "AWS::CodeCommit::Repository", "Properties": {"RepositoryName": _name("r")}}}})
    assert failure(aws("cloudformation"), stack) == (
        "ROLLBACK_COMPLETE", "CreateRepository request is not allowed because there is no existing repository in this AWS "
                             "account or AWS Organization (Service: OperationNotAllowedException)")


# --- expected-owner -------------------------------------------------------------------------------------------------
def test_get_bucket_location_honours_the_expected_owner(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs, ours = _name("theirs"), _name("ours")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "210987654321")
    _log_bucket(aws, theirs, policy=False)
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    _log_bucket(aws, ours, policy=False)
    s3 = aws("s3")
    assert _refused(lambda: s3.get_bucket_location(Bucket=theirs, ExpectedBucketOwner="123456789012")) == (
        "AccessDenied", "Access Denied")
    assert s3.get_bucket_location(Bucket=ours, ExpectedBucketOwner="123456789012")["LocationConstraint"] == REGION
    assert s3.get_bucket_location(Bucket=theirs)["LocationConstraint"] == REGION  # without the header: moto's answer
