"""SARIF 2.1.0: one log, one run per tool; waived findings are kept with an external, accepted suppression."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlprov.gates.model import Finding, GateResult, Severity, Tool, Waiver

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFO_URI = {
    Tool.CFN_LINT: "https://github.com/aws-cloudformation/cfn-lint",
    Tool.CFN_GUARD: "https://github.com/aws-cloudformation/cloudformation-guard",
    Tool.CHECKOV: "https://www.checkov.io/",
    Tool.IAM_ESCALATION: "https://github.com/salesforce/cloudsplaining",  # its methods; the tool is mlprov.gates.escalation_tool
}
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def _result(f: Finding, rule_index: int, waiver: Waiver | None) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": f.template, "uriBaseId": "SRCROOT"}}}
    if f.line > 0:
        location["physicalLocation"]["region"] = {"startLine": f.line}
    if f.resource:
        location["logicalLocations"] = [{"name": f.resource, "kind": "resource"}]
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f"{f.message or f.rule_id} (product {f.product}). Fix: {f.fix}"},
        "locations": [location],
        "properties": {"product": f.product, "severity": f.severity.value, "pack": f.pack},
    }
    if waiver is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"waivers.yaml entry {waiver.index} (owner {waiver.owner}, expires {waiver.expires.isoformat()}): "
                f"{waiver.justification}",
            }
        ]
    return result


def _run(tool: Tool, version: str, items: list[tuple[Finding, Waiver | None]], root: Path) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for f, waiver in items:
        if f.rule_id not in index:
            index[f.rule_id] = len(rules)
            rule: dict[str, Any] = {
                "id": f.rule_id,
                "shortDescription": {"text": f.message or f.rule_id},
                "help": {"text": f.fix or "see the tool's documentation"},
                "defaultConfiguration": {"level": LEVEL[f.severity]},
            }
            if f.pack:
                rule["properties"] = {"pack": f.pack}
            rules.append(rule)
        results.append(_result(f, index[f.rule_id], waiver))
    driver: dict[str, Any] = {"name": tool.value, "informationUri": INFO_URI[tool], "rules": rules}
    if version:
        driver["version"] = version
    return {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"SRCROOT": {"uri": root.resolve().as_uri() + "/"}},
        "results": results,
    }


def to_sarif(result: GateResult, root: Path) -> str:
    runs = []
    for tool in Tool:
        if tool.value not in result.tools and not any(f.tool is tool for f in result.findings):
            continue
        items: list[tuple[Finding, Waiver | None]] = [(f, None) for f in result.findings if f.tool is tool]
        items += [(f, w) for f, w in result.waived if f.tool is tool]
        runs.append(_run(tool, result.tool_versions.get(tool.value, ""), items, root))
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": runs}, indent=2) + "\n"
