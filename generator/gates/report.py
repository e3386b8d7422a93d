"""Gate reports: a readable terminal table, JSON and Markdown (SARIF is in :mod:`mlprov.gates.sarif`)."""

from __future__ import annotations

import json
from typing import Any

from mlprov.gates.model import Finding, GateResult, Waiver

WIDTH = 100


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_line(result: GateResult) -> str:
    tools = ", ".join(f"{name} {run.version}" for name, run in result.tools.items())
    verdict = "clean" if result.clean else "FAILED"
    return (
        f"gate {verdict}: {len(result.products)} product(s), {len(result.findings)} finding(s), {len(result.waived)} waived, "
        f"{len(result.waiver_problems)} waiver problem(s); {tools}; "
        f"templates scanned {result.scanned}, cache hits {result.cache_hits}; {result.seconds:.1f} s"
    )


def _waiver_text(w: Waiver, count: int) -> str:
    tiers = f" tiers={','.join(w.tiers)}" if w.tiers else ""
    return (
        f"#{w.index} {w.rule_id} product={w.product}{tiers} resource={w.resource} owner={w.owner} "
        f"expires={w.expires.isoformat()} waives {count}: {_cut(w.justification, 120)}"
    )


def waiver_counts(result: GateResult) -> dict[int, int]:
    counts = {w.index: 0 for w in result.active_waivers}
    for _, w in result.waived:
        counts[w.index] = counts.get(w.index, 0) + 1
    return counts


def to_text(result: GateResult) -> str:
    out: list[str] = []
    by_product: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_product.setdefault(f.product, []).append(f)
    header = f"  {'TOOL':<9}  {'RULE':<28}  {'SEVERITY':<8}  {'RESOURCE':<28}  MESSAGE"
    for product, found in by_product.items():
        out.append(f"{product}  ({found[0].template})")
        out.append(header)
        for f in found:
            rule = f"{f.rule_id} [{f.pack}]" if f.pack else f.rule_id
            where = f"{f.resource or '(template)'}" + (f":{f.line}" if f.line else "")
            out.append(f"  {f.tool.value:<9}  {rule:<28}  {f.severity.value:<8}  {where:<28}  {_cut(f.message, WIDTH)}")
            out.append(f"  {'':<9}  {'':<28}  {'':<8}  {'':<28}  fix: {_cut(f.fix, WIDTH)}")
        out.append("")
    counts = waiver_counts(result)
    if result.active_waivers:
        out.append(f"active waivers (waivers.yaml): {len(result.active_waivers)}")
        out += [f"  {_waiver_text(w, counts.get(w.index, 0))}" for w in result.active_waivers]
    out += result.waiver_problems
    out += result.warnings
    out.append(summary_line(result))
    return "\n".join(out) + "\n"


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "tool": f.tool.value,
        "rule_id": f.rule_id,
        "pack": f.pack,
        "severity": f.severity.value,
        "product": f.product,
        "resource": f.resource,
        "template": f.template,
        "line": f.line,
        "message": f.message,
        "fix": f.fix,
    }


def _waiver_dict(w: Waiver, count: int) -> dict[str, Any]:
    return {
        "entry": w.index,
        "rule": w.rule_id,
        "tiers": list(w.tiers),
        "product": w.product,
        "resource": w.resource,
        "owner": w.owner,
        "justification": w.justification,
        "expires": w.expires.isoformat(),
        "waived": count,
    }


def to_json(result: GateResult) -> str:
    counts = waiver_counts(result)
    doc = {
        "clean": result.clean,
        "products": result.products,
        "findings": [_finding_dict(f) for f in result.findings],
        "waived": [_finding_dict(f) | {"waiver": w.index} for f, w in result.waived],
        "active_waivers": [_waiver_dict(w, counts.get(w.index, 0)) for w in result.active_waivers],
        "waiver_problems": result.waiver_problems,
        "warnings": result.warnings,
        "tools": {
            name: {"version": run.version, "scanned": run.scanned, "cache_hits": run.cache_hits, "seconds": round(run.seconds, 3)}
            for name, run in result.tools.items()
        },
        "scanned": result.scanned,
        "cache_hits": result.cache_hits,
        "seconds": round(result.seconds, 3),
    }
    return json.dumps(doc, indent=2) + "\n"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(result: GateResult) -> str:
    out = ["# Gate report", "", f"**{_md(summary_line(result))}**", ""]
    if result.findings:
        out += ["## Findings", "", "| product | tool | rule | severity | resource | message | fix |", "|---|---|---|---|---|---|---|"]
        for f in result.findings:
            rule = f"{f.rule_id} ({f.pack})" if f.pack else f.rule_id
            where = (f.resource or "(template)") + (f":{f.line}" if f.line else "")
            out.append(f"| {f.product} | {f.tool.value} | `{rule}` | {f.severity.value} | {where} | {_md(f.message)} | {_md(f.fix)} |")
        out.append("")
    if result.waiver_problems or result.warnings:
        out += ["## Waiver problems and warnings", "", *[f"- {_md(p)}" for p in result.waiver_problems + result.warnings], ""]
    counts = waiver_counts(result)
    if result.active_waivers:
        out += ["## Active waivers", "", "| # | rule | tiers | product | resource | owner | expires | waived | justification |"]
        out.append("|---|---|---|---|---|---|---|---|---|")
        for w in result.active_waivers:
            out.append(
                f"| {w.index} | `{w.rule_id}` | {', '.join(w.tiers) or 'all'} | `{w.product}` | `{w.resource}` | {_md(w.owner)} "
                f"| {w.expires.isoformat()} | {counts.get(w.index, 0)} | {_md(w.justification)} |"
            )
        out.append("")
    out += ["## Tools", "", "| tool | version | scanned | cache hits | seconds |", "|---|---|---|---|---|"]
    out += [f"| {n} | {r.version} | {r.scanned} | {r.cache_hits} | {r.seconds:.1f} |" for n, r in result.tools.items()]
    return "\n".join(out) + "\n"
