"""Patches of moto's CloudFormation engine (see :mod:`mlprov.local_aws.patches` for the list and reasons):
change-set outputs/exports/imports, updates of types moto cannot update, and the replacement cascade."""

from __future__ import annotations

import json
from typing import Any


def change_set_apply(original: Any) -> Any:
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


def update_keeps_resource(original: Any) -> Any:
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


def _identity(resource: Any) -> Any:
    """What others may refer to: the physical id, and the Fn::GetAtt values where a model keeps them (ours do)."""
    return _physical(resource), dict(getattr(resource, "attributes", None) or {}) if _physical(resource) else {}


def cascade_replacements(original: Any) -> Any:
    def update(self: Any, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        from moto.cloudformation import parsing  # noqa: PLC0415

        diff = self.build_resource_diff(template, parameters)
        before = {lid: _identity(self._parsed_resources.get(lid)) for lid in self._resource_json_map}
        original(self, template, parameters)
        done = set(diff["Add"]) | set(diff["Modify"])
        after = {lid: _identity(self._parsed_resources.get(lid)) for lid in before}
        changed = {lid for lid, ident in before.items() if ident[0] is not None and after[lid][0] is not None and after[lid] != ident}
        for _ in range(len(self._resource_json_map)):
            if not changed:
                break
            nxt: set[str] = set()
            for lid, body in self._resource_json_map.items():
                if lid in done or lid not in self._parsed_resources or not (_names(body) & changed):
                    continue
                old = _identity(self._parsed_resources[lid])
                self._parsed_resources[lid] = parsing.parse_and_update_resource(lid, body, self, self._account_id, self._region_name)
                done.add(lid)
                if _identity(self._parsed_resources[lid]) != old:
                    nxt.add(lid)
            changed = nxt

    return update


def update_termination_protection(_original: Any) -> Any:
    """The UpdateTerminationProtection action moto lacks (it answered HTTP 500)."""

    def action(self: Any) -> Any:
        from moto.core.responses import ActionResult  # noqa: PLC0415

        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        flag = self._get_param("EnableTerminationProtection")
        stack.enable_termination_protection = flag if isinstance(flag, bool) else str(flag).lower() == "true"
        return ActionResult({"StackId": stack.stack_id})

    return action


def delete_stack_protected(original: Any) -> Any:
    """DeleteStack refuses a stack with termination protection on, with AWS's message."""

    def delete_stack(self: Any, name_or_stack_id: str) -> None:
        from moto.cloudformation.exceptions import ValidationError  # noqa: PLC0415

        for stack in self.stacks.values():
            if name_or_stack_id in {stack.stack_id, stack.name} and stack.enable_termination_protection:
                raise ValidationError(message=f"Stack [{stack.name}] cannot be deleted while TerminationProtection is enabled")
        original(self, name_or_stack_id)

    return delete_stack


def modify_in_dependency_order(original: Any) -> Any:
    """moto updates modified resources in template order; a resource must see what it refers to updated first."""

    def build_resource_diff(self: Any, other_template: dict[str, Any], parameters: dict[str, Any] | None = None) -> dict[str, Any]:
        diff: dict[str, Any] = original(self, other_template, parameters)
        modify, resources = list(diff["Modify"]), other_template.get("Resources", {})
        ordered: list[str] = []

        def visit(lid: str, path: tuple[str, ...]) -> None:
            if lid in ordered or lid in path:
                return
            for dep in sorted(_names(resources.get(lid, {})) & set(modify)):
                visit(dep, (*path, lid))
            ordered.append(lid)

        for lid in modify:
            visit(lid, ())
        diff["Modify"] = ordered
        return diff

    return build_resource_diff


def codecommit_list_tags(_original: Any) -> Any:
    """CodeCommit's ListTagsForResource, which moto lacks: the tags CloudFormation gave the repository."""

    def action(self: Any) -> str:
        arn = str(self._get_param("resourceArn"))
        backend = self.codecommit_backend
        repo = next((r for r in backend.repositories.values() if r.repository_metadata.get("Arn") == arn), None)
        if repo is None:
            from moto.codecommit.exceptions import RepositoryDoesNotExistException  # noqa: PLC0415

            raise RepositoryDoesNotExistException(arn.rsplit(":", 1)[-1])
        return json.dumps({"tags": dict(getattr(repo, "tags", {}))})

    return action


def codecommit_list_repositories(_original: Any) -> Any:
    """CodeCommit's ListRepositories, which moto lacks (HTTP 500): the region's repositories, by name, unpaginated
    (AWS CodeCommit API Reference, ListRepositories: ``repositories`` of ``repositoryName`` / ``repositoryId``)."""

    def action(self: Any) -> str:
        repos = sorted(self.codecommit_backend.repositories.values(), key=lambda r: r.repository_metadata["repositoryName"])
        return json.dumps({"repositories": [{"repositoryName": r.repository_metadata["repositoryName"],
                                             "repositoryId": r.repository_metadata["repositoryId"]} for r in repos]})

    return action
