"""The pre-deployment review report: one self-contained HTML page per product, ``<reports>/<product>/review.html``."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mlprov import __version__
from mlprov.atomic import write_text
from mlprov.config.model import Product
from mlprov.gates.model import Finding, GateResult, Severity, Waiver
from mlprov.paths import find_repo, product_dir, template_path
from mlprov.reports import graph, iam, provenance, resources
from mlprov.reports.changes import PreviewState
from mlprov.reports.environment import render
from mlprov.reports.forecast import ForecastState
from mlprov.reports.verdict import Verdict, decide

_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}
REPORT_FILE = "review.html"


@dataclass
class Review:
    """Everything the page shows; the gate result and preview are injected (see the create-review-report action)."""

    product: Product
    template: dict[str, Any]
    gate: GateResult | None
    gate_note: str
    stale: list[tuple[str, str]]
    preview: PreviewState
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    forecast: ForecastState = field(default_factory=ForecastState)
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def verdict(self) -> Verdict:
        return decide(self.gate, self.gate_note, self.stale, self.preview, self.today,
                      forecast_blockers=[f.line() for f in self.forecast.blockers])


def _findings(gate: GateResult | None) -> list[Finding]:
    if gate is None:
        return []
    return sorted(gate.findings, key=lambda f: (_SEVERITY_RANK[f.severity], f.resource, f.rule_id))


def _waived(gate: GateResult | None, today: date) -> list[tuple[Finding, Waiver, bool]]:
    if gate is None:
        return []
    return [(f, w, w.expires < today) for f, w in sorted(gate.waived, key=lambda fw: (fw[1].expires, fw[1].rule_id))]


def in_force(gate: GateResult | None, product: Product, today: date) -> list[tuple[Waiver, bool]]:
    """The waivers of waivers.yaml that cover this product (glob and tiers), with whether each has expired.
    Read defensively: older gate results carry no ``active_waivers``."""
    waivers: list[Waiver] = list(getattr(gate, "active_waivers", []) or [])
    out = []
    for w in waivers:
        tiers = getattr(w, "tiers", ()) or ()
        if fnmatch.fnmatchcase(product.name, w.product) and (not tiers or product.tier in tiers):
            out.append((w, w.expires < today))
    return sorted(out, key=lambda wx: (wx[0].expires, wx[0].rule_id))


def html(review: Review) -> str:
    template = review.template
    groups = resources.grouped(template)
    rows = [r for g in groups.values() for r in g]
    return render(
        "review.html.j2",
        product=review.product,
        config_path=review.product.path.name,
        verdict=review.verdict,
        groups=groups,
        resource_count=len(rows),
        stateful=[r.logical_id for r in rows if r.stateful],
        graph=graph.layout(template),
        roles=iam.roles(template),
        deployer=iam.deployer_policies(product_dir(review.product.path)),
        gate=review.gate,
        gate_note=review.gate_note,
        findings=_findings(review.gate),
        waived=_waived(review.gate, review.today),
        in_force=in_force(review.gate, review.product, review.today),
        gate_warnings=list(getattr(review.gate, "warnings", []) or []),
        preview=review.preview,
        forecast=review.forecast,
        version=__version__,
        generated=review.generated.strftime("%Y-%m-%d %H:%M:%S UTC"),
        provenance=provenance.of(find_repo(review.product.path.parent).root, template_path(review.product.path)),
    )


def write(review: Review, reports_dir: Path) -> Path:
    return write_text(reports_dir / review.product.name / REPORT_FILE, html(review))
