"""Each forecast check on the embedded local AWS: the blocker it predicts, with its exact line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mlprov.aws.session import Aws, Target
from mlprov.config.loader import load_product
from mlprov.forecast.runner import forecast
from mlprov.render.engine import render

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install

STARTER = "startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit"
STARTER_S3 = "startupco-dev-s002-us-east-1-fraud-detection-ml-s3"
PRO_S3 = "techcorp-prod-a002-us-west-2-customer-churn-ml-s3"
ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
EU = "eu-west-1"


def _lines(endpoint: str, config: Path, severity: str = "blocker") -> list[str]:
    prod = load_product(config)
    text, template = render(prod)
    found = forecast(prod, text, template, Aws(Target(region=prod.region, endpoint_url=endpoint)))
    return [f.line() for f in found if f.severity == severity]


def _enterprise(scratch: Path, endpoint: str, app: str, network: dict[str, Any] | None = None) -> Path:
    net = network or enterprise_network(endpoint, EU)
    return install(scratch, ENTERPRISE, {"app_id": app}, network=net, as_name=ENTERPRISE.replace("b002", app))


def test_a_clean_starter_has_no_blocker_and_the_command_prints_every_line(endpoint: str, scratch: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s961"}, as_name=STARTER.replace("s001", "s961"))
    repos = len(client(endpoint, "codecommit", "us-east-1").list_repositories()["repositories"])  # other tests' leave some
    assert run_cli(monkeypatch, "forecast", str(config), "--endpoint-url", endpoint) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("MLPROV-F001 info: deploying as account 123456789012, region us-east-1, "
                      "caller arn:aws:sts::123456789012:user/moto")
    assert out[1].startswith("MLPROV-F002 info: template inline as committed (")
    assert out[2] == ("MLPROV-F003 warning: CloudFormation service role /mlprov/startupco-dev-s961-use1-fraud-detection-ml-cfn "
                      "does not exist (fix: run `mlprov bootstrap` for this product (it creates the role the change sets assume))")
    assert out[3] == (f"MLPROV-F005 info: CodeCommit in use in us-east-1 ({repos} repositories)" if repos else (
        "MLPROV-F005 warning: account 123456789012 has no CodeCommit repository in us-east-1: CodeCommit is closed to new "
        "customers, so an account that never used it cannot create the repositories (fix: use an account that already uses "
        "CodeCommit, or switch the product to `source: {type: s3, ...}`)"))
    assert out[-1] == f"forecast: no blocker ({1 if repos else 2} warning(s))"
    assert run_cli(monkeypatch, "forecast", str(config), "--offline") == 0  # no endpoint, no credentials needed
    assert capsys.readouterr().out.splitlines()[-1] == "forecast: no blocker (0 warning(s))"


def test_named_resource_outside_the_stack(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s962"}, as_name=STARTER.replace("s001", "s962"))
    name = "startupco-dev-s962-use1-fraud-detection-ml"
    # not retained by the template (no adoption): the create fails "already exists"
    client(endpoint, "ssm", "us-east-1").put_parameter(Name=f"/mlprov/{name}/ModelPackageGroupArn", Value="x", Type="String")
    # retained (DeletionPolicy Retain) but not this product's: the deploy refuses to adopt it
    client(endpoint, "sagemaker", "us-east-1").create_model_package_group(
        ModelPackageGroupName=name, Tags=[{"Key": "mlprov:product", "Value": "someone-else"}])
    assert _lines(endpoint, config) == [
        f"MLPROV-F004 blocker: ModelPackageGroup (AWS::SageMaker::ModelPackageGroup): model package group {name} already "
        f"exists outside stack {name} and is not this product's (tagged mlprov:product=someone-else, not {name}): the "
        "deploy refuses to adopt it (fix: delete or rename it, or change the config's names (organization, app_id, use_case))",
        f"MLPROV-F004 blocker: ModelPackageGroupArnParameter (AWS::SSM::Parameter): SSM parameter /mlprov/{name}/"
        f"ModelPackageGroupArn already exists outside stack {name}; the create fails with AlreadyExists (fix: delete it, "
        "or rename the product (organization, app_id, use_case))"]
    # the hook: deploy-product refuses (exit 2) before any change set exists
    assert run_cli(monkeypatch, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == [f"{config}: forecast: 2 blocker(s): AWS would refuse this deploy",
                        "hint: fix each blocker above (its fix is on its line), then rerun"]
    assert stack_absent(endpoint, name)


def test_a_retained_resource_of_this_product_is_adopted_not_blocked(endpoint: str, scratch: Path) -> None:
    config = install(scratch, STARTER, {"app_id": "s960"}, as_name=STARTER.replace("s001", "s960"))
    name = "startupco-dev-s960-use1-fraud-detection-ml"
    client(endpoint, "sagemaker", "us-east-1").create_model_package_group(
        ModelPackageGroupName=name, Tags=[{"Key": "mlprov:product", "Value": name}])
    assert _lines(endpoint, config) == []
    assert (f"MLPROV-F004 info: ModelPackageGroup (AWS::SageMaker::ModelPackageGroup): model package group {name} was "
            "retained by an earlier deploy of this product: the deploy adopts it with its data (ImportExistingResources)"
            in _lines(endpoint, config, "info"))


def test_existing_private_dns_endpoint_and_hosted_zone(endpoint: str, scratch: Path) -> None:
    net = enterprise_network(endpoint, EU)
    ec2 = client(endpoint, "ec2", EU)
    other = ec2.create_vpc_endpoint(VpcId=net["vpc_id"], ServiceName=f"com.amazonaws.{EU}.sts", VpcEndpointType="Interface",
                                    SubnetIds=net["subnet_ids"], PrivateDnsEnabled=True)["VpcEndpoint"]["VpcEndpointId"]
    zone = client(endpoint, "route53", EU).create_hosted_zone(
        Name="api.sagemaker.eu-west-1.amazonaws.com", CallerReference="f013",
        HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": EU, "VPCId": net["vpc_id"]})["HostedZone"]["Id"]
    config = _enterprise(scratch, endpoint, "b963", net)
    fix = "(fix: use the VPC's endpoint (network.endpoints: existing), or turn private DNS off on the other one)"
    assert _lines(endpoint, config) == [
        f"MLPROV-F012 blocker: StsEndpoint: VPC {net['vpc_id']} already has {other} for com.amazonaws.{EU}.sts with "
        f"private DNS; AWS allows one per service per VPC (conflicting DNS domain) {fix}",
        f"MLPROV-F013 blocker: SageMakerApiEndpoint: private hosted zone api.sagemaker.eu-west-1.amazonaws.com "
        f"({zone.split('/')[-1]}) is associated with VPC {net['vpc_id']} and covers api.sagemaker.eu-west-1.amazonaws.com "
        f"(conflicting DNS domain) {fix}"]


def test_vpc_dns_attributes_and_subnets_in_one_zone(endpoint: str, scratch: Path) -> None:
    ec2 = client(endpoint, "ec2", EU)
    vpc = ec2.create_vpc(CidrBlock="10.21.0.0/16")["Vpc"]["VpcId"]  # enableDnsHostnames is off in a new VPC
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.21.{i}.0/24", AvailabilityZone=f"{EU}a")["Subnet"]["SubnetId"]
               for i in (1, 2)]
    config = _enterprise(scratch, endpoint, "b964", {"vpc_id": vpc, "subnet_ids": subnets})
    assert _lines(endpoint, config) == [
        f"MLPROV-F009 blocker: VPC {vpc} (network.vpc_id / network.subnet_ids) has enableDnsHostnames off; the private-DNS "
        "endpoints (SageMakerApiEndpoint, SageMakerRuntimeEndpoint, S3Endpoint, StsEndpoint, LogsEndpoint, KmsEndpoint) "
        "cannot be created "
        f"(fix: aws ec2 modify-vpc-attribute --vpc-id {vpc} --enable-dnshostnames)",
        f"MLPROV-F010 blocker: subnets {subnets[0]}, {subnets[1]} (network.vpc_id / network.subnet_ids) are all in {EU}a; "
        "an interface endpoint takes one subnet per Availability Zone (DuplicateSubnetsInSameZone) "
        "(fix: list one subnet per Availability Zone)"]


def test_external_buckets(endpoint: str, scratch: Path) -> None:
    starter = install(scratch, STARTER_S3, {"app_id": "s965", "artifact_bucket": "f007-missing-artifacts",
                                            "source": {"type": "s3", "bucket": "f008-unversioned", "build_key": "b.zip",
                                                       "deploy_key": "d.zip"}},
                      as_name=STARTER_S3.replace("s002", "s965"), seed_buckets_too=False)
    client(endpoint, "s3", "us-east-1").create_bucket(Bucket="f008-unversioned")
    assert _lines(endpoint, starter) == [
        "MLPROV-F007 blocker: artifact_bucket: bucket f007-missing-artifacts does not exist "
        "(fix: create it in us-east-1 first, or fix `artifact_bucket`)",
        "MLPROV-F008 blocker: source.bucket: bucket f008-unversioned is not versioned; the CodePipeline S3 source action "
        "requires versioning (fix: aws s3api put-bucket-versioning --bucket f008-unversioned --versioning-configuration "
        "Status=Enabled)"]
    s3w = client(endpoint, "s3", "us-west-2")
    where = {"CreateBucketConfiguration": {"LocationConstraint": "us-west-2"}}
    s3w.create_bucket(Bucket="f006-no-policy", **where)
    s3w.create_bucket(Bucket="f008-no-events", **where)
    s3w.put_bucket_versioning(Bucket="f008-no-events", VersioningConfiguration={"Status": "Enabled"})
    pro = install(scratch, PRO_S3, {"app_id": "a966", "access_log_bucket": "f006-no-policy",
                                    "source": {"type": "s3", "bucket": "f008-no-events", "build_key": "b.zip",
                                               "deploy_key": "d.zip"}},
                  as_name=PRO_S3.replace("a002", "a966"), seed_buckets_too=False)
    assert _lines(endpoint, pro) == [
        "MLPROV-F006 blocker: access_log_bucket: bucket f006-no-policy has no policy statement allowing "
        "logging.s3.amazonaws.com s3:PutObject, so no access log is delivered (fix: add a bucket policy statement: Allow "
        "Service logging.s3.amazonaws.com s3:PutObject on arn:aws:s3:::f006-no-policy/* with aws:SourceAccount 123456789012)"]
    assert _lines(endpoint, pro, "warning")[-1] == (
        "MLPROV-F008 warning: source.bucket: bucket f008-no-events does not send events to EventBridge, so a new source zip "
        "never starts the pipelines (fix: aws s3api put-bucket-notification-configuration --bucket f008-no-events "
        "--notification-configuration '{\"EventBridgeConfiguration\": {}}')")
    client(endpoint, "s3", "us-east-1").create_bucket(Bucket="f006-elsewhere")
    elsewhere = install(scratch, PRO_S3, {"app_id": "a967", "access_log_bucket": "f006-elsewhere"},
                        as_name=PRO_S3.replace("a002", "a967"), seed_buckets_too=False)
    assert _lines(endpoint, elsewhere)[0] == ("MLPROV-F006 blocker: access_log_bucket: bucket f006-elsewhere is in us-east-1, "
                                              "not in us-west-2 (fix: use a bucket in us-west-2)")


def test_service_role_found(endpoint: str, scratch: Path) -> None:
    config = install(scratch, STARTER, {"app_id": "s968"}, as_name=STARTER.replace("s001", "s968"))
    name = "startupco-dev-s968-use1-fraud-detection-ml-cfn"
    client(endpoint, "iam", "us-east-1").create_role(RoleName=name, Path="/mlprov/", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudformation.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}))
    assert f"MLPROV-F003 info: CloudFormation service role /mlprov/{name} exists" in _lines(endpoint, config, "info")
    # a test copy uses its product's role
    prod = load_product(config).for_test("t0a0b0c")
    text, template = render(prod)
    found = forecast(prod, text, template, Aws(Target(region="us-east-1", endpoint_url=endpoint)))
    assert f"MLPROV-F003 info: CloudFormation service role /mlprov/{name} exists" in [f.line() for f in found]


def test_show_changes_runs_the_forecast_first(endpoint: str, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = install(scratch, STARTER, {"app_id": "s969"}, as_name=STARTER.replace("s001", "s969"))
    name = "startupco-dev-s969-use1-fraud-detection-ml"
    client(endpoint, "iam", "us-east-1").create_role(RoleName=f"{name}-codebuild", AssumeRolePolicyDocument="{}")
    assert run_cli(monkeypatch, "show-changes", str(config), "--endpoint-url", endpoint) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"  MLPROV-F004 blocker: CodeBuildRole (AWS::IAM::Role): IAM role {name}-codebuild already exists")
    assert stack_absent(endpoint, name)
    assert run_cli(monkeypatch, "show-changes", str(config), "--skip-forecast", "--endpoint-url", endpoint) == 0


def stack_absent(endpoint: str, name: str) -> bool:
    cfn = client(endpoint, "cloudformation", "us-east-1")
    return not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == name and s["StackStatus"] != "DELETE_COMPLETE"]


def test_existing_endpoints_mode_needs_the_vpcs_own_endpoints(endpoint: str, scratch: Path) -> None:
    blue = ENTERPRISE.replace("-ml-codecommit", "-ml-wl-blue-codecommit")
    net = enterprise_network(endpoint, EU)
    config = install(scratch, blue, {"app_id": "b970"}, network=net, as_name=blue.replace("b002", "b970"))
    services = [f"com.amazonaws.{EU}.{s}" for s in ("sagemaker.api", "sagemaker.runtime", "s3", "sts", "logs", "kms")]
    assert _lines(endpoint, config, "warning")[-1] == (
        f"MLPROV-F014 warning: VPC {net['vpc_id']} (network.vpc_id / network.subnet_ids) has no private-DNS endpoint for "
        f"{', '.join(services)}; with network.endpoints: existing the stack creates none, so the builds cannot reach them "
        "(fix: deploy the sibling that creates the endpoints first, or set network.endpoints: create)")
    ec2 = client(endpoint, "ec2", EU)
    for service in services:
        ec2.create_vpc_endpoint(VpcId=net["vpc_id"], ServiceName=service, VpcEndpointType="Interface",
                                SubnetIds=net["subnet_ids"], PrivateDnsEnabled=True)
    assert (f"MLPROV-F014 info: VPC {net['vpc_id']} has a private-DNS endpoint for each of the 6 services the product uses"
            in _lines(endpoint, config, "info"))
    assert _lines(endpoint, config) == []
