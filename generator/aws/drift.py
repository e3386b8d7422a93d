"""check-drift: native detection where the endpoint has it, merged with our live checks; reports.

Every value shown in drift.md comes from AWS or a config and goes through :mod:`mlprov.reports.mdsafe`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlprov.atomic import write_text
from mlprov.aws import livecheck, nativedrift, stack, stackcheck
from mlprov.aws.driftmodel import DELETED, NOT_CHECKED, DriftReport, ResourceDrift
from mlprov.aws.plan import deployed_template
from mlprov.aws.session import Aws
from mlprov.aws.stack import Poller
from mlprov.errors import UserError
from mlprov.reports.mdsafe import code
from mlprov.reports.mdsafe import text as md_text


def _native(aws: Aws, stack_name: str, resources: dict[str, ResourceDrift]) -> str:
    try:
        poller = Poller(local=aws.target.is_local, timeout=900)
        found = nativedrift.detect(aws.client("cloudformation", optional=True), stack_name, poller)
    except nativedrift.Unavailable as exc:
        return str(exc)
    for lid, (status, diffs) in found.results.items():
        if lid in resources:
            resources[lid].merge(status, diffs, ["cloudformation"] if status != NOT_CHECKED else [])
    return found.summary


def check(aws: Aws, product_name: str, stack_name: str, environment: str = "") -> DriftReport:
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
    native = _native(aws, stack_name, resources)
    physical = {lid: r.physical_id for lid, r in resources.items()}
    physical["AWS::StackName"] = stack_name
    outs = stack.outputs(current)
    for lid, r in resources.items():
        if not r.physical_id and r.type not in livecheck.BY_PROPERTIES:
            continue
        props: dict[str, Any] = template.get("Resources", {}).get(lid, {}).get("Properties", {})
        ctx = livecheck.Ctx(aws, props, physical, outs, lid, template=template, stack_arn=str(current.get("StackId", "")))
        result = livecheck.run(ctx, r.type, r.physical_id)
        if result is None:
            continue
        status, diffs, checked, note = result
        r.merge(status, diffs, checked)
        r.note = r.note or note
    rows = sorted(resources.values(), key=lambda r: r.logical_id)
    rows.insert(0, stackcheck.check(cfn, current, template, environment))
    return DriftReport(product_name, stack_name, native, rows)


def _v(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if not isinstance(value, str) else value


def text(report: DriftReport) -> str:
    lines = [f"{report.stack}: {report.verdict}: {report.summary()}", f"native drift detection: {report.native}"]
    if report.incomplete and not report.drifted:
        lines.append("INCOMPLETE: some resources could not be read (see NOT_CHECKED below); this is not 'in sync'")
    for r in report.resources:
        lines.append(f"  {r.status:<12} {r.logical_id:<40} {r.type:<36} {r.note}".rstrip())
        lines += [f"      {d.property}: expected {_v(d.expected)}, actual {_v(d.actual)} ({d.source})" for d in r.differences]
    return "\n".join(lines)


def markdown(report: DriftReport) -> str:
    out = ["<!-- mlprov:drift -->", f"### mlprov drift report: {code(report.product)}", "",
           f"Stack {code(report.stack)}: **{report.verdict}**: {md_text(report.summary())}.",
           f"Native drift detection: {md_text(report.native)}.", "",
           "| status | logical id | type | checked | differences (expected → actual) |", "|---|---|---|---|---|"]
    for r in report.resources:
        diffs = "<br>".join(f"{code(d.property)}: {code(_v(d.expected))} → {code(_v(d.actual))}" for d in r.differences)
        detail = diffs or (md_text(r.note) if r.note else "-")
        checked = "existence only" if r.existence_only else (", ".join(code(c) for c in r.properties) or "-")
        out.append(f"| {r.status} | {code(r.logical_id)} | {code(r.type)} | {checked} | {detail} |")
    return "\n".join(out) + "\n"


def write_reports(report: DriftReport, reports_dir: Path) -> tuple[Path, Path]:
    folder = reports_dir / report.product
    md, js = folder / "drift.md", folder / "drift.json"
    write_text(md, markdown(report))
    write_text(js, json.dumps(report.to_json(), indent=2, default=str) + "\n")
    return md, js
