"""network.endpoints / egress / ecr_endpoints: schema messages, test copies, the rendered groups, endpoints and
the CodeBuild role's VPC permissions, and the repository check for two endpoint creators in one VPC."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.cli import main
from mlprov.config.loader import load_product, validate_data
from mlprov.config.model import Product
from mlprov.network.conflicts import conflicts
from mlprov.render.engine import render

from tests.conftest import REPO

STANDALONE = REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct.yaml"
BLUE = REPO / "products" / "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-wl-blue-codecommit-standalone-direct.yaml"
EXISTING_SSM = REPO / "products" / "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm.yaml"
ECR = REPO / "products" / "globalbank-prod-b008-eu-west-1-demand-forecasting-ml-s3-standalone-direct.yaml"
ARN = "arn:aws:ec2:eu-west-1:123456789012"


def _data(path: Path, **network: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    data["network"].update(network)
    return data


def _endpoints(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == "AWS::EC2::VPCEndpoint"}


@pytest.mark.parametrize(("edit", "problem"), [
    ({"endpoints": "shared"}, "field 'network.endpoints': 'shared' is not one of: create, existing"),
    ({"egress": "internet"}, "field 'network.egress': 'internet' is not one of: endpoints, nat"),
    ({"ecr_endpoints": "yes"}, "field 'network.ecr_endpoints': expected true or false, got a string; Also create the ECR "
     "API and ECR Docker endpoints, for SageMaker jobs that run in the VPC and pull images; needs endpoints: create and "
     "egress: endpoints. Default false."),
    ({"ecr_endpoints": True, "endpoints": "existing"}, "field 'network.endpoints': must be 'create', got 'existing'; "
     "ecr_endpoints: true needs endpoints: create (or remove ecr_endpoints)"),
    ({"ecr_endpoints": True, "egress": "nat"}, "field 'network.egress': must be 'endpoints', got 'nat'; "
     "ecr_endpoints: true needs egress: endpoints (or remove ecr_endpoints)"),
])
def test_schema_names_the_field_and_the_fix(edit: dict[str, Any], problem: str) -> None:
    assert validate_data(STANDALONE, _data(STANDALONE, **edit)) == [problem]


def test_defaults_are_create_and_endpoints() -> None:
    data = _data(STANDALONE)
    for key in ("endpoints", "egress"):
        data["network"].pop(key)
    product = Product(STANDALONE, data)
    assert (product.endpoints_mode, product.egress_mode, product.ecr_endpoints) == ("create", "endpoints", False)


def test_a_test_copy_never_creates_endpoints() -> None:
    product = load_product(STANDALONE)
    assert product.endpoints_mode == "create"
    copy = product.for_test("t1a2b3c")
    assert copy.endpoints_mode == "existing"
    template = render(copy)[1]
    assert _endpoints(template) == {}
    assert "EndpointSecurityGroup" not in template["Resources"]
    assert not any(k.startswith("VpcEndpointId") for k in template["Outputs"])
    egress = template["Resources"]["BuildSecurityGroup"]["Properties"]["SecurityGroupEgress"]
    assert [(e["IpProtocol"], e["FromPort"], e["ToPort"], e["CidrIp"]) for e in egress] == [("tcp", 443, 443, "10.20.0.0/16")]


def test_the_created_endpoints_all_use_private_dns_and_s3_serves_every_resolver() -> None:
    template = render(load_product(STANDALONE))[1]
    endpoints = _endpoints(template)
    assert {k: v["ServiceName"] for k, v in endpoints.items()} == {
        "SageMakerApiEndpoint": "com.amazonaws.eu-west-1.sagemaker.api",
        "SageMakerRuntimeEndpoint": "com.amazonaws.eu-west-1.sagemaker.runtime",
        "S3Endpoint": "com.amazonaws.eu-west-1.s3", "StsEndpoint": "com.amazonaws.eu-west-1.sts",
        "LogsEndpoint": "com.amazonaws.eu-west-1.logs", "KmsEndpoint": "com.amazonaws.eu-west-1.kms",
    }
    assert all(v["PrivateDnsEnabled"] is True and v["VpcEndpointType"] == "Interface" for v in endpoints.values())
    assert all(v["SecurityGroupIds"] == [{"Fn::GetAtt": ["EndpointSecurityGroup", "GroupId"]}] for v in endpoints.values())
    assert endpoints["S3Endpoint"]["DnsOptions"] == {"PrivateDnsOnlyForInboundResolverEndpoint": "AllResolvers"}
    assert template["Metadata"]["MlProvisioner"]["Endpoints"] == "create"


def test_ecr_endpoints_are_added_only_when_asked() -> None:
    assert {"EcrApiEndpoint", "EcrDkrEndpoint"} <= set(_endpoints(render(load_product(ECR))[1]))
    assert not {"EcrApiEndpoint", "EcrDkrEndpoint"} & set(_endpoints(render(load_product(STANDALONE))[1]))


def test_builds_have_their_own_group_egressing_only_to_the_endpoint_group() -> None:
    res = render(load_product(STANDALONE))[1]["Resources"]
    for project in ("BuildProject", "DeployProject"):
        assert res[project]["Properties"]["VpcConfig"]["SecurityGroupIds"] == [{"Fn::GetAtt": ["BuildSecurityGroup", "GroupId"]}]
    group = res["BuildSecurityGroup"]["Properties"]
    assert "SecurityGroupIngress" not in group
    assert group["SecurityGroupEgress"] == [{
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "DestinationSecurityGroupId": {"Fn::GetAtt": ["EndpointSecurityGroup", "GroupId"]},
        "Description": "HTTPS to the VPC interface endpoints"}]


def test_existing_group_mode_admits_the_builds_with_a_rule_the_stack_owns() -> None:
    res = render(load_product(EXISTING_SSM))[1]["Resources"]
    assert res["EndpointIngressFromBuilds"]["Properties"] == {
        "GroupId": {"Fn::ImportValue": "sg-provisioner-prod-SecurityGroupId"}, "IpProtocol": "tcp",
        "FromPort": 443, "ToPort": 443, "SourceSecurityGroupId": {"Fn::GetAtt": ["BuildSecurityGroup", "GroupId"]},
        "Description": "HTTPS from the builds of globalbank-prod-b003-euw1-demand-forecasting-ml"}


def _statements(template: dict[str, Any], policy: str) -> dict[str, dict[str, Any]]:
    doc = template["Resources"][policy]["Properties"]["PolicyDocument"]
    return {s["Sid"]: s for s in doc["Statement"] if "Sid" in s}


@pytest.mark.parametrize("policy", ["BuildManagedPolicy", "PermissionBoundaryPolicy"])
def test_codebuild_vpc_permissions_as_codebuild_documents_them(policy: str) -> None:
    st = _statements(render(load_product(STANDALONE))[1], policy)
    subnets = [f"{ARN}:subnet/subnet-0a1b2c3d4e5f67891", f"{ARN}:subnet/subnet-0a1b2c3d4e5f67892"]
    assert st["BuildInCustomerVpc"]["Action"] == ["ec2:CreateNetworkInterfacePermission"]
    assert st["BuildInCustomerVpc"]["Resource"] == [f"{ARN}:network-interface/*"]
    assert st["BuildInCustomerVpc"]["Condition"] == {
        "StringEquals": {"ec2:AuthorizedService": "codebuild.amazonaws.com"}, "ArnEquals": {"ec2:Subnet": subnets}}
    assert st["BuildNetworkInterfaces"]["Resource"] == [
        f"{ARN}:network-interface/*", {"Fn::Sub": f"{ARN}:security-group/${{BuildSecurityGroup.GroupId}}"}]
    assert st["BuildNetworkInterfacesInProductSubnets"]["Resource"] == subnets


def test_ssm_resolved_subnets_become_arns_at_deploy_time() -> None:
    st = _statements(render(load_product(EXISTING_SSM))[1], "BuildManagedPolicy")
    assert st["BuildNetworkInterfacesInProductSubnets"]["Resource"] == {"Fn::Split": [",", {"Fn::Sub": [
        f"{ARN}:subnet/${{Ids}}", {"Ids": {"Fn::Join": [f",{ARN}:subnet/", {"Ref": "SubnetIds"}]}}]}]}


def _product(tmp: Path, source: Path, **network: Any) -> Product:
    path = tmp / source.name
    path.write_text(yaml.safe_dump(_data(source, **network)))
    return load_product(path)


def test_two_creators_in_one_vpc_are_refused(tmp_path: Path) -> None:
    first = load_product(STANDALONE)
    second = _product(tmp_path, BLUE, endpoints="create")
    assert conflicts(second, [first, second]) == [
        "field 'network.endpoints': create, but globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-"
        "standalone-direct.yaml also creates the private-DNS endpoints of VPC vpc-0a1b2c3d4e5f67890 (eu-west-1); "
        "AWS allows one per service per VPC: set 'endpoints: existing' in one of them"]
    assert conflicts(load_product(BLUE), [first]) == []  # the shipped sibling uses the VPC's endpoints
    other_vpc = _product(tmp_path, BLUE, endpoints="create", vpc_id="vpc-0fedcba9876543210")
    assert conflicts(other_vpc, [first]) == []


def test_ssm_resolved_products_conflict_on_the_same_parameter(tmp_path: Path) -> None:
    first = load_product(EXISTING_SSM)
    blue = REPO / "products" / "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-wl-blue-codecommit-existing-ssm.yaml"
    line = conflicts(_product(tmp_path, blue, endpoints="create"), [first])
    assert line and "of VPC SSM parameter /network/prod/vpc-id (eu-west-1)" in line[0]


def test_validate_config_refuses_a_second_creator(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blue = repo_copy / "products" / BLUE.name
    blue.write_text(blue.read_text().replace("endpoints: existing", "endpoints: create"))
    assert main(["validate-config", str(blue)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{blue}: field 'network.endpoints': create, but globalbank-prod-b002-")
    assert err[-1] == "1 of 1 config(s) invalid"


def test_every_shipped_example_pair_shares_its_vpc_cleanly(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-config"]) == 0
    out = capsys.readouterr().out
    assert out.count(": valid (") == len(list((repo_copy / "products").glob("*.yaml")))
