"""Rule ``import-existing``: ``CreateChangeSet(ImportExistingResources=True)`` adopts retained named resources.

AWS ("Import AWS resources into a CloudFormation stack automatically", CloudFormation User Guide): with
``ImportExistingResources`` CloudFormation checks for existing resources that match the template and imports them
during the deployment instead of creating them. A resource is imported only when it has a static custom name in the
template (no intrinsic functions), a ``DeletionPolicy`` of ``Retain`` or ``RetainExceptOnCreate``, does not already
belong to another stack, its type supports import, and "the primary ID for the resource type must be in the
template. Primary IDs with read only properties aren't supported" (so a bucket or a log group, identified by its
name, is imported; a model package group, a repository or a topic, identified by a read-only ARN or id, is not).
The change set lists it with ``Action: Import``. Importing does not change the resource. moto ignores the parameter;
here the change set shows ``Import`` for each such resource and executing it adopts the existing object.

An IMPORT change set (``ChangeSetType=IMPORT`` with ``ResourcesToImport``, "Bring existing resources into
CloudFormation management", User Guide) names each resource by its identifier and works for those types too; moto
creates them instead: here they are adopted (each must have a DeletionPolicy, as AWS requires), and the stack ends
IMPORT_COMPLETE.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, lookup, wrap
from mlprov.local_aws.strict.errors import truthy

RULE = "import-existing"
SOURCE = ("ImportExistingResources adopts named resources with DeletionPolicy Retain/RetainExceptOnCreate not in another "
          "stack (CloudFormation User Guide: Import AWS resources into a CloudFormation stack automatically)")
RETAINING = ("Retain", "RetainExceptOnCreate")
_PENDING: dict[str, Any] = {"import": False, "identifiers": {}}


def writable_primary_id(resource_type: str) -> bool:
    """Whether the type's primary identifier is a property the template sets (auto-import needs it)."""
    from mlprov.errors import UserError  # noqa: PLC0415
    from mlprov.policy.registry import schema  # noqa: PLC0415

    try:
        found = schema(resource_type)
    except UserError:
        return False
    ids, read_only = found.get("primaryIdentifier") or [], set(found.get("readOnlyProperties") or [])
    return bool(ids) and not set(ids) & read_only


def _in_a_stack(found: Any, account: str, region: str) -> bool:
    from moto.cloudformation.models import cloudformation_backends  # noqa: PLC0415

    for stack in cloudformation_backends[account][region].stacks.values():
        if stack.status == "DELETE_COMPLETE":
            continue
        parsed = getattr(stack.resource_map, "_parsed_resources", {})
        if any(obj is found or (getattr(obj, "physical_resource_id", None) and getattr(obj, "physical_resource_id", None)
                                == getattr(found, "physical_resource_id", object())) for obj in parsed.values()):
            return True
    return False


def eligible(resource_json: dict[str, Any], account: str, region: str) -> Any:
    """The existing object ImportExistingResources would import for this resource, or None."""
    if resource_json.get("DeletionPolicy") not in RETAINING or not writable_primary_id(str(resource_json.get("Type"))):
        return None
    found = lookup.existing(resource_json, account, region)
    return found if found is not None and not _in_a_stack(found, account, region) else None


def adopt(logical_id: str, resource_json: dict[str, Any], resources_map: Any, found: Any, *, account: str, region: str) -> Any:
    """The CloudFormation model of ``found`` when this change set imports it (else None: the create fails)."""
    named = logical_id in (getattr(resources_map, "mlprov_import_ids", None) or {}) and "DeletionPolicy" in resource_json
    auto = getattr(resources_map, "mlprov_import_existing", False) and eligible(resource_json, account, region) is found
    if not (named or auto):
        return None
    from moto.cloudformation.parsing import clean_json  # noqa: PLC0415

    props = clean_json(dict(resource_json.get("Properties") or {}), resources_map)
    model = lookup.NAMED[str(resource_json["Type"])].adopt(found, props, account, region)
    if model is None:
        return None
    model.cf_resource_type = resource_json["Type"]
    model.logical_resource_id = logical_id
    model.mlprov_imported = True
    return model


def _remember_flag(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_change_set(self: Any) -> Any:
        _PENDING["import"] = truthy(self._get_param("ImportExistingResources"))
        params = self._get_params()
        _PENDING["identifiers"] = {str(r.get("LogicalResourceId")): r.get("ResourceIdentifier") or {}
                                   for r in params.get("ResourcesToImport") or []}
        try:
            return original(self)
        finally:
            _PENDING["import"], _PENDING["identifiers"] = False, {}

    return create_change_set


def _mark_imports(original: Callable[..., Any]) -> Callable[..., Any]:
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.import_existing_resources = _PENDING["import"]
        self.import_ids = dict(_PENDING["identifiers"]) if self.change_set_type == "IMPORT" else {}
        if not active():
            return
        for change in self.changes:
            if change.logical_resource_id in self.import_ids:
                change.action = "Import"
        if not self.import_existing_resources:
            return
        resources = (self.template_dict or {}).get("Resources", {})
        for change in self.changes:
            found = eligible(resources.get(change.logical_resource_id, {}), self.stack.account_id, self.stack.region_name)
            if change.action == "Add" and found is not None:
                change.action = "Import"
                change.physical_resource_id = getattr(found, "physical_resource_id", None)

    return init


def _apply_with_imports(original: Callable[..., Any]) -> Callable[..., Any]:
    def apply(self: Any) -> None:
        resource_map = self.stack.resource_map
        resource_map.mlprov_import_existing = bool(getattr(self, "import_existing_resources", False))
        resource_map.mlprov_import_ids = dict(getattr(self, "import_ids", {}) or {})
        try:
            original(self)
        finally:
            resource_map.mlprov_import_existing, resource_map.mlprov_import_ids = False, {}

    return apply


def install() -> None:
    from moto.cloudformation.models import ChangeSet  # noqa: PLC0415
    from moto.cloudformation.responses import CloudFormationResponse  # noqa: PLC0415

    wrap(CloudFormationResponse, "create_change_set", _remember_flag)
    wrap(ChangeSet, "__init__", _mark_imports)
    wrap(ChangeSet, "apply", _apply_with_imports)
