"""Rule ``named-replacement``: an update that must replace a custom-named resource fails before changing anything.

AWS (CloudFormation Template Reference, "Name type"): "If you specify a name, you cannot perform updates that
require replacement of this resource. You can perform updates that require no or some interruption. If you must
replace the resource, specify a new name." The update fails with "CloudFormation cannot update a stack when a
custom-named resource requires replacing. Rename <name> and update the stack again." and the stack ends in
UPDATE_ROLLBACK_COMPLETE with nothing changed. Which property changes replace a resource comes from the registry
schemas' createOnlyProperties (the preview's own source, :mod:`mlprov.aws.replacement`). moto replaces such
resources silently (new object, same name) or fails halfway; here the whole update is checked first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprov.local_aws.cfnmodel import service_error
from mlprov.local_aws.strict import active, wrap
from mlprov.local_aws.strict.rollback import event

RULE = "named-replacement"
SOURCE = ("replacing a custom-named resource fails, UPDATE_ROLLBACK_COMPLETE (CloudFormation Template Reference: "
          "Name type)")


def message(name: str) -> str:
    return ("CloudFormation cannot update a stack when a custom-named resource requires replacing. "
            f"Rename {name} and update the stack again.")


def blocked(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """(logical id, name) of each custom-named resource the update would replace under its unchanged name (the
    preview's own prediction, :func:`mlprov.aws.replacement.named_replacements`)."""
    from mlprov.aws.replacement import named_replacements  # noqa: PLC0415

    return sorted(named_replacements({"Resources": old}, {"Resources": new}).items())


class NamedReplacement(Exception):
    def __init__(self, logical_id: str, resource_type: str, name: str) -> None:
        super().__init__(message(name))
        self.logical_id, self.resource_type, self.name = logical_id, resource_type, name


def _checked_update(original: Callable[..., Any]) -> Callable[..., Any]:
    def update(self: Any, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        if active():
            found = blocked(self._resource_json_map, template.get("Resources", {}))
            if found:
                lid, name = found[0]
                raise NamedReplacement(lid, str(template["Resources"][lid]["Type"]), name)
        original(self, template, parameters)

    return update


def _rolls_back_update(original: Callable[..., Any]) -> Callable[..., Any]:
    def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        try:
            original(self, change_set_name, stack_name)
        except NamedReplacement as exc:
            change_set = self.change_sets.get(change_set_name) or next(
                c for c in self.change_sets.values() if c.change_set_name == change_set_name)
            stack = self.stacks[change_set.stack_id]
            stack._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
            event(stack, exc.logical_id, exc.resource_type, "UPDATE_FAILED", reason=str(exc))
            stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=f"The following resource(s) failed "
                                                                                         f"to update: [{exc.logical_id}].")
            stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
            change_set.execution_status = "EXECUTE_FAILED"

    return execute_change_set


def _update_stack(original: Callable[..., Any]) -> Callable[..., Any]:
    def update(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except NamedReplacement as exc:
            raise service_error("ValidationError", str(exc)) from exc

    return update


def install() -> None:
    from moto.cloudformation.models import CloudFormationBackend, Stack  # noqa: PLC0415
    from moto.cloudformation.parsing import ResourceMap  # noqa: PLC0415

    wrap(ResourceMap, "update", _checked_update)
    wrap(CloudFormationBackend, "execute_change_set", _rolls_back_update)
    wrap(Stack, "update", _update_stack)
