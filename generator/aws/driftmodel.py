"""The drift report's model: one entry per stack resource, merged from native detection and our live checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

IN_SYNC, DRIFTED, DELETED, NOT_CHECKED = "IN_SYNC", "DRIFTED", "DELETED", "NOT_CHECKED"
_RANK = {NOT_CHECKED: 0, IN_SYNC: 1, DRIFTED: 2, DELETED: 3}


@dataclass
class Difference:
    property: str
    expected: Any
    actual: Any
    source: str = "live"  # live (our checks) or cloudformation (native detection)


@dataclass
class ResourceDrift:
    logical_id: str
    type: str
    physical_id: str
    status: str = NOT_CHECKED
    differences: list[Difference] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was compared: "exists", "versioning", ...
    note: str = ""

    def merge(self, status: str, differences: list[Difference], checked: list[str]) -> None:
        if _RANK[status] > _RANK[self.status]:
            self.status = status
        self.differences += differences
        self.checked += [c for c in checked if c not in self.checked]


@dataclass
class DriftReport:
    product: str
    stack: str
    native: str  # "available", or why not
    resources: list[ResourceDrift] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = {IN_SYNC: 0, DRIFTED: 0, DELETED: 0, NOT_CHECKED: 0}
        for r in self.resources:
            out[r.status] += 1
        return out

    @property
    def coverage(self) -> float:
        """Percentage of the stack's resources that were checked one way or another."""
        if not self.resources:
            return 100.0
        return 100.0 * sum(1 for r in self.resources if r.status != NOT_CHECKED) / len(self.resources)

    @property
    def drifted(self) -> bool:
        return any(r.status in {DRIFTED, DELETED} for r in self.resources)

    def to_json(self) -> dict[str, Any]:
        return {
            "product": self.product, "stack": self.stack, "native_drift_detection": self.native,
            "drifted": self.drifted, "coverage_percent": round(self.coverage, 1), "counts": self.counts,
            "resources": [asdict(r) for r in self.resources],
        }
