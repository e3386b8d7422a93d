"""The identity of a change set: what was reviewed, so that a merge executes exactly that.

A change set's effect is fixed by three things: the template body sent, the parameters (the stack tags, the
capabilities and the values SSM-typed template parameters resolve to), and the stack it is computed against
(its last update time). Their digest names the kept review change set (``mlprov-review-<hash12>``) and the
three parts are written in its Description, so a later run can say which one differs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mlprov.aws import changeset, stack

PREFIX = "mlprov-review-"
NO_STACK = "none"
_SSM_TYPE = "AWS::SSM::Parameter::Value<"


def _sha(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Identity:
    template_sha256: str
    parameters_sha256: str
    stack_updated: str  # ISO time of the stack's last update, or "none" when there is no stack yet

    @property
    def digest(self) -> str:
        return _sha(f"{self.template_sha256}\n{self.parameters_sha256}\n{self.stack_updated}")

    @property
    def change_set_name(self) -> str:
        return PREFIX + self.digest[:12]

    def description(self) -> str:
        """The change set's Description (at most 1024 characters): parseable by :func:`parse_description`."""
        return (f"mlprov review: template={self.template_sha256} parameters={self.parameters_sha256} "
                f"stack_updated={self.stack_updated}")

    def to_json(self) -> dict[str, str]:
        return {"template_sha256": self.template_sha256, "parameters_sha256": self.parameters_sha256,
                "stack_updated": self.stack_updated, "change_set_name": self.change_set_name}


def parse_description(text: str) -> Identity | None:
    """The identity a review change set's Description records (None for any other change set)."""
    if not text.startswith("mlprov review: "):
        return None
    fields = dict(part.split("=", 1) for part in text.removeprefix("mlprov review: ").split() if "=" in part)
    try:
        return Identity(fields["template"], fields["parameters"], fields["stack_updated"])
    except KeyError:
        return None


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=UTC)
        return when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    return str(value)


def stack_updated(cfn: Any, stack_name: str) -> str:
    """When the stack last changed: LastUpdatedTime, else its newest completed stack-level event, else its
    creation; "none" for no stack (or one only holding a CREATE change set, REVIEW_IN_PROGRESS)."""
    current = stack.describe(cfn, stack_name)
    if current is None or current["StackStatus"] == "REVIEW_IN_PROGRESS":
        return NO_STACK
    if current.get("LastUpdatedTime"):
        return _iso(current["LastUpdatedTime"])
    done = [e["Timestamp"] for e in stack.events(cfn, stack_name)
            if e.get("LogicalResourceId") == stack_name and str(e.get("ResourceStatus", "")).endswith("_COMPLETE")]
    return _iso(max(done)) if done else _iso(current["CreationTime"])


def parameters(ssm: Any, template: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    """What besides the template decides the change set: stack tags, capabilities, resolved SSM parameters."""
    ssm_params = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()
                  if str(v.get("Type", "")).startswith(_SSM_TYPE)}
    resolved: dict[str, str] = {}
    if ssm_params:
        found = ssm.get_parameters(Names=sorted(set(ssm_params.values())))["Parameters"]
        values = {p["Name"]: str(p["Value"]) for p in found}
        resolved = {k: values.get(name, "<missing>") for k, name in ssm_params.items()}
    return {"Tags": dict(sorted(tags.items())), "Capabilities": changeset.CAPABILITIES, "Parameters": resolved}


def compute(cfn: Any, ssm: Any, stack_name: str, body: str, *, template: dict[str, Any], tags: dict[str, str]) -> Identity:
    params = parameters(ssm, template, tags)
    return Identity(_sha(body), _sha(json.dumps(params, sort_keys=True)), stack_updated(cfn, stack_name))


def differences(reviewed: Identity, now: Identity) -> list[str]:
    """What changed since the review, one line each."""
    out = []
    if reviewed.template_sha256 != now.template_sha256:
        out.append(f"template changed: sha256 {reviewed.template_sha256[:12]} at review, {now.template_sha256[:12]} now")
    if reviewed.parameters_sha256 != now.parameters_sha256:
        out.append(f"parameters changed (tags or resolved SSM values): sha256 {reviewed.parameters_sha256[:12]} at review, "
                   f"{now.parameters_sha256[:12]} now")
    if reviewed.stack_updated != now.stack_updated:
        if reviewed.stack_updated == NO_STACK:
            out.append(f"stack created at {now.stack_updated}, after the review (which previewed a creation)")
        elif now.stack_updated == NO_STACK:
            out.append(f"stack deleted since the review (it was last updated at {reviewed.stack_updated})")
        else:
            out.append(f"stack updated at {now.stack_updated}, after the review of its state at {reviewed.stack_updated}")
    return out
