"""The gate's iam-escalation tool end to end: a hostile stack role, a waiver, SARIF, the cache, the shipped examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlprov.cli import main
from mlprov.gates.engine import GateOptions, gate_targets
from mlprov.gates.model import GateResult, Tool
from mlprov.gates.sarif import to_sarif
from mlprov.gates.targets import resolve_targets
from mlprov.paths import Repo

from tests.gates.gate_fixtures import ENTERPRISE, PROFESSIONAL, STARTER, make_gate_repo, mutate, template
from tests.gates.test_reports import assert_valid_sarif

ESC = (Tool.IAM_ESCALATION,)
ROLE_TAGS = '      Description: "CodeBuild service role (build and deploy projects)"\n'
HOSTILE = ROLE_TAGS + """\
      Policies:
        - PolicyName: "hostile"
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - {"Effect": "Allow", "Action": ["iam:AttachUserPolicy"], "Resource": "*"}
              - {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}
              - {"Effect": "Allow", "Action": ["iam:PutRolePolicy"], "Resource": "*"}
"""
WHERE = "CodeBuildRole (inline policy hostile)"
EXPECTED = [  # (rule, severity, resource, line, message): one finding per rule and document, in the gate's order
    ("MLPROV-IAM-ESC-001", "critical", "CodeBuildRole", 253, f'{WHERE} allows 2 privilege-escalation method(s) on "*" '
     "without a condition: AttachUserPolicy (iam:attachuserpolicy), PutRolePolicy (iam:putrolepolicy)"),
    ("MLPROV-IAM-ESC-002", "high", "CodeBuildRole", 253, f'{WHERE} allows 3 permissions-management action(s) on "*" '
     "without a condition: iam:AttachUserPolicy, iam:PassRole, iam:PutRolePolicy"),
    ("MLPROV-IAM-ESC-003", "critical", "CodeBuildRole", 253, f"{WHERE} allows 1 escalation method(s) on IAM users or "
     "groups, whatever the resource: AttachUserPolicy (iam:attachuserpolicy)"),
]
WAIVER = """\
waivers:
  - rule: MLPROV-IAM-ESC-003
    product: "startupco-*"
    resource: CodeBuildRole
    owner: security-team
    justification: a test of the waiver path only, never a real waiver of a user or group method
    expires: 2027-06-30
