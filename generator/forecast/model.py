"""Findings and checks of the forecast."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlprov.aws.session import Aws
from mlprov.config.model import Product

SEVERITIES = ("blocker", "warning", "info")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    fix: str = ""

    def line(self) -> str:
        tail = f" (fix: {self.fix})" if self.fix else ""
        return f"{self.code} {self.severity}: {self.message}{tail}"

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message, "fix": self.fix}


@dataclass
class Context:
    """What a check may look at. ``aws`` is None offline; ``stack_resources`` maps the deployed stack's logical ids
    to their physical ids (empty when the stack does not exist)."""

    product: Product
    text: str
    template: dict[str, Any]
    aws: Aws | None = None
    stack_resources: dict[str, str] = field(default_factory=dict)

    @property
    def stack_physical_ids(self) -> set[str]:
        return set(self.stack_resources.values())

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        res: dict[str, dict[str, Any]] = self.template.get("Resources", {})
        return res

    def of_type(self, type_name: str) -> dict[str, dict[str, Any]]:
        return {lid: r for lid, r in self.resources.items() if r.get("Type") == type_name}


CheckFn = Callable[[Context], list[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    online: bool
    run: CheckFn

    def finding(self, severity: str, message: str, fix: str = "") -> Finding:
        return finding(self.code, severity, message, fix)


def finding(code: str, severity: str, message: str, fix: str = "") -> Finding:
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    return Finding(code, severity, message, fix)
