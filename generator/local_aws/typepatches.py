"""Patches of moto's own CloudFormation models of resource types (see :mod:`mlprov.local_aws.patches` for the list
and reasons): KMS key, SSM parameter, S3 bucket, log group, IAM role, security group, managed policy, VPC endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Settings = Callable[[Any, dict[str, Any], str], None]  # (moto's new resource, template properties, account id)


def create_then(settings: Settings) -> Callable[[Any], Any]:
    """A patch of ``create_from_cloudformation_json``: moto creates the resource, then ``settings`` applies the
    properties moto ignored."""

    def patch(original: Any) -> Any:
        def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
            made = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
            settings(made, dict(cloudformation_json.get("Properties") or {}), account_id)
            return made

        return create

    return patch


def _kms_props(props: dict[str, Any]) -> dict[str, Any]:
    out = dict(props)
    if isinstance(out.get("KeyPolicy"), dict):
        out["KeyPolicy"] = json.dumps(out["KeyPolicy"])
    out["Tags"] = [{"TagKey": t.get("Key", t.get("TagKey")), "TagValue": t.get("Value", t.get("TagValue"))}
                   for t in out.get("Tags", [])]
    return out


def kms_create(original: Any) -> Any:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        cfn = {**cloudformation_json, "Properties": _kms_props(cloudformation_json.get("Properties") or {})}
        return original(cls, resource_name, cfn, account_id, region_name, **kwargs)

    return create


def kms_update(_original: Any) -> Any:
    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        from moto.kms.models import kms_backends  # noqa: PLC0415

        props = _kms_props(cloudformation_json.get("Properties") or {})
        key, backend = original_resource, kms_backends[account_id][region_name]
        key.description = props.get("Description", "")
        key.key_rotation_status = bool(props.get("EnableKeyRotation", False))
        key.enabled = bool(props.get("Enabled", True))
        if props.get("KeyPolicy"):
            key.policy = props["KeyPolicy"]
        backend.tagger.delete_all_tags_for_resource(key.id)
        backend.tagger.tag_resource(key.id, props["Tags"])
        return key

    return update


def ssm_create(original: Any) -> Any:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        props = dict(cloudformation_json.get("Properties") or {})
        if isinstance(props.get("Tags"), dict):
            props["Tags"] = [{"Key": k, "Value": v} for k, v in props["Tags"].items()]
        return original(cls, resource_name, {**cloudformation_json, "Properties": props}, account_id, region_name, **kwargs)

    return create


def _bucket_settings(bucket: Any, props: dict[str, Any], account_id: str) -> None:
    from moto.s3.models import s3_backends  # noqa: PLC0415

    backend, name = s3_backends[account_id]["aws"], bucket.name
    if "VersioningConfiguration" in props:
        backend.put_bucket_versioning(name, str(props["VersioningConfiguration"].get("Status", "Suspended")))
    if props.get("PublicAccessBlockConfiguration"):
        backend.put_public_access_block(name, {k: str(bool(v)).lower() for k, v in props["PublicAccessBlockConfiguration"].items()})
    rules = (props.get("OwnershipControls") or {}).get("Rules") or []
    if rules:
        backend.put_bucket_ownership_controls(name, rules[0]["ObjectOwnership"])


bucket_create = create_then(_bucket_settings)


def bucket_update(original: Any) -> Any:
    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        bucket = original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        if bucket is original_resource:  # in place (a replacement went through create)
            _bucket_settings(bucket, cloudformation_json.get("Properties") or {}, account_id)
        return bucket

    return update


def _log_group_key(group: Any, props: dict[str, Any], _account_id: str) -> None:
    group.kms_key_id = props.get("KmsKeyId")


log_group_create = create_then(_log_group_key)


def _sync_role(role: Any, props: dict[str, Any], account_id: str) -> None:
    from moto.iam.models import iam_backends  # noqa: PLC0415

    iam = iam_backends[account_id]["aws"]
    wanted = [str(a) for a in props.get("ManagedPolicyArns", [])]
    for arn in [a for a in role.managed_policies if a not in wanted]:
        iam.detach_role_policy(arn, role.name)
    for arn in [a for a in wanted if a not in role.managed_policies]:
        iam.attach_role_policy(arn, role.name)
    role.permissions_boundary_arn = props.get("PermissionsBoundary") or None


role_create = create_then(_sync_role)


def role_update(original: Any) -> Any:
    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        role = original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        _sync_role(role, cloudformation_json.get("Properties") or {}, account_id)
        return role

    return update


def role_delete(original: Any) -> Any:
    def delete(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str) -> None:
        from moto.iam.models import iam_backends  # noqa: PLC0415

        iam = iam_backends[account_id]["aws"]
        for role in [r for r in iam.roles.values() if r.name == resource_name]:
            for arn in list(role.managed_policies):
                iam.detach_role_policy(arn, role.name)
        original(cls, resource_name, cloudformation_json, account_id, region_name)

    return delete


def _without_tags(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "Tags"}


def _remember_properties(group: Any, props: dict[str, Any], _account_id: str) -> None:
    group.mlprov_properties = props  # sg_update compares them to tell a tag-only change
    _apply_egress(group, props.get("SecurityGroupEgress") or [])


def _apply_egress(group: Any, rules: list[dict[str, Any]]) -> None:
    """moto keeps the default allow-all egress rule and ignores ``SecurityGroupEgress``; CloudFormation removes the
    default rule and adds the template's (AWS::EC2::SecurityGroup, SecurityGroupEgress: "when you specify egress rules,
    the default rule is removed"), to a CIDR or to another group (AWS::EC2::SecurityGroup Egress,
    ``DestinationSecurityGroupId``: "The ID of the destination VPC security group")."""
    if not rules:
        return
    backend = group.ec2_backend
    group.egress_rules.clear()
    for r in rules:
        described = {"Description": r["Description"]} if "Description" in r else {}
        ranges = [{"CidrIp": r["CidrIp"], **described}] if "CidrIp" in r else []
        groups = [{"GroupId": r["DestinationSecurityGroupId"], **described}] if "DestinationSecurityGroupId" in r else None
        backend.authorize_security_group_egress(group.id, str(r.get("IpProtocol")), str(r.get("FromPort", "")),
                                                str(r.get("ToPort", "")), ranges, source_groups=groups,
                                                vpc_id=group.vpc_id)


sg_create = create_then(_remember_properties)


def sg_update(original: Any) -> Any:
    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        props = dict(cloudformation_json.get("Properties") or {})
        before = getattr(original_resource, "mlprov_properties", None)
        # A group without GroupName gets a generated name that differs per call here; on AWS it keeps its name
        # (GroupName is the only naming property: AWS::EC2::SecurityGroup, CloudFormation Template Reference).
        renamed = "GroupName" in props and original_resource.name != new_resource_name
        if before is None or _without_tags(before) != _without_tags(props) or renamed:
            return original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        backend, group_id = original_resource.ec2_backend, original_resource.id
        backend.tags[group_id] = {k: v for k, v in backend.tags[group_id].items() if k.startswith("aws:")}
        backend.create_tags([group_id], {t["Key"]: t["Value"] for t in props.get("Tags", [])})
        original_resource.mlprov_properties = props
        return original_resource

    return update


def managed_policy_delete(_original: Any) -> Any:
    def delete(self: Any, account_id: str, region_name: str) -> None:
        from moto.iam.models import iam_backends  # noqa: PLC0415

        del region_name
        iam = iam_backends[account_id]["aws"]
        if self.attachment_count:  # a role of the stack still has it: try again once the role is gone
            from moto.iam.exceptions import DeleteConflictException  # noqa: PLC0415

            raise DeleteConflictException("Cannot delete a policy attached to entities.")
        iam.delete_policy(self.arn)

    return delete


def vpc_endpoint_delete(_original: Any) -> Any:
    def delete(self: Any, account_id: str, region_name: str) -> None:
        from moto.ec2.models import ec2_backends  # noqa: PLC0415

        ec2_backends[account_id][region_name].delete_vpc_endpoints([self.id])

    return delete


_TOPIC_ATTRIBUTES = {"DisplayName": "DisplayName", "KmsMasterKeyId": "KmsMasterKeyId"}


def topic_update(original: Any) -> Any:
    """As on AWS, only TopicName and FifoTopic replace a topic; moto deleted and re-created it on every update,
    losing its subscriptions."""

    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        from moto.sns.models import sns_backends  # noqa: PLC0415

        props = dict(cloudformation_json.get("Properties") or {})
        if original_resource.name != new_resource_name or bool(props.get("FifoTopic")) != original_resource.arn.endswith(".fifo"):
            return original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        backend = sns_backends[account_id][region_name]
        for prop, attribute in _TOPIC_ATTRIBUTES.items():
            backend.set_topic_attribute(original_resource.arn, attribute, str(props.get(prop, "")))
        wanted = {t["Key"]: t["Value"] for t in props.get("Tags", [])}
        stale = [k for k in original_resource._tags if k not in wanted]
        if stale:
            backend.untag_resource(original_resource.arn, stale)
        if wanted:
            backend.tag_resource(original_resource.arn, wanted)
        return original_resource

    return update


def role_put_policy(original: Any) -> Any:
    """moto stores a role's inline ``Policies`` from a template as a Python dict and answers GetRolePolicy with its
    repr (not JSON); AWS stores the JSON document (IAM API Reference, "GetRolePolicy": PolicyDocument is the JSON
    policy document, URL-encoded)."""

    def put_policy(self: Any, policy_name: str, policy_json: Any) -> None:
        original(self, policy_name, policy_json if isinstance(policy_json, str) else json.dumps(policy_json))

    return put_policy


def s3_notification_eventbridge(original: Any) -> Any:
    """GetBucketNotificationConfiguration: moto stores ``EventBridgeConfiguration`` but never returns it; AWS
    returns ``EventBridgeConfiguration: {}`` once EventBridge is on (Amazon S3 API Reference,
    GetBucketNotificationConfiguration; the forecast's MLPROV-F008 reads it)."""
    def get_bucket_notification(self: Any) -> Any:
        conf = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if conf is None or getattr(conf, "event_bridge", None) is None:
            return original(self)
        serialized = self.serialized

        def with_eventbridge(action_result: Any) -> Any:
            if isinstance(action_result.result, dict):
                action_result.result["EventBridgeConfiguration"] = {}
            return serialized(action_result)

        self.serialized = with_eventbridge
        try:
            return original(self)
        finally:
            del self.serialized
    return get_bucket_notification
