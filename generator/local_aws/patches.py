"""Minimal patches of moto 5.2's CloudFormation where it differs from AWS in ways our stacks meet.

Each patch is idempotent, wraps moto's own code (original behaviour first, then the fix) and is listed in
:data:`PATCHES` with the reason. Applied by :func:`apply_patches` (``LocalAws`` does it before starting).

- change-set outputs: after a change set runs, moto keeps the stack's previous (empty) template and outputs;
  AWS refreshes them (UpdateStack does), and publishes the stack's exports.
- change-set imports: a stack created through a change set resolves ``Fn::ImportValue`` against an empty export
  table; AWS uses the account's exports (the SG provisioner stack's, for the enterprise ``existing`` mode).
- KMS key: moto stores a ``KeyPolicy`` given as a JSON object unserialised (the key then cannot be read back) and
  expects tags as TagKey/TagValue; AWS takes an object and Key/Value. Also updates in place (AWS does).
- SSM parameter: CloudFormation gives Tags as a map; moto expects a Key/Value list.
- S3 bucket: moto applies only BucketEncryption and Tags; VersioningConfiguration, PublicAccessBlockConfiguration and
  OwnershipControls (the governed settings drift checks read) are applied here, on create and in-place update.
- log group: moto drops ``KmsKeyId`` (reads ``kmsKeyId``); updates of retention and tags happen in place.
- updates without support: for a type moto cannot update, moto replaces the resource in the stack by ``None``
  (every later Ref to it then resolves to nothing); the resource is kept and updated where we know how.
- IAM role: moto ignores ``ManagedPolicyArns`` (nothing is attached) and, on update, the boundary; AWS attaches
  them, and detaches them when the role goes.
- security group: moto replaces a group on every update (new id); AWS changes tags in place. A tag-only change
  is now applied in place; anything else still goes through moto's replacement.
- replacement cascade: when an update replaces a resource (new physical id), moto leaves the resources that
  reference it unchanged, still pointing at the old one; AWS updates them. They are updated here too.
- delete: moto never deletes a managed policy or a VPC endpoint with its stack; AWS does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

PATCHES: dict[str, str] = {}
_MARK = "_mlprov_patched"


def _once(owner: Any, name: str, make: Callable[[Any], Any], reason: str, *, classmethod_: bool = False) -> None:
    original = owner.__dict__.get(name) if classmethod_ else getattr(owner, name, None)
    if getattr(original, _MARK, False) or (classmethod_ and getattr(getattr(original, "__func__", None), _MARK, False)):
        return
    fn = make(original.__func__ if classmethod_ and original is not None else original)
    setattr(fn, _MARK, True)
    setattr(owner, name, classmethod(fn) if classmethod_ else fn)
    PATCHES[f"{getattr(owner, '__name__', owner)}.{name}"] = reason


def _change_set_apply(original: Any) -> Any:
    from moto.cloudformation.models import cloudformation_backends  # noqa: PLC0415

    def apply(self: Any) -> None:
        stack = self.stack
        backend = cloudformation_backends[stack.account_id][stack.region_name]
        stack.resource_map.cross_stack_resources = backend.exports
        original(self)
        stack.template = self.template
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.output_map = stack._create_output_map()
        for export in stack.exports:
            backend.exports[export.name] = export

    return apply


def _kms_props(props: dict[str, Any]) -> dict[str, Any]:
    out = dict(props)
    if isinstance(out.get("KeyPolicy"), dict):
        out["KeyPolicy"] = json.dumps(out["KeyPolicy"])
    out["Tags"] = [{"TagKey": t.get("Key", t.get("TagKey")), "TagValue": t.get("Value", t.get("TagValue"))}
                   for t in out.get("Tags", [])]
    return out


def _kms_create(original: Any) -> Any:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        cfn = {**cloudformation_json, "Properties": _kms_props(cloudformation_json.get("Properties") or {})}
        return original(cls, resource_name, cfn, account_id, region_name, **kwargs)

    return create


def _kms_update(_original: Any) -> Any:
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


def _ssm_create(original: Any) -> Any:
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


def _bucket_create(original: Any) -> Any:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        bucket = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        _bucket_settings(bucket, cloudformation_json.get("Properties") or {}, account_id)
        return bucket

    return create


def _bucket_update(original: Any) -> Any:
    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        bucket = original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        if bucket is original_resource:  # in place (a replacement went through create)
            _bucket_settings(bucket, cloudformation_json.get("Properties") or {}, account_id)
        return bucket

    return update


def _log_group_create(original: Any) -> Any:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        group = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        group.kms_key_id = (cloudformation_json.get("Properties") or {}).get("KmsKeyId")
        return group

    return create


def _in_place(resource: Any, resource_json: dict[str, Any], account_id: str, region_name: str) -> None:
    """Update what we know how to for the types moto cannot update (the rest stays as created)."""
    from moto.iam.models import ManagedPolicy, iam_backends  # noqa: PLC0415
    from moto.logs.models import LogGroup, logs_backends  # noqa: PLC0415

    props = resource_json.get("Properties") or {}
    if isinstance(resource, LogGroup):
        resource.retention_in_days = props.get("RetentionInDays")
        resource.kms_key_id = props.get("KmsKeyId")
        backend = logs_backends[account_id][region_name]
        backend.tagger.delete_all_tags_for_resource(resource.arn)
        backend.tag_resource(resource.arn, {t["Key"]: t["Value"] for t in props.get("Tags", [])})
    elif isinstance(resource, ManagedPolicy) and "PolicyDocument" in props:
        document = props["PolicyDocument"]
        text = document if isinstance(document, str) else json.dumps(document)
        if text != next(v.document for v in resource.versions if v.is_default):
            iam = iam_backends[account_id]["aws"]
            for old in [v for v in resource.versions if not v.is_default]:
                iam.delete_policy_version(resource.arn, old.version_id)
            iam.create_policy_version(resource.arn, text, True)


def _update_keeps_resource(original: Any) -> Any:
    def parse_and_update_resource(logical_id: str, resource_json: dict[str, Any], resources_map: Any, account_id: str,
                                  region_name: str) -> Any:
        updated = original(logical_id, resource_json, resources_map, account_id, region_name)
        if updated is None:
            updated = resources_map._parsed_resources.get(logical_id)
            if updated is not None and not isinstance(updated, str):
                from moto.cloudformation.parsing import clean_json  # noqa: PLC0415

                _in_place(updated, clean_json(resource_json, resources_map), account_id, region_name)
        return updated

    return parse_and_update_resource


def _sync_role(role: Any, props: dict[str, Any], account_id: str) -> None:
    from moto.iam.models import iam_backends  # noqa: PLC0415

    iam = iam_backends[account_id]["aws"]
    wanted = [str(a) for a in props.get("ManagedPolicyArns", [])]
    for arn in [a for a in role.managed_policies if a not in wanted]:
        iam.detach_role_policy(arn, role.name)
    for arn in [a for a in wanted if a not in role.managed_policies]:
        iam.attach_role_policy(arn, role.name)
    role.permissions_boundary_arn = props.get("PermissionsBoundary") or None


def _role_create(original: Any) -> Any:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        role = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        _sync_role(role, cloudformation_json.get("Properties") or {}, account_id)
        return role

    return create


def _role_update(original: Any) -> Any:
    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        role = original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        _sync_role(role, cloudformation_json.get("Properties") or {}, account_id)
        return role

    return update


def _role_delete(original: Any) -> Any:
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


def _sg_create(original: Any) -> Any:
    def create(cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any) -> Any:
        group = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        group.mlprov_properties = dict(cloudformation_json.get("Properties") or {})
        return group

    return create


def _sg_update(original: Any) -> Any:
    def update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: Any, account_id: str,  # noqa: PLR0917
               region_name: str) -> Any:
        props = dict(cloudformation_json.get("Properties") or {})
        before = getattr(original_resource, "mlprov_properties", None)
        if before is None or _without_tags(before) != _without_tags(props) or original_resource.name != new_resource_name:
            return original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        backend, group_id = original_resource.ec2_backend, original_resource.id
        backend.tags[group_id] = {k: v for k, v in backend.tags[group_id].items() if k.startswith("aws:")}
        backend.create_tags([group_id], {t["Key"]: t["Value"] for t in props.get("Tags", [])})
        original_resource.mlprov_properties = props
        return original_resource

    return update


def _names(value: Any) -> set[str]:
    """Logical ids a template fragment refers to (Ref, Fn::GetAtt, ${X} and ${X.Attr} in Fn::Sub)."""
    import re  # noqa: PLC0415

    if isinstance(value, list):
        return set().union(*(_names(v) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    out: set[str] = set()
    for key, item in value.items():
        if key == "Ref" and isinstance(item, str):
            out.add(item)
        elif key == "Fn::GetAtt":
            out.add(str(item[0] if isinstance(item, list) else str(item).split(".", 1)[0]))
        elif key == "Fn::Sub":
            text = item[0] if isinstance(item, list) else item
            out |= set(re.findall(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}", str(text)))
            out |= _names(item[1]) if isinstance(item, list) and len(item) > 1 else set()
        else:
            out |= _names(item)
    return out


def _physical(resource: Any) -> Any:
    return getattr(resource, "physical_resource_id", None) if resource is not None and not isinstance(resource, str) else None


def _cascade_replacements(original: Any) -> Any:
    def update(self: Any, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        from moto.cloudformation import parsing  # noqa: PLC0415

        diff = self.build_resource_diff(template, parameters)
        before = {lid: _physical(self._parsed_resources.get(lid)) for lid in self._resource_json_map}
        original(self, template, parameters)
        done = set(diff["Add"]) | set(diff["Modify"])
        after = {lid: _physical(self._parsed_resources.get(lid)) for lid in before}
        changed = {lid for lid, pid in before.items() if pid is not None and after[lid] not in {None, pid}}
        for _ in range(len(self._resource_json_map)):
            if not changed:
                break
            nxt: set[str] = set()
            for lid, body in self._resource_json_map.items():
                if lid in done or lid not in self._parsed_resources or not (_names(body) & changed):
                    continue
                old = _physical(self._parsed_resources[lid])
                self._parsed_resources[lid] = parsing.parse_and_update_resource(lid, body, self, self._account_id, self._region_name)
                done.add(lid)
                if _physical(self._parsed_resources[lid]) != old:
                    nxt.add(lid)
            changed = nxt

    return update


def _managed_policy_delete(_original: Any) -> Any:
    def delete(self: Any, account_id: str, region_name: str) -> None:
        from moto.iam.models import iam_backends  # noqa: PLC0415

        del region_name
        iam = iam_backends[account_id]["aws"]
        if self.attachment_count:  # a role of the stack still has it: try again once the role is gone
            from moto.iam.exceptions import DeleteConflictException  # noqa: PLC0415

            raise DeleteConflictException("Cannot delete a policy attached to entities.")
        iam.delete_policy(self.arn)

    return delete


def _vpc_endpoint_delete(_original: Any) -> Any:
    def delete(self: Any, account_id: str, region_name: str) -> None:
        from moto.ec2.models import ec2_backends  # noqa: PLC0415

        ec2_backends[account_id][region_name].delete_vpc_endpoints([self.id])

    return delete


def apply_patches() -> dict[str, str]:
    """Apply every patch (idempotent); return what was patched and why."""
    from moto.cloudformation import models as cfn_models  # noqa: PLC0415
    from moto.cloudformation import parsing  # noqa: PLC0415
    from moto.ec2.models.security_groups import SecurityGroup  # noqa: PLC0415
    from moto.ec2.models.vpcs import VPCEndPoint  # noqa: PLC0415
    from moto.iam.models import ManagedPolicy, Role  # noqa: PLC0415
    from moto.kms.models import Key  # noqa: PLC0415
    from moto.logs.models import LogGroup  # noqa: PLC0415
    from moto.s3.models import FakeBucket  # noqa: PLC0415
    from moto.ssm.models import Parameter  # noqa: PLC0415

    _once(cfn_models.ChangeSet, "apply", _change_set_apply, "refresh template, outputs and exports; resolve imports")
    _once(Key, "create_from_cloudformation_json", _kms_create, "KeyPolicy object and Key/Value tags", classmethod_=True)
    _once(Key, "update_from_cloudformation_json", _kms_update, "update a key in place", classmethod_=True)
    _once(Parameter, "create_from_cloudformation_json", _ssm_create, "Tags given as a map", classmethod_=True)
    _once(FakeBucket, "create_from_cloudformation_json", _bucket_create, "versioning, public-access block, ownership",
          classmethod_=True)
    _once(FakeBucket, "update_from_cloudformation_json", _bucket_update, "the same on in-place updates", classmethod_=True)
    _once(LogGroup, "create_from_cloudformation_json", _log_group_create, "keep KmsKeyId", classmethod_=True)
    _once(parsing.ResourceMap, "update", _cascade_replacements, "update what refers to a replaced resource")
    _once(parsing, "parse_and_update_resource", _update_keeps_resource, "keep (and update) resources moto cannot update")
    _once(Role, "create_from_cloudformation_json", _role_create, "attach ManagedPolicyArns", classmethod_=True)
    _once(Role, "update_from_cloudformation_json", _role_update, "sync attachments and boundary", classmethod_=True)
    _once(Role, "delete_from_cloudformation_json", _role_delete, "detach managed policies first", classmethod_=True)
    _once(SecurityGroup, "create_from_cloudformation_json", _sg_create, "remember the properties", classmethod_=True)
    _once(SecurityGroup, "update_from_cloudformation_json", _sg_update, "tag-only changes in place", classmethod_=True)
    _once(ManagedPolicy, "delete", _managed_policy_delete, "delete managed policies with their stack")
    _once(VPCEndPoint, "delete", _vpc_endpoint_delete, "delete VPC endpoints with their stack")
    return dict(PATCHES)