"""


def gate(root: Path, products: list[str], use_cache: bool = True) -> GateResult:
    targets = resolve_targets(Repo(root), products)
    return gate_targets(root, targets, GateOptions(use_cache=use_cache, tools=ESC))


def rows(result: GateResult) -> list[tuple[str, str, str, int, str]]:
    return [(f.rule_id, f.severity.value, f.resource, f.line, f.message) for f in result.findings]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = make_gate_repo(tmp_path / "repo", [STARTER], waivers=False)
    mutate(template(root, STARTER), ROLE_TAGS, HOSTILE)
    return root


def test_a_hostile_stack_role_gives_exactly_the_expected_findings(hostile: Path) -> None:
    result = gate(hostile, [STARTER])
    assert rows(result) == EXPECTED
    # iam:PassRole + lambda:CreateFunction is no Rhino method without lambda:InvokeFunction (or AddPermission, an event
    # source mapping): cloudsplaining reports it as PassRole on "*" (ESC-002), which is what makes it dangerous
    assert {f.tool for f in result.findings} == {Tool.IAM_ESCALATION}
    assert {(f.product, f.template) for f in result.findings} == {(STARTER, f"products/{STARTER}/template.yaml")}
    assert [f.fix for f in result.findings] == [
        "name the product's own ARNs in Resource, or bound the grant with a condition: on \"*\" these methods let the "
        "holder grant itself any permission",
        "name the product's own ARNs in Resource, or add the condition that bounds the grant (iam:PassedToService, "
        "iam:PermissionsBoundary, iam:PolicyARN, aws:ResourceTag)",
        "remove these actions: no product or deploy-path principal manages IAM users or groups",
    ]
    assert not result.clean and result.tools["iam-escalation"].scanned == 1


def test_a_waiver_suppresses_the_one_finding_it_names(hostile: Path) -> None:
    (hostile / "waivers.yaml").write_text(WAIVER, encoding="utf-8")
    result = gate(hostile, [STARTER])
    assert [(f.rule_id, w.index) for f, w in result.waived] == [("MLPROV-IAM-ESC-003", 1)]
    assert rows(result) == [row for row in EXPECTED if row[0] != "MLPROV-IAM-ESC-003"]
    assert result.warnings == []


def test_sarif_holds_one_valid_run_for_the_tool_with_the_waived_finding_suppressed(hostile: Path) -> None:
    (hostile / "waivers.yaml").write_text(WAIVER, encoding="utf-8")
    doc = assert_valid_sarif(to_sarif(gate(hostile, [STARTER]), hostile))
    [run] = doc["runs"]
    assert run["tool"]["driver"]["name"] == "iam-escalation"
    assert run["tool"]["driver"]["version"].endswith("+cloudsplaining.0.9.1")
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["MLPROV-IAM-ESC-001", "MLPROV-IAM-ESC-002", "MLPROV-IAM-ESC-003"]
    suppressed = [r["ruleId"] for r in run["results"] if r.get("suppressions")]
    assert suppressed == ["MLPROV-IAM-ESC-003"] and len(run["results"]) == 3
    first = run["results"][0]
    assert first["level"] == "error"
    assert first["locations"][0]["logicalLocations"] == [{"name": "CodeBuildRole", "kind": "resource"}]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 253}


@pytest.mark.slow
@pytest.mark.parametrize("product", [STARTER, PROFESSIONAL, ENTERPRISE])
def test_a_shipped_example_of_each_tier_has_no_escalation_finding(product: str, tmp_path: Path) -> None:
    root = make_gate_repo(tmp_path / "repo", [product])
    result = gate(root, [product])
    assert rows(result) == [] and result.clean
    assert (result.tools["iam-escalation"].scanned, result.tools["iam-escalation"].cache_hits) == (1, 0)


def test_the_cache_keys_on_the_config_too(hostile: Path) -> None:
    first = gate(hostile, [STARTER])
    again = gate(hostile, [STARTER])
    assert (again.tools["iam-escalation"].scanned, again.tools["iam-escalation"].cache_hits) == (0, 1)
    assert again.findings == first.findings  # findings come back from the cache unchanged
    config = hostile / "products" / f"{STARTER}.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# a comment: new bytes, same product\n", encoding="utf-8")
    edited = gate(hostile, [STARTER])
    assert (edited.tools["iam-escalation"].scanned, edited.tools["iam-escalation"].cache_hits) == (1, 0)
    assert edited.findings == first.findings


def test_a_product_without_its_config_is_not_a_silent_pass(hostile: Path) -> None:
    (hostile / "products" / f"{STARTER}.yaml").unlink()
    result = gate(hostile, [STARTER])
    assert rows(result)[0] == (
        "MLPROV-IAM-ESC-000", "high", "", 0,
        f"the deploy-path principals of {STARTER} were not scanned: products/{STARTER}.yaml: no such config file",
    )
    assert result.findings[0].fix == (
        f"fix products/{STARTER}.yaml ('mlprov validate-config {STARTER}') and run 'mlprov render {STARTER}'")
    assert rows(result)[1:] == EXPECTED  # the template's own documents are still scanned


def test_an_invalid_config_is_one_underived_finding(hostile: Path) -> None:
    config = hostile / "products" / f"{STARTER}.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("tier: starter", "tier: platinum"), encoding="utf-8")
    [underived] = [f for f in gate(hostile, [STARTER]).findings if f.rule_id == "MLPROV-IAM-ESC-000"]
    assert underived.message == (
        f"the deploy-path principals of {STARTER} were not scanned: products/{STARTER}.yaml: "
        "field 'tier': 'platinum' is not one of: starter, professional, enterprise"
    )


def test_the_cli_tool_choice_runs_only_this_tool(hostile: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MLPROV_ROOT", str(hostile))
    assert main(["gate", STARTER, "--tool", "iam-escalation", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert list(doc["tools"]) == ["iam-escalation"]
    assert [(f["tool"], f["rule_id"]) for f in doc["findings"]] == [("iam-escalation", row[0]) for row in EXPECTED]
