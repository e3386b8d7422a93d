"""The review report's verdict: READY only when the gate ran clean, no waiver has expired, the committed
renderings are current and no change would lose data. A gate that did not run gives UNKNOWN (not ready)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from mlprov.gates.model import GateResult, Severity, Waiver
from mlprov.reports.changes import FAILED, SHOWN, PreviewState

READY, BLOCKED, UNKNOWN = "READY", "BLOCKED", "UNKNOWN"


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)  # what blocks (or leaves it unknown)
    passed: list[str] = field(default_factory=list)  # the checks that passed

    @property
    def ready(self) -> bool:
        return self.status == READY

    @property
    def headline(self) -> str:
        if self.status == READY:
            return "READY to deploy"
        if self.status == UNKNOWN:
            return "UNKNOWN — gate not run (not ready)"
        return f"BLOCKED — {len(self.reasons)} reason(s)"


def expired(gate: GateResult, today: date) -> list[Waiver]:
    return [w for _f, w in gate.waived if w.expires < today]


def _findings_line(gate: GateResult) -> str:
    counts = Counter(f.severity for f in gate.findings)
    parts = [f"{counts[s]} {s.value}" for s in Severity if counts[s]]
    return f"{len(gate.findings)} open gate finding(s): {', '.join(parts)}"


def decide(gate: GateResult | None, gate_note: str, stale: list[tuple[str, str]], preview: PreviewState,
           today: date, *, forecast_blockers: list[str] | None = None) -> Verdict:
    """``forecast_blockers``: the forecast's blocker lines (mlprov forecast), each a reason AWS would refuse."""
    blocked: list[str] = []
    passed: list[str] = []
    if gate is not None:
        if gate.findings:
            blocked.append(_findings_line(gate))
        blocked += [f"waiver problem: {p}" for p in gate.waiver_problems]
        blocked += [f"expired waiver: {w.rule_id} on {w.product}/{w.resource} (owner {w.owner}, expired {w.expires.isoformat()})"
                    for w in expired(gate, today)]
        if gate.clean and not expired(gate, today):
            passed.append(f"gate clean ({len(gate.waived)} finding(s) waived)")
    blocked += [f"stale rendering: {path} ({why}); run `mlprov render`" for path, why in stale]
    if not stale:
        passed.append("committed renderings are up to date")
    blocked += [f"forecast: {line}" for line in forecast_blockers or []]
    blocked += [f"DATA-LOSS RISK: {line}" for line in preview.data_loss]
    if preview.status == FAILED:
        blocked.append(preview.message)
    elif preview.status == SHOWN and not preview.data_loss:
        passed.append(f"no data-loss risk in the change preview ({preview.message})")
    if blocked:
        return Verdict(BLOCKED, blocked + ([f"gate not run: {gate_note}"] if gate is None else []), passed)
    if gate is None:
        return Verdict(UNKNOWN, [f"gate not run: {gate_note}"], passed)
    return Verdict(READY, [], passed)
