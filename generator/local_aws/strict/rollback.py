"""Rule ``retain``: a failed create rolls back with AWS's DeletionPolicy semantics; RetainExceptOnCreate is kept later.

AWS (CloudFormation Template Reference, "DeletionPolicy attribute"): when a resource fails during the stack's first
create, the stack rolls back (ROLLBACK_COMPLETE): the resources created so far are deleted, except those with
``DeletionPolicy: Retain``, which stay in the account; ``RetainExceptOnCreate`` "behaves like Retain for stack
operations, except for the stack operation that initially created the resource. If the stack operation that created
the resource is rolled back, CloudFormation deletes the resource." On stack deletion and on removal from the template,
both ``Retain`` and ``RetainExceptOnCreate`` keep the resource. ExecuteChangeSet itself succeeds (the execution is
asynchronous); the failure shows as the resource's CREATE_FAILED event with the reason, and the stack's status.

moto runs the change set synchronously, answers ExecuteChangeSet with the resource's error, rolls nothing back (the
stack stays CREATE_COMPLETE-ish with the resources made so far), and keeps only ``Retain`` on delete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.errors import code_and_message

RULE = "retain"
SOURCE = ("failed first create rolls back keeping Retain and deleting RetainExceptOnCreate; both kept on delete "
          "(CloudFormation Template Reference: DeletionPolicy attribute)")
KEPT = ("Retain", "RetainExceptOnCreate")


def event(stack: Any, logical_id: str, resource_type: str, status: str, *, physical_id: str = "", reason: str | None = None) -> None:
    from moto.cloudformation.models import Event  # noqa: PLC0415

    stack.events.append(Event(stack.stack_id, stack.name, logical_id, physical_id, resource_type, status, reason, None))


def _resources(resource_map: Any) -> dict[str, Any]:
    return {lid: obj for lid, obj in resource_map._parsed_resources.items()
            if lid in resource_map._resource_json_map and obj is not None and not isinstance(obj, str)}


def _deleted(resource_map: Any, obj: Any, body: dict[str, Any]) -> bool:
    resource_map.mlprov_force_delete = True
    try:
        resource_map._delete_resource(obj, body)
    except Exception:  # noqa: BLE001 - any backend error means "not yet": the caller retries, then gives up
        return False
    finally:
        resource_map.mlprov_force_delete = False
    return True


def roll_back_create(stack: Any, exc: BaseException) -> None:
    """Emulate AWS's rollback of a failed first create: events, deletions, ROLLBACK_COMPLETE."""
    resource_map, (code, text) = stack.resource_map, code_and_message(exc)
    failed = getattr(exc, "mlprov_logical_id", None)
    if failed:
        event(stack, failed, str(getattr(exc, "mlprov_type", "")), "CREATE_FAILED", reason=f"{text} (Service: {code})")
    stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=f"The following resource(s) failed to create: [{failed}]. "
                                                                          "Rollback requested by user.")
    pending = _resources(resource_map)
    for _ in range(len(pending) + 1):  # dependants first: retry what another resource still uses
        for lid, obj in list(pending.items()):
            body = resource_map._resource_json_map[lid]
            physical = str(getattr(obj, "physical_resource_id", "") or "")
            if body.get("DeletionPolicy") == "Retain":
                event(stack, lid, body["Type"], "DELETE_SKIPPED", physical_id=physical)
            elif _deleted(resource_map, obj, body):
                event(stack, lid, body["Type"], "DELETE_COMPLETE", physical_id=physical)
            else:
                continue  # still in use by another resource of the stack: next pass
            resource_map._parsed_resources.pop(lid, None)
            del pending[lid]
    stack._add_stack_event("ROLLBACK_COMPLETE")
    stack.status = "ROLLBACK_COMPLETE"


def _rolls_back(original: Callable[..., Any]) -> Callable[..., Any]:
    def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = self.change_sets.get(change_set_name) or next(
            (c for c in self.change_sets.values() if c.change_set_name == change_set_name), None)
        try:
            original(self, change_set_name, stack_name)
        except Exception as exc:
            if not active() or change_set is None or change_set.change_set_type != "CREATE":
                raise
            roll_back_create(self.stacks[change_set.stack_id], exc)
            change_set.execution_status = "EXECUTE_FAILED"

    return execute_change_set


def _keeps_retained(original: Callable[..., Any]) -> Callable[..., Any]:
    def delete_resource(self: Any, parsed_resource: Any, resource_json: dict[str, Any]) -> None:
        if active() and resource_json.get("DeletionPolicy") in KEPT and not getattr(self, "mlprov_force_delete", False):
            return  # kept in the account, no longer in the stack
        original(self, parsed_resource, resource_json)

    return delete_resource


def install() -> None:
    from moto.cloudformation.models import CloudFormationBackend  # noqa: PLC0415
    from moto.cloudformation.parsing import ResourceMap  # noqa: PLC0415

    wrap(CloudFormationBackend, "execute_change_set", _rolls_back)
    wrap(ResourceMap, "_delete_resource", _keeps_retained)
