"""The per-product work of the fleet actions: a drift check, a change-set preview (kept for review or deleted).

Each task loads its product, builds its own AWS clients (:func:`mlprov.aws.session.connect`: one boto3 session per
task, never shared across threads) and writes that product's reports as the single-product actions do.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

from mlprov.aws import changeset
from mlprov.aws.drift import check
from mlprov.aws.drift import write_reports as write_drift
from mlprov.aws.driftmodel import DELETED, DRIFTED, NOT_CHECKED, DriftReport
from mlprov.aws.plan import plan
from mlprov.aws.plan import write_reports as write_changes
from mlprov.aws.preview import Preview
from mlprov.aws.stack import Poller
from mlprov.commands._aws_common import deployable_template, guarded
from mlprov.commands._common import product
from mlprov.errors import ExitCode
from mlprov.fleet.runner import Outcome
from mlprov.fleet.summary import Kind
from mlprov.forecast.runner import gate as forecast_gate
from mlprov.gitops import review


def drift(args: argparse.Namespace, reports: Path, name: str) -> tuple[int, DriftReport]:
    prod = product(name)
    report = check(guarded(args, prod), prod.name, prod.names.stack, str(prod.config.get("environment", "")))
    write_drift(report, reports)
    if report.drifted:
        return int(ExitCode.FINDINGS), report
    return int(ExitCode.INCOMPLETE if report.incomplete else ExitCode.OK), report


def preview(args: argparse.Namespace, reports: Path, name: str) -> tuple[int, Preview]:
    prod = product(name)
    text, template = deployable_template(prod)  # a stale rendering is refused here as by show-changes
    aws = guarded(args, prod)  # wrong account or region: this product's row says so (exit 2)
    # the forecast as show-changes runs it (a blocker: this product's row, exit 2); its lines go to forecast.json
    forecast_gate(aws, prod, text, template, io.StringIO(), reports_dir=reports)
    poller = Poller(local=aws.target.is_local)
    if getattr(args, "review", False):
        cs, result, ident = review.keep(aws, prod, text, template, poller)
        write_changes(result, reports)
        review.write_record(reports, result, cs, ident, review.ci_commit())
    else:
        cs, result = plan(aws, prod, text, template, poller)
        changeset.delete(aws.cfn, cs)
        write_changes(result, reports)
    return int(ExitCode.OK), result


def drift_status(o: Outcome[DriftReport]) -> str:
    if o.result is None:
        return f"error (exit {o.exit_code})"
    return o.result.verdict  # DRIFTED, INCOMPLETE or IN_SYNC: never "in sync" for a check that read less


DRIFT_COLUMNS = (
    ("drifted", lambda r: str(r.counts[DRIFTED])),
    ("deleted", lambda r: str(r.counts[DELETED])),
    ("not checked", lambda r: str(r.counts[NOT_CHECKED])),
    ("coverage", lambda r: f"{r.coverage:.0f}%"),
)


def drift_detail(r: DriftReport) -> dict[str, Any]:
    return {"stack": r.stack, "verdict": r.verdict, "drifted": r.drifted, "incomplete": r.incomplete, "counts": r.counts,
            "coverage_percent": round(r.coverage, 1)}


def plan_status(o: Outcome[Preview]) -> str:
    if o.result is None:
        return f"error (exit {o.exit_code})"
    return "no changes" if o.result.no_changes else "changes"


PLAN_COLUMNS = (
    ("type", lambda p: p.change_type),
    ("add", lambda p: str(p.counts["add"])),
    ("modify", lambda p: str(p.counts["modify"])),
    ("replace", lambda p: str(p.counts["replace"])),
    ("remove", lambda p: str(p.counts["remove"])),
    ("data loss", lambda p: str(len(p.data_loss))),
)


def plan_detail(p: Preview) -> dict[str, Any]:
    return {"stack": p.stack, "change_type": p.change_type, "no_changes": p.no_changes, "counts": p.counts,
            "data_loss_risk": [r.logical_id for r in p.data_loss]}


DRIFT: Kind[DriftReport] = Kind("check-drift", drift, drift_status, DRIFT_COLUMNS, drift_detail)
PLAN: Kind[Preview] = Kind("plan", preview, plan_status, PLAN_COLUMNS, plan_detail)
