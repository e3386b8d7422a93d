"""The resource list's security properties and the IAM section (roles, their policies, deployer policy files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.errors import UserError
from mlprov.reports import iam
from mlprov.reports.resources import NONE, grouped, row

from tests.reports.support import ENTERPRISE, PROFESSIONAL, REPO, STARTER, template


def test_enterprise_resources_grouped_by_service_with_security_properties() -> None:
    groups = grouped(template(ENTERPRISE))
    assert list(groups) == sorted(groups)
    assert sum(len(rows) for rows in groups.values()) == 47  # SPEC 41 + network (3) + MLOps (3) additions
    by_id = {r.logical_id: r for rows in groups.values() for r in rows}
    bucket = by_id["ArtifactsBucket"]
    assert (bucket.service, bucket.encryption, bucket.key) == ("S3", "aws:kms", "KmsKey.Arn")
    assert bucket.public_access == "blocked (all 4 settings)"
    assert bucket.retention == "DeletionPolicy RetainExceptOnCreate; versioning Enabled" and bucket.stateful
    assert by_id["KmsKey"].encryption == "customer managed key, rotation on"
    assert by_id["KmsKey"].retention == "DeletionPolicy RetainExceptOnCreate; deletion window 30 days"
    assert by_id["ComplianceLogGroup"].retention == "DeletionPolicy RetainExceptOnCreate; 731 days"
    assert by_id["CodeBuildRole"].boundary == "Ref PermissionBoundaryPolicy"
    assert by_id["EndpointSecurityGroup"].public_access == "tcp:443-443 from 10.20.0.0/16"
    assert by_id["BuildProject"].public_access == "inside the VPC" and by_id["BuildProject"].key == "KmsKey.Arn"
    assert by_id["SecurityAlertsTopic"].encryption == "KMS"
    assert by_id["MonitoringDashboard"].encryption == NONE


def test_starter_roles_have_no_boundary_and_stores_use_aws_keys() -> None:
    by_id = {r.logical_id: r for rows in grouped(template(STARTER)).values() for r in rows}
    assert by_id["CodeBuildRole"].boundary == "NO BOUNDARY"
    assert by_id["BuildPipeline"].encryption == "AWS managed key" and by_id["BuildPipeline"].key == NONE


def test_weak_settings_are_spelled_out() -> None:
    assert row("B", {"Type": "AWS::S3::Bucket", "Properties": {}}).public_access == "NOT BLOCKED"
    assert row("B", {"Type": "AWS::S3::Bucket", "Properties": {}}).encryption == "S3 default (SSE-S3)"
    partly = {"PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": False}}
    assert row("B", {"Type": "AWS::S3::Bucket", "Properties": partly}).public_access == "partly blocked: BlockPublicAcls"
    assert row("K", {"Type": "AWS::KMS::Key", "Properties": {}}).encryption == "customer managed key, ROTATION OFF"
    assert row("L", {"Type": "AWS::Logs::LogGroup", "Properties": {}}).retention == "NEVER EXPIRES"
    open_sg = {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}
    assert row("S", {"Type": "AWS::EC2::SecurityGroup", "Properties": open_sg}).public_access == \
        "OPEN TO THE INTERNET: tcp:22-22 from 0.0.0.0/0"
    assert row("S", {"Type": "AWS::EC2::SecurityGroup", "Properties": {}}).public_access == "no ingress"


def test_starter_roles_and_the_standalone_policy_attached_to_two_of_them() -> None:
    roles = {r.logical_id: r for r in iam.roles(template(STARTER))}
    assert sorted(roles) == ["CodeBuildRole", "CodePipelineRole", "EventsRole", "SageMakerExecutionRole"]
    build = roles["CodeBuildRole"]
    assert build.trusted == ["Service: codebuild.amazonaws.com"] and build.boundary == "none"
    [policy] = build.policies
    assert policy.origin == "AWS::IAM::Policy StarterPipelinePolicy"
    assert policy.name == "startupco-dev-s001-use1-fraud-detection-ml-pipeline"
    assert [s.sid for s in policy.statements][:3] == ["BuildLogs", "BuildArtifacts", "ModelPackagesOfThisProduct"]
    assert [p.origin for p in roles["CodePipelineRole"].policies] == ["AWS::IAM::Policy StarterPipelinePolicy"]
    assert [p.origin for p in roles["SageMakerExecutionRole"].policies] == ["inline"]


def test_professional_roles_resolve_their_managed_policies_from_the_template() -> None:
    roles = {r.logical_id: r for r in iam.roles(template(PROFESSIONAL))}
    [managed] = roles["CodeBuildRole"].policies
    assert managed.origin == "managed policy BuildManagedPolicy" and managed.statements


def test_enterprise_roles_carry_the_boundary_and_external_managed_arns_are_named() -> None:
    roles = {r.logical_id: r for r in iam.roles(template(ENTERPRISE))}
    assert {r.boundary for r in roles.values()} == {"Ref PermissionBoundaryPolicy"}
    t = {"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:a", "arn:b"]}}]}}}}}
    [role] = iam.roles(t)
    assert role.trusted == ["AWS: arn:a, arn:b"]
    assert (role.policies[0].name, role.policies[0].origin, role.policies[0].note) == \
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", "AWS managed", "document not in the template")


def test_statements_show_not_action_not_resource_and_conditions() -> None:
    doc = {"Statement": {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:x"], "Condition": {"Bool": {"a": "b"}}}}
    [s] = iam.statements(doc)
    assert (s.effect, s.actions, s.resources, s.condition) == ("Deny", ["NOT iam:*"], ["NOT arn:x"], '{"Bool": {"a": "b"}}')


def test_access_files_one_view_per_policy_in_principal_order() -> None:
    parts = iam.deployer_policies(REPO / "products" / ENTERPRISE)
    folder = REPO / "products" / ENTERPRISE / "access"
    expected = []
    for kind in ("deployer", "cloudformation-service-role", "plan", "drift"):
        count = len(json.loads((folder / f"{kind}.json").read_text())["policies"])
        expected += [f"{kind}.json #{i + 1}" for i in range(count)]
    assert [p.name for p in parts] == expected
    assert parts[0].origin == "deployer mlprov-deploy"
    assert parts[0].statements[0].sid == "CloudformationScoped"


def test_a_broken_access_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "access").mkdir()
    (tmp_path / "access" / "deployer.json").write_text(json.dumps({"kind": "deployer", "name": "d", "policies": []}))
    (tmp_path / "access" / "plan.json").write_text("{not json")
    with pytest.raises(UserError) as err:
        iam.deployer_policies(tmp_path)
    assert err.value.message == \
        f"{tmp_path}/access/plan.json: not valid JSON (Expecting property name enclosed in double quotes at line 1)"
    assert err.value.hint == "run `mlprov render` to write it again"
    assert iam.deployer_policies(tmp_path / "missing") == []
