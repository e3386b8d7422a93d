"""The drift report's model: one entry per stack resource, merged from native detection and our live checks.

The verdict is DRIFTED when anything drifted or was deleted, INCOMPLETE when nothing drifted but some resource
could not be checked (AccessDenied, throttling, 5xx): never "in sync" on a partial reading. Coverage counts
the *properties compared*, and rows that only proved existence are counted apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

IN_SYNC, DRIFTED, DELETED, NOT_CHECKED = "IN_SYNC", "DRIFTED", "DELETED", "NOT_CHECKED"
VERDICT_DRIFTED, VERDICT_INCOMPLETE, VERDICT_IN_SYNC = "DRIFTED", "INCOMPLETE", "IN_SYNC"
_RANK = {NOT_CHECKED: 0, IN_SYNC: 1, DRIFTED: 2, DELETED: 3}
EXISTS = "exists"


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

    @property
    def properties(self) -> list[str]:
        """The properties compared (existence and the native run's marker excluded)."""
        return [c for c in self.checked if c not in {EXISTS, "cloudformation"}]

    @property
    def existence_only(self) -> bool:
        return self.status == IN_SYNC and not self.properties and "cloudformation" not in self.checked


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
    def properties_compared(self) -> int:
        return sum(len(r.properties) for r in self.resources)

    @property
    def existence_only(self) -> list[str]:
        return [r.logical_id for r in self.resources if r.existence_only]

    @property
    def coverage(self) -> float:
        """Percentage of the stack's resources whose properties were compared (not only their existence);
        deleted resources count as covered (there is nothing left to compare)."""
        if not self.resources:
            return 100.0
        covered = sum(1 for r in self.resources if r.status == DELETED or (r.status != NOT_CHECKED and not r.existence_only))
        return 100.0 * covered / len(self.resources)

    @property
    def drifted(self) -> bool:
        return any(r.status in {DRIFTED, DELETED} for r in self.resources)

    @property
    def incomplete(self) -> bool:
        return any(r.status == NOT_CHECKED for r in self.resources)

    @property
    def verdict(self) -> str:
        if self.drifted:
            return VERDICT_DRIFTED
        return VERDICT_INCOMPLETE if self.incomplete else VERDICT_IN_SYNC

    def summary(self) -> str:
        c = self.counts
        return (f"{c[IN_SYNC]} in sync, {c[DRIFTED]} drifted, {c[DELETED]} deleted, {c[NOT_CHECKED]} not checked; "
                f"{self.properties_compared} properties compared, {len(self.existence_only)} existence only; "
                f"coverage {self.coverage:.1f}%")

    def to_json(self) -> dict[str, Any]:
        return {
            "product": self.product, "stack": self.stack, "native_drift_detection": self.native,
            "verdict": self.verdict, "drifted": self.drifted, "incomplete": self.incomplete,
            "coverage_percent": round(self.coverage, 1), "properties_compared": self.properties_compared,
            "existence_only": self.existence_only, "counts": self.counts,
            "resources": [asdict(r) for r in self.resources],
        }
