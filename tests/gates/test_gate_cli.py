"""``mlprov gate`` / ``validate-prov-template`` end to end with the real cfn-lint, cfn-guard, checkov and iam-escalation.

Templates are broken on purpose in a scratch repository; each tool's finding must surface with its rule id and exit 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.cli import main

from tests.gates.gate_fixtures import (
    BAD_PROPERTY,
    DROP_BUCKET_ENCRYPTION,
    DROP_PERMISSION_BOUNDARY,
    ENTERPRISE,
    OPEN_SECURITY_GROUP,
    PROFESSIONAL,
    STARTER,
    WILDCARD_ACTION,
    make_gate_repo,
    mutate,
    needs_tools,
    template,
)
from tests.gates.test_reports import assert_valid_sarif

pytestmark = [pytest.mark.slow, needs_tools]

BROKEN = {
    ("cfn-lint", "E3002", "ModelPackageGroup"),  # bad property
    ("cfn-guard", "MLPROV_SG_NO_OPEN_INGRESS", "EndpointSecurityGroup"),  # 0.0.0.0/0
    ("cfn-guard", "MLPROV_IAM_PERMISSION_BOUNDARY", "CodeBuildRole"),  # boundary removed
    ("cfn-guard", "MLPROV_KMS_ENCRYPTION", "ArtifactsBucket"),  # bucket encryption dropped (our pack)
    ("cfn-guard", "CT.S3.PR.10", "ArtifactsBucket"),  # ... and Control Tower
    ("cfn-guard", "MLPROV_IAM_NO_WILDCARD_ACTIONS", "SageMakerExecutionRole"),  # Action: "*"
    ("checkov", "CKV_AWS_107", "SageMakerExecutionRole"),  # ... and checkov
    ("iam-escalation", "MLPROV-IAM-ESC-001", "SageMakerExecutionRole"),  # ... and the escalation scan: every method
    ("iam-escalation", "MLPROV-IAM-ESC-002", "SageMakerExecutionRole"),  # every permissions-management action
    ("iam-escalation", "MLPROV-IAM-ESC-003", "SageMakerExecutionRole"),  # every user/group method
}


def broken_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_gate_repo(tmp_path / "repo", [ENTERPRISE, STARTER])
    monkeypatch.setenv("MLPROV_ROOT", str(root))
    path = template(root, ENTERPRISE)
    for old, new in (DROP_BUCKET_ENCRYPTION, OPEN_SECURITY_GROUP, DROP_PERMISSION_BOUNDARY, WILDCARD_ACTION, BAD_PROPERTY):
        mutate(path, old, new)
    return root


def gate_json(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "gate.json"
    code = main(["gate", *args, "--format", "json", "--out", str(out)])
    return code, json.loads(out.read_text())


def keys(findings: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(f["tool"], f["rule_id"], f["resource"]) for f in findings}


def test_each_tool_reports_the_broken_template_and_the_gate_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = broken_repo(tmp_path, monkeypatch)
    reports = Path(str(tmp_path / "reports"))
    monkeypatch.setenv("MLPROV_REPORTS_DIR", str(reports))
    code, doc = gate_json(tmp_path)
    assert code == 1
    assert keys(doc["findings"]) >= BROKEN
    assert {f["product"] for f in doc["findings"]} == {ENTERPRISE}
    packs = {f["rule_id"]: f["pack"] for f in doc["findings"]}
    assert (packs["MLPROV_SG_NO_OPEN_INGRESS"], packs["CT.S3.PR.10"], packs["E3002"]) == ("mlprov", "control-tower", "")
    sg = next(f for f in doc["findings"] if f["rule_id"] == "MLPROV_SG_NO_OPEN_INGRESS")
    assert sg["severity"] == "critical" and sg["line"] > 0 and sg["template"] == f"products/{ENTERPRISE}/template.yaml"
    assert doc["tools"]["cfn-lint"]["scanned"] == 2 and doc["tools"]["checkov"]["scanned"] == 2
    assert doc["tools"]["iam-escalation"]["scanned"] == 2
    table = capsys.readouterr().out
    assert f"{ENTERPRISE}  (products/{ENTERPRISE}/template.yaml)" in table
    assert "gate FAILED: 2 product(s)" in table
    assert_valid_sarif((reports / "gate" / "gate.sarif").read_text())
    assert json.loads((reports / "gate" / "gate.json").read_text())["findings"] == doc["findings"]
    assert (reports / "gate" / "gate.md").read_text().startswith("# Gate report")

    # the same product again, now entirely from the cache, still exit 1
    assert main(["gate", f"products/{ENTERPRISE}.yaml", "--format", "sarif"]) == 1
    sarif = assert_valid_sarif(capsys.readouterr().out)
    assert [run["tool"]["driver"]["name"] for run in sarif["runs"]] == ["cfn-lint", "cfn-guard", "checkov", "iam-escalation"]
    # validate-prov-template gates only what would be deployed: the hand-edited template is a stale rendering
    assert main(["validate-prov-template", f"products/{ENTERPRISE}.yaml", "--format", "sarif"]) == 2
    assert "stale rendering: it differs from what `mlprov render " in capsys.readouterr().err
    assert main(["validate-prov-template", STARTER, "--format", "markdown"]) == 0
    assert "**gate clean: 1 product(s), 0 finding(s)" in capsys.readouterr().out
    assert (Path(os.environ["MLPROV_CACHE_DIR"]) / "gate" / "cfn-lint").is_dir()  # outside the work tree
    assert not (root / ".cache").exists()


def test_waivers_suppress_across_tools_and_bad_waivers_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = broken_repo(tmp_path, monkeypatch)
    soon = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    extra = "".join(
        f"  - rule: {rule}\n    product: {ENTERPRISE}\n    resource: '{resource}'\n    owner: team-a\n"
        f"    justification: deliberately broken test template, waived on purpose\n    expires: {soon}\n"
        for rule, resource in (("E3002", "ModelPackageGroup"), ("CKV_AWS_107", "SageMaker*"), ("MLPROV_SG_NO_OPEN_INGRESS", "*"))
    )
    waivers = root / "waivers.yaml"
    committed = len(yaml.safe_load(waivers.read_text())["waivers"])  # the test's entries follow the repo's own
    waivers.write_text(waivers.read_text() + extra)
    code, doc = gate_json(tmp_path, ENTERPRISE)
    assert code == 1  # the rest of the breakage is still open
    waived = keys(doc["waived"])
    assert {("cfn-lint", "E3002", "ModelPackageGroup"), ("checkov", "CKV_AWS_107", "SageMakerExecutionRole"),
            ("cfn-guard", "MLPROV_SG_NO_OPEN_INGRESS", "EndpointSecurityGroup")} <= waived
    assert not waived & keys(doc["findings"])
    assert [w["entry"] for w in doc["active_waivers"]] == list(range(1, committed + 4))

    waivers.write_text(waivers.read_text().replace(f"expires: {soon}", "expires: 2020-02-02", 1))
    code, doc = gate_json(tmp_path, ENTERPRISE)
    assert code == 1
    assert doc["waiver_problems"] == [
        f"waivers.yaml: entry {committed + 1} (E3002) field 'expires': expired on 2020-02-02; "
        "fix the finding or renew the waiver after review"
    ]
    assert ("cfn-lint", "E3002", "ModelPackageGroup") in keys(doc["findings"])


def test_a_clean_template_with_an_unjustified_waiver_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = make_gate_repo(tmp_path / "repo", [STARTER])
    monkeypatch.setenv("MLPROV_ROOT", str(root))
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    (root / "waivers.yaml").write_text(
        f"waivers:\n  - {{rule: CKV_AWS_1, product: '*', resource: '*', owner: team-a, justification: tbd, expires: {soon}}}\n"
    )
    assert main(["gate"]) == 1
    out = capsys.readouterr().out
    assert "waivers.yaml: entry 1 (CKV_AWS_1) field 'justification': missing or too short (at least 20 characters)" in out
    assert "gate FAILED: 1 product(s), 0 finding(s), 0 waived, 1 waiver problem(s)" in out


def test_inline_suppressions_are_refused_and_not_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_gate_repo(tmp_path / "repo", [ENTERPRISE])
    monkeypatch.setenv("MLPROV_ROOT", str(root))
    path = template(root, ENTERPRISE)
    mutate(path, *BAD_PROPERTY)
    mutate(path, *WILDCARD_ACTION)
    mutate(path, *OPEN_SECURITY_GROUP)
    mutate(path, "  ModelPackageGroup:\n", "  ModelPackageGroup:\n    Metadata:\n      cfn-lint:\n        config:\n"
           "          ignore_checks: [E3002]\n")
    mutate(path, "  SageMakerExecutionRole:\n", "  SageMakerExecutionRole:\n    Metadata:\n      checkov:\n        skip:\n"
           "          - id: CKV_AWS_107\n            comment: trust me\n")
    mutate(path, "  EndpointSecurityGroup:\n", "  EndpointSecurityGroup:\n    Metadata:\n      guard:\n"
           "        SuppressedRules: [MLPROV_SG_NO_OPEN_INGRESS]\n")
    code, doc = gate_json(tmp_path)
    assert code == 1
    found = keys(doc["findings"])
    assert {("cfn-lint", "MLPROV_INLINE_SUPPRESSION", "ModelPackageGroup"),
            ("checkov", "MLPROV_INLINE_SUPPRESSION", "SageMakerExecutionRole"),
            ("cfn-guard", "MLPROV_INLINE_SUPPRESSION", "EndpointSecurityGroup")} <= found
    # ... and the suppressed findings are still reported
    assert {("cfn-lint", "E3002", "ModelPackageGroup"), ("checkov", "CKV_AWS_107", "SageMakerExecutionRole"),
            ("cfn-guard", "MLPROV_SG_NO_OPEN_INGRESS", "EndpointSecurityGroup")} <= found
    ckv = next(f for f in doc["findings"] if f["rule_id"] == "CKV_AWS_107")
    assert ckv["message"].endswith("(an inline checkov skip was ignored)")


def test_real_cache_hits_misses_and_rule_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_gate_repo(tmp_path / "repo", [STARTER, PROFESSIONAL])
    monkeypatch.setenv("MLPROV_ROOT", str(root))

    def scanned() -> dict[str, tuple[int, int]]:
        code, doc = gate_json(tmp_path)
        assert code == 0, doc["findings"]
        return {k: (v["scanned"], v["cache_hits"]) for k, v in doc["tools"].items()}

    assert scanned() == {"cfn-lint": (2, 0), "cfn-guard": (2, 0), "checkov": (2, 0), "iam-escalation": (2, 0)}
    assert scanned() == {"cfn-lint": (0, 2), "cfn-guard": (0, 2), "checkov": (0, 2), "iam-escalation": (0, 2)}
    path = template(root, STARTER)
    path.write_text(path.read_text() + "# edited\n")
    assert scanned() == {"cfn-lint": (1, 1), "cfn-guard": (1, 1), "checkov": (1, 1), "iam-escalation": (1, 1)}
    rule = root / "rules" / "guard" / "kms_rotation.guard"
    rule.write_text(rule.read_text() + "\n# a rule edit\n")
    assert scanned() == {"cfn-lint": (0, 2), "cfn-guard": (2, 0), "checkov": (0, 2), "iam-escalation": (0, 2)}
    config = root / "products" / f"{PROFESSIONAL}.yaml"  # a config edit: only the tool that reads configs rescans
    config.write_text(config.read_text() + "# edited\n")
    assert scanned() == {"cfn-lint": (0, 2), "cfn-guard": (0, 2), "checkov": (0, 2), "iam-escalation": (1, 1)}


def test_every_shipped_example_gates_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_gate_repo(tmp_path / "repo")
    monkeypatch.setenv("MLPROV_ROOT", str(root))
    code, doc = gate_json(tmp_path)
    assert doc["findings"] == [] and doc["waiver_problems"] == []
    assert code == 0
    assert len(doc["products"]) == 27
    assert {w["owner"] for w in doc["active_waivers"]} and all(len(w["justification"]) >= 20 for w in doc["active_waivers"])
