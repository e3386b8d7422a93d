"""The review report's verdict: READY only when the gate ran clean, no waiver has expired, the committed
renderings are current, the change preview was made (or there is no stack yet: a first deploy only adds) with no
data loss, and the deploy's pre-flight passed. When everything static passed but the preview or the pre-flight
could not run, it is "READY (static checks only)" and says what was not checked. A gate that did not run gives
UNKNOWN (not ready); anything that blocks gives BLOCKED."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from mlprov.gates.model import GateResult, Severity, Waiver
from mlprov.reports.changes import FAILED, NO_STACK, SHOWN, PreviewState

READY, STATIC_ONLY, BLOCKED, UNKNOWN = "READY", "READY_STATIC", "BLOCKED", "UNKNOWN"


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)  # what blocks (or leaves it unknown)
    passed: list[str] = field(default_factory=list)  # the checks that passed
    unchecked: list[str] = field(default_factory=list)  # what could not be checked (READY_STATIC)

    @property
    def ready(self) -> bool:
        return self.status == READY

    @property
    def deployable(self) -> bool:
        """Nothing blocks: READY, or READY on the static checks with what was not checked said."""
        return self.status in {READY, STATIC_ONLY}

    @property
    def headline(self) -> str:
        if self.status == READY:
            return "READY to deploy"
        if self.status == STATIC_ONLY:
            return "READY (static checks only)"
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
    unchecked: list[str] = []
    if preview.status == FAILED:
        blocked.append(preview.message)
    elif preview.status == SHOWN and not preview.data_loss:
        passed.append(f"no data-loss risk in the change preview ({preview.message})")
    elif preview.status == NO_STACK:
        passed.append("no stack deployed yet: the first deploy only adds resources")
    else:
        unchecked.append(f"change preview: {preview.message}")
    if preview.preflight is None:
        unchecked.append(preview.preflight_note)
    elif preview.preflight:
        blocked += [f"pre-flight: {m}" for m in preview.preflight]
    else:
        passed.append("pre-flight passed (the deploy's prerequisites exist)")
    if blocked:
        return Verdict(BLOCKED, blocked + ([f"gate not run: {gate_note}"] if gate is None else []), passed, unchecked)
    if gate is None:
        return Verdict(UNKNOWN, [f"gate not run: {gate_note}"], passed, unchecked)
    if unchecked:
        return Verdict(STATIC_ONLY, [f"not checked: {u}" for u in unchecked], passed, unchecked)
    return Verdict(READY, [], passed)
