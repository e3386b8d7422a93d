"""The drift report as a self-contained HTML page, ``<reports>/<product>/drift.html`` beside drift.md and drift.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlprov import __version__
from mlprov.atomic import write_text
from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC, NOT_CHECKED, DriftReport
from mlprov.reports.environment import render

REPORT_FILE = "drift.html"
_ORDER = {DELETED: 0, DRIFTED: 1, NOT_CHECKED: 2, IN_SYNC: 3}


def value(v: Any) -> str:
    """Expected/actual values as text: strings as they are, everything else as indented JSON."""
    return v if isinstance(v, str) else json.dumps(v, indent=1, sort_keys=True, default=str)


def html(report: DriftReport, generated: datetime | None = None) -> str:
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S UTC")
    ordered = sorted(report.resources, key=lambda r: (_ORDER.get(r.status, 9), r.logical_id))
    return render("drift.html.j2", report=report, resources=ordered, counts=report.counts, coverage=report.coverage,
                  value=value, version=__version__, generated=stamp)


def write(report: DriftReport, reports_dir: Path) -> Path:
    folder = reports_dir / report.product
    path = folder / REPORT_FILE
    write_text(path, html(report))
    return path
