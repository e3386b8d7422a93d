"""check-drift: native detection where the endpoint has it, merged with our live checks; reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlprov.aws import livecheck, nativedrift, stack
from mlprov.aws.driftmodel import DELETED, DRIFTED, IN_SYNC, NOT_CHECKED, DriftReport, ResourceDrift
from mlprov.aws.plan import deployed_template
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.errors import UserError


def check(aws: Aws, product_name: str, stack_name: str) -> DriftReport:
    cfn = aws.cfn
    current = stack.describe(cfn, stack_name)
    if current is None:
        raise UserError(f"stack {stack_name} does not exist in {aws.target.region}",
                        hint="deploy it first with `mlprov deploy-product CONFIG`")
    template = deployed_template(cfn, stack_name)
    resources: dict[str, ResourceDrift] = {}
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack_name):
        for r in page["StackResourceSummaries"]:
            lid = r["LogicalResourceId"]
            resources[lid] = ResourceDrift(lid, r["ResourceType"], r.get("PhysicalResourceId") or "")
    for lid, body in template.get("Resources", {}).items():  # in the template but not in the stack: gone
        if lid not in resources:
            resources[lid] = ResourceDrift(lid, str(body.get("Type", "")), "", DELETED, checked=["exists"],
                                           note="in the template but not a resource of the stack")
    native = "available"
    try:
        poller = Poller(local=aws.target.is_local, timeout=900)
        found = nativedrift.detect(aws.client("cloudformation", optional=True), stack_name, poller)
        for lid, (status, diffs) in found.items():
            if lid in resources:
                resources[lid].merge(status, diffs, ["cloudformation"] if status != NOT_CHECKED else [])
    except nativedrift.Unavailable as exc:
        native = str(exc)
    physical = {lid: r.physical_id for lid, r in resources.items()}
    outs = stack.outputs(current)
    for lid, r in resources.items():
        if not r.physical_id:
            continue
        props: dict[str, Any] = template.get("Resources", {}).get(lid, {}).get("Properties", {})
        result = livecheck.run(livecheck.Ctx(aws, props, physical, outs, lid), r.type, r.physical_id)
        if result is None:
            continue
        status, diffs, checked, note = result
        r.merge(status, diffs, checked)
        r.note = r.note or note
    return DriftReport(product_name, stack_name, native, sorted(resources.values(), key=lambda r: r.logical_id))


def _v(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if not isinstance(value, str) else value


def text(report: DriftReport) -> str:
    c = report.counts
    lines = [f"{report.stack}: {'DRIFTED' if report.drifted else 'in sync'}: {c[IN_SYNC]} in sync, {c[DRIFTED]} drifted, "
             f"{c[DELETED]} deleted, {c[NOT_CHECKED]} not checked; coverage {report.coverage:.1f}%",
             f"native drift detection: {report.native}"]
    for r in report.resources:
        lines.append(f"  {r.status:<12} {r.logical_id:<40} {r.type:<36} {r.note}".rstrip())
        lines += [f"      {d.property}: expected {_v(d.expected)}, actual {_v(d.actual)} ({d.source})" for d in r.differences]
    return "\n".join(lines)


def markdown(report: DriftReport) -> str:
    c = report.counts
    out = ["<!-- mlprov:drift -->", f"### mlprov drift report: `{report.product}`", "",
           f"Stack `{report.stack}`: **{'DRIFTED' if report.drifted else 'in sync'}**: {c[IN_SYNC]} in sync, "
           f"{c[DRIFTED]} drifted, {c[DELETED]} deleted, {c[NOT_CHECKED]} not checked; coverage **{report.coverage:.1f}%**.",
           f"Native drift detection: {report.native}.", "",
           "| status | logical id | type | differences (expected → actual) |", "|---|---|---|---|"]
    for r in report.resources:
        diffs = "<br>".join(f"{d.property}: `{_v(d.expected)}` → `{_v(d.actual)}`" for d in r.differences) or r.note or "-"
        out.append(f"| {r.status} | `{r.logical_id}` | {r.type} | {diffs} |")
    return "\n".join(out) + "\n"


def write_reports(report: DriftReport, reports_dir: Path) -> tuple[Path, Path]:
    folder = reports_dir / report.product
    folder.mkdir(parents=True, exist_ok=True)
    md, js = folder / "drift.md", folder / "drift.json"
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report.to_json(), indent=2, default=str) + "\n", encoding="utf-8")
    return md, js
