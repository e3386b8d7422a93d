"""Drift of the governed properties on the local endpoint: each IAM tampering of the issue (an admin policy attached
to a stack role, an inline admin policy, a new default version of a managed policy and of the permission boundary),
the trust policy, the stack's own protections, the KMS key, the log group's key, SG egress, a deleted registry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mlprov.commands import _gate_check
from mlprov.gates.model import GateResult

from tests.aws.cli_support import run_cli
from tests.aws.conftest import client, enterprise_network, install

ENTERPRISE = "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct"
REGION, STACK = "eu-west-1", "globalbank-prod-b813-euw1-demand-forecasting-ml"
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def deployed(endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    root = tmp_path_factory.mktemp("drift-iam")
    (root / "products").mkdir()
    # undone even when the deploy fails: a leaked MLPROV_ROOT would point later tests of this process elsewhere
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLPROV_ROOT", str(root))
        mp.delenv("AWS_ENDPOINT_URL", raising=False)
        # deploy-product consults the gate; a module fixture runs before the autouse clean-gate fixture of tests/conftest.py
        # (a wider scope is set up first), so it injects the same clean verdict itself
        mp.setattr(_gate_check, "gate_runner", lambda: lambda product: GateResult(products=[product.name]))
        config = install(root, ENTERPRISE, {"app_id": "b813"}, network=enterprise_network(endpoint, REGION),
                         as_name=ENTERPRISE.replace("b002", "b813"))
        assert run_cli(mp, "deploy-product", str(config), "--force", "--endpoint-url", endpoint) == 0
        summaries = client(endpoint, "cloudformation", REGION).list_stack_resources(StackName=STACK)["StackResourceSummaries"]
        yield config, {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}


def _drift(config: Path, endpoint: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = run_cli(pytest.MonkeyPatch(), "check-drift", str(config), "--format", "json", "--endpoint-url", endpoint)
    return code, json.loads(capsys.readouterr().out)


def _row(drift: dict[str, Any], logical_id: str) -> dict[str, Any]:
    row: dict[str, Any] = next(r for r in drift["resources"] if r["logical_id"] == logical_id)
    return row


def _role_name(ids: dict[str, str], lid: str) -> str:
    return ids[lid].rsplit("/", 1)[-1]


def test_clean_stack_is_in_sync_and_compares_the_iam_properties(deployed: tuple[Path, dict[str, str]], endpoint: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    config, _ids = deployed
    code, drift = _drift(config, endpoint, capsys)
    assert (code, drift["verdict"]) == (0, "IN_SYNC"), [r for r in drift["resources"] if r["status"] != "IN_SYNC"]
    assert _row(drift, "CodeBuildRole")["checked"] == [
        "exists", "AssumeRolePolicyDocument", "ManagedPolicyArns", "Policies (names)", "PermissionsBoundary"]
    assert _row(drift, "PermissionBoundaryPolicy")["checked"] == ["exists", "PolicyDocument (default version)"]
    assert _row(drift, "(stack)")["checked"] == ["StackPolicy", "EnableTerminationProtection"]


def test_admin_policy_attached_to_a_stack_role_is_drift(deployed: tuple[Path, dict[str, str]], endpoint: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    config, ids = deployed
    iam = client(endpoint, "iam", REGION)
    role = _role_name(ids, "CodeBuildRole")
    # moto does not load the AWS managed policies: a customer-managed copy of AdministratorAccess
    admin_arn = iam.create_policy(PolicyName="tamper-admin", PolicyDocument=json.dumps(ADMIN))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=admin_arn)
    code, drift = _drift(config, endpoint, capsys)
    row = _row(drift, "CodeBuildRole")
    assert (code, drift["verdict"], row["status"]) == (1, "DRIFTED", "DRIFTED")
    assert row["differences"] == [{"property": "ManagedPolicyArns", "expected": [ids["BuildManagedPolicy"]],
                                   "actual": sorted([admin_arn, ids["BuildManagedPolicy"]]), "source": "live"}]
    iam.detach_role_policy(RoleName=role, PolicyArn=admin_arn)


def test_inline_admin_policy_on_a_stack_role_is_drift(deployed: tuple[Path, dict[str, str]], endpoint: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    config, ids = deployed
    iam = client(endpoint, "iam", REGION)
    role = _role_name(ids, "CodePipelineRole")
    iam.put_role_policy(RoleName=role, PolicyName="break-glass", PolicyDocument=json.dumps(ADMIN))
    code, drift = _drift(config, endpoint, capsys)
    row = _row(drift, "CodePipelineRole")
    assert (code, row["status"]) == (1, "DRIFTED")
    assert row["differences"] == [{"property": "Policies (names)", "expected": [], "actual": ["break-glass"],
                                   "source": "live"}]
    iam.delete_role_policy(RoleName=role, PolicyName="break-glass")


@pytest.mark.parametrize("logical_id", ["DeployManagedPolicy", "PermissionBoundaryPolicy"])
def test_new_default_version_of_a_managed_policy_is_drift(deployed: tuple[Path, dict[str, str]], endpoint: str,
                                                          capsys: pytest.CaptureFixture[str], logical_id: str) -> None:
    config, ids = deployed
    iam = client(endpoint, "iam", REGION)
    arn = ids[logical_id]
    before = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    version = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(ADMIN), SetAsDefault=True)
    code, drift = _drift(config, endpoint, capsys)
    row = _row(drift, logical_id)
    assert (code, row["status"]) == (1, "DRIFTED")
    [diff] = row["differences"]
    assert diff["property"] == "PolicyDocument (default version)"
    assert diff["actual"] == {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]}
    assert diff["expected"] != diff["actual"]
    iam.set_default_policy_version(PolicyArn=arn, VersionId=before)
    iam.delete_policy_version(PolicyArn=arn, VersionId=version["PolicyVersion"]["VersionId"])
    assert _row(_drift(config, endpoint, capsys)[1], logical_id)["status"] == "IN_SYNC"


def test_trust_policy_opened_to_another_principal_is_drift(deployed: tuple[Path, dict[str, str]], endpoint: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    config, ids = deployed
    iam = client(endpoint, "iam", REGION)
    role = _role_name(ids, "SageMakerExecutionRole")
    original = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    opened = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps(opened))
    code, drift = _drift(config, endpoint, capsys)
    [diff] = _row(drift, "SageMakerExecutionRole")["differences"]
    assert (code, diff["property"]) == (1, "AssumeRolePolicyDocument")
    assert diff["actual"]["Statement"][0]["Principal"] == {"AWS": ["arn:aws:iam::999999999999:root"]}
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=json.dumps(original))


def test_stack_policy_removed_and_termination_protection_off_are_drift(
        deployed: tuple[Path, dict[str, str]], endpoint: str, capsys: pytest.CaptureFixture[str]) -> None:
    config, _ids = deployed
    cfn = client(endpoint, "cloudformation", REGION)
    policy = cfn.get_stack_policy(StackName=STACK)["StackPolicyBody"]
    cfn.set_stack_policy(StackName=STACK, StackPolicyBody=json.dumps(
        {"Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}]}))
    cfn.update_termination_protection(StackName=STACK, EnableTerminationProtection=False)
    code, drift = _drift(config, endpoint, capsys)
    row = _row(drift, "(stack)")
    assert (code, row["status"]) == (1, "DRIFTED")
    assert [d["property"] for d in row["differences"]] == ["StackPolicy", "EnableTerminationProtection"]
    assert row["differences"][1] == {"property": "EnableTerminationProtection", "expected": True, "actual": False,
                                     "source": "live"}
    cfn.set_stack_policy(StackName=STACK, StackPolicyBody=policy)
    cfn.update_termination_protection(StackName=STACK, EnableTerminationProtection=True)


def test_key_disabled_and_egress_opened_are_drift(deployed: tuple[Path, dict[str, str]], endpoint: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    config, ids = deployed
    kms, ec2 = (client(endpoint, s, REGION) for s in ("kms", "ec2"))
    kms.disable_key(KeyId=ids["KmsKey"])
    ec2.authorize_security_group_egress(GroupId=ids["EndpointSecurityGroup"], IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    code, drift = _drift(config, endpoint, capsys)
    assert code == 1
    assert _row(drift, "KmsKey")["differences"] == [
        {"property": "KeyState", "expected": "Enabled", "actual": "Disabled", "source": "live"}]
    assert "KmsKeyId" in _row(drift, "ComplianceLogGroup")["checked"]  # moto has no DisassociateKmsKey: unit test
    [egress] = _row(drift, "EndpointSecurityGroup")["differences"]
    assert egress["property"] == "SecurityGroupEgress"
    assert egress["actual"] == sorted(["-1:None-None:0.0.0.0/0", *egress["expected"]])
    kms.enable_key(KeyId=ids["KmsKey"])
    ec2.revoke_security_group_egress(GroupId=ids["EndpointSecurityGroup"], IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])


def test_deleted_model_registry_is_deleted_not_unchecked(deployed: tuple[Path, dict[str, str]], endpoint: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from moto.sagemaker.models import sagemaker_backends

    config, ids = deployed
    # moto has no DeleteModelPackageGroup: remove it from the embedded server's (in-process) backend
    del sagemaker_backends["123456789012"][REGION].model_package_groups[ids["ModelPackageGroup"].rsplit("/", 1)[-1]]
    code, drift = _drift(config, endpoint, capsys)
    assert (code, _row(drift, "ModelPackageGroup")["status"]) == (1, "DELETED")
    client(endpoint, "sagemaker", REGION).create_model_package_group(  # put it back for the tests after this one
        ModelPackageGroupName=ids["ModelPackageGroup"].rsplit("/", 1)[-1])
    assert _drift(config, endpoint, capsys)[0] == 0  # every earlier tampering was undone: in sync again


def test_access_denied_on_one_resource_is_incomplete_exit_5_never_in_sync(
        deployed: tuple[Path, dict[str, str]], endpoint: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError
    from mlprov.aws import livecheck

    def denied(_ctx: Any, _physical: str) -> Any:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
                          "GetBucketEncryption")

    monkeypatch.setitem(livecheck.CHECKS, "AWS::S3::Bucket", denied)
    config, ids = deployed
    code, drift = _drift(config, endpoint, capsys)
    assert (code, drift["verdict"], drift["incomplete"]) == (5, "INCOMPLETE", True)
    assert _row(drift, "ArtifactsBucket") | {"differences": []} == {
        "logical_id": "ArtifactsBucket", "type": "AWS::S3::Bucket", "physical_id": ids["ArtifactsBucket"],
        "status": "NOT_CHECKED", "differences": [], "checked": [], "note": "could not read it: AccessDenied"}
    run_cli(monkeypatch, "check-drift", str(config), "--endpoint-url", endpoint)
    assert capsys.readouterr().out.splitlines()[2] == (
        "INCOMPLETE: some resources could not be read (see NOT_CHECKED below); this is not 'in sync'")
